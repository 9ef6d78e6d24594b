import { StatusTsError } from '../errors.js';
import { type SqliteDatabase, sqliteTableExists } from './database.js';

/**
 * The table where every store records its own schema version, one row per store, so several stores share
 * one database file (`PRAGMA user_version` is one number for the whole file, which only one store can own).
 */
export const SQLITE_SCHEMA_VERSIONS_TABLE = 'status_ts_schema_versions';

/** Code of the error thrown when a store's tables were written by a newer release than the running one. */
export const SQLITE_SCHEMA_TOO_NEW = 'ERR_SQLITE_SCHEMA_TOO_NEW';

/** How one store lays out its tables, and how to bring an older layout up to date. */
export interface SqliteSchema {
  /** The store's row in the versions table (its package name, e.g. `@status-ts/mvds`). */
  readonly component: string;
  /** The version this release writes: the number of migrations. */
  readonly version: number;
  /** `migrations[i]` brings the store's tables from version `i` to `i + 1`; version 0 is "no tables yet". */
  readonly migrations: readonly SqliteMigration[];
  /**
   * For files written before the versions table existed: the version the store's own tables are at (read
   * from them and from `userVersion`, the `PRAGMA user_version` the store used to own), 0 when it has none.
   * Consulted once, when the versions table has no row for the store yet.
   */
  readonly legacyVersion?: (db: SqliteDatabase, userVersion: number) => number;
}

/** One step of a store's layout; runs inside the migration's transaction. */
export type SqliteMigration = (db: SqliteDatabase) => void;

/** A store's tables were written by a newer release; the file is left as it was. */
export class SqliteSchemaTooNewError extends StatusTsError {
  constructor(component: string, version: number, supported: number) {
    super(
      SQLITE_SCHEMA_TOO_NEW,
      `${component} tables have schema version ${version}, newer than this release understands (${supported})`,
      { details: { component, version, supported } },
    );
    this.name = 'SqliteSchemaTooNewError';
  }
}

/** Describes a store's schema; its version is the number of migrations. */
export function defineSqliteSchema(schema: Omit<SqliteSchema, 'version'>): SqliteSchema {
  return Object.freeze({ ...schema, version: schema.migrations.length });
}

function recordedVersion(db: SqliteDatabase, component: string): number | undefined {
  if (!sqliteTableExists(db, SQLITE_SCHEMA_VERSIONS_TABLE)) return undefined;
  return db
    .prepare(`SELECT version FROM ${SQLITE_SCHEMA_VERSIONS_TABLE} WHERE component = ?`)
    .pluck()
    .get(component) as number | undefined;
}

/** The version a store's tables are at in `db`: 0 when it has none yet. Reads only. */
export function sqliteSchemaVersion(db: SqliteDatabase, schema: SqliteSchema): number {
  const recorded = recordedVersion(db, schema.component);
  if (recorded !== undefined) return recorded;
  return schema.legacyVersion?.(db, db.pragma('user_version', { simple: true }) as number) ?? 0;
}

/**
 * Brings a store's tables to `schema.version` in one transaction (a crash midway leaves the old layout
 * intact) and records the version in {@link SQLITE_SCHEMA_VERSIONS_TABLE}. Refuses tables written by a
 * newer release ({@link SqliteSchemaTooNewError}). Other stores' tables, and `PRAGMA user_version`, are
 * left alone.
 */
export function migrateSqliteSchema(db: SqliteDatabase, schema: SqliteSchema): { from: number; to: number } {
  const current = recordedVersion(db, schema.component);
  if (current === schema.version) return { from: current, to: current };
  // IMMEDIATE takes the write lock before the version is read again, so two connections opening the same
  // file never run the same migration twice.
  return db
    .transaction(() => {
      const from = sqliteSchemaVersion(db, schema);
      if (from > schema.version) throw new SqliteSchemaTooNewError(schema.component, from, schema.version);
      for (let version = from; version < schema.version; version++) schema.migrations[version]!(db);
      db.exec(
        `CREATE TABLE IF NOT EXISTS ${SQLITE_SCHEMA_VERSIONS_TABLE} (component TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID`,
      );
      db.prepare(
        `INSERT INTO ${SQLITE_SCHEMA_VERSIONS_TABLE} (component, version) VALUES (?, ?)
         ON CONFLICT (component) DO UPDATE SET version = excluded.version`,
      ).run(schema.component, schema.version);
      return { from, to: schema.version };
    })
    .immediate();
}
