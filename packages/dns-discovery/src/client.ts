import { abortReason, isStatusTsError, raceSignal, throwIfAborted } from '@status-ts/core';
import type { Enr } from '@status-ts/enr';
import { ROOT_PREFIX } from './constants.js';
import {
  isKnownEntry,
  type ParseEntryOptions,
  parseEntry,
  parseRoot,
  type RootEntry,
  type TreeEntry,
} from './entries.js';
import { DnsDiscoveryError, DnsErrorCode } from './errors.js';
import { hashMatches } from './hash.js';
import { LruCache } from './lru.js';
import { type DnsClientOptions, type ResolvedClientOptions, resolveClientOptions } from './options.js';
import { joinTxtRecords } from './resolver.js';
import { assertRootSigned } from './root.js';
import { isEntryError, type SkippedEntry } from './skipped.js';
import { parseTreeUrl, type TreeLocation } from './url.js';
import { TreeWalk } from './walk.js';
import { checkSubtreeKind, loop, tooDeep, tooManyEntries } from './walk-errors.js';

export interface ResolvedRoot {
  readonly root: RootEntry;
  readonly text: string;
}

export interface ResolvedEntry {
  readonly entry: TreeEntry;
  readonly text: string;
}

/** A whole tree, as `syncTree` returns it (leaves in tree order). */
export interface SyncedTree {
  readonly url: string;
  readonly domain: string;
  /** 33-byte compressed key that signed the root. */
  readonly publicKey: Uint8Array;
  readonly seq: number;
  readonly root: RootEntry;
  readonly enrs: Enr[];
  /** `enrtree://` URLs of linked trees (not followed). */
  readonly links: string[];
  /** Every record accepted, by full name (the root under the domain itself). */
  readonly records: Record<string, string>;
  /**
   * Entries left out because their content is wrong (does not decode, hash mismatch, too long, wrong
   * subtree, no entry at the name), with the subtree below them; empty for a sound tree.
   */
  readonly skipped: SkippedEntry[];
}

export interface DnsClientStats {
  /** DNS queries sent to the resolver. */
  queries: number;
  /** Entries answered from the LRU cache. */
  cacheHits: number;
  /** Errors met while walking or syncing, by code. */
  errors: Record<string, number>;
}

type Signal = { signal?: AbortSignal };

/** Re-labels a typed error with the DNS name it concerns, keeping its code. */
function atName(err: unknown, name: string): unknown {
  if (!(err instanceof DnsDiscoveryError) || err.message.startsWith(name)) return err;
  return new DnsDiscoveryError(err.code as DnsErrorCode, `${name}: ${err.message}`, {
    cause: err,
    details: { ...err.details, name },
  });
}

/**
 * EIP-1459 client (go-ethereum `p2p/dnsdisc` shape): resolves and verifies roots and entries through a
 * pluggable `Resolver`, keeps an LRU cache of verified entries (content-addressed, so shared by all trees),
 * syncs whole trees and walks them lazily at random (`walk`). Holds no timers between calls.
 */
export class DnsClient {
  readonly config: Readonly<ResolvedClientOptions>;
  readonly stats: DnsClientStats = { queries: 0, cacheHits: 0, errors: {} };
  readonly #cache: LruCache<string, ResolvedEntry>;
  /** Highest root seq seen per tree URL (DNS-02: a lower one is rejected). */
  readonly #lastSeq = new LruCache<string, number>(1024);
  readonly #parse: ParseEntryOptions;

  constructor(options: DnsClientOptions = {}) {
    this.config = resolveClientOptions(options);
    this.#cache = new LruCache(this.config.cacheSize);
    this.#parse = { maxEnrSize: this.config.maxEnrSize };
  }

  /** Number of entries in the cache. */
  get cacheSize(): number {
    return this.#cache.size;
  }

  /** Counts an error in `stats` (walks call this for errors they survive). */
  recordError(err: unknown): void {
    const code = isStatusTsError(err) ? err.code : 'ERR_UNKNOWN';
    this.stats.errors[code] = (this.stats.errors[code] ?? 0) + 1;
    this.config.logger('error %s', (err as Error)?.message);
  }

  /** One TXT query with the per-query timeout; the records' strings joined. */
  async queryTxt(name: string, options: Signal = {}): Promise<string[]> {
    const { signal } = options;
    throwIfAborted(signal);
    const { clock, queryTimeoutMs, resolver } = this.config;
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const cancelTimer = clock.setTimeout(() => {
      controller.abort(
        new DnsDiscoveryError(DnsErrorCode.Timeout, `${name}: no answer within ${queryTimeoutMs} ms`, {
          details: { name, ms: queryTimeoutMs },
        }),
      );
    }, queryTimeoutMs);
    this.stats.queries++;
    try {
      const records = await raceSignal(
        resolver.resolveTxt(name, { signal: controller.signal }),
        controller.signal,
      );
      return joinTxtRecords(records);
    } catch (err) {
      // The caller's abort wins over whatever the resolver made of it: reject with the signal's reason.
      if (signal?.aborted) throw abortReason(signal);
      if (isStatusTsError(err)) throw err;
      throw new DnsDiscoveryError(DnsErrorCode.ResolveFailed, `${name}: lookup failed`, {
        cause: err,
        details: { name },
      });
    } finally {
      cancelTimer();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #checkLength(text: string, name: string): void {
    if (text.length > this.config.maxTxtLength) {
      throw new DnsDiscoveryError(
        DnsErrorCode.TxtTooLarge,
        `${name}: TXT record of ${text.length} characters (limit ${this.config.maxTxtLength})`,
        { details: { name, length: text.length, limit: this.config.maxTxtLength } },
      );
    }
  }

  /** Fetches a tree's root, checks its signature against the URL key and that seq did not go back. */
  async resolveRoot(location: TreeLocation, options: Signal = {}): Promise<ResolvedRoot> {
    const { domain } = location;
    const texts = await this.queryTxt(domain, options);
    const text = texts.find((t) => t.startsWith(`${ROOT_PREFIX} `));
    if (text === undefined) {
      throw new DnsDiscoveryError(DnsErrorCode.NoRoot, `${domain}: no ${ROOT_PREFIX} record`, {
        details: { name: domain },
      });
    }
    try {
      this.#checkLength(text, domain);
      const root = parseRoot(text);
      assertRootSigned(root, location.publicKey, domain);
      const last = this.#lastSeq.get(location.url);
      if (last !== undefined && root.seq < last) {
        throw new DnsDiscoveryError(
          DnsErrorCode.SeqRegression,
          `root seq ${root.seq} is lower than ${last} seen before`,
          { details: { seq: root.seq, last } },
        );
      }
      this.#lastSeq.set(location.url, root.seq);
      return { root, text };
    } catch (err) {
      throw atName(err, domain);
    }
  }

  /**
   * Fetches the entry named `hash` under the tree's domain (or takes it from the cache). TXT records that
   * are not EIP-1459 entries are skipped; the first entry must hash to its name and parse (DNS-03, DNS-04).
   */
  async resolveEntry(location: TreeLocation, hash: string, options: Signal = {}): Promise<ResolvedEntry> {
    const cached = this.#cache.get(hash);
    if (cached) {
      this.stats.cacheHits++;
      return cached;
    }
    const name = `${hash}.${location.domain}`;
    const texts = await this.queryTxt(name, options);
    const text = texts.find(isKnownEntry);
    if (text === undefined) {
      throw new DnsDiscoveryError(DnsErrorCode.NoEntry, `${name}: no tree entry`, { details: { name } });
    }
    try {
      this.#checkLength(text, name);
      // The hash is checked before parsing: a tampered leaf costs no signature check.
      if (!hashMatches(hash, text)) {
        throw new DnsDiscoveryError(DnsErrorCode.HashMismatch, 'entry does not match its hash', {
          details: { name, hash },
        });
      }
      const resolved = { entry: parseEntry(text, this.#parse), text };
      this.#cache.set(hash, resolved);
      return resolved;
    } catch (err) {
      throw atName(err, name);
    }
  }

  /**
   * Downloads a whole tree: root (verified), link subtree, then ENR subtree, every entry checked. Links
   * are returned, not followed. An entry whose content is wrong is left out, listed in `skipped` and
   * counted in `stats.errors`; a bad root, a failed lookup or a broken limit fails the whole sync.
   * Limits: `maxDepth`, `maxEntries` per subtree, `maxTxtLength` per record.
   */
  async syncTree(url: string, options: Signal = {}): Promise<SyncedTree> {
    const location = parseTreeUrl(url);
    const { root, text } = await this.resolveRoot(location, options);
    const records: Record<string, string> = { [location.domain]: text };
    const skipped: SkippedEntry[] = [];
    const sink = { records, skipped };
    const linkEntries = await this.#syncSubtree(location, root.lRoot, 'link', sink, options.signal);
    const enrEntries = await this.#syncSubtree(location, root.eRoot, 'enr', sink, options.signal);
    const links = leavesInOrder(root.lRoot, linkEntries).map((e) => (e as { url: string }).url);
    const enrs = leavesInOrder(root.eRoot, enrEntries).map((e) => (e as { enr: Enr }).enr);
    return {
      url: location.url,
      domain: location.domain,
      publicKey: location.publicKey,
      seq: root.seq,
      root,
      enrs,
      links,
      records,
      skipped,
    };
  }

  /** Resolves one subtree level by level, `syncConcurrency` queries at a time. */
  async #syncSubtree(
    location: TreeLocation,
    top: string,
    kind: 'enr' | 'link',
    sink: { records: Record<string, string>; skipped: SkippedEntry[] },
    signal: AbortSignal | undefined,
  ): Promise<Map<string, TreeEntry>> {
    const { maxDepth, maxEntries, syncConcurrency } = this.config;
    const entries = new Map<string, TreeEntry>();
    const visited = new Set([top]);
    let level = [top];
    for (let depth = 0; level.length > 0; depth++) {
      const resolved = await mapLimit(level, syncConcurrency, signal, async (hash, s) => {
        const name = `${hash}.${location.domain}`;
        try {
          const result = await this.resolveEntry(location, hash, { signal: s });
          checkSubtreeKind(result.entry, kind, name);
          return result;
        } catch (err) {
          if (s.aborted || !isEntryError(err)) throw err;
          this.recordError(err);
          sink.skipped.push({ hash, name, subtree: kind, code: err.code, message: err.message });
          return undefined;
        }
      });
      const next: string[] = [];
      for (let i = 0; i < level.length; i++) {
        const hash = level[i]!;
        const name = `${hash}.${location.domain}`;
        if (resolved[i] === undefined) continue;
        const { entry, text } = resolved[i]!;
        sink.records[name] = text;
        entries.set(hash, entry);
        if (entry.kind !== 'branch' || entry.children.length === 0) continue;
        if (depth + 1 > maxDepth) throw tooDeep(name, maxDepth);
        for (const child of entry.children) {
          if (visited.has(child)) throw loop(`${child}.${location.domain}`);
          visited.add(child);
          if (visited.size > maxEntries) throw tooManyEntries(location.domain, maxEntries);
          next.push(child);
        }
      }
      level = next;
    }
    return entries;
  }

  /**
   * A lazy random walk over the trees at `urls` and every tree they link to: yields each ENR leaf once per
   * root version, resolving one entry per step, re-checking roots every `recheckIntervalMs`.
   */
  walk(urls: readonly string[], options: Signal = {}): TreeWalk {
    return new TreeWalk(this, urls, options);
  }
}

/** Leaves reachable from `top`, depth first in branch order. */
function leavesInOrder(top: string, entries: Map<string, TreeEntry>): TreeEntry[] {
  const out: TreeEntry[] = [];
  const stack = [top];
  while (stack.length > 0) {
    const entry = entries.get(stack.pop()!);
    if (entry === undefined) continue;
    if (entry.kind === 'branch')
      for (let i = entry.children.length - 1; i >= 0; i--) stack.push(entry.children[i]!);
    else out.push(entry);
  }
  return out;
}

/** Maps with at most `limit` calls in flight; the first failure aborts the rest and is thrown. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal | undefined,
  fn: (item: T, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, controller.signal);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
  } catch (err) {
    controller.abort(err);
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
