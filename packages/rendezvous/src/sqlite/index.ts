// Node-only entry: the SQLite registration store on better-sqlite3 (an optional peer dependency, loaded only
// when the store is opened on a path). Import from '@status-ts/rendezvous/sqlite'.
export { RENDEZVOUS_SQLITE_SCHEMA } from './schema.js';
export {
  openRendezvousSqliteStore,
  type RendezvousSqliteStoreOptions,
  type SqliteRegistrationStore,
} from './store.js';
