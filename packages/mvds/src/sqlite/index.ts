// Node-only entry: SQLite stores on better-sqlite3 (an optional peer dependency, loaded only when a store is
// opened on a path). Import from '@status-ts/mvds/sqlite'.
export { MVDS_SQLITE_SCHEMA } from './schema.js';
export { type MvdsSqliteStoreOptions, openMvdsSqliteStore, type SqliteStores } from './stores.js';
