// Node-only entry: the SQLite peer cache on better-sqlite3. Import from '@status-ts/peerpool/sqlite'.
export { SqlitePeerCache, type SqlitePeerCacheOptions } from './sqlite-cache.js';
