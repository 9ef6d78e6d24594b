export { type Base32DecodeOptions, base32Decode, base32Encode } from './base32.js';
export {
  type BuildTreeOptions,
  buildTree,
  DnsTree,
  type PublishedTree,
  publishTree,
  type TreeContent,
} from './builder.js';
export {
  DnsClient,
  type DnsClientStats,
  type ResolvedEntry,
  type ResolvedRoot,
  type SyncedTree,
} from './client.js';
export {
  BRANCH_PREFIX,
  DEFAULT_CACHE_SIZE,
  DEFAULT_DOH_MAX_RESPONSE_BYTES,
  DEFAULT_DOH_TIMEOUT_MS,
  DEFAULT_MAX_CHILDREN,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_MAX_RECEIVED_TXT_LENGTH,
  DEFAULT_MAX_TXT_LENGTH,
  DEFAULT_QUERY_TIMEOUT_MS,
  DEFAULT_RECHECK_INTERVAL_MS,
  DEFAULT_RETRY_DELAY_MS,
  DEFAULT_SYNC_CONCURRENCY,
  ENR_PREFIX,
  HASH_ABBREV_BYTES,
  LINK_PREFIX,
  MAX_HASH_BYTES,
  MIN_HASH_BYTES,
  ROOT_PREFIX,
  ROOT_RECHECK_FAIL_COUNT,
} from './constants.js';
export {
  DNS_MESSAGE_MEDIA_TYPE,
  type DohFetch,
  type DohFetchResponse,
  DohResolver,
  type DohResolverConfig,
  type DohResolverOptions,
  type DohResolverStats,
} from './doh-resolver.js';
export {
  type BranchEntry,
  type EnrEntry,
  formatBranch,
  formatRoot,
  isKnownEntry,
  type LinkEntry,
  type ParseEntryOptions,
  parseEntry,
  parseRoot,
  type RootEntry,
  rootSigningText,
  type TreeEntry,
} from './entries.js';
export { DnsDiscoveryError, DnsErrorCode, LOOKUP_ERROR_CODES } from './errors.js';
export { entryHash, hashMatches, isValidHash } from './hash.js';
export { NodeResolver, type NodeResolverOptions } from './node-resolver.js';
export type { DnsClientOptions } from './options.js';
export { DnsPeerSource, type DnsPeerSourceOptions, isDialable } from './peer-source.js';
export {
  joinTxtRecords,
  MemoryResolver,
  type MemoryResolverOptions,
  type Resolver,
  splitTxt,
} from './resolver.js';
export { assertRootSigned, signRoot, verifyRoot } from './root.js';
export type { SkippedEntry, SkippedEntryCode } from './skipped.js';
export { formatTreeUrl, isValidDomain, parseTreeUrl, type TreeLocation } from './url.js';
export { TreeWalk } from './walk.js';
export { formatDnsmasqConfig, formatZoneFile, type ZoneFileOptions } from './zone.js';
