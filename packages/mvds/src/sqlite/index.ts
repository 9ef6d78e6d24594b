// Node-only entry: SQLite stores on better-sqlite3. Import from '@status-ts/mvds/sqlite'.
export { migrate, SQLITE_SCHEMA_VERSION } from './schema.js';
export { openSqliteStores, SqliteStores, type SqliteStoresOptions } from './stores.js';
