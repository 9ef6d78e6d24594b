import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutPackage } from '../../../tools/hide-package.js';
import { MISSING_DEPENDENCY, MissingDependencyError } from '../src/index.js';
import {
  defineSqliteSchema,
  migrateSqliteSchema,
  openSqliteDatabase,
  openSqliteStore,
  SQLITE_SCHEMA_TOO_NEW,
  SQLITE_SCHEMA_VERSIONS_TABLE,
  type SqliteDatabase,
  sqliteSchemaVersion,
  sqliteTableExists,
} from '../src/sqlite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'status-ts-core-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Core has no SQLite driver of its own (it must stay driver-free): these tests load the better-sqlite3 that
// @status-ts/mvds installs as a dev dependency, resolved from that package as a store would.
const withDriver = { from: new URL('../../mvds/package.json', import.meta.url), feature: 'core tests' };

const open = (path = ':memory:') => openSqliteDatabase(path, withDriver).db;

const tables = (db: SqliteDatabase) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();

const notes = defineSqliteSchema({
  component: 'notes',
  migrations: [
    (db) => db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)'),
    (db) => db.exec("ALTER TABLE notes ADD COLUMN tag TEXT NOT NULL DEFAULT ''"),
  ],
  // The first release kept its version in user_version and had no tag column.
  legacyVersion: (db, userVersion) => (sqliteTableExists(db, 'notes') ? Math.max(userVersion, 1) : 0),
});
const counters = defineSqliteSchema({
  component: 'counters',
  migrations: [(db) => db.exec('CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL)')],
});

describe('openSqliteDatabase', () => {
  it('names the missing driver and the feature that needs it in a MissingDependencyError', () => {
    let caught: unknown;
    try {
      withoutPackage('better-sqlite3', () => openSqliteDatabase(join(dir, 'x.db'), withDriver));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MissingDependencyError);
    expect(caught).toMatchObject({ code: MISSING_DEPENDENCY, dependency: 'better-sqlite3' });
    expect((caught as Error).message).toContain('core tests');
  });

  it("uses the caller's connection without loading a driver, and leaves it open and unchanged", () => {
    let closed = false;
    const handle = { close: () => (closed = true) } as unknown as SqliteDatabase;
    const connection = withoutPackage('better-sqlite3', () => openSqliteDatabase(handle, withDriver));
    expect(connection.db).toBe(handle);
    expect(connection.owned).toBe(false);
    connection.close();
    expect(closed).toBe(false);
  });

  it('opens a file in WAL mode with the given synchronous level and closes what it opened', () => {
    const connection = openSqliteDatabase(join(dir, 'wal.db'), { ...withDriver, synchronous: 'FULL' });
    expect(connection.owned).toBe(true);
    expect(connection.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(connection.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(connection.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    connection.close();
    expect(connection.db.open).toBe(false);
    connection.close(); // twice is fine
  });

  it('openSqliteStore closes a connection it opened when building the store throws', () => {
    let db: SqliteDatabase | undefined;
    const fail = () =>
      openSqliteStore(':memory:', withDriver, (connection) => {
        db = connection.db;
        throw new Error('bad option');
      });
    expect(fail).toThrow('bad option');
    expect(db?.open).toBe(false);
    const own = open();
    expect(() =>
      openSqliteStore(own, withDriver, () => {
        throw new Error('bad option');
      }),
    ).toThrow('bad option');
    expect(own.open).toBe(true);
    own.close();
  });
});

describe('per-store schema versions', () => {
  it('records each store in its own row; user_version is left alone', () => {
    const db = open();
    expect(migrateSqliteSchema(db, notes)).toEqual({ from: 0, to: 2 });
    expect(migrateSqliteSchema(db, counters)).toEqual({ from: 0, to: 1 });
    expect(migrateSqliteSchema(db, notes)).toEqual({ from: 2, to: 2 });
    const rows = db
      .prepare(`SELECT component, version FROM ${SQLITE_SCHEMA_VERSIONS_TABLE} ORDER BY 1`)
      .all();
    expect(rows).toEqual([
      { component: 'counters', version: 1 },
      { component: 'notes', version: 2 },
    ]);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tables(db)).toEqual(['counters', 'notes', SQLITE_SCHEMA_VERSIONS_TABLE]);
    db.close();
  });

  it("adopts a store's pre-versions-table layout once, from its tables and user_version, keeping its rows", () => {
    const db = open();
    db.exec(
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL); INSERT INTO notes VALUES (1, 'kept')",
    );
    db.pragma('user_version = 1');
    expect(sqliteSchemaVersion(db, notes)).toBe(1);
    expect(sqliteSchemaVersion(db, counters)).toBe(0); // user_version was not the counters store's
    expect(migrateSqliteSchema(db, counters)).toEqual({ from: 0, to: 1 });
    expect(migrateSqliteSchema(db, notes)).toEqual({ from: 1, to: 2 });
    expect(db.prepare('SELECT id, text, tag FROM notes').all()).toEqual([{ id: 1, text: 'kept', tag: '' }]);
    db.pragma('user_version = 7'); // read once: the row decides from now on
    expect(sqliteSchemaVersion(db, notes)).toBe(2);
    db.close();
  });

  it('refuses tables from a newer release and rolls back, leaving the file as it was', () => {
    const db = open();
    migrateSqliteSchema(db, counters);
    db.prepare(`UPDATE ${SQLITE_SCHEMA_VERSIONS_TABLE} SET version = 5 WHERE component = 'counters'`).run();
    expect(() => migrateSqliteSchema(db, counters)).toThrow(
      expect.objectContaining({
        code: SQLITE_SCHEMA_TOO_NEW,
        details: { component: 'counters', version: 5, supported: 1 },
      }),
    );
    expect(sqliteSchemaVersion(db, counters)).toBe(5);
    db.close();
  });

  it('a migration step that fails leaves the old layout and version in place', () => {
    const db = open();
    const broken = defineSqliteSchema({
      component: 'notes',
      migrations: [
        notes.migrations[0]!,
        (d) => {
          d.exec('CREATE TABLE half_done (x)');
          throw new Error('step 2 failed');
        },
      ],
    });
    expect(() => migrateSqliteSchema(db, broken)).toThrow('step 2 failed');
    expect(tables(db)).toEqual([]);
    expect(sqliteSchemaVersion(db, broken)).toBe(0);
    db.close();
  });

  it('two connections to one file both see the same versions', () => {
    const path = join(dir, 'two.db');
    const [a, b] = [open(path), open(path)];
    migrateSqliteSchema(a, notes);
    expect(migrateSqliteSchema(b, notes)).toEqual({ from: 2, to: 2 });
    expect(migrateSqliteSchema(b, counters)).toEqual({ from: 0, to: 1 });
    expect(sqliteSchemaVersion(a, counters)).toBe(1);
    a.close();
    b.close();
  });
});
