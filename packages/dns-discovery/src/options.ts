import { type Clock, createLogger, type Logger, systemClock } from '@status-ts/core';
import {
  DEFAULT_CACHE_SIZE,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_MAX_RECEIVED_TXT_LENGTH,
  DEFAULT_QUERY_TIMEOUT_MS,
  DEFAULT_RECHECK_INTERVAL_MS,
  DEFAULT_RETRY_DELAY_MS,
  DEFAULT_SYNC_CONCURRENCY,
} from './constants.js';
import { DnsDiscoveryError, DnsErrorCode } from './errors.js';
import { NodeResolver } from './node-resolver.js';
import type { Resolver } from './resolver.js';

/** Client settings; every limit defaults to the constant of the same name in constants.ts. */
export interface DnsClientOptions {
  /** Where TXT records come from (default: `NodeResolver` on the system's DNS servers). */
  resolver?: Resolver;
  clock?: Clock;
  /** Per-query timeout, ms (default 5 s). */
  queryTimeoutMs?: number;
  /** Root re-check interval while walking, ms (default 30 min). */
  recheckIntervalMs?: number;
  /** Delay before failed queries are tried again once a walk has nothing else to do, ms (default 10 s). */
  retryDelayMs?: number;
  /** Resolved entries kept in the LRU cache (default 1000). */
  cacheSize?: number;
  /** Deepest branch nesting below a subtree's top (default 16). */
  maxDepth?: number;
  /** Entries visited per tree in one sync or walk round (default 20,000). */
  maxEntries?: number;
  /**
   * Longest TXT record accepted, all strings joined (default 4096); a longer entry is skipped by `syncTree`
   * and dropped by walks with ERR_DNS_TXT_TOO_LARGE. A positive integer, else ERR_DNS_INVALID_INPUT.
   */
  maxTxtLength?: number;
  /** Largest ENR accepted, bytes (default 300). */
  maxEnrSize?: number;
  /** Parallel queries in `syncTree` (default 8). */
  syncConcurrency?: number;
  /** Random source in [0, 1) for the walk order (default Math.random). */
  random?: () => number;
  /** Where this client logs (default the `status-ts:dns-discovery` logger, enabled by `DEBUG`). */
  logger?: Logger;
}

export type ResolvedClientOptions = Required<Omit<DnsClientOptions, 'maxEnrSize'>> & { maxEnrSize?: number };

export function resolveClientOptions(options: DnsClientOptions): ResolvedClientOptions {
  return {
    resolver: options.resolver ?? new NodeResolver(),
    clock: options.clock ?? systemClock,
    queryTimeoutMs: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
    recheckIntervalMs: options.recheckIntervalMs ?? DEFAULT_RECHECK_INTERVAL_MS,
    retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
    cacheSize: options.cacheSize ?? DEFAULT_CACHE_SIZE,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxEntries: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
    maxTxtLength: positiveInteger('maxTxtLength', options.maxTxtLength ?? DEFAULT_MAX_RECEIVED_TXT_LENGTH),
    maxEnrSize: options.maxEnrSize,
    syncConcurrency: Math.max(1, options.syncConcurrency ?? DEFAULT_SYNC_CONCURRENCY),
    random: options.random ?? Math.random,
    logger: options.logger ?? createLogger('status-ts:dns-discovery'),
  };
}

/** `value` when it is a positive safe integer; ERR_DNS_INVALID_INPUT naming `option` otherwise. */
export function positiveInteger(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new DnsDiscoveryError(
      DnsErrorCode.InvalidInput,
      `${option} must be a positive integer, got ${value}`,
      {
        details: { option, value },
      },
    );
  }
  return value;
}
