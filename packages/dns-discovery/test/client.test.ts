import { ManualClock } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  buildTree,
  DEFAULT_CACHE_SIZE,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_MAX_RECEIVED_TXT_LENGTH,
  DEFAULT_MAX_TXT_LENGTH,
  DEFAULT_QUERY_TIMEOUT_MS,
  DnsClient,
  type DnsClientOptions,
  entryHash,
  formatBranch,
  formatRoot,
  MemoryResolver,
  type Resolver,
  signRoot,
} from '../src/index.js';
import { rejection, SIGNER_KEY, testEnrs, testKey } from './helpers/fixtures.js';

const DOMAIN = 'nodes.test.example';

function served(count: number, options: { links?: string[]; seq?: number } = {}) {
  const tree = buildTree({
    domain: DOMAIN,
    privateKey: SIGNER_KEY,
    seq: options.seq ?? 1,
    enrs: testEnrs(count),
    links: options.links,
  });
  const resolver = new MemoryResolver(tree.records());
  return { tree, resolver, client: (o: DnsClientOptions = {}) => new DnsClient({ resolver, ...o }) };
}

/** Publishes a hand-made root over arbitrary entries (for trees our builder would never produce). */
function customZone(eRoot: string, lRoot: string, entries: string[], seq = 1): MemoryResolver {
  const zone: Record<string, string> = { [DOMAIN]: formatRoot(signRoot({ eRoot, lRoot, seq }, SIGNER_KEY)) };
  for (const text of entries) zone[`${entryHash(text)}.${DOMAIN}`] = text;
  return new MemoryResolver(zone);
}

const EMPTY = formatBranch([]);

describe('syncTree', () => {
  it('returns every ENR and link of a nested tree (30 leaves, 13 per branch), in tree order', async () => {
    const link = buildTree({
      domain: 'other.test.example',
      privateKey: testKey(1, 'signer'),
      seq: 1,
      enrs: [],
    }).url;
    const { tree, client } = served(30, { links: [link] });
    const synced = await client().syncTree(tree.url);
    expect(synced.enrs.map((e) => e.encodeText())).toEqual(tree.enrs.map((e) => e.encodeText()));
    expect(synced.links).toEqual([link]);
    expect(synced.records).toEqual(tree.records());
  });

  it('is not fooled by unrelated TXT records at a name (they are skipped)', async () => {
    const { tree, resolver, client } = served(3);
    const [hash, text] = [...tree.entries].find(([, t]) => t.startsWith('enr:'))!;
    resolver.set(`${hash}.${DOMAIN}`, ['v=spf1 -all', text]);
    resolver.set(DOMAIN, ['google-site-verification=x', tree.rootText]);
    expect((await client().syncTree(tree.url)).enrs).toHaveLength(3);
  });

  it('joins records split into several strings (any split points)', async () => {
    const { tree } = served(20);
    const resolver = new MemoryResolver(tree.records(), { chunkSize: 7 });
    const synced = await new DnsClient({ resolver }).syncTree(tree.url);
    expect(synced.enrs).toHaveLength(20);
  });

  it('skips a leaf whose text does not match its name (ERR_DNS_HASH_MISMATCH)', async () => {
    const { tree, resolver, client } = served(5);
    const [hash] = [...tree.entries].find(([, t]) => t.startsWith('enr:'))!;
    const other = testEnrs(6)[5]!.encodeText();
    resolver.set(`${hash}.${DOMAIN}`, other);
    const synced = await client().syncTree(tree.url);
    expect(synced.enrs).toHaveLength(4);
    expect(synced.skipped).toEqual([
      expect.objectContaining({ hash, name: `${hash}.${DOMAIN}`, code: 'ERR_DNS_HASH_MISMATCH' }),
    ]);
    expect(synced.skipped[0]!.message).toContain(hash);
  });

  it('rejects a root signed by another key (ERR_DNS_BAD_SIGNATURE)', async () => {
    const { tree, resolver, client } = served(2);
    resolver.set(DOMAIN, formatRoot(signRoot(tree.root, testKey(9, 'mallory'))));
    expect((await rejection(client().syncTree(tree.url))).code).toBe('ERR_DNS_BAD_SIGNATURE');
  });

  it('rejects a root whose seq went down (ERR_DNS_SEQ_REGRESSION), per tree URL', async () => {
    const { tree, resolver, client: make } = served(2, { seq: 7 });
    const client = make();
    await client.syncTree(tree.url);
    resolver.set(DOMAIN, formatRoot(signRoot({ ...tree.root, seq: 6 }, SIGNER_KEY)));
    expect((await rejection(client.syncTree(tree.url))).code).toBe('ERR_DNS_SEQ_REGRESSION');
    // A fresh client has no memory of seq 7.
    expect((await make().syncTree(tree.url)).seq).toBe(6);
  });

  it('ERR_DNS_NO_ROOT, ERR_DNS_NO_ENTRY and ERR_DNS_RESOLVE_FAILED', async () => {
    const { tree, resolver, client } = served(3);
    const [hash] = [...tree.entries].find(([, t]) => t.startsWith('enr:'))!;
    resolver.set(`${hash}.${DOMAIN}`, 'hello');
    expect((await client().syncTree(tree.url)).skipped.map((s) => s.code)).toEqual(['ERR_DNS_NO_ENTRY']);
    resolver.delete(`${hash}.${DOMAIN}`);
    expect((await rejection(client().syncTree(tree.url))).code).toBe('ERR_DNS_RESOLVE_FAILED');
    resolver.set(DOMAIN, 'not a root');
    expect((await rejection(client().syncTree(tree.url))).code).toBe('ERR_DNS_NO_ROOT');
    const thrower: Resolver = { resolveTxt: () => Promise.reject(new Error('boom')) };
    const err = await rejection(new DnsClient({ resolver: thrower }).syncTree(tree.url));
    expect(err.code).toBe('ERR_DNS_RESOLVE_FAILED');
  });

  it('skips an ENR leaf under the link root and a link under the ENR root (ERR_DNS_WRONG_SUBTREE)', async () => {
    const enr = testEnrs(1)[0]!.encodeText();
    const link = buildTree({ domain: 'x.example', privateKey: testKey(2, 'signer'), seq: 1, enrs: [] }).url;
    let resolver = customZone(entryHash(EMPTY), entryHash(enr), [EMPTY, enr]);
    let synced = await new DnsClient({ resolver }).syncTree(buildUrl());
    expect(synced.links).toEqual([]);
    expect(synced.skipped).toEqual([
      expect.objectContaining({ hash: entryHash(enr), subtree: 'link', code: 'ERR_DNS_WRONG_SUBTREE' }),
    ]);
    resolver = customZone(entryHash(link), entryHash(EMPTY), [EMPTY, link]);
    synced = await new DnsClient({ resolver }).syncTree(buildUrl());
    expect(synced.enrs).toEqual([]);
    expect(synced.skipped).toEqual([
      expect.objectContaining({ hash: entryHash(link), subtree: 'enr', code: 'ERR_DNS_WRONG_SUBTREE' }),
    ]);
  });

  it('rejects a subtree that reaches one hash twice (ERR_DNS_LOOP)', async () => {
    const enr = testEnrs(1)[0]!.encodeText();
    const branch = formatBranch([entryHash(enr), entryHash(enr)]);
    const resolver = customZone(entryHash(branch), entryHash(EMPTY), [EMPTY, enr, branch]);
    expect((await rejection(new DnsClient({ resolver }).syncTree(buildUrl()))).code).toBe('ERR_DNS_LOOP');
  });

  it('the same empty branch as both roots is fine (a tree without nodes and links)', async () => {
    const resolver = customZone(entryHash(EMPTY), entryHash(EMPTY), [EMPTY]);
    const synced = await new DnsClient({ resolver }).syncTree(buildUrl());
    expect(synced.enrs).toEqual([]);
    expect(synced.links).toEqual([]);
  });

  it('rejects a bad URL (ERR_DNS_INVALID_URL)', async () => {
    const client = new DnsClient({ resolver: new MemoryResolver() });
    for (const url of [
      'enrtree:/x@y',
      'enrtree://nodes.example.org',
      `enrtree://AAAA@${DOMAIN}`,
      `${buildUrl()}.`,
    ]) {
      expect((await rejection(client.syncTree(url))).code).toBe('ERR_DNS_INVALID_URL');
    }
  });
});

function buildUrl(): string {
  return buildTree({ domain: DOMAIN, privateKey: SIGNER_KEY, seq: 1, enrs: [] }).url;
}

describe('limits', () => {
  it('defaults match the documented values', () => {
    const config = new DnsClient({ resolver: new MemoryResolver() }).config;
    expect(config).toMatchObject({
      queryTimeoutMs: DEFAULT_QUERY_TIMEOUT_MS,
      cacheSize: DEFAULT_CACHE_SIZE,
      maxDepth: DEFAULT_MAX_DEPTH,
      maxEntries: DEFAULT_MAX_ENTRIES,
      maxTxtLength: DEFAULT_MAX_RECEIVED_TXT_LENGTH,
    });
    expect([DEFAULT_QUERY_TIMEOUT_MS, DEFAULT_CACHE_SIZE, DEFAULT_MAX_TXT_LENGTH]).toEqual([5000, 1000, 512]);
    expect(DEFAULT_MAX_RECEIVED_TXT_LENGTH).toBe(4096);
  });

  it('maxDepth: 30 leaves need two levels of branches', async () => {
    const { tree, client } = served(30);
    expect((await rejection(client({ maxDepth: 1 }).syncTree(tree.url))).code).toBe('ERR_DNS_TOO_DEEP');
    expect((await client({ maxDepth: 2 }).syncTree(tree.url)).enrs).toHaveLength(30);
  });

  it('maxEntries: 30 leaves and 3 branches below the top', async () => {
    const { tree, client } = served(30);
    // top branch + 3 branches + 30 leaves = 34 entries in the ENR subtree
    expect((await rejection(client({ maxEntries: 33 }).syncTree(tree.url))).code).toBe(
      'ERR_DNS_TOO_MANY_ENTRIES',
    );
    expect((await client({ maxEntries: 34 }).syncTree(tree.url)).enrs).toHaveLength(30);
  });

  it('maxTxtLength: a branch of 13 hashes is 365 characters', async () => {
    const { tree, client } = served(13);
    const refused = await client({ maxTxtLength: 364 }).syncTree(tree.url);
    expect(refused.enrs).toEqual([]);
    expect(refused.skipped.map((s) => s.code)).toEqual(['ERR_DNS_TXT_TOO_LARGE']);
    expect((await client({ maxTxtLength: 365 }).syncTree(tree.url)).enrs).toHaveLength(13);
  });

  it('maxEnrSize: records over the limit are bad records', async () => {
    const { tree, client } = served(2);
    const size = tree.enrs[0]!.size;
    const synced = await client({ maxEnrSize: size - 1 }).syncTree(tree.url);
    expect(synced.enrs).toEqual([]);
    expect(synced.skipped.map((s) => s.code)).toEqual(['ERR_DNS_BAD_RECORD', 'ERR_DNS_BAD_RECORD']);
  });

  it('cacheSize: a second sync is served from the LRU cache, up to its size', async () => {
    const { tree, resolver, client: make } = served(30);
    const client = make({ cacheSize: 1000 });
    await client.syncTree(tree.url);
    const first = resolver.queries;
    await client.syncTree(tree.url);
    expect(resolver.queries - first).toBe(1); // the root only
    expect(client.cacheSize).toBe(tree.entries.size);

    const small = make({ cacheSize: 10 });
    await small.syncTree(tree.url);
    expect(small.cacheSize).toBe(10);
    const before = resolver.queries;
    await small.syncTree(tree.url);
    expect(resolver.queries - before).toBeGreaterThan(tree.entries.size - 10);
  });

  it('queryTimeoutMs: a query that never answers fails with ERR_DNS_TIMEOUT on the clock', async () => {
    const clock = new ManualClock(0);
    let seenSignal: AbortSignal | undefined;
    const hanging: Resolver = {
      resolveTxt: (_name, options) => {
        seenSignal = options?.signal;
        return new Promise(() => {});
      },
    };
    const client = new DnsClient({ resolver: hanging, clock, queryTimeoutMs: 1234 });
    const pending = rejection(client.syncTree(buildUrl()));
    await Promise.resolve();
    clock.advance(1233);
    await Promise.resolve();
    expect(seenSignal?.aborted).toBe(false);
    clock.advance(1);
    const err = await pending;
    expect(err.code).toBe('ERR_DNS_TIMEOUT');
    expect(seenSignal?.aborted).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('an aborted signal stops a sync with the caller reason and releases the timer', async () => {
    const clock = new ManualClock(0);
    const hanging: Resolver = { resolveTxt: () => new Promise(() => {}) };
    const controller = new AbortController();
    const pending = new DnsClient({ resolver: hanging, clock }).syncTree(buildUrl(), controller);
    await Promise.resolve();
    controller.abort();
    await expect(pending).rejects.toBe(controller.signal.reason);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('syncConcurrency bounds the queries in flight', async () => {
    const { tree, resolver } = served(40);
    let inFlight = 0;
    let peak = 0;
    const counting: Resolver = {
      async resolveTxt(name, options) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        return resolver.resolveTxt(name, options);
      },
    };
    await new DnsClient({ resolver: counting, syncConcurrency: 3 }).syncTree(tree.url);
    expect(peak).toBe(3);
    peak = 0;
    await new DnsClient({ resolver: counting, syncConcurrency: 1 }).syncTree(tree.url);
    expect(peak).toBe(1);
  });
});
