// Node-only entry: the client's message store in SQLite on better-sqlite3 (an optional peer dependency,
// loaded only when the store is opened on a path). Import from '@status-ts/client/sqlite'.

export { type NodeSqlite, openNodeSqlite } from './node-file.js';
export { CLIENT_SQLITE_SCHEMA } from './schema.js';
export { type ClientSqliteStoreOptions, openClientSqliteStore, SqliteMessageStore } from './store.js';
