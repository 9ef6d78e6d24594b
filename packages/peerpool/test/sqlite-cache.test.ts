import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MissingDependencyError } from '@status-ts/core';
import { SQLITE_SCHEMA_VERSIONS_TABLE, sqliteSchemaVersion } from '@status-ts/core/sqlite';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutPackage } from '../../../tools/hide-package.js';
import { openPeerPoolSqliteStore, PEERPOOL_SQLITE_SCHEMA } from '../src/sqlite/index.js';
import { idOf, makeEnr } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'peerpool-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite peer cache', () => {
  it('records its schema version in its own row of the shared versions table', async () => {
    const cache = openPeerPoolSqliteStore(join(dir, 'versioned.db'));
    await cache.close();
    const db = new Database(join(dir, 'versioned.db'));
    expect(sqliteSchemaVersion(db, PEERPOOL_SQLITE_SCHEMA)).toBe(PEERPOOL_SQLITE_SCHEMA.version);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    db.close();
  });

  it('adopts the unversioned table of the first release with its peers', async () => {
    const path = join(dir, 'first-release.db');
    const enr = makeEnr();
    const first = openPeerPoolSqliteStore(path);
    await first.add('whisper', enr, 1_000);
    await first.close();
    const old = new Database(path);
    old.exec(`DROP TABLE ${SQLITE_SCHEMA_VERSIONS_TABLE}`); // what the first release left
    old.close();
    const cache = openPeerPoolSqliteStore(path);
    expect((await cache.list('whisper')).map((p) => p.id)).toEqual([idOf(enr)]);
    await cache.close();
  });

  it("lives as a table in the application's connection, which close() leaves open", async () => {
    const db = new Database(join(dir, 'app.db'));
    const cache = openPeerPoolSqliteStore(db, { limit: 2 });
    await cache.add('whisper', makeEnr(), 1);
    await cache.close();
    expect(db.open).toBe(true);
    expect(db.prepare('SELECT count(*) FROM peerpool_cache').pluck().get()).toBe(1);
    db.close();
  });

  it('without better-sqlite3, opening a file throws MissingDependencyError naming it', () => {
    const open = () => withoutPackage('better-sqlite3', () => openPeerPoolSqliteStore(join(dir, 'none.db')));
    expect(open).toThrow(MissingDependencyError);
    expect(open).toThrow(
      expect.objectContaining({
        dependency: 'better-sqlite3',
        message: expect.stringContaining('@status-ts/peerpool/sqlite'),
      }),
    );
  });
});
