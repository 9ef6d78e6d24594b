import { SIGNATURE_LENGTH } from '@status-ts/crypto';
import { base64UrlDecode, base64UrlEncode, Enr, EnrError } from '@status-ts/enr';
import { BRANCH_PREFIX, ENR_PREFIX, LINK_PREFIX, ROOT_PREFIX } from './constants.js';
import { DnsDiscoveryError, DnsErrorCode } from './errors.js';
import { isValidHash } from './hash.js';
import { formatTreeUrl, parseLinkBody, type TreeLocation } from './url.js';

/** `enrtree-root:v1 e=<enr-root> l=<link-root> seq=<n> sig=<sig>` (DNS-02). */
export interface RootEntry {
  readonly kind: 'root';
  /** Hash of the top of the ENR subtree. */
  readonly eRoot: string;
  /** Hash of the top of the link subtree. */
  readonly lRoot: string;
  readonly seq: number;
  /** 65 bytes `r||s||v`. */
  readonly signature: Uint8Array;
}

export interface BranchEntry {
  readonly kind: 'branch';
  readonly children: readonly string[];
}

export interface EnrEntry {
  readonly kind: 'enr';
  readonly enr: Enr;
}

export interface LinkEntry extends TreeLocation {
  readonly kind: 'link';
}

/** What can live at a hash name. */
export type TreeEntry = BranchEntry | EnrEntry | LinkEntry;

export interface ParseEntryOptions {
  /** Largest ENR accepted, in bytes (the ENR package's default: 300). */
  maxEnrSize?: number;
}

const ROOT_SYNTAX = /^enrtree-root:v1 e=(\S+) l=(\S+) seq=(0|[1-9][0-9]*) sig=(\S*)$/;

function badRecord(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
  return new DnsDiscoveryError(DnsErrorCode.BadRecord, message, options);
}

/**
 * Parses a root record (syntax only: the signature is checked by `verifyRoot`). Strict: one space between
 * fields, canonical decimal seq, so the signed text is exactly the text before ` sig=`.
 */
export function parseRoot(text: string): RootEntry {
  const match = ROOT_SYNTAX.exec(text);
  if (!match) throw badRecord('root: syntax error', { details: { text: text.slice(0, 120) } });
  const [, eRoot, lRoot, seqText, sigText] = match as unknown as [string, string, string, string, string];
  if (!isValidHash(eRoot) || !isValidHash(lRoot)) throw badRecord('root: invalid child hash');
  const seq = Number(seqText);
  if (!Number.isSafeInteger(seq)) throw badRecord('root: seq too large', { details: { seq: seqText } });
  let signature: Uint8Array;
  try {
    signature = base64UrlDecode(sigText);
  } catch (cause) {
    throw new DnsDiscoveryError(DnsErrorCode.BadSignature, 'root: signature is not base64url', { cause });
  }
  if (signature.length !== SIGNATURE_LENGTH) {
    throw new DnsDiscoveryError(
      DnsErrorCode.BadSignature,
      `root: signature must be ${SIGNATURE_LENGTH} bytes, got ${signature.length}`,
      { details: { length: signature.length } },
    );
  }
  return { kind: 'root', eRoot, lRoot, seq, signature };
}

/** The text a root signature covers: the record up to (not including) ` sig=`. */
export function rootSigningText(root: Pick<RootEntry, 'eRoot' | 'lRoot' | 'seq'>): string {
  return `${ROOT_PREFIX} e=${root.eRoot} l=${root.lRoot} seq=${root.seq}`;
}

export function formatRoot(root: Omit<RootEntry, 'kind'>): string {
  return `${rootSigningText(root)} sig=${base64UrlEncode(root.signature)}`;
}

function parseBranch(body: string): BranchEntry {
  if (body === '') return { kind: 'branch', children: [] };
  const children = body.split(',');
  for (const child of children) {
    if (!isValidHash(child)) throw badRecord('branch: invalid child hash', { details: { child } });
  }
  return { kind: 'branch', children };
}

function parseEnr(text: string, options: ParseEntryOptions): EnrEntry {
  try {
    return { kind: 'enr', enr: Enr.decodeText(text, { maxSize: options.maxEnrSize }) };
  } catch (cause) {
    if (!(cause instanceof EnrError)) throw cause;
    throw badRecord(`enr: invalid ENR (${cause.code})`, { cause, details: { enrCode: cause.code } });
  }
}

/**
 * Parses a tree entry: `enrtree-branch:`, `enr:` or `enrtree://`. Throws ERR_DNS_UNKNOWN_ENTRY for any
 * other text (a name may carry unrelated TXT records, which the client skips) and ERR_DNS_BAD_RECORD for a
 * known kind with a malformed body. ENR leaves are decoded and their signatures verified (DNS-04).
 */
export function parseEntry(text: string, options: ParseEntryOptions = {}): TreeEntry {
  if (text.startsWith(BRANCH_PREFIX)) return parseBranch(text.slice(BRANCH_PREFIX.length));
  if (text.startsWith(LINK_PREFIX)) {
    const location = parseLinkBody(text.slice(LINK_PREFIX.length), DnsErrorCode.BadRecord, 'link');
    return { kind: 'link', ...location };
  }
  if (text.startsWith(ENR_PREFIX)) return parseEnr(text, options);
  throw new DnsDiscoveryError(DnsErrorCode.UnknownEntry, 'unknown entry', {
    details: { text: text.slice(0, 40) },
  });
}

/** True when the text starts like an entry the parser knows (anything else at a name is skipped). */
export function isKnownEntry(text: string): boolean {
  return text.startsWith(BRANCH_PREFIX) || text.startsWith(LINK_PREFIX) || text.startsWith(ENR_PREFIX);
}

export function formatBranch(children: readonly string[]): string {
  return BRANCH_PREFIX + children.join(',');
}

export function formatLink(publicKey: Uint8Array, domain: string): string {
  return formatTreeUrl(publicKey, domain);
}
