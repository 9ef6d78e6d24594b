import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MissingDependencyError } from '@status-ts/core';
import {
  SQLITE_SCHEMA_TOO_NEW,
  SQLITE_SCHEMA_VERSIONS_TABLE,
  sqliteSchemaVersion,
} from '@status-ts/core/sqlite';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutPackage } from '../../../tools/hide-package.js';
import { createMemoryStores } from '../src/index.js';
import { MVDS_SQLITE_SCHEMA, openMvdsSqliteStore, type SqliteStores } from '../src/sqlite/index.js';
import { describeStoreContract } from './helpers/store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'mvds-stores-'));
let fileNo = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract('memory', () => ({ stores: createMemoryStores(), close: () => {} }));

describeStoreContract(
  'sqlite file',
  () => {
    const file = join(dir, `contract-${fileNo++}.db`);
    let current: SqliteStores = openMvdsSqliteStore(file);
    return {
      get stores() {
        return current;
      },
      close: () => current.close(),
      reopen: () => {
        current.close();
        current = openMvdsSqliteStore(file);
        return current;
      },
    };
  },
  { persistent: true },
);

describe('SQLite specifics', () => {
  it('uses WAL and records the schema version in its own row, leaving user_version alone', () => {
    const stores = openMvdsSqliteStore(join(dir, 'wal.db'));
    expect(stores.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqliteSchemaVersion(stores.db, MVDS_SQLITE_SCHEMA)).toBe(MVDS_SQLITE_SCHEMA.version);
    expect(stores.db.pragma('user_version', { simple: true })).toBe(0);
    stores.close();
    expect(stores.db.open).toBe(false);
  });

  it('refuses tables written by a newer schema', () => {
    const file = join(dir, 'newer.db');
    openMvdsSqliteStore(file).close();
    const db = new BetterSqlite3(file);
    db.prepare(`UPDATE ${SQLITE_SCHEMA_VERSIONS_TABLE} SET version = version + 1`).run();
    db.close();
    expect(() => openMvdsSqliteStore(file)).toThrow(expect.objectContaining({ code: SQLITE_SCHEMA_TOO_NEW }));
  });

  it('adopts a file of the first release (version in user_version) with its data', async () => {
    const file = join(dir, 'first-release.db');
    const first = openMvdsSqliteStore(file);
    await first.delivered.add([new Uint8Array(32).fill(7)]);
    first.close();
    const db = new BetterSqlite3(file);
    db.exec(`DROP TABLE ${SQLITE_SCHEMA_VERSIONS_TABLE}`);
    db.pragma('user_version = 1');
    db.close();
    const stores = openMvdsSqliteStore(file);
    expect(await stores.delivered.has(new Uint8Array(32).fill(7))).toBe(true);
    expect(sqliteSchemaVersion(stores.db, MVDS_SQLITE_SCHEMA)).toBe(1);
    stores.close();
  });

  it("works on a Database the application owns, leaving it open with the application's settings", async () => {
    const db = new BetterSqlite3(join(dir, 'app.db'));
    db.pragma('synchronous = FULL');
    const stores = openMvdsSqliteStore(db, { synchronous: 'NORMAL' });
    await stores.delivered.add([new Uint8Array(32)]);
    stores.close();
    expect(db.open).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.prepare('SELECT COUNT(*) FROM mvds_delivered').pluck().get()).toBe(1);
    db.close();
  });

  it('without better-sqlite3, opening a file throws MissingDependencyError naming it', () => {
    const open = () => withoutPackage('better-sqlite3', () => openMvdsSqliteStore(join(dir, 'none.db')));
    expect(open).toThrow(MissingDependencyError);
    expect(open).toThrow(
      expect.objectContaining({
        dependency: 'better-sqlite3',
        message: expect.stringContaining('@status-ts/mvds/sqlite'),
      }),
    );
  });

  it('rolls a failed sync-state batch back completely', async () => {
    const stores = openMvdsSqliteStore(join(dir, 'rollback.db'));
    const peer = new Uint8Array(65).fill(1);
    const ok = {
      peer,
      messageId: new Uint8Array(32),
      type: 'message' as const,
      groupId: undefined,
      sendCount: 0,
      sendEpoch: 1,
    };
    await stores.syncState.apply({ put: [ok] });
    const bad = { ...ok, messageId: new Uint8Array(32).fill(2), peer: {} as Uint8Array };
    await expect(stores.syncState.apply({ remove: [ok], put: [bad], epoch: 9 })).rejects.toThrow();
    expect(await stores.syncState.get(peer, ok.messageId)).toEqual(ok);
    expect(await stores.syncState.loadEpoch()).toBe(0);
    stores.close();
  });
});
