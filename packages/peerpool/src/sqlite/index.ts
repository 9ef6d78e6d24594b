// Node-only entry: the SQLite peer cache on better-sqlite3 (an optional peer dependency, loaded only when the
// cache is opened on a path). Import from '@status-ts/peerpool/sqlite'.
export { PEERPOOL_SQLITE_SCHEMA } from './schema.js';
export {
  openPeerPoolSqliteStore,
  type PeerPoolSqliteStoreOptions,
  type SqlitePeerCache,
} from './sqlite-cache.js';
