// Node-only entry: the SQLite SessionStore on better-sqlite3. Import from '@status-ts/secure-transport/sqlite'.
export { migrate, SQLITE_SCHEMA_VERSION } from './schema.js';
export { openSqliteSessionStore, SqliteSessionStore, type SqliteSessionStoreOptions } from './store.js';
