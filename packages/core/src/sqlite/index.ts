// Node-side SQLite plumbing shared by every store: structural connection types, per-store schema versions
// in one shared table, and opening better-sqlite3 only when a store is given a path. Import from
// '@status-ts/core/sqlite'; nothing here imports better-sqlite3 statically.
export {
  type SqliteDatabase,
  type SqliteRunResult,
  type SqliteStatement,
  type SqliteTransaction,
  sqliteTableExists,
} from './database.js';
export {
  type OpenSqliteDatabaseOptions,
  openSqliteDatabase,
  openSqliteStore,
  SQLITE_DRIVER,
  type SqliteConnection,
  type SqliteSource,
} from './open.js';
export {
  defineSqliteSchema,
  migrateSqliteSchema,
  SQLITE_SCHEMA_TOO_NEW,
  SQLITE_SCHEMA_VERSIONS_TABLE,
  type SqliteMigration,
  type SqliteSchema,
  SqliteSchemaTooNewError,
  sqliteSchemaVersion,
} from './schema.js';
