// Node-only entry: the SQLite registration store on better-sqlite3. Import from '@status-ts/rendezvous/sqlite'.
export { SqliteRegistrationStore, type SqliteRegistrationStoreOptions } from './store.js';
