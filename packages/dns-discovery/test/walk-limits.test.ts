import { ManualClock, type StatusTsError } from '@status-ts/core';
import { getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_DELAY_MS,
  DnsClient,
  type DnsClientOptions,
  DnsErrorCode,
  entryHash,
  formatTreeUrl,
  MemoryResolver,
} from '../src/index.js';
import { SIGNER_KEY, testEnrs, testKey, thrown } from './helpers/fixtures.js';
import { branch, EMPTY, handTree } from './helpers/hand-tree.js';
import { isPending, seeded, settle, take } from './helpers/walk.js';

const A = 'a.walk.example';
const B = 'b.walk.example';
const [E1, E2, E3] = testEnrs(3, 'walk-limits').map((e) => e.encodeText()) as [string, string, string];

function setup(options: DnsClientOptions = {}) {
  const resolver = new MemoryResolver();
  const clock = new ManualClock(1_000_000);
  const client = new DnsClient({ resolver, clock, random: seeded(1), ...options });
  const errors: StatusTsError[] = [];
  const record = client.recordError.bind(client);
  client.recordError = (err: unknown) => {
    errors.push(err as StatusTsError);
    record(err);
  };
  return { resolver, clock, client, errors };
}

describe('TreeWalk limits and errors', () => {
  it('refuses two keys for one domain and walks a repeated URL once', () => {
    const { client, resolver } = setup();
    const url = handTree(resolver, A, SIGNER_KEY, branch(E1), EMPTY, [E1]);
    const other = formatTreeUrl(getPublicKey(testKey(9, 'other')), A);
    const err = thrown(() => client.walk([url, other]));
    expect(err.code).toBe(DnsErrorCode.KeyConflict);
    expect(err.details).toEqual({ domain: A });
    expect(client.walk([url, url]).domains).toEqual([A]);
  });

  it('a walk without trees ends at once', async () => {
    const { client } = setup();
    const seen: unknown[] = [];
    for await (const enr of client.walk([])) {
      seen.push(enr);
      if (seen.length > 2) break;
    }
    expect(seen).toEqual([]);
    expect(await client.walk([]).next()).toBeUndefined();
  });

  it('a missing root is retried after retryDelayMs, with no query meanwhile', async () => {
    const { client, resolver, clock, errors } = setup();
    const url = formatTreeUrl(getPublicKey(SIGNER_KEY), A);
    const next = client.walk([url]).next();
    expect(await isPending(next)).toBe(true);
    expect(resolver.queries).toBe(1);
    expect(errors.map((e) => e.code)).toEqual([DnsErrorCode.ResolveFailed]);
    clock.advance(DEFAULT_RETRY_DELAY_MS - 1);
    expect(await isPending(next)).toBe(true);
    expect(resolver.queries).toBe(1);
    handTree(resolver, A, SIGNER_KEY, branch(E1), EMPTY, [E1]);
    clock.advance(1);
    expect((await next)?.encodeText()).toBe(E1);
  });

  it('a child listed twice is walked once and counted as a loop', async () => {
    const { client, resolver, errors } = setup();
    const top = `enrtree-branch:${entryHash(E1)},${entryHash(E1)}`;
    const url = handTree(resolver, A, SIGNER_KEY, top, EMPTY, [E1]);
    const walk = client.walk([url]);
    expect((await walk.next())?.encodeText()).toBe(E1);
    expect(await isPending(walk.next())).toBe(true);
    expect(errors.map((e) => e.code)).toEqual([DnsErrorCode.Loop]);
    expect(errors[0]?.details).toEqual({ name: `${entryHash(E1)}.${A}` });
  });

  it('maxEntries counts the subtree top: n entries pass at n, fail at n - 1', async () => {
    for (const [maxEntries, yielded] of [
      [4, 3],
      [3, 0],
    ] as const) {
      const { client, resolver, errors } = setup({ maxEntries });
      const url = handTree(resolver, A, SIGNER_KEY, branch(E1, E2, E3), EMPTY, [E1, E2, E3]);
      const walk = client.walk([url]);
      const got = yielded > 0 ? await take(() => walk.next(), yielded) : [];
      expect(got.length).toBe(yielded);
      expect(await isPending(walk.next())).toBe(true);
      const codes = errors.map((e) => e.code);
      if (yielded === 0) {
        expect(codes).toEqual([DnsErrorCode.TooManyEntries]);
        expect(errors[0]?.details).toEqual({ domain: A, limit: 3 });
      } else {
        expect(codes).toEqual([]);
      }
    }
  });

  it('maxDepth: branches with children below it fail, an empty branch at it does not', async () => {
    const inner = branch(E1);
    for (const [maxDepth, ok] of [
      [2, true],
      [1, false],
    ] as const) {
      const { client, resolver, errors } = setup({ maxDepth });
      const url = handTree(resolver, A, SIGNER_KEY, branch(inner), EMPTY, [inner, E1]);
      const walk = client.walk([url]);
      if (ok) expect((await walk.next())?.encodeText()).toBe(E1);
      expect(await isPending(walk.next())).toBe(true);
      if (ok) expect(errors).toEqual([]);
      else {
        expect(errors.map((e) => e.code)).toEqual([DnsErrorCode.TooDeep]);
        expect(errors[0]?.details).toEqual({ name: `${entryHash(inner)}.${A}`, limit: 1 });
      }
    }
    // An empty branch at depth 1 with maxDepth 1: nothing below it, nothing too deep.
    const { client, resolver, errors } = setup({ maxDepth: 1 });
    const url = handTree(resolver, A, SIGNER_KEY, branch(EMPTY, E1), EMPTY, [EMPTY, E1]);
    const walk = client.walk([url]);
    expect((await walk.next())?.encodeText()).toBe(E1);
    expect(await isPending(walk.next())).toBe(true);
    expect(errors).toEqual([]);
  });

  it('a link in the ENR subtree is refused', async () => {
    const link = formatTreeUrl(getPublicKey(testKey(3, 'x')), B);
    const { client, resolver, errors } = setup();
    const url = handTree(resolver, A, SIGNER_KEY, branch(link, E1), EMPTY, [link, E1]);
    const walk = client.walk([url]);
    expect((await walk.next())?.encodeText()).toBe(E1);
    expect(await isPending(walk.next())).toBe(true);
    expect(errors.map((e) => e.code)).toEqual([DnsErrorCode.WrongSubtree]);
    expect(walk.domains).toEqual([A]);
  });

  it('a bad record is not retried, a failed lookup is, after retryDelayMs', async () => {
    const { client, resolver, clock, errors } = setup();
    const bad = 'enr:-bad';
    const url = handTree(resolver, A, SIGNER_KEY, branch(bad, E2), EMPTY, [bad]);
    const walk = client.walk([url]);
    const next = walk.next();
    expect(await isPending(next)).toBe(true);
    expect(errors.map((e) => e.code).sort()).toEqual(
      [DnsErrorCode.BadRecord, DnsErrorCode.ResolveFailed].sort(),
    );
    const queries = resolver.queries;
    resolver.set(`${entryHash(E2)}.${A}`, E2);
    clock.advance(DEFAULT_RETRY_DELAY_MS - 1);
    expect(await isPending(next)).toBe(true);
    expect(resolver.queries).toBe(queries);
    clock.advance(1);
    expect((await next)?.encodeText()).toBe(E2);
    expect(resolver.queries).toBe(queries + 1);
    expect(await isPending(walk.next())).toBe(true);
    expect(resolver.queries).toBe(queries + 1);
  });

  it('a link to a start tree with its own key is no conflict; another key is counted', async () => {
    for (const sameKey of [true, false]) {
      const { client, resolver, errors } = setup();
      const urlB = handTree(resolver, B, testKey(1, 'b'), branch(E2), EMPTY, [E2]);
      const linkB = formatTreeUrl(getPublicKey(sameKey ? testKey(1, 'b') : testKey(2, 'b')), B);
      const urlA = handTree(resolver, A, SIGNER_KEY, branch(E1), branch(linkB), [E1, linkB]);
      const walk = client.walk([urlA, urlB]);
      const got = await take(() => walk.next(), 2);
      expect(got.map((e) => e.encodeText()).sort()).toEqual([E1, E2].sort());
      expect(await isPending(walk.next())).toBe(true);
      if (sameKey) expect(errors).toEqual([]);
      else {
        expect(errors.map((e) => e.code)).toEqual([DnsErrorCode.KeyConflict]);
        expect(errors[0]?.details).toEqual({ domain: B, from: A });
      }
    }
  });

  it('an abort ends a walk stuck on a query that never answers', async () => {
    const clock = new ManualClock(1_000_000);
    const client = new DnsClient({ resolver: { resolveTxt: () => new Promise(() => {}) }, clock });
    const controller = new AbortController();
    const walk = client.walk([formatTreeUrl(getPublicKey(SIGNER_KEY), A)], { signal: controller.signal });
    const next = walk.next();
    expect(await isPending(next)).toBe(true);
    const reason = new Error('stop');
    controller.abort(reason);
    await settle();
    await expect(next).rejects.toBe(reason);
    expect(client.stats.errors, 'the abort is not counted as a failure').toEqual({});
  });
});
