import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Enr } from '@status-ts/enr';
import { CacheTable } from '../cache/cache-table.js';
import { type CachedPeer, cachedRecords, type PeerCache } from '../cache/peer-cache.js';
import { DEFAULT_CACHE_LIMIT } from '../constants.js';
import { badCacheFile, parseCacheFile, serialiseCacheFile } from './format.js';

export interface JsonFilePeerCacheOptions {
  path: string;
  /** Peers kept per topic, default 50. */
  limit?: number;
}

/**
 * A `PeerCache` in a JSON file, for a node without SQLite. Open with `await JsonFilePeerCache.open({ path })`;
 * a missing file is an empty cache. Every change rewrites the file atomically (temp file + rename), one write
 * at a time.
 */
export class JsonFilePeerCache implements PeerCache {
  readonly name = 'cache';
  readonly path: string;
  /** Records skipped when the file was read (undecodable or badly signed). */
  readonly skipped: number;
  readonly #table: CacheTable;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(path: string, table: CacheTable, skipped: number) {
    this.path = path;
    this.#table = table;
    this.skipped = skipped;
  }

  static async open(options: JsonFilePeerCacheOptions): Promise<JsonFilePeerCache> {
    const limit = options.limit ?? DEFAULT_CACHE_LIMIT;
    let text: string | undefined;
    try {
      text = await readFile(options.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw badCacheFile(`cannot read ${options.path}`, err);
    }
    if (text === undefined) return new JsonFilePeerCache(options.path, new CacheTable(limit), 0);
    const { table, skipped } = parseCacheFile(text, limit);
    return new JsonFilePeerCache(options.path, table, skipped);
  }

  async add(topic: string, enr: Enr, at: number): Promise<void> {
    this.#table.add(topic, enr, at);
    await this.#save();
  }

  async remove(topic: string, id: string): Promise<void> {
    if (this.#table.remove(topic, id)) await this.#save();
  }

  async list(topic: string, limit?: number): Promise<CachedPeer[]> {
    return this.#table.list(topic, limit);
  }

  find(topic: string, signal?: AbortSignal): AsyncIterable<Enr> {
    return cachedRecords(this, topic, signal);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#writing;
  }

  #save(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const text = serialiseCacheFile(this.#table);
    const next = this.#writing.then(async () => {
      const temp = `${this.path}.${process.pid}.tmp`;
      await writeFile(temp, text);
      await rename(temp, this.path);
    });
    this.#writing = next.catch(() => {});
    return next;
  }
}
