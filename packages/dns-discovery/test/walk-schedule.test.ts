import { type Clock, ManualClock } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  DnsClient,
  type DnsClientOptions,
  DnsErrorCode,
  entryHash,
  MemoryResolver,
  type Resolver,
} from '../src/index.js';
import { SIGNER_KEY, testEnrs, testKey } from './helpers/fixtures.js';
import { branch, EMPTY, handTree } from './helpers/hand-tree.js';
import { isPending, seeded, settle, take } from './helpers/walk.js';

// Which tree and entry the walk queries next, when it sleeps, and what it retries.

const A = 'a.schedule.example';
const B = 'b.schedule.example';
const C = 'c.schedule.example';
const KEY_B = testKey(1, 'schedule-b');
const KEY_C = testKey(2, 'schedule-c');
const [E1, E2, E3, E4] = testEnrs(4, 'walk-schedule').map((e) => e.encodeText()) as [
  string,
  string,
  string,
  string,
];
const at = (text: string, domain = A) => `${entryHash(text)}.${domain}`;

/** A client over an in-memory zone whose queried names are recorded in order. */
function setup(options: DnsClientOptions = {}) {
  const zone = new MemoryResolver();
  const clock = new ManualClock(1_000_000);
  const names: string[] = [];
  const resolver: Resolver = {
    resolveTxt(name, opts) {
      names.push(name);
      return zone.resolveTxt(name, opts);
    },
  };
  const client = new DnsClient({ resolver, clock, random: seeded(1), ...options });
  return { zone, clock, client, names };
}

describe('TreeWalk scheduling', () => {
  it('random() picks the next ready tree: near 0 the first, near 1 the last', async () => {
    for (const [value, first] of [
      [0, A],
      [0.99, B],
    ] as const) {
      const { zone, client, names } = setup({ random: () => value });
      const urlA = handTree(zone, A, SIGNER_KEY, branch(E1), EMPTY, [E1]);
      const urlB = handTree(zone, B, KEY_B, branch(E2), EMPTY, [E2]);
      await client.walk([urlA, urlB]).next();
      expect(names[0]).toBe(first);
    }
  });

  it('an idle walk sleeps in one timer until the root re-check is due (no polling)', async () => {
    const manual = new ManualClock(1_000_000);
    const delays: number[] = [];
    const clock: Clock = {
      now: () => manual.now(),
      setTimeout: (fn, ms) => {
        delays.push(ms);
        return manual.setTimeout(fn, ms);
      },
      setInterval: (fn, ms) => manual.setInterval(fn, ms),
    };
    const zone = new MemoryResolver();
    const url = handTree(zone, A, SIGNER_KEY, branch(E1), EMPTY, [E1]);
    const client = new DnsClient({ resolver: zone, clock, recheckIntervalMs: 1_000, queryTimeoutMs: 5_000 });
    const walk = client.walk([url]);
    await walk.next();
    const next = walk.next();
    expect(await isPending(next)).toBe(true);
    expect(delays.at(-1)).toBe(1_000);
    const timers = delays.length;
    for (let i = 0; i < 5; i++) {
      manual.advance(100);
      await settle();
    }
    expect(delays.length).toBe(timers);
    expect(await isPending(next)).toBe(true);
  });

  it('a failed leaf waits for retryDelayMs even when a root re-check wakes the walk earlier', async () => {
    const { zone, clock, client, names } = setup({ recheckIntervalMs: 1_000, retryDelayMs: 1_500 });
    const url = handTree(zone, A, SIGNER_KEY, branch(E1, E2), EMPTY, [E1]);
    const walk = client.walk([url]);
    expect((await walk.next())?.encodeText()).toBe(E1);
    const next = walk.next();
    expect(await isPending(next)).toBe(true);
    expect(names.filter((n) => n === at(E2))).toHaveLength(1);
    zone.set(at(E2), E2);
    clock.advance(1_000); // the root re-check, not yet the retry
    expect(await isPending(next)).toBe(true);
    expect(names.filter((n) => n === A)).toHaveLength(2);
    expect(names.filter((n) => n === at(E2))).toHaveLength(1);
    clock.advance(499);
    expect(await isPending(next)).toBe(true);
    clock.advance(1);
    expect((await next)?.encodeText()).toBe(E2);
    expect(names.filter((n) => n === at(E2))).toHaveLength(2);
  });

  it('a leaf that fails twice is retried twice, and nothing else is queried again', async () => {
    const { zone, clock, client, names } = setup({ retryDelayMs: 1_000 });
    const url = handTree(zone, A, SIGNER_KEY, branch(E1, E2), EMPTY, [E1]);
    const walk = client.walk([url]);
    expect((await walk.next())?.encodeText()).toBe(E1);
    const next = walk.next();
    expect(await isPending(next)).toBe(true);
    clock.advance(1_000); // first retry: fails again
    expect(await isPending(next)).toBe(true);
    zone.set(at(E2), E2);
    const before = names.length;
    clock.advance(1_000); // second retry: answers
    expect((await next)?.encodeText()).toBe(E2);
    expect(names.slice(before)).toEqual([at(E2)]);
    expect(await isPending(walk.next())).toBe(true);
    expect(names.filter((n) => n === at(E2))).toHaveLength(3);
    expect(client.stats.errors).toEqual({ [DnsErrorCode.ResolveFailed]: 2 });
  });

  it('maxEntries: a round cut short drops its failed lookups too, nothing is retried', async () => {
    // random 0: the missing leaf X is queried (and fails) before the branch that breaks the limit.
    const { zone, clock, client, names } = setup({ maxEntries: 4, retryDelayMs: 1_000, random: () => 0 });
    const inner = branch(E1, E2, E3);
    const url = handTree(zone, A, SIGNER_KEY, branch(E4, inner), EMPTY, [inner, E1, E2, E3]);
    const walk = client.walk([url]);
    const next = walk.next();
    expect(await isPending(next)).toBe(true);
    expect(client.stats.errors).toEqual({
      [DnsErrorCode.ResolveFailed]: 1,
      [DnsErrorCode.TooManyEntries]: 1,
    });
    const queried = names.length;
    clock.advance(1_000);
    expect(await isPending(next)).toBe(true);
    expect(names.length).toBe(queried);
  });

  it('a re-check that finds the same root queries only the root (rounds are not restarted)', async () => {
    const { zone, clock, client, names } = setup({ recheckIntervalMs: 1_000 });
    const url = handTree(zone, A, SIGNER_KEY, branch(E1), EMPTY, [E1]);
    const walk = client.walk([url]);
    await walk.next();
    const next = walk.next();
    expect(await isPending(next)).toBe(true);
    const { queries, cacheHits } = client.stats;
    clock.advance(1_000);
    expect(await isPending(next)).toBe(true);
    expect(names.at(-1)).toBe(A);
    expect(client.stats.queries).toBe(queries + 1);
    expect(client.stats.cacheHits).toBe(cacheHits);
  });

  it('re-checks the root after 6 failed leaf queries in a row, not after 5', async () => {
    for (const [failing, rootQueries] of [
      [5, 1],
      [6, 2],
    ] as const) {
      const { zone, client, names } = setup({ retryDelayMs: 60_000 });
      const leaves = testEnrs(failing, 'walk-schedule-missing').map((e) => e.encodeText());
      const url = handTree(zone, A, SIGNER_KEY, branch(...leaves), EMPTY, []);
      expect(await isPending(client.walk([url]).next())).toBe(true);
      expect(names.filter((n) => n === at(leaves[0]!))).toHaveLength(1);
      expect(names.filter((n) => n === A)).toHaveLength(rootQueries);
    }
  });

  it('a link round with a failed lookup keeps the previous links until it completes', async () => {
    const { zone, clock, client } = setup({ recheckIntervalMs: 1_000, retryDelayMs: 5_000 });
    const urlB = handTree(zone, B, KEY_B, branch(E2), EMPTY, [E2]);
    const urlA = handTree(zone, A, SIGNER_KEY, branch(E1), branch(urlB), [E1, urlB]);
    const walk = client.walk([urlA]);
    expect((await take(() => walk.next(), 2)).map((e) => e.encodeText()).sort()).toEqual([E1, E2].sort());
    // Version 2 of A links to C instead of B (its link entry missing for now) and adds a leaf.
    const urlC = handTree(zone, C, KEY_C, branch(E3), EMPTY, [E3]);
    handTree(zone, A, SIGNER_KEY, branch(E1, E4), branch(urlC), [E1, E4, urlC], 2);
    zone.delete(at(urlC));
    clock.advance(1_000);
    const v2 = await take(() => walk.next(), 2);
    expect(v2.map((e) => e.encodeText()).sort()).toEqual([E1, E4].sort());
    const next = walk.next();
    expect(await isPending(next)).toBe(true);
    expect(walk.domains.sort()).toEqual([A, B]);
    // Once the link lookup answers, the round completes: B is dropped, C joins.
    zone.set(at(urlC), urlC);
    clock.advance(5_000);
    expect((await next)?.encodeText()).toBe(E3);
    expect(walk.domains.sort()).toEqual([A, C]);
  });

  it('an abort during a leaf query rejects at once with the reason, counting nothing', async () => {
    const zone = new MemoryResolver();
    const clock = new ManualClock(1_000_000);
    const url = handTree(zone, A, SIGNER_KEY, branch(E1), EMPTY, [E1]);
    // The leaf query never answers; it ends only when its signal aborts.
    const resolver: Resolver = {
      resolveTxt(name, opts) {
        if (name !== at(E1)) return zone.resolveTxt(name, opts);
        return new Promise((_, reject) => {
          opts?.signal?.addEventListener('abort', () => reject(opts.signal?.reason));
        });
      },
    };
    const client = new DnsClient({ resolver, clock });
    const controller = new AbortController();
    const next = client.walk([url], { signal: controller.signal }).next();
    expect(await isPending(next)).toBe(true);
    const reason = new Error('stop');
    controller.abort(reason);
    expect(await isPending(next)).toBe(false);
    await expect(next).rejects.toBe(reason);
    expect(client.stats.errors).toEqual({});
    expect(clock.pendingTimers).toBe(0);
  });
});
