// Node-only entry: the embedded SQLite store, on better-sqlite3 (an optional peer dependency, loaded only
// when a store is opened on a path). Import from '@status-ts/mailserver/sqlite'.

export {
  type MailserverSqliteStoreOptions,
  openMailserverSqliteStore,
  SQLITE_TOPIC_INDEX_BATCH,
  SQLITE_WAL_AUTOCHECKPOINT_PAGES,
  type SqliteEnvelopeStore,
  type SqliteFunctionDatabase,
} from '../store/sqlite.js';
export { MAILSERVER_SQLITE_SCHEMA } from '../store/sqlite-schema.js';
