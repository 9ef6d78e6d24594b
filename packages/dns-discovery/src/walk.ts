import { abortReason, equalBytes, isStatusTsError, sleep, throwIfAborted } from '@status-ts/core';
import type { Enr } from '@status-ts/enr';
import type { DnsClient } from './client.js';
import { ROOT_RECHECK_FAIL_COUNT } from './constants.js';
import type { LinkEntry, RootEntry } from './entries.js';
import { DnsDiscoveryError, DnsErrorCode, LOOKUP_ERROR_CODES } from './errors.js';
import { parseTreeUrl, type TreeLocation } from './url.js';
import { checkSubtreeKind, loop, tooDeep, tooManyEntries } from './walk-errors.js';

interface Pending {
  hash: string;
  depth: number;
}

/** One pass over a subtree: every hash below `top` visited once. */
interface Round {
  readonly top: string;
  readonly kind: 'enr' | 'link';
  pending: Pending[];
  /** Hashes whose query failed for a reason that may pass (timeout, resolver error): retried later. */
  failed: Pending[];
  readonly visited: Set<string>;
}

interface WalkTree {
  readonly location: TreeLocation;
  readonly start: boolean;
  root: RootEntry | undefined;
  nextRootCheck: number;
  leafFailures: number;
  retryAt: number;
  enrs: Round | undefined;
  links: Round | undefined;
  /** Domains this tree links to: the last complete link round, and the one in progress. */
  committedLinks: Set<string>;
  collectingLinks: Set<string>;
}

function newRound(top: string, kind: 'enr' | 'link'): Round {
  return { top, kind, pending: [{ hash: top, depth: 0 }], failed: [], visited: new Set([top]) };
}

/**
 * The lazy random walk behind `DnsClient.walk` (DNS-05): one query per step, links first (as go-ethereum),
 * then ENR hashes in random order. Each ENR leaf is yielded once per root version. Linked trees join the
 * walk (a domain already walked is not added again, so link cycles end); trees no longer linked from a
 * start URL are dropped. Errors do not end the walk: they are counted in `client.stats`, permanent ones
 * drop the entry, transient ones (timeouts, resolver failures) are retried after `retryDelayMs`. When
 * nothing is left it sleeps (on the client's clock) until a root re-check or retry is due.
 */
export class TreeWalk implements AsyncIterable<Enr> {
  readonly #client: DnsClient;
  readonly #signal: AbortSignal | undefined;
  readonly #trees = new Map<string, WalkTree>();

  constructor(client: DnsClient, urls: readonly string[], options: { signal?: AbortSignal } = {}) {
    this.#client = client;
    this.#signal = options.signal;
    for (const url of urls) {
      const location = parseTreeUrl(url);
      const existing = this.#trees.get(location.domain);
      if (existing && !equalBytes(existing.location.publicKey, location.publicKey)) {
        throw new DnsDiscoveryError(DnsErrorCode.KeyConflict, `two keys given for ${location.domain}`, {
          details: { domain: location.domain },
        });
      }
      // A repeated URL (same key, checked above) just puts an equal fresh tree in place of the first.
      this.#trees.set(location.domain, this.#newTree(location, true));
    }
  }

  /** Domains currently walked (start trees and the trees they link to). */
  get domains(): string[] {
    return [...this.#trees.keys()];
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Enr> {
    for (;;) {
      const enr = await this.next();
      if (enr === undefined) return;
      yield enr;
    }
  }

  /** The next ENR leaf; undefined only when there is no tree to walk. Rejects when the signal aborts. */
  async next(): Promise<Enr | undefined> {
    const { clock, random } = this.#client.config;
    for (;;) {
      throwIfAborted(this.#signal);
      if (this.#trees.size === 0) return undefined;
      const now = clock.now();
      const ready = [...this.#trees.values()].filter((t) => this.#hasWork(t, now));
      if (ready.length === 0) {
        await this.#sleepUntilDue(now);
        continue;
      }
      const tree = ready[Math.floor(random() * ready.length)]!;
      const enr = await this.#step(tree, now);
      if (enr !== undefined) return enr;
    }
  }

  #newTree(location: TreeLocation, start: boolean): WalkTree {
    return {
      location,
      start,
      root: undefined,
      nextRootCheck: 0,
      leafFailures: 0,
      retryAt: Number.POSITIVE_INFINITY,
      enrs: undefined,
      links: undefined,
      committedLinks: new Set(),
      collectingLinks: new Set(),
    };
  }

  #hasWork(tree: WalkTree, now: number): boolean {
    return (
      now >= tree.nextRootCheck ||
      (tree.links?.pending.length ?? 0) > 0 ||
      (tree.enrs?.pending.length ?? 0) > 0
    );
  }

  async #sleepUntilDue(now: number): Promise<void> {
    let wake = Number.POSITIVE_INFINITY;
    for (const tree of this.#trees.values()) wake = Math.min(wake, tree.nextRootCheck, tree.retryAt);
    await sleep(Math.max(0, wake - now), { clock: this.#client.config.clock, signal: this.#signal });
    const after = this.#client.config.clock.now();
    for (const tree of this.#trees.values()) {
      if (tree.retryAt > after) continue;
      tree.retryAt = Number.POSITIVE_INFINITY;
      for (const round of [tree.links, tree.enrs]) {
        // Stryker disable next-line ConditionalExpression: retryAt is only set once a root gave the tree both rounds
        if (!round) continue;
        round.pending.push(...round.failed);
        round.failed = [];
      }
    }
  }

  async #step(tree: WalkTree, now: number): Promise<Enr | undefined> {
    if (now >= tree.nextRootCheck) {
      await this.#updateRoot(tree, now);
      return undefined;
    }
    if (tree.links && tree.links.pending.length > 0) return this.#stepRound(tree, tree.links, 0, now);
    const round = tree.enrs!;
    return this.#stepRound(tree, round, Math.floor(this.#client.config.random() * round.pending.length), now);
  }

  async #updateRoot(tree: WalkTree, now: number): Promise<void> {
    const { recheckIntervalMs, retryDelayMs } = this.#client.config;
    try {
      const { root } = await this.#client.resolveRoot(tree.location, { signal: this.#signal });
      tree.nextRootCheck = now + recheckIntervalMs;
      tree.leafFailures = 0;
      if (tree.root?.eRoot !== root.eRoot) tree.enrs = newRound(root.eRoot, 'enr');
      if (tree.root?.lRoot !== root.lRoot) {
        tree.links = newRound(root.lRoot, 'link');
        tree.collectingLinks = new Set();
      }
      tree.root = root;
    } catch (err) {
      this.#rethrowIfAborted();
      this.#client.recordError(err);
      tree.nextRootCheck = now + retryDelayMs;
    }
  }

  async #stepRound(tree: WalkTree, round: Round, index: number, now: number): Promise<Enr | undefined> {
    const item = round.pending[index]!;
    round.pending[index] = round.pending[round.pending.length - 1]!;
    round.pending.pop();
    const { maxDepth, maxEntries, retryDelayMs } = this.#client.config;
    const name = `${item.hash}.${tree.location.domain}`;
    let result: Enr | undefined;
    try {
      const { entry } = await this.#client.resolveEntry(tree.location, item.hash, { signal: this.#signal });
      checkSubtreeKind(entry, round.kind, name);
      if (entry.kind === 'branch') {
        if (entry.children.length > 0 && item.depth + 1 > maxDepth) throw tooDeep(name, maxDepth);
        for (const child of entry.children) {
          if (round.visited.has(child)) {
            this.#client.recordError(loop(`${child}.${tree.location.domain}`));
            continue;
          }
          round.visited.add(child);
          if (round.visited.size > maxEntries) {
            round.pending = [];
            round.failed = [];
            throw tooManyEntries(tree.location.domain, maxEntries);
          }
          round.pending.push({ hash: child, depth: item.depth + 1 });
        }
      } else if (entry.kind === 'link') {
        this.#addLink(tree, entry);
      } else {
        result = entry.enr;
      }
    } catch (err) {
      this.#rethrowIfAborted();
      this.#client.recordError(err);
      if (isStatusTsError(err) && LOOKUP_ERROR_CODES.has(err.code)) {
        round.failed.push(item);
        tree.retryAt = Math.min(tree.retryAt, now + retryDelayMs);
      }
      // Many failures in a row may mean the tree changed under us: look at the root again.
      if (++tree.leafFailures > ROOT_RECHECK_FAIL_COUNT) {
        tree.leafFailures = 0;
        tree.nextRootCheck = Math.min(tree.nextRootCheck, now);
      }
    }
    if (round.kind === 'link' && round.pending.length === 0 && round.failed.length === 0) {
      this.#finishLinkRound(tree);
    }
    return result;
  }

  #addLink(from: WalkTree, link: LinkEntry): void {
    from.collectingLinks.add(link.domain);
    const existing = this.#trees.get(link.domain);
    if (!existing) {
      this.#trees.set(link.domain, this.#newTree(link, false));
    } else if (!equalBytes(existing.location.publicKey, link.publicKey)) {
      this.#client.recordError(
        new DnsDiscoveryError(DnsErrorCode.KeyConflict, `${link.domain}: linked with another key`, {
          details: { domain: link.domain, from: from.location.domain },
        }),
      );
    }
  }

  /** A finished link round replaces the tree's links; trees no start tree reaches any more are dropped. */
  #finishLinkRound(tree: WalkTree): void {
    tree.committedLinks = tree.collectingLinks;
    const reachable = new Set<string>();
    const stack = [...this.#trees.values()].filter((t) => t.start).map((t) => t.location.domain);
    while (stack.length > 0) {
      const domain = stack.pop()!;
      if (reachable.has(domain)) continue;
      reachable.add(domain);
      // Every linked domain has a tree: #addLink adds it, and a tree is dropped only with all that link to it.
      const t = this.#trees.get(domain)!;
      for (const d of t.committedLinks) stack.push(d);
      for (const d of t.collectingLinks) stack.push(d);
    }
    for (const domain of [...this.#trees.keys()]) if (!reachable.has(domain)) this.#trees.delete(domain);
  }

  /** An abort ends the walk with the signal's reason; any other error is survived. */
  #rethrowIfAborted(): void {
    if (this.#signal?.aborted) throw abortReason(this.#signal);
  }
}
