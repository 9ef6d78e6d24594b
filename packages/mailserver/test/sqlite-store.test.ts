import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MissingDependencyError } from '@status-ts/core';
import {
  SQLITE_SCHEMA_TOO_NEW,
  SQLITE_SCHEMA_VERSIONS_TABLE,
  sqliteSchemaVersion,
} from '@status-ts/core/sqlite';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutPackage } from '../../../tools/hide-package.js';
import { dbKeyOf } from '../src/index.js';
import { PostgresEnvelopeStore } from '../src/postgres/index.js';
import {
  MAILSERVER_SQLITE_SCHEMA,
  openMailserverSqliteStore,
  SQLITE_WAL_AUTOCHECKPOINT_PAGES,
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
    const byDefault = openMailserverSqliteStore(':memory:');
    expect(byDefault.db.pragma('wal_autocheckpoint', { simple: true })).toBe(SQLITE_WAL_AUTOCHECKPOINT_PAGES);
    await byDefault.close();
    const given = openMailserverSqliteStore(':memory:', { walAutocheckpointPages: 250 });
    expect(given.db.pragma('wal_autocheckpoint', { simple: true })).toBe(250);
    await given.close();
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => openMailserverSqliteStore(':memory:', { walAutocheckpointPages: bad })).toThrow(
        expect.objectContaining({ code: 'ERR_MAILSERVER_INVALID_OPTIONS' }),
      );
      expect(() => openMailserverSqliteStore(':memory:', { topicIndexBatch: bad })).toThrow(
        expect.objectContaining({ code: 'ERR_MAILSERVER_INVALID_OPTIONS' }),
      );
    }
  });

  it('put: every envelope under its own key, duplicates counted once, in multi-row INSERTs and row by row', async () => {
    const store = openMailserverSqliteStore(':memory:', { topicIndexBatch: 1000 });
    const envs = Array.from({ length: 260 }, (_, i) => makeEnvelope(T0 + i, [TOPIC_A, TOPIC_B][i % 2]!));
    const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');
    // Batches of 1, 50, 100 (one multi-row INSERT) and 112 (one, then 12 rows one by one); duplicates inside
    // a batch, inside one multi-row INSERT, and of an earlier batch.
    let added = 0;
    added += await store.put(envs.slice(0, 1));
    added += await store.put([...envs.slice(1, 50), envs[10]!]);
    added += await store.put([...envs.slice(50, 149), envs[60]!]);
    added += await store.put([envs[100]!, ...envs.slice(149, 259), envs[259]!]);
    expect(added).toBe(260);
    expect(await store.put([envs[259]!, envs[0]!])).toBe(0);
    expect(added).toBe(260);
    const keys = store.db.prepare('SELECT key FROM envelopes ORDER BY key').pluck().all() as Uint8Array[];
    expect(keys.map(hex)).toEqual(envs.map((e) => hex(dbKeyOf(e).subarray(0, 36))));
    // The trigger filed each new key once in fresh_keys.
    expect(store.db.prepare('SELECT count(*) FROM fresh_keys').pluck().get()).toBe(260);
    const page = await store.query({ lower: T0, upper: T0 + 300, topics: [TOPIC_B], limit: 1000 });
    expect(page.envelopes.map((e) => e.expiry - e.ttl)).toEqual(
      Array.from({ length: 130 }, (_, i) => T0 + 2 * i + 1),
    );
    expect(await store.put([])).toBe(0);
    await store.close();
  });

  it('a multi-topic page merges per-topic key-ordered scans of topic_keys with the fresh keys', async () => {
    const store = openMailserverSqliteStore(':memory:', { topicIndexBatch: 100 });
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
    const store = openMailserverSqliteStore(':memory:', { topicIndexBatch: 10 });
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

const LATEST = MAILSERVER_SQLITE_SCHEMA.version;

describe('SqliteEnvelopeStore schema versions', () => {
  it('a new file gets the current schema version in its own row of the shared versions table', async () => {
    const store = openMailserverSqliteStore(join(dir, 'new.db'));
    expect(store.migration).toEqual({ from: 0, to: LATEST });
    expect(sqliteSchemaVersion(store.db, MAILSERVER_SQLITE_SCHEMA)).toBe(LATEST);
    expect(store.db.pragma('user_version', { simple: true })).toBe(0); // not ours: the file is shared
    await store.close();
    const reopened = openMailserverSqliteStore(join(dir, 'new.db'));
    expect(reopened.migration).toEqual({ from: LATEST, to: LATEST });
    await reopened.close();
  });

  it('migrates a file of the first layout without losing an envelope, then serves and extends it', async () => {
    const path = join(dir, 'v1.db');
    const old = Array.from({ length: 120 }, (_, i) => makeEnvelope(T0 + i, [TOPIC_A, TOPIC_B][i % 2]!));
    writeVersion1File(path, old);
    const store = openMailserverSqliteStore(path);
    expect(store.migration).toEqual({ from: 1, to: LATEST });
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
    expect(tables).toEqual(['envelopes', 'fresh_keys', SQLITE_SCHEMA_VERSIONS_TABLE, 'topic_keys']);
    await store.close();
  });

  it('adopts a file of the second layout (version in user_version) as it is, once', async () => {
    const path = join(dir, 'v2-user-version.db');
    const first = openMailserverSqliteStore(path);
    await first.put([makeEnvelope(T0, TOPIC_A)]);
    await first.close();
    // What the previous release left: the same tables, the version in user_version, no versions table.
    const old = new Database(path);
    old.exec(`DROP TABLE ${SQLITE_SCHEMA_VERSIONS_TABLE}`);
    old.pragma('user_version = 2');
    old.close();
    const store = openMailserverSqliteStore(path);
    expect(store.migration).toEqual({ from: 2, to: LATEST });
    expect(sqliteSchemaVersion(store.db, MAILSERVER_SQLITE_SCHEMA)).toBe(LATEST);
    expect(await store.count()).toBe(1);
    await store.close();
  });

  it('refuses tables written by a newer schema version, leaving the file untouched', async () => {
    const path = join(dir, 'future.db');
    await openMailserverSqliteStore(path).close();
    const db = new Database(path);
    db.prepare(`UPDATE ${SQLITE_SCHEMA_VERSIONS_TABLE} SET version = ? WHERE component = ?`).run(
      LATEST + 1,
      MAILSERVER_SQLITE_SCHEMA.component,
    );
    db.close();
    expect(() => openMailserverSqliteStore(path)).toThrow(
      expect.objectContaining({ code: SQLITE_SCHEMA_TOO_NEW, message: expect.stringMatching(/newer/) }),
    );
    const check = new Database(path);
    expect(sqliteSchemaVersion(check, MAILSERVER_SQLITE_SCHEMA)).toBe(LATEST + 1);
    check.close();
  });
});

describe('SqliteEnvelopeStore on a connection the application owns', () => {
  it("keeps the connection's settings and leaves it open on close", async () => {
    const db = new Database(join(dir, 'app.db'));
    db.pragma('wal_autocheckpoint = 77');
    const store = openMailserverSqliteStore(db, { walAutocheckpointPages: 5 });
    expect(store.db).toBe(db);
    expect(await store.put([makeEnvelope(T0, TOPIC_A)])).toBe(1);
    await store.close();
    expect(db.open).toBe(true);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(77);
    expect(db.prepare('SELECT count(*) FROM envelopes').pluck().get()).toBe(1);
    db.close();
  });
});

describe('optional drivers', () => {
  it('without better-sqlite3, opening a file throws MissingDependencyError naming it', () => {
    const open = () => withoutPackage('better-sqlite3', () => openMailserverSqliteStore(':memory:'));
    expect(open).toThrow(MissingDependencyError);
    expect(open).toThrow(
      expect.objectContaining({
        dependency: 'better-sqlite3',
        message: expect.stringContaining('@status-ts/mailserver/sqlite'),
      }),
    );
  });

  it('without pg, creating the PostgreSQL store throws MissingDependencyError naming it', () => {
    const create = () =>
      withoutPackage('pg', () => new PostgresEnvelopeStore({ connection: 'postgres://127.0.0.1/none' }));
    expect(create).toThrow(
      expect.objectContaining({
        code: 'ERR_MISSING_DEPENDENCY',
        dependency: 'pg',
        message: expect.stringContaining('@status-ts/mailserver/postgres'),
      }),
    );
  });
});
