import { StatusTsError } from '@status-ts/core';

/** Stable codes for everything the EIP-1459 client, parsers and builder reject. */
export const DnsErrorCode = {
  /** Not an `enrtree://<base32 compressed key>@<domain>` URL (scheme, key or domain). */
  InvalidUrl: 'ERR_DNS_INVALID_URL',
  /** A TXT entry with a known prefix but a malformed body (syntax, child hash, ENR that does not decode). */
  BadRecord: 'ERR_DNS_BAD_RECORD',
  /** Text that is none of the entry kinds (`enrtree-branch:`, `enr:`, `enrtree://`). */
  UnknownEntry: 'ERR_DNS_UNKNOWN_ENTRY',
  /** Root signature malformed (not 65 bytes of base64url) or not made by the URL's key. */
  BadSignature: 'ERR_DNS_BAD_SIGNATURE',
  /** An entry whose text does not hash to the name it was fetched from. */
  HashMismatch: 'ERR_DNS_HASH_MISMATCH',
  /** An `enr:` leaf under the link root or a link under the ENR root. */
  WrongSubtree: 'ERR_DNS_WRONG_SUBTREE',
  /** The tree's domain has no `enrtree-root:v1` TXT record. */
  NoRoot: 'ERR_DNS_NO_ROOT',
  /** A hash name answered with no EIP-1459 entry. */
  NoEntry: 'ERR_DNS_NO_ENTRY',
  /** A root whose seq is lower than one already seen for the same domain. */
  SeqRegression: 'ERR_DNS_SEQ_REGRESSION',
  /** A query that did not answer within the per-query timeout. */
  Timeout: 'ERR_DNS_TIMEOUT',
  /** The resolver failed (NXDOMAIN, SERVFAIL, refused, network error); `details.code` says which. */
  ResolveFailed: 'ERR_DNS_RESOLVE_FAILED',
  /** A hash reached twice while walking one tree: the records do not form a tree. */
  Loop: 'ERR_DNS_LOOP',
  /** Branches nested deeper than `maxDepth`. */
  TooDeep: 'ERR_DNS_TOO_DEEP',
  /** More entries in one tree than `maxEntries`. */
  TooManyEntries: 'ERR_DNS_TOO_MANY_ENTRIES',
  /** A TXT record longer than `maxTxtLength` (received or about to be published). */
  TxtTooLarge: 'ERR_DNS_TXT_TOO_LARGE',
  /** Two trees at one domain with different keys. */
  KeyConflict: 'ERR_DNS_KEY_CONFLICT',
  /** A DNS-over-HTTPS server answered with an HTTP status other than 2xx. */
  HttpStatus: 'ERR_DNS_HTTP_STATUS',
  /** A DNS-over-HTTPS answer whose content type is not `application/dns-message`. */
  BadContentType: 'ERR_DNS_BAD_CONTENT_TYPE',
  /** A DNS answer with the TC bit set or ending mid-record: the records are incomplete. */
  Truncated: 'ERR_DNS_TRUNCATED',
  /** A DNS answer that does not parse or does not answer the question asked. */
  MalformedAnswer: 'ERR_DNS_MALFORMED_ANSWER',
  /** A DNS-over-HTTPS answer larger than `maxResponseBytes`. */
  ResponseTooLarge: 'ERR_DNS_RESPONSE_TOO_LARGE',
  /** Input that cannot be used: builder duplicate record or bad seq, a bad builder or client option. */
  InvalidInput: 'ERR_DNS_INVALID_INPUT',
} as const;
export type DnsErrorCode = (typeof DnsErrorCode)[keyof typeof DnsErrorCode];

/** Errors of the dns-discovery package. */
export class DnsDiscoveryError extends StatusTsError {
  constructor(
    code: DnsErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'DnsDiscoveryError';
  }
}

/**
 * Codes of a failed lookup rather than of wrong content: the next try may succeed, so walks retry the
 * entry and `syncTree` fails instead of skipping it.
 */
export const LOOKUP_ERROR_CODES: ReadonlySet<string> = new Set<string>([
  DnsErrorCode.Timeout,
  DnsErrorCode.ResolveFailed,
  DnsErrorCode.HttpStatus,
  DnsErrorCode.BadContentType,
  DnsErrorCode.Truncated,
  DnsErrorCode.MalformedAnswer,
  DnsErrorCode.ResponseTooLarge,
]);
