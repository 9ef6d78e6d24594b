// Node-only entry: the embedded SQLite store on better-sqlite3. Import from '@status-ts/mailserver/sqlite'.
export {
  SQLITE_TOPIC_INDEX_BATCH,
  SQLITE_WAL_AUTOCHECKPOINT_PAGES,
  SqliteEnvelopeStore,
  type SqliteEnvelopeStoreOptions,
} from '../store/sqlite.js';
export { migrateSqliteSchema, SQLITE_SCHEMA_VERSION, sqliteSchemaVersion } from '../store/sqlite-schema.js';
