import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MissingDependencyError } from '@status-ts/core';
import { SQLITE_SCHEMA_VERSIONS_TABLE, sqliteSchemaVersion } from '@status-ts/core/sqlite';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutPackage } from '../../../tools/hide-package.js';
import { MemoryRegistrationStore } from '../src/index.js';
import { openRendezvousSqliteStore, RENDEZVOUS_SQLITE_SCHEMA } from '../src/sqlite/index.js';
import { testEnr } from './helpers/fixtures.js';
import { registrationStoreContract } from './helpers/store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'rendezvous-store-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

registrationStoreContract('memory', async () => new MemoryRegistrationStore());
registrationStoreContract('sqlite (file)', async () =>
  openRendezvousSqliteStore(join(dir, `store-${files++}.db`)),
);

function registrationOf(record: ReturnType<typeof testEnr>, expiresAt: number) {
  return { topic: 'whisper', nodeId: record.nodeIdHex, seq: record.seq, record: record.encode(), expiresAt };
}

describe('SqliteRegistrationStore', () => {
  it('keeps live registrations across a reopen of the same file', async () => {
    const path = join(dir, 'reopen.db');
    const record = testEnr();
    const first = openRendezvousSqliteStore(path);
    await first.put(registrationOf(record, 5_000));
    await first.close();
    const second = openRendezvousSqliteStore(path);
    expect(await second.random('whisper', 10, 1_000)).toEqual([record.encode()]);
    expect(await second.random('whisper', 10, 5_000)).toEqual([]);
    await second.close();
  });

  it('records its schema version in its own row and adopts the unversioned first release', async () => {
    const path = join(dir, 'first-release.db');
    const record = testEnr();
    const first = openRendezvousSqliteStore(path);
    await first.put(registrationOf(record, 5_000));
    await first.close();
    const old = new Database(path);
    expect(sqliteSchemaVersion(old, RENDEZVOUS_SQLITE_SCHEMA)).toBe(RENDEZVOUS_SQLITE_SCHEMA.version);
    old.exec(`DROP TABLE ${SQLITE_SCHEMA_VERSIONS_TABLE}`); // what the first release left
    old.close();
    const store = openRendezvousSqliteStore(path);
    expect(await store.random('whisper', 10, 1_000)).toEqual([record.encode()]);
    await store.close();
  });

  it("works on the application's connection and leaves it open", async () => {
    const db = new Database(':memory:');
    const store = openRendezvousSqliteStore(db);
    await store.put(registrationOf(testEnr(), 5_000));
    await store.close();
    expect(db.open).toBe(true);
    expect(db.prepare('SELECT count(*) FROM rendezvous_registrations').pluck().get()).toBe(1);
    db.close();
  });

  it('without better-sqlite3, opening a file throws MissingDependencyError naming it', () => {
    const open = () =>
      withoutPackage('better-sqlite3', () => openRendezvousSqliteStore(join(dir, 'none.db')));
    expect(open).toThrow(MissingDependencyError);
    expect(open).toThrow(
      expect.objectContaining({
        dependency: 'better-sqlite3',
        message: expect.stringContaining('@status-ts/rendezvous/sqlite'),
      }),
    );
  });
});
