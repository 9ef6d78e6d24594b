import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStores, MvdsErrorCode } from '../src/index.js';
import { openSqliteStores, SQLITE_SCHEMA_VERSION, type SqliteStores } from '../src/sqlite/index.js';
import { describeStoreContract } from './helpers/store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'mvds-stores-'));
let fileNo = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract('memory', () => ({ stores: createMemoryStores(), close: () => {} }));

describeStoreContract(
  'sqlite file',
  () => {
    const file = join(dir, `contract-${fileNo++}.db`);
    let current: SqliteStores = openSqliteStores(file);
    return {
      get stores() {
        return current;
      },
      close: () => current.close(),
      reopen: () => {
        current.close();
        current = openSqliteStores(file);
        return current;
      },
    };
  },
  { persistent: true },
);

describe('SQLite specifics', () => {
  it('uses WAL and records the schema version', () => {
    const stores = openSqliteStores(join(dir, 'wal.db'));
    expect(stores.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(stores.db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    stores.close();
    expect(stores.db.open).toBe(false);
  });

  it('refuses a database written by a newer schema', () => {
    const file = join(dir, 'newer.db');
    const db = new BetterSqlite3(file);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteStores(file)).toThrow(
      expect.objectContaining({ code: MvdsErrorCode.InvalidArgument }),
    );
  });

  it('works on a Database the application owns, leaving it open', async () => {
    const db = new BetterSqlite3(':memory:');
    const stores = openSqliteStores(db);
    await stores.delivered.add([new Uint8Array(32)]);
    stores.close();
    expect(db.open).toBe(true);
    expect(db.prepare('SELECT COUNT(*) FROM mvds_delivered').pluck().get()).toBe(1);
    db.close();
  });

  it('rolls a failed sync-state batch back completely', async () => {
    const stores = openSqliteStores(join(dir, 'rollback.db'));
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
