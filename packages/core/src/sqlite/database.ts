// The part of a SQLite connection the stores use, written as structural types so that neither core nor any
// store's public types depend on better-sqlite3 (or its @types): a better-sqlite3 `Database` fits as it is.

/** What a write statement reports. */
export interface SqliteRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A prepared statement (better-sqlite3's `Statement`). */
export interface SqliteStatement {
  run(...params: unknown[]): SqliteRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** Rows as their first column's value. */
  pluck(toggleState?: boolean): this;
  /** Rows as arrays of column values. */
  raw(toggleState?: boolean): this;
  /** INTEGER columns as bigint. */
  safeIntegers(toggleState?: boolean): this;
}

/** `fn` wrapped in BEGIN / COMMIT (ROLLBACK when it throws); a savepoint when already in a transaction. */
export interface SqliteTransaction<A extends unknown[], R> {
  (...args: A): R;
  /** BEGIN IMMEDIATE: takes the write lock before the first read. */
  immediate(...args: A): R;
}

/** An open SQLite connection (better-sqlite3's `Database`). */
export interface SqliteDatabase {
  readonly open: boolean;
  readonly memory: boolean;
  readonly inTransaction: boolean;
  exec(source: string): unknown;
  prepare(source: string): SqliteStatement;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): SqliteTransaction<A, R>;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): unknown;
}

/** True when `db` has a table called `name`. */
export function sqliteTableExists(db: SqliteDatabase, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
