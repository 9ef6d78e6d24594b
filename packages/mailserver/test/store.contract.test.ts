import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import {
  bloomOfTopics,
  type Envelope,
  emptyBloom,
  fullBloom,
  linkInMemory,
  type P2PRequestComplete,
  topicToBloom,
  WakuNode,
} from '@status-ts/waku';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  cursorOf,
  dbKeyOf,
  type EnvelopeStore,
  encodeMessagesRequest,
  MailServer,
  MemoryEnvelopeStore,
} from '../src/index.js';
import { PostgresEnvelopeStore } from '../src/postgres/index.js';
import { openMailserverSqliteStore } from '../src/sqlite/index.js';
import { makeEnvelope, TOPIC_A, TOPIC_B, TOPIC_C } from './helpers/envelopes.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';

interface Harness {
  name: string;
  open(): Promise<EnvelopeStore>;
  cleanup(): Promise<void>;
}

let pgServer: TestPostgres | undefined;
let tableNo = 0;
const sqliteDir = mkdtempSync(join(tmpdir(), 'status-ts-mail-sqlite-'));
let fileNo = 0;

beforeAll(async () => {
  pgServer = await startPostgres();
});
afterAll(async () => {
  await pgServer?.stop();
  rmSync(sqliteDir, { recursive: true, force: true });
});

const harnesses: Harness[] = [
  { name: 'memory', open: async () => new MemoryEnvelopeStore(), cleanup: async () => {} },
  {
    name: 'sqlite',
    open: async () => openMailserverSqliteStore(join(sqliteDir, `store-${fileNo++}.db`)),
    cleanup: async () => {},
  },
  {
    // Keys move from fresh_keys into topic_keys every 7 writes: queries straddle both tables.
    name: 'sqlite (small topic-index batches)',
    open: async () =>
      openMailserverSqliteStore(join(sqliteDir, `store-${fileNo++}.db`), { topicIndexBatch: 7 }),
    cleanup: async () => {},
  },
  {
    name: 'postgres',
    open: async () => {
      const store = new PostgresEnvelopeStore({
        connection: pgServer!.connection,
        table: `env_${tableNo++}`,
      });
      await store.init();
      return store;
    },
    cleanup: async () => {},
  },
];

const hex = (e: Envelope) => e.hashHex;
const T0 = 1_700_000_000;

describe.each(harnesses)('EnvelopeStore contract: $name', (harness) => {
  let store: EnvelopeStore;
  beforeEach(async () => {
    store = await harness.open();
    return async () => {
      await store.close();
      await harness.cleanup();
    };
  });

  it('put is idempotent by hash and counts only new envelopes', async () => {
    const a = makeEnvelope(T0, TOPIC_A);
    const b = makeEnvelope(T0 + 1, TOPIC_B);
    expect(await store.put([a, b])).toBe(2);
    expect(await store.put([a, b, a])).toBe(0);
    expect(await store.count()).toBe(2);
  });

  it('returns [lower, upper] inclusive, oldest first then by hash, with the 36-byte cursor on a full page', async () => {
    const envs = [0, 5, 5, 5, 10, 11].map((d, i) =>
      makeEnvelope(T0 + d, [TOPIC_A, TOPIC_B, TOPIC_C][i % 3]!),
    );
    await store.put(envs);
    const page = await store.query({ lower: T0 + 5, upper: T0 + 10, limit: 10 });
    const expected = envs
      .filter((e) => e.expiry - e.ttl >= T0 + 5 && e.expiry - e.ttl <= T0 + 10)
      .map((e) => ({ e, key: dbKeyOf(e) }))
      .sort((x, y) => Buffer.compare(x.key, y.key))
      .map((x) => hex(x.e));
    expect(page.envelopes.map(hex)).toEqual(expected);
    expect(page.cursor).toBeUndefined();
    const full = await store.query({ lower: T0 + 5, upper: T0 + 10, limit: 4 });
    expect(full.cursor).toEqual(cursorOf(dbKeyOf(full.envelopes[3]!)));
    expect(full.cursor!.length).toBe(36);
  });

  it('paginates by cursor without gaps or duplicates', async () => {
    const envs: Envelope[] = [];
    for (let i = 0; i < 137; i++) envs.push(makeEnvelope(T0 + (i % 23), [TOPIC_A, TOPIC_B][i % 2]!));
    await store.put(envs);
    const seen: string[] = [];
    let cursor: Uint8Array | undefined;
    let pages = 0;
    do {
      const page = await store.query({ lower: T0, upper: T0 + 100, limit: 10, cursor });
      seen.push(...page.envelopes.map(hex));
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(14);
    expect(new Set(seen).size).toBe(137);
    expect(seen.length).toBe(137);
  });

  it('matches exact topics when given, else the bloom; full, zero-length or absent bloom matches everything', async () => {
    const a = makeEnvelope(T0, TOPIC_A);
    const b = makeEnvelope(T0, TOPIC_B);
    const c = makeEnvelope(T0, TOPIC_C);
    await store.put([a, b, c]);
    const q = { lower: T0, upper: T0, limit: 10 };
    expect((await store.query({ ...q, topics: [TOPIC_A, TOPIC_C] })).envelopes.map(hex).sort()).toEqual(
      [a, c].map(hex).sort(),
    );
    // Topics win over a bloom that would match everything.
    expect((await store.query({ ...q, topics: [TOPIC_B], bloom: fullBloom() })).envelopes.map(hex)).toEqual([
      hex(b),
    ]);
    expect((await store.query({ ...q, bloom: topicToBloom(TOPIC_B) })).envelopes.map(hex)).toEqual([hex(b)]);
    expect((await store.query({ ...q, bloom: bloomOfTopics([TOPIC_A, TOPIC_B]) })).envelopes).toHaveLength(2);
    expect((await store.query({ ...q, bloom: fullBloom() })).envelopes).toHaveLength(3);
    expect((await store.query({ ...q, bloom: emptyBloom() })).envelopes).toHaveLength(0); // all-zero bloom
    expect((await store.query({ ...q, bloom: new Uint8Array(0) })).envelopes).toHaveLength(3);
    expect((await store.query(q)).envelopes).toHaveLength(3);
  });

  it('paginates a multi-topic query (duplicate topic given) in key order, without gaps or duplicates', async () => {
    const envs: Envelope[] = [];
    for (let i = 0; i < 90; i++) envs.push(makeEnvelope(T0 + (i % 7), [TOPIC_A, TOPIC_B, TOPIC_C][i % 3]!));
    await store.put(envs);
    const expected = envs
      .filter((e) => e.expiry - e.ttl >= T0 + 1 && e.expiry - e.ttl <= T0 + 5 && e.topic[0] !== TOPIC_B[0])
      .map((e) => ({ e, key: dbKeyOf(e) }))
      .sort((x, y) => Buffer.compare(x.key, y.key))
      .map((x) => hex(x.e));
    const seen: string[] = [];
    let cursor: Uint8Array | undefined;
    do {
      const page = await store.query({
        lower: T0 + 1,
        upper: T0 + 5,
        topics: [TOPIC_C, TOPIC_A, TOPIC_C],
        limit: 7,
        cursor,
      });
      seen.push(...page.envelopes.map(hex));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it('a bloom query matches by bloom bits, a topic query by the exact topic', async () => {
    const union = bloomOfTopics([TOPIC_A, TOPIC_B]);
    const a = makeEnvelope(T0, TOPIC_A);
    await store.put([a]);
    const bloomPage = await store.query({ lower: T0, upper: T0, limit: 10, bloom: union });
    expect(bloomPage.envelopes.map(hex)).toEqual([hex(a)]);
    const topicPage = await store.query({ lower: T0, upper: T0, limit: 10, topics: [TOPIC_B] });
    expect(topicPage.envelopes).toHaveLength(0);
  });

  it('honours limits (1 and exact) and rejects a bad limit or cursor', async () => {
    await store.put([1, 2, 3].map((d) => makeEnvelope(T0 + d, TOPIC_A)));
    const one = await store.query({ lower: T0, upper: T0 + 9, limit: 1 });
    expect(one.envelopes).toHaveLength(1);
    expect(one.cursor).toBeDefined();
    const exact = await store.query({ lower: T0, upper: T0 + 9, limit: 3 });
    expect(exact.envelopes).toHaveLength(3);
    expect(exact.cursor).toBeDefined(); // full page: status-go sets the cursor whenever the limit is reached
    const after = await store.query({ lower: T0, upper: T0 + 9, limit: 3, cursor: exact.cursor });
    expect(after.envelopes).toHaveLength(0);
    expect(after.cursor).toBeUndefined();
    await expect(store.query({ lower: T0, upper: T0, limit: 0 })).rejects.toMatchObject({
      code: 'ERR_MAILSERVER_INVALID_REQUEST',
    });
    await expect(
      store.query({ lower: T0, upper: T0, limit: 1, cursor: new Uint8Array(35) }),
    ).rejects.toMatchObject({ code: 'ERR_MAILSERVER_INVALID_REQUEST' });
  });

  it('retention deletes only envelopes sent before the cut', async () => {
    await store.put([0, 100, 199, 200, 300].map((d) => makeEnvelope(T0 + d, TOPIC_A)));
    expect(await store.deleteOlderThan(T0 + 200)).toBe(3);
    expect(await store.count()).toBe(2);
    const left = await store.query({ lower: 0, upper: 0xffffffff, limit: 10 });
    expect(left.envelopes.map((e) => e.expiry - e.ttl)).toEqual([T0 + 200, T0 + 300]);
    expect(await store.deleteOlderThan(T0 + 200)).toBe(0);
  });

  it('concurrent writers with overlapping envelopes store each envelope once', async () => {
    const envs: Envelope[] = [];
    for (let i = 0; i < 200; i++) envs.push(makeEnvelope(T0 + i, TOPIC_C));
    const writers = Array.from({ length: 8 }, (_, w) => store.put(envs.filter((_, i) => (i + w) % 3 !== 0)));
    const added = (await Promise.all(writers)).reduce((x, y) => x + y, 0);
    expect(added).toBe(200);
    expect(await store.count()).toBe(200);
    const page = await store.query({ lower: T0, upper: T0 + 1000, limit: 1000 });
    expect(new Set(page.envelopes.map(hex)).size).toBe(200);
  });

  it('answers a query naming 1,000 topics (the most a request may name), paginated, and a bloom of them', async () => {
    const topics = Array.from({ length: 1000 }, (_, i) => Uint8Array.of(0x70, i >> 8, i & 0xff, 0x01));
    // Envelopes on every 10th topic of the set, and on topics outside it.
    const inSet = Array.from({ length: 100 }, (_, i) => makeEnvelope(T0 + (i % 7), topics[i * 10]!));
    const outside = Array.from({ length: 20 }, (_, i) =>
      makeEnvelope(T0 + (i % 7), [TOPIC_A, TOPIC_B][i % 2]!),
    );
    await store.put([...inSet, ...outside]);
    const expected = inSet
      .map((e) => ({ e, key: dbKeyOf(e) }))
      .sort((x, y) => Buffer.compare(x.key, y.key))
      .map((x) => hex(x.e));
    const q = { lower: T0, upper: T0 + 10, topics };
    const page = await store.query({ ...q, limit: 1000 });
    expect(page.envelopes.map(hex)).toEqual(expected);
    expect(page.cursor).toBeUndefined();
    const seen: string[] = [];
    let cursor: Uint8Array | undefined;
    do {
      const p = await store.query({ ...q, limit: 30, cursor });
      seen.push(...p.envelopes.map(hex));
      cursor = p.cursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    // The bloom of 1,000 topics has most bits set: it matches the set's envelopes (and may match others).
    const bloomPage = await store.query({
      lower: T0,
      upper: T0 + 10,
      bloom: bloomOfTopics(topics),
      limit: 1000,
    });
    expect(bloomPage.envelopes.map(hex)).toEqual(expect.arrayContaining(expected));
  });

  it('a MailServer on this store answers a request naming 1,000 topics with every matching envelope', async () => {
    const clock = new ManualClock(T0 * 1000);
    const nodes = [new WakuNode({ clock }), new WakuNode({ clock })];
    await Promise.all(nodes.map((n) => n.start()));
    const [serverNode, clientNode] = nodes as [WakuNode, WakuNode];
    const mailserver = new MailServer({ store });
    mailserver.attach(serverNode);
    try {
      const link = await linkInMemory(serverNode, clientNode);
      const topics = Array.from({ length: 1000 }, (_, i) => Uint8Array.of(0x71, i >> 8, i & 0xff, 0x02));
      await mailserver.archive(
        Array.from({ length: 50 }, (_, i) => makeEnvelope(T0 - 60 + i, topics[i * 20]!)),
      );
      const received: string[] = [];
      let complete: P2PRequestComplete | undefined;
      clientNode.on('p2p:envelopes', (_p, envs) => received.push(...envs.map(hex)));
      clientNode.on('p2p:requestComplete', (_p, c) => {
        complete = c;
      });
      const request = encodeMessagesRequest(randomBytes(32), { lower: T0 - 100, upper: T0, topics });
      await clientNode.sendP2PRequest(link.idA, request);
      for (let i = 0; i < 2000 && !complete; i++) await new Promise((r) => setTimeout(r, 2));
      expect(complete?.error).toBeUndefined();
      expect(received).toHaveLength(50);
    } finally {
      await mailserver.stop();
      await Promise.all(nodes.map((n) => n.stop()));
    }
  });

  it('returns envelopes byte-identical to what was stored (hash over the received bytes)', async () => {
    const e = makeEnvelope(T0, TOPIC_A, 3000);
    await store.put([e]);
    const [back] = (await store.query({ lower: T0, upper: T0, limit: 1 })).envelopes;
    expect(back!.raw).toEqual(e.raw);
    expect(back!.hashHex).toBe(e.hashHex);
  });
});
