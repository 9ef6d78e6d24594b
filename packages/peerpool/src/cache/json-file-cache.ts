import { Enr } from '@status-ts/enr';
import { DEFAULT_CACHE_LIMIT } from '../constants.js';
import { PeerPoolError, PeerPoolErrorCode } from '../errors.js';
import { CacheTable } from './cache-table.js';
import { type CachedPeer, cachedRecords, type PeerCache } from './peer-cache.js';

/** A cache file larger than this is refused (50 peers x a few topics is a few tens of KB). */
export const MAX_CACHE_FILE_BYTES = 1024 * 1024;
export const JSON_CACHE_VERSION = 1;

export interface JsonFilePeerCacheOptions {
  path: string;
  /** Peers kept per topic, default 50. */
  limit?: number;
}

interface FileShape {
  version: number;
  topics: Record<string, Array<{ enr: string; at: number }>>;
}

function bad(message: string, cause?: unknown): PeerPoolError {
  return new PeerPoolError(PeerPoolErrorCode.BadCacheFile, message, cause === undefined ? {} : { cause });
}

/**
 * Parses a cache file. The shape must be right (ERR_PEERPOOL_BAD_CACHE_FILE otherwise); single records that
 * do not decode or verify are skipped, so one bad entry does not lose the rest.
 */
export function parseCacheFile(text: string, limit: number): { table: CacheTable; skipped: number } {
  if (text.length > MAX_CACHE_FILE_BYTES) throw bad(`cache file larger than ${MAX_CACHE_FILE_BYTES} bytes`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw bad('cache file is not JSON', cause);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw bad('cache file is not an object');
  const { version, topics } = data as Partial<FileShape>;
  if (version !== JSON_CACHE_VERSION) throw bad(`unsupported cache file version ${String(version)}`);
  if (typeof topics !== 'object' || topics === null || Array.isArray(topics))
    throw bad('topics must be an object');
  const table = new CacheTable(limit);
  let skipped = 0;
  for (const [topic, entries] of Object.entries(topics)) {
    if (!Array.isArray(entries)) throw bad(`topic ${topic}: entries must be an array`);
    // Oldest first, so the table's newest-first order and per-topic limit come out right.
    for (const entry of [...entries].reverse()) {
      const e = entry as { enr?: unknown; at?: unknown } | null;
      if (typeof e?.enr !== 'string' || typeof e.at !== 'number' || !Number.isFinite(e.at)) {
        skipped++;
        continue;
      }
      try {
        table.add(topic, Enr.decodeText(e.enr), e.at);
      } catch {
        skipped++;
      }
    }
  }
  return { table, skipped };
}

function serialise(table: CacheTable): string {
  const topics: FileShape['topics'] = {};
  for (const topic of table.topics()) {
    topics[topic] = table.list(topic).map((p) => ({ enr: p.enr.encodeText(), at: p.lastConnectedAt }));
  }
  return `${JSON.stringify({ version: JSON_CACHE_VERSION, topics } satisfies FileShape, null, 1)}\n`;
}

/**
 * A `PeerCache` in a JSON file, for a node without SQLite. Open with `await JsonFilePeerCache.open({ path })`;
 * a missing file is an empty cache. Every change rewrites the file atomically (temp file + rename), one write
 * at a time. `node:fs` is loaded only here, so importing the package stays browser-safe.
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
    const { readFile } = await import('node:fs/promises');
    const limit = options.limit ?? DEFAULT_CACHE_LIMIT;
    let text: string | undefined;
    try {
      text = await readFile(options.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw bad(`cannot read ${options.path}`, err);
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
    const text = serialise(this.#table);
    const next = this.#writing.then(async () => {
      const { rename, writeFile } = await import('node:fs/promises');
      const temp = `${this.path}.${process.pid}.tmp`;
      await writeFile(temp, text);
      await rename(temp, this.path);
    });
    this.#writing = next.catch(() => {});
    return next;
  }
}
