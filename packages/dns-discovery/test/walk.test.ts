import { ManualClock } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  buildTree,
  DEFAULT_RECHECK_INTERVAL_MS,
  DnsClient,
  type DnsClientOptions,
  DnsDiscoveryError,
  DnsErrorCode,
  formatRoot,
  MemoryResolver,
  type Resolver,
  signRoot,
} from '../src/index.js';
import { SIGNER_KEY, testEnrs, testKey, thrown } from './helpers/fixtures.js';
import { isPending, seeded, take } from './helpers/walk.js';

const A = 'a.test.example';
const B = 'b.test.example';
const KEY_B = testKey(1, 'signer');

function setup(options: DnsClientOptions = {}) {
  const resolver = new MemoryResolver();
  const clock = new ManualClock(1_000_000);
  const client = new DnsClient({ resolver, clock, random: seeded(1), ...options });
  const publish = (
    domain: string,
    key: Uint8Array,
    seq: number,
    enrs = testEnrs(3, domain),
    links: string[] = [],
  ) => {
    const tree = buildTree({ domain, privateKey: key, seq, enrs, links });
    for (const [name, text] of Object.entries(tree.records())) resolver.set(name, text);
    return tree;
  };
  return { resolver, clock, client, publish };
}

const ids = (enrs: readonly { nodeIdHex: string }[]) => enrs.map((e) => e.nodeIdHex).sort();

describe('TreeWalk (random walk, DNS-05)', () => {
  it('yields each leaf once per root version, then waits for the root re-check', async () => {
    const { client, publish, clock } = setup();
    const tree = publish(A, SIGNER_KEY, 1, testEnrs(30));
    const walk = client.walk([tree.url]);
    const got = await take(() => walk.next(), 30);
    expect(ids(got)).toEqual(ids(tree.enrs));
    const next = walk.next();
    expect(await isPending(next)).toBe(true);
    expect(clock.pendingTimers).toBe(1); // the sleep until the re-check
    // An unchanged root after the re-check starts no new round: still waiting.
    clock.advance(DEFAULT_RECHECK_INTERVAL_MS);
    expect(await isPending(next)).toBe(true);
    // A new version (one more node) is walked after the next re-check.
    const v2 = publish(A, SIGNER_KEY, 2, testEnrs(31));
    clock.advance(DEFAULT_RECHECK_INTERVAL_MS);
    const again = [(await next)!, ...(await take(() => walk.next(), 30))];
    expect(ids(again)).toEqual(ids(v2.enrs));
  });

  it('recheckIntervalMs: a shorter interval picks up a new version sooner', async () => {
    const { client, publish, clock } = setup({ recheckIntervalMs: 1_000 });
    const tree = publish(A, SIGNER_KEY, 1, testEnrs(2));
    const walk = client.walk([tree.url]);
    await take(() => walk.next(), 2);
    const next = walk.next();
    const v2 = publish(A, SIGNER_KEY, 2, testEnrs(3));
    clock.advance(999);
    expect(await isPending(next)).toBe(true);
    clock.advance(1);
    expect(await isPending(next)).toBe(false);
    const again = [(await next)!, ...(await take(() => walk.next(), 2))];
    expect(ids(again)).toEqual(ids(v2.enrs));
  });

  it('is lazy: the first record costs a handful of queries, not the whole tree', async () => {
    const { client, publish, resolver } = setup();
    const tree = publish(A, SIGNER_KEY, 1, testEnrs(200));
    const walk = client.walk([tree.url]);
    await walk.next();
    // root + empty link subtree + at most the branches on one path + a few siblings picked first
    expect(resolver.queries).toBeLessThan(20);
    expect(tree.entries.size).toBeGreaterThan(200);
  });

  it('walks in random order (different seeds, different orders)', async () => {
    const orders: string[] = [];
    for (const seed of [1, 2]) {
      const { client, publish } = setup({ random: seeded(seed) });
      const tree = publish(A, SIGNER_KEY, 1, testEnrs(20));
      const walk = client.walk([tree.url]);
      orders.push((await take(() => walk.next(), 20)).map((e) => e.nodeIdHex).join());
    }
    expect(orders[0]).not.toBe(orders[1]);
  });

  it('follows links and stops at link cycles (A -> B -> A)', async () => {
    const { client, publish, resolver } = setup();
    const urlA = buildTree({ domain: A, privateKey: SIGNER_KEY, seq: 1, enrs: [] }).url;
    const b = publish(B, KEY_B, 1, testEnrs(2, 'b'), [urlA]);
    const a = publish(A, SIGNER_KEY, 1, testEnrs(3, 'a'), [b.url]);
    const walk = client.walk([a.url]);
    const got = await take(() => walk.next(), 5);
    expect(ids(got)).toEqual(ids([...a.enrs, ...b.enrs]));
    expect(walk.domains.sort()).toEqual([A, B]);
    const queries = resolver.queries;
    expect(await isPending(walk.next())).toBe(true);
    expect(resolver.queries).toBe(queries);
  });

  it('drops trees that are no longer linked', async () => {
    const { client, publish, clock } = setup();
    const b = publish(B, KEY_B, 1, testEnrs(2, 'b'));
    const a = publish(A, SIGNER_KEY, 1, testEnrs(3, 'a'), [b.url]);
    const walk = client.walk([a.url]);
    await take(() => walk.next(), 5);
    expect(walk.domains.sort()).toEqual([A, B]);
    publish(A, SIGNER_KEY, 2, testEnrs(3, 'a'));
    clock.advance(DEFAULT_RECHECK_INTERVAL_MS);
    expect(await isPending(walk.next())).toBe(true);
    expect(walk.domains).toEqual([A]);
  });

  it('drops a leaf that fails verification and counts the error', async () => {
    const { client, publish, resolver } = setup();
    const tree = publish(A, SIGNER_KEY, 1, testEnrs(5));
    const [hash] = [...tree.entries].find(([, t]) => t.startsWith('enr:'))!;
    resolver.set(`${hash}.${A}`, testEnrs(6)[5]!.encodeText());
    const walk = client.walk([tree.url]);
    expect(await take(() => walk.next(), 4)).toHaveLength(4);
    expect(await isPending(walk.next())).toBe(true);
    expect(client.stats.errors).toEqual({ ERR_DNS_HASH_MISMATCH: 1 });
  });

  // Failed lookups (any transport error, e.g. DoH's HTTP status) are retried, unlike bad entries.
  it.each([
    ['a resolver failure', () => new Error('SERVFAIL'), 'ERR_DNS_RESOLVE_FAILED'],
    [
      "DoH's HTTP status",
      () => new DnsDiscoveryError(DnsErrorCode.HttpStatus, 'HTTP 503', { details: { status: 503 } }),
      'ERR_DNS_HTTP_STATUS',
    ],
  ])('retries a leaf whose query failed (%s) after retryDelayMs', async (_, failure, code) => {
    const { clock, publish, resolver } = setup();
    const tree = publish(A, SIGNER_KEY, 1, testEnrs(4));
    const [hash] = [...tree.entries].find(([, t]) => t.startsWith('enr:'))!;
    let failures = 1;
    const flaky: Resolver = {
      resolveTxt(name, options) {
        if (name.startsWith(hash) && failures-- > 0) return Promise.reject(failure());
        return resolver.resolveTxt(name, options);
      },
    };
    const client = new DnsClient({ resolver: flaky, clock, retryDelayMs: 2_000 });
    const walk = client.walk([tree.url]);
    expect(await take(() => walk.next(), 3)).toHaveLength(3);
    const last = walk.next();
    expect(await isPending(last)).toBe(true);
    clock.advance(2_000);
    expect(await isPending(last)).toBe(false);
    expect((await last)?.encodeText()).toBe(tree.entries.get(hash));
    expect(client.stats.errors).toEqual({ [code]: 1 });
  });

  it('keeps the old root when a re-check shows a lower seq or a bad signature', async () => {
    const { client, publish, resolver, clock } = setup();
    const tree = publish(A, SIGNER_KEY, 5, testEnrs(2));
    const walk = client.walk([tree.url]);
    await take(() => walk.next(), 2);
    resolver.set(A, formatRoot(signRoot({ ...tree.root, eRoot: tree.root.lRoot, seq: 4 }, SIGNER_KEY)));
    clock.advance(DEFAULT_RECHECK_INTERVAL_MS);
    const next = walk.next();
    expect(await isPending(next)).toBe(true);
    resolver.set(A, formatRoot(signRoot({ ...tree.root, seq: 6 }, testKey(3, 'mallory'))));
    clock.advance(DEFAULT_RECHECK_INTERVAL_MS);
    expect(await isPending(next)).toBe(true);
    expect(client.stats.errors).toEqual({ ERR_DNS_SEQ_REGRESSION: 1, ERR_DNS_BAD_SIGNATURE: 1 });
  });

  it('re-checks the root early after more than 5 failed leaf queries in a row', async () => {
    const { client, publish, resolver } = setup({ retryDelayMs: 60_000 });
    const tree = publish(A, SIGNER_KEY, 1, testEnrs(13));
    for (const [hash, text] of tree.entries) if (text.startsWith('enr:')) resolver.delete(`${hash}.${A}`);
    let rootQueries = 0;
    const counting: Resolver = {
      resolveTxt(name, options) {
        if (name === A) rootQueries++;
        return resolver.resolveTxt(name, options);
      },
    };
    const walking = new DnsClient({ ...client.config, resolver: counting });
    const walk = walking.walk([tree.url]);
    expect(await isPending(walk.next())).toBe(true);
    expect(rootQueries).toBe(3); // first, after failures 6 and 12
  });

  it('rejects two keys for one domain among the start URLs (ERR_DNS_KEY_CONFLICT)', () => {
    const { client } = setup();
    const u1 = buildTree({ domain: A, privateKey: SIGNER_KEY, seq: 1, enrs: [] }).url;
    const u2 = buildTree({ domain: A, privateKey: KEY_B, seq: 1, enrs: [] }).url;
    const err = thrown(() => client.walk([u1, u2]));
    expect(err).toBeInstanceOf(DnsDiscoveryError);
    expect(err.code).toBe('ERR_DNS_KEY_CONFLICT');
  });

  it('ignores a link to a walked domain with another key (counted as ERR_DNS_KEY_CONFLICT)', async () => {
    const { client, publish } = setup();
    const forged = buildTree({ domain: A, privateKey: KEY_B, seq: 1, enrs: [] }).url;
    const a = publish(A, SIGNER_KEY, 1, testEnrs(2), [forged]);
    const walk = client.walk([a.url]);
    await take(() => walk.next(), 2);
    expect(walk.domains).toEqual([A]);
    expect(client.stats.errors).toEqual({ ERR_DNS_KEY_CONFLICT: 1 });
  });

  it('rejects with the abort reason while sleeping and leaves no timer behind', async () => {
    const { client, publish, clock } = setup();
    const tree = publish(A, SIGNER_KEY, 1, testEnrs(1));
    const controller = new AbortController();
    const walk = client.walk([tree.url], controller);
    await walk.next();
    const next = walk.next();
    expect(await isPending(next)).toBe(true);
    controller.abort();
    await expect(next).rejects.toBe(controller.signal.reason);
    await expect(next).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('maxEntries and maxDepth bound one round', async () => {
    const { publish, resolver, clock } = setup();
    const tree = publish(A, SIGNER_KEY, 1, testEnrs(30));
    for (const [limits, code] of [
      [{ maxEntries: 20 }, 'ERR_DNS_TOO_MANY_ENTRIES'],
      [{ maxDepth: 1 }, 'ERR_DNS_TOO_DEEP'],
    ] as const) {
      const client = new DnsClient({ resolver, clock, ...limits });
      const walk = client.walk([tree.url]);
      const got: unknown[] = [];
      const drain = (async () => {
        for (;;) got.push(await walk.next());
      })();
      await isPending(drain);
      expect(got.length).toBeLessThan(30);
      expect(client.stats.errors[code]).toBeGreaterThan(0);
    }
  });
});
