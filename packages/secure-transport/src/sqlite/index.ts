// Node-only entry: the SQLite SessionStore on better-sqlite3 (an optional peer dependency, loaded only when the
// store is opened on a path). Import from '@status-ts/secure-transport/sqlite'.
export { SECURE_TRANSPORT_SQLITE_SCHEMA } from './schema.js';
export {
  openSecureTransportSqliteStore,
  type SecureTransportSqliteStoreOptions,
  type SqliteSessionStore,
} from './store.js';
