// Node-only entry: the peer cache in a JSON file (node:fs). Import from '@status-ts/peerpool/json-file'.
export { JSON_CACHE_VERSION, MAX_CACHE_FILE_BYTES, parseCacheFile } from './format.js';
export { JsonFilePeerCache, type JsonFilePeerCacheOptions } from './json-file-cache.js';
