import { requireOptional } from '../optional-dependency.js';
import type { SqliteDatabase } from './database.js';

/** The driver module loaded when a store is given a path. */
export const SQLITE_DRIVER = 'better-sqlite3';

/** A database file path (`':memory:'` for a private in-memory database), or a connection the caller opened. */
export type SqliteSource<D extends SqliteDatabase = SqliteDatabase> = string | D;

export interface OpenSqliteDatabaseOptions {
  /**
   * The calling package's `import.meta.url`: the driver is resolved from there, that is from the consumer's
   * install of that package's optional peer dependency.
   */
  readonly from: string | URL;
  /** What needs the driver (e.g. `@status-ts/mvds/sqlite`), named in the error when it is not installed. */
  readonly feature: string;
  /**
   * `PRAGMA synchronous` of a file opened here: NORMAL (default) survives a process crash in WAL mode, FULL
   * also a power loss.
   */
  readonly synchronous?: 'OFF' | 'NORMAL' | 'FULL';
  /** ms a write waits for another connection's lock, for a file opened here (default 5000). */
  readonly busyTimeoutMs?: number;
}

/** A connection and who owns it. */
export interface SqliteConnection<D extends SqliteDatabase = SqliteDatabase> {
  readonly db: D;
  /** True when the connection was opened here from a path; false for the caller's own connection. */
  readonly owned: boolean;
  /** Closes an owned connection; leaves the caller's connection open. */
  close(): void;
}

type SqliteDriver = new (filename: string) => SqliteDatabase;

/**
 * Opens a database file with better-sqlite3 (loaded only now, through `requireOptional`, so a missing driver
 * is a `MissingDependencyError` naming it) in WAL mode, or wraps a connection the caller opened, whose
 * settings are left as they are and which `close()` leaves open: several stores can share it.
 */
export function openSqliteDatabase<D extends SqliteDatabase = SqliteDatabase>(
  source: SqliteSource<D>,
  options: OpenSqliteDatabaseOptions,
): SqliteConnection<D> {
  if (typeof source !== 'string') return { db: source, owned: false, close: () => {} };
  const Driver = requireOptional<SqliteDriver>(options.from, SQLITE_DRIVER, options.feature);
  const db = new Driver(source) as D;
  try {
    if (!db.memory) db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    db,
    owned: true,
    close: () => {
      if (db.open) db.close();
    },
  };
}

/**
 * Opens `source` and builds a store on it; a connection opened here is closed again when `create` throws
 * (a bad option, a refused schema), so a failed open leaks nothing.
 */
export function openSqliteStore<T, D extends SqliteDatabase = SqliteDatabase>(
  source: SqliteSource<D>,
  options: OpenSqliteDatabaseOptions,
  create: (connection: SqliteConnection<D>) => T,
): T {
  const connection = openSqliteDatabase(source, options);
  try {
    return create(connection);
  } catch (err) {
    connection.close();
    throw err;
  }
}
