import { compareBytes } from '@status-ts/core';
import { getPublicKey } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { DEFAULT_MAX_CHILDREN, DEFAULT_MAX_TXT_LENGTH } from './constants.js';
import { formatBranch, formatRoot, type RootEntry } from './entries.js';
import { DnsDiscoveryError, DnsErrorCode } from './errors.js';
import { entryHash } from './hash.js';
import { signRoot } from './root.js';
import { formatTreeUrl, isValidDomain, parseTreeUrl } from './url.js';
import { formatDnsmasqConfig, formatZoneFile, type ZoneFileOptions } from './zone.js';

export interface TreeContent {
  /** Node records (objects or `enr:` text). Identical duplicates collapse; two records of one node fail. */
  enrs: readonly (Enr | string)[];
  /** `enrtree://` URLs of other trees. */
  links?: readonly string[];
}

export interface BuildTreeOptions extends TreeContent {
  /** Where the tree is published (the root TXT record lives at this name). */
  domain: string;
  /** The key that signs the root; its public key is in the tree's URL. */
  privateKey: Uint8Array;
  seq: number;
  /** Hashes per branch (default 13, as go-ethereum). */
  maxChildren?: number;
  /** Longest record allowed, characters (default 512). */
  maxTxtLength?: number;
}

function invalid(message: string, details: Record<string, unknown> = {}): DnsDiscoveryError {
  return new DnsDiscoveryError(DnsErrorCode.InvalidInput, message, { details });
}

/** A signed tree ready to publish: its URL, root and every record, in the forms DNS servers take. */
export class DnsTree {
  readonly domain: string;
  readonly url: string;
  readonly root: RootEntry;
  readonly rootText: string;
  /** Records in the tree, sorted by node id. */
  readonly enrs: readonly Enr[];
  /** Canonical link URLs, sorted. */
  readonly links: readonly string[];
  /** Every entry below the root: hash -> text. */
  readonly entries: ReadonlyMap<string, string>;

  constructor(fields: {
    domain: string;
    url: string;
    root: RootEntry;
    enrs: readonly Enr[];
    links: readonly string[];
    entries: ReadonlyMap<string, string>;
  }) {
    this.domain = fields.domain;
    this.url = fields.url;
    this.root = fields.root;
    this.rootText = formatRoot(fields.root);
    this.enrs = fields.enrs;
    this.links = fields.links;
    this.entries = fields.entries;
  }

  get seq(): number {
    return this.root.seq;
  }

  /** `{ name: txt }` with full names: the root at the domain, entries at `<hash>.<domain>`. */
  records(): Record<string, string> {
    const out: Record<string, string> = { [this.domain]: this.rootText };
    for (const [hash, text] of this.entries) out[`${hash}.${this.domain}`] = text;
    return out;
  }

  toJSON(): Record<string, string> {
    return this.records();
  }

  /** A BIND zone file fragment (`$ORIGIN <domain>.`, one TXT line per record, long texts split). */
  toZoneFile(options: ZoneFileOptions = {}): string {
    return formatZoneFile(this.domain, this.rootText, this.entries, options);
  }

  /** `txt-record=<name>,"<text>"` lines for dnsmasq. */
  toDnsmasqConfig(): string {
    return formatDnsmasqConfig(this.records());
  }
}

function toEnr(value: Enr | string): Enr {
  if (value instanceof Enr) return value;
  try {
    return Enr.decodeText(value);
  } catch (cause) {
    throw new DnsDiscoveryError(DnsErrorCode.InvalidInput, 'not a valid ENR', { cause });
  }
}

/** Sorted by node id, identical duplicates removed; two different records of one node are an error. */
function uniqueRecords(values: readonly (Enr | string)[]): Enr[] {
  const byId = new Map<string, Enr>();
  for (const enr of values.map(toEnr)) {
    const id = enr.nodeIdHex;
    const existing = byId.get(id);
    if (existing && !existing.equals(enr)) {
      throw invalid(`two different records for node ${id}`, { nodeId: id });
    }
    byId.set(id, enr);
  }
  return [...byId.values()].sort((a, b) => compareBytes(a.nodeId, b.nodeId));
}

/**
 * Builds the subtree over `leaves` (texts) into `entries` and returns its top hash. No leaf: an empty
 * branch; one leaf: the leaf itself; otherwise branches of at most `maxChildren` hashes, level by level.
 */
function buildSubtree(
  leaves: readonly string[],
  entries: Map<string, string>,
  maxChildren: number,
  maxTxtLength: number,
): string {
  const add = (text: string): string => {
    if (text.length > maxTxtLength) {
      throw new DnsDiscoveryError(
        DnsErrorCode.TxtTooLarge,
        `record of ${text.length} characters exceeds ${maxTxtLength}`,
        { details: { length: text.length, limit: maxTxtLength } },
      );
    }
    const hash = entryHash(text);
    entries.set(hash, text);
    return hash;
  };
  let level = leaves.map(add);
  if (level.length === 0) return add(formatBranch([]));
  while (level.length > 1) {
    if (level.length <= maxChildren) return add(formatBranch(level));
    const next: string[] = [];
    for (let i = 0; i < level.length; i += maxChildren) {
      const group = level.slice(i, i + maxChildren);
      next.push(group.length === 1 ? group[0]! : add(formatBranch(group)));
    }
    level = next;
  }
  return level[0]!;
}

interface Assembled {
  enrs: Enr[];
  links: string[];
  entries: Map<string, string>;
  eRoot: string;
  lRoot: string;
}

/** Validates the input and builds both subtrees (everything but the signed root). */
function assemble(options: Omit<BuildTreeOptions, 'seq' | 'privateKey'>): Assembled {
  const maxChildren = options.maxChildren ?? DEFAULT_MAX_CHILDREN;
  const maxTxtLength = options.maxTxtLength ?? DEFAULT_MAX_TXT_LENGTH;
  if (!Number.isSafeInteger(maxChildren) || maxChildren < 2) {
    throw invalid('maxChildren must be an integer >= 2', { maxChildren });
  }
  if (!isValidDomain(options.domain)) throw invalid(`invalid domain ${options.domain}`);
  const enrs = uniqueRecords(options.enrs);
  const links = [...new Set((options.links ?? []).map((url) => parseTreeUrl(url).url))].sort();
  const entries = new Map<string, string>();
  const lRoot = buildSubtree(links, entries, maxChildren, maxTxtLength);
  const eRoot = buildSubtree(
    enrs.map((enr) => enr.encodeText()),
    entries,
    maxChildren,
    maxTxtLength,
  );
  return { enrs, links, entries, eRoot, lRoot };
}

function signTree(
  domain: string,
  parts: Assembled,
  seq: number,
  privateKey: Uint8Array,
  maxTxtLength: number,
): DnsTree {
  if (!Number.isSafeInteger(seq) || seq < 0)
    throw invalid('seq must be a non-negative safe integer', { seq });
  const root = signRoot({ eRoot: parts.eRoot, lRoot: parts.lRoot, seq }, privateKey);
  const length = formatRoot(root).length;
  if (length > maxTxtLength) {
    throw new DnsDiscoveryError(DnsErrorCode.TxtTooLarge, `root record of ${length} characters`, {
      details: { length, limit: maxTxtLength },
    });
  }
  const url = formatTreeUrl(getPublicKey(privateKey, 'compressed'), domain);
  return new DnsTree({ domain, url, root, enrs: parts.enrs, links: parts.links, entries: parts.entries });
}

/** Builds and signs a tree (DNS-07): ENRs sorted by node id, links sorted, `maxChildren` hashes per branch. */
export function buildTree(options: BuildTreeOptions): DnsTree {
  const maxTxtLength = options.maxTxtLength ?? DEFAULT_MAX_TXT_LENGTH;
  return signTree(options.domain, assemble(options), options.seq, options.privateKey, maxTxtLength);
}

/** What `publishTree` needs to know about the tree currently published. */
export interface PublishedTree {
  readonly root: Pick<RootEntry, 'eRoot' | 'lRoot' | 'seq'>;
}

/**
 * Builds the next version of a tree: the previous seq when the content (both subtree hashes) is unchanged,
 * previous seq + 1 when it changed, `options.seq ?? 1` for a first publication (DNS-07).
 */
export function publishTree(
  previous: PublishedTree | undefined,
  options: Omit<BuildTreeOptions, 'seq'> & { seq?: number },
): DnsTree {
  const parts = assemble(options);
  let seq = options.seq ?? 1;
  if (previous) {
    const unchanged = parts.eRoot === previous.root.eRoot && parts.lRoot === previous.root.lRoot;
    seq = unchanged ? previous.root.seq : previous.root.seq + 1;
  }
  const maxTxtLength = options.maxTxtLength ?? DEFAULT_MAX_TXT_LENGTH;
  return signTree(options.domain, parts, seq, options.privateKey, maxTxtLength);
}
