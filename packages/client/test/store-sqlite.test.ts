import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MissingDependencyError } from '@status-ts/core';
import {
  openSqliteDatabase,
  SQLITE_SCHEMA_TOO_NEW,
  SQLITE_SCHEMA_VERSIONS_TABLE,
  sqliteSchemaVersion,
} from '@status-ts/core/sqlite';
import { MVDS_SQLITE_SCHEMA, openMvdsSqliteStore } from '@status-ts/mvds/sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutPackage } from '../../../tools/hide-package.js';
import { ClientErrorCode } from '../src/errors.js';
import { CLIENT_SQLITE_SCHEMA, openClientSqliteStore, type SqliteMessageStore } from '../src/sqlite/index.js';
import { describeMessageStoreContract, expectCode, message, msgId } from './helpers/store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'client-store-'));
let fileNo = 0;
const freshFile = () => join(dir, `store-${fileNo++}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The store's durability is not under test: files opened here skip fsync.
const fast = { synchronous: 'OFF' } as const;
/** A connection the test owns (better-sqlite3, through core: this package has no driver types). */
const connect = (path: string, synchronous: 'OFF' | 'FULL' = 'OFF') =>
  openSqliteDatabase(path, { from: import.meta.url, feature: 'tests', synchronous }).db;

describeMessageStoreContract(
  'sqlite file',
  (now) => {
    const file = freshFile();
    let current: SqliteMessageStore = openClientSqliteStore(file, { ...fast, now });
    return {
      get store() {
        return current;
      },
      close: () => current.close(),
      async reopen() {
        await current.close();
        current = openClientSqliteStore(file, { ...fast, now });
        return current;
      },
    };
  },
  { persistent: true },
);

describeMessageStoreContract(
  'sqlite connection shared with the mvds store',
  (now) => {
    const db = connect(freshFile());
    const mvds = openMvdsSqliteStore(db);
    let current = openClientSqliteStore(db, { now });
    return {
      get store() {
        return current;
      },
      async close() {
        await current.close();
        mvds.close();
        db.close();
      },
      async reopen() {
        await current.close();
        current = openClientSqliteStore(db, { now });
        return current;
      },
    };
  },
  { persistent: true },
);

describe('SQLite specifics', () => {
  it('uses WAL and records its schema version in its own row, leaving user_version alone', async () => {
    const store = openClientSqliteStore(freshFile(), fast);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqliteSchemaVersion(store.db, CLIENT_SQLITE_SCHEMA)).toBe(1);
    const row = store.db
      .prepare(`SELECT version FROM ${SQLITE_SCHEMA_VERSIONS_TABLE} WHERE component = ?`)
      .pluck()
      .get('@status-ts/client');
    expect(row).toBe(CLIENT_SQLITE_SCHEMA.version);
    expect(store.db.pragma('user_version', { simple: true })).toBe(0);
    const tables = store.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual([
      'client_chat_events',
      'client_chats',
      'client_contacts',
      'client_deleted_messages',
      'client_history_sync',
      'client_installations',
      'client_messages',
      'client_reactions',
      SQLITE_SCHEMA_VERSIONS_TABLE,
    ]);
    await store.close();
    expect(store.db.open).toBe(false);
  });

  it('shares a connection with the mvds store, both versioned, and leaves it open', async () => {
    const db = connect(freshFile(), 'FULL');
    const mvds = openMvdsSqliteStore(db);
    const store = openClientSqliteStore(db, { synchronous: 'OFF' });
    await mvds.delivered.add([new Uint8Array(32).fill(1)]);
    await store.upsertChat({ id: 'status', kind: 'public' });
    await store.saveMessages([message(1)]);
    await store.close();
    mvds.close();
    expect(db.open).toBe(true);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // the application's setting kept
    expect(sqliteSchemaVersion(db, CLIENT_SQLITE_SCHEMA)).toBe(1);
    expect(sqliteSchemaVersion(db, MVDS_SQLITE_SCHEMA)).toBe(1);
    expect(db.prepare('SELECT COUNT(*) FROM client_messages').pluck().get()).toBe(1);
    expect(db.prepare('SELECT COUNT(*) FROM mvds_delivered').pluck().get()).toBe(1);
    db.close();
  });

  it('refuses tables written by a newer schema, leaving the file as it was', () => {
    const file = freshFile();
    openClientSqliteStore(file, fast).close();
    const db = connect(file);
    db.prepare(`UPDATE ${SQLITE_SCHEMA_VERSIONS_TABLE} SET version = version + 1`).run();
    db.close();
    expect(() => openClientSqliteStore(file, fast)).toThrow(
      expect.objectContaining({ code: SQLITE_SCHEMA_TOO_NEW }),
    );
  });

  it('without better-sqlite3, opening a file throws MissingDependencyError naming it', () => {
    const open = () => withoutPackage('better-sqlite3', () => openClientSqliteStore(freshFile()));
    expect(open).toThrow(MissingDependencyError);
    expect(open).toThrow(
      expect.objectContaining({
        dependency: 'better-sqlite3',
        message: expect.stringContaining('@status-ts/client/sqlite'),
      }),
    );
  });

  it('rolls a batch back whole when the database fails midway', async () => {
    const db = connect(freshFile());
    const store = openClientSqliteStore(db);
    await store.upsertChat({ id: 'status', kind: 'public' });
    // A failure no validation can foresee (a full disk, say), on the second message of the batch.
    db.exec(`CREATE TEMP TRIGGER fail_second BEFORE INSERT ON client_messages WHEN NEW.id = '${msgId(2)}'
      BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    await expect(store.saveMessages([message(1), message(2)])).rejects.toThrow('disk full');
    expect(await store.hasMessage(msgId(1))).toBe(false);
    expect(await store.getChat('status')).toMatchObject({ lastClock: 0, unreadCount: 0 });
    db.exec('DROP TRIGGER fail_second');
    expect(await store.saveMessages([message(1), message(2)])).toEqual([true, true]);
    await store.close();
    db.close();
  });

  it('answers pages and delivery queries from its indexes', async () => {
    const store = openClientSqliteStore(':memory:');
    const plan = (sql: string) =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join('\n');
    expect(
      plan(
        "SELECT * FROM client_messages WHERE chat_id = 'x' AND (clock, id) < (1, 'y') ORDER BY clock DESC, id DESC LIMIT 5",
      ),
    ).toMatch(/USING INDEX client_messages_chat_order/);
    expect(
      plan("SELECT * FROM client_messages WHERE chat_id = 'x' ORDER BY clock DESC, id DESC LIMIT 5"),
    ).not.toMatch(/TEMP B-TREE/);
    expect(
      plan(
        "SELECT * FROM client_messages WHERE delivery_state IN ('sending', 'failed') ORDER BY delivery_state_at, id",
      ),
    ).toMatch(/USING INDEX client_messages_delivery/);
    await store.close();
  });

  it('keeps a store open on a path and one on the same file consistent (two connections)', async () => {
    const file = freshFile();
    const a = openClientSqliteStore(file, fast);
    const b = openClientSqliteStore(file, fast);
    await a.upsertChat({ id: 'status', kind: 'public' });
    expect(await b.saveMessages([message(1)])).toEqual([true]);
    expect(await a.saveMessages([message(1)])).toEqual([false]);
    expect((await a.getChat('status'))?.unreadCount).toBe(1);
    await a.close();
    await b.close();
    await expectCode(b.getChat('status'), ClientErrorCode.StoreClosed);
  });
});
