import { Enr } from '@status-ts/enr';
import { CacheTable } from '../cache/cache-table.js';
import { PeerPoolError, PeerPoolErrorCode } from '../errors.js';

/** A cache file larger than this is refused (50 peers x a few topics is a few tens of KB). */
export const MAX_CACHE_FILE_BYTES = 1024 * 1024;
export const JSON_CACHE_VERSION = 1;

interface FileShape {
  version: number;
  topics: Record<string, Array<{ enr: string; at: number }>>;
}

export function badCacheFile(message: string, cause?: unknown): PeerPoolError {
  return new PeerPoolError(PeerPoolErrorCode.BadCacheFile, message, cause === undefined ? {} : { cause });
}

/**
 * Parses a cache file. The shape must be right (ERR_PEERPOOL_BAD_CACHE_FILE otherwise); single records that
 * do not decode or verify are skipped, so one bad entry does not lose the rest.
 */
export function parseCacheFile(text: string, limit: number): { table: CacheTable; skipped: number } {
  if (text.length > MAX_CACHE_FILE_BYTES)
    throw badCacheFile(`cache file larger than ${MAX_CACHE_FILE_BYTES} bytes`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw badCacheFile('cache file is not JSON', cause);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw badCacheFile('cache file is not an object');
  const { version, topics } = data as Partial<FileShape>;
  if (version !== JSON_CACHE_VERSION)
    // JSON.stringify, not String(): a hostile file's value may be an object that cannot become a string.
    throw badCacheFile(`unsupported cache file version ${JSON.stringify(version)}`);
  if (typeof topics !== 'object' || topics === null || Array.isArray(topics))
    throw badCacheFile('topics must be an object');
  const table = new CacheTable(limit);
  let skipped = 0;
  for (const [topic, entries] of Object.entries(topics)) {
    if (!Array.isArray(entries)) throw badCacheFile(`topic ${topic}: entries must be an array`);
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

/** The file text for a table: what `parseCacheFile` reads back. */
export function serialiseCacheFile(table: CacheTable): string {
  const topics: FileShape['topics'] = {};
  for (const topic of table.topics()) {
    topics[topic] = table.list(topic).map((p) => ({ enr: p.enr.encodeText(), at: p.lastConnectedAt }));
  }
  return `${JSON.stringify({ version: JSON_CACHE_VERSION, topics } satisfies FileShape, null, 1)}\n`;
}
