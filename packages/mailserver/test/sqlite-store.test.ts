import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { dbKeyOf } from '../src/index.js';
import {
  SQLITE_SCHEMA_VERSION,
  SQLITE_WAL_AUTOCHECKPOINT_PAGES,
  SqliteEnvelopeStore,
} from '../src/sqlite/index.js';
import { makeEnvelope, TOPIC_A, TOPIC_B, TOPIC_C } from './helpers/envelopes.js';

const T0 = 1_700_000_000;
const dir = mkdtempSync(join(tmpdir(), 'status-ts-mail-sqlite-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first on-disk layout (no user_version): 40-byte keys, bodies and a (topic, key) index in one table. */
function writeVersion1File(path: string, envelopes: ReturnType<typeof makeEnvelope>[]): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(
    'CREATE TABLE envelopes (key BLOB PRIMARY KEY, topic BLOB NOT NULL, arrived INTEGER NOT NULL, raw BLOB NOT NULL) WITHOUT ROWID;' +
      'CREATE INDEX envelopes_topic_key ON envelopes (topic, key);',
  );
  const insert = db.prepare('INSERT INTO envelopes VALUES (?, ?, ?, ?)');
  for (const e of envelopes) insert.run(dbKeyOf(e), e.topic, 1234, e.raw);
  db.close();
}

describe('SqliteEnvelopeStore tuning', () => {
  it('sets the WAL auto-checkpoint threshold: default, given, and rejects a bad value', async () => {
    const byDefault = new SqliteEnvelopeStore({ path: ':memory:' });
    expect(byDefault.db.pragma('wal_autocheckpoint', { simple: true })).toBe(SQLITE_WAL_AUTOCHECKPOINT_PAGES);
    await byDefault.close();
    const given = new SqliteEnvelopeStore({ path: ':memory:', walAutocheckpointPages: 250 });
    expect(given.db.pragma('wal_autocheckpoint', { simple: true })).toBe(250);
    await given.close();
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => new SqliteEnvelopeStore({ path: ':memory:', walAutocheckpointPages: bad })).toThrow(
        expect.objectContaining({ code: 'ERR_MAILSERVER_INVALID_OPTIONS' }),
      );
      expect(() => new SqliteEnvelopeStore({ path: ':memory:', topicIndexBatch: bad })).toThrow(
        expect.objectContaining({ code: 'ERR_MAILSERVER_INVALID_OPTIONS' }),
      );
    }
  });

  it('a multi-topic page merges per-topic key-ordered scans of topic_keys with the fresh keys', async () => {
    const store = new SqliteEnvelopeStore({ path: ':memory:', topicIndexBatch: 100 });
    const envs = Array.from({ length: 250 }, (_, i) =>
      makeEnvelope(T0 + i, [TOPIC_A, TOPIC_B, TOPIC_C][i % 3]!),
    );
    for (let i = 0; i < envs.length; i += 50) await store.put(envs.slice(i, i + 50));
    // 200 keys moved in two batches of 100; the last 50 still wait in fresh_keys.
    expect(store.db.prepare('SELECT count(*) FROM topic_keys').pluck().get()).toBe(200);
    expect(store.db.prepare('SELECT count(*) FROM fresh_keys').pluck().get()).toBe(50);
    const page = await store.query({ lower: T0, upper: T0 + 300, topics: [TOPIC_A, TOPIC_C], limit: 5 });
    expect(page.envelopes.map((e) => e.expiry - e.ttl)).toEqual([0, 2, 3, 5, 6].map((d) => T0 + d));
    const tail = await store.query({ lower: T0 + 195, upper: T0 + 300, topics: [TOPIC_A], limit: 100 });
    expect(tail.envelopes.map((e) => e.expiry - e.ttl)).toEqual(
      Array.from({ length: 19 }, (_, i) => T0 + 195 + 3 * i),
    );
    const plan = store.db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT key FROM topic_keys WHERE topic = ? AND key >= ? AND key <= ? ORDER BY key LIMIT 5',
      )
      .all(Buffer.from(TOPIC_A), Buffer.alloc(36), Buffer.alloc(36, 0xff)) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(
      /SEARCH topic_keys USING PRIMARY KEY \(topic=\? AND key>\? AND key<\?\)/,
    );
    store.flushTopicIndex();
    expect(store.db.prepare('SELECT count(*) FROM fresh_keys').pluck().get()).toBe(0);
    expect(
      (await store.query({ lower: T0 + 195, upper: T0 + 300, topics: [TOPIC_A], limit: 100 })).envelopes,
    ).toEqual(tail.envelopes);
    await store.close();
  });

  it('retention removes old keys from both key tables', async () => {
    const store = new SqliteEnvelopeStore({ path: ':memory:', topicIndexBatch: 10 });
    const envs = Array.from({ length: 15 }, (_, i) => makeEnvelope(T0 + i, TOPIC_A));
    await store.put(envs.slice(0, 12)); // moved to topic_keys at once (12 >= 10)
    await store.put(envs.slice(12)); // 3 wait in fresh_keys
    const keys = (table: string) => store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    expect([keys('topic_keys'), keys('fresh_keys')]).toEqual([12, 3]);
    expect(await store.deleteOlderThan(T0 + 13)).toBe(13);
    expect([keys('topic_keys'), keys('fresh_keys'), await store.count()]).toEqual([0, 2, 2]);
    await store.put(Array.from({ length: 8 }, (_, i) => makeEnvelope(T0 + 100 + i, TOPIC_A)));
    expect([keys('topic_keys'), keys('fresh_keys')]).toEqual([10, 0]);
    await store.close();
  });
});

describe('SqliteEnvelopeStore schema versions', () => {
  it('a new file gets the current schema version', async () => {
    const store = new SqliteEnvelopeStore({ path: join(dir, 'new.db') });
    expect(store.migration).toEqual({ from: 0, to: SQLITE_SCHEMA_VERSION });
    expect(store.db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    await store.close();
    const reopened = new SqliteEnvelopeStore({ path: join(dir, 'new.db') });
    expect(reopened.migration).toEqual({ from: SQLITE_SCHEMA_VERSION, to: SQLITE_SCHEMA_VERSION });
    await reopened.close();
  });

  it('migrates a file of the first layout without losing an envelope, then serves and extends it', async () => {
    const path = join(dir, 'v1.db');
    const old = Array.from({ length: 120 }, (_, i) => makeEnvelope(T0 + i, [TOPIC_A, TOPIC_B][i % 2]!));
    writeVersion1File(path, old);
    const store = new SqliteEnvelopeStore({ path });
    expect(store.migration).toEqual({ from: 1, to: SQLITE_SCHEMA_VERSION });
    expect(store.integrityCheck()).toBe('ok');
    expect(await store.count()).toBe(120);
    const all = await store.query({ lower: T0, upper: T0 + 200, limit: 1000 });
    expect(all.envelopes.map((e) => e.hashHex)).toEqual(old.map((e) => e.hashHex));
    const topicB = await store.query({ lower: T0, upper: T0 + 200, topics: [TOPIC_B], limit: 1000 });
    expect(topicB.envelopes.map((e) => e.hashHex)).toEqual(old.filter((_, i) => i % 2).map((e) => e.hashHex));
    // Already stored envelopes stay deduplicated after the migration.
    expect(await store.put(old.slice(0, 10))).toBe(0);
    expect(await store.put([makeEnvelope(T0 + 500, TOPIC_A)])).toBe(1);
    const tables = store.db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['envelopes', 'fresh_keys', 'topic_keys']);
    await store.close();
  });

  it('refuses a file written by a newer schema version, leaving it untouched', async () => {
    const path = join(dir, 'future.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new SqliteEnvelopeStore({ path })).toThrow(
      expect.objectContaining({ code: 'ERR_MAILSERVER_STORE', message: expect.stringMatching(/newer/) }),
    );
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION + 1);
    check.close();
  });
});
