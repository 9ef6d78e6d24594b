import { bytesToHex } from '@status-ts/core';
import {
  migrateSqliteSchema,
  openSqliteStore,
  type SqliteConnection,
  type SqliteSource,
  type SqliteStatement,
} from '@status-ts/core/sqlite';
import { Enr } from '@status-ts/enr';
import { type CachedPeer, cachedRecords, type PeerCache } from '../cache/peer-cache.js';
import { DEFAULT_CACHE_LIMIT } from '../constants.js';
import { PeerPoolError, PeerPoolErrorCode } from '../errors.js';
import { PEERPOOL_SQLITE_SCHEMA } from './schema.js';

export interface PeerPoolSqliteStoreOptions {
  /** Peers kept per topic, default 50. */
  readonly limit?: number;
  /** `PRAGMA synchronous` of a file opened here (default NORMAL); a connection passed in keeps its own. */
  readonly synchronous?: 'NORMAL' | 'FULL';
}

interface Row {
  topic: string;
  id: string;
  enr: string;
  at: number;
}

/**
 * Opens the peer cache in a SQLite file (WAL; created when missing) or on a better-sqlite3 connection the
 * application already has open, as a table beside the node's other tables (left open by `close()`).
 * better-sqlite3 is an optional peer dependency, loaded only to open a file: without it this throws
 * `MissingDependencyError` (ERR_MISSING_DEPENDENCY).
 */
export function openPeerPoolSqliteStore(
  source: SqliteSource,
  options: PeerPoolSqliteStoreOptions = {},
): SqlitePeerCache {
  const limit = options.limit ?? DEFAULT_CACHE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new PeerPoolError(PeerPoolErrorCode.InvalidArgument, 'limit must be a positive integer');
  }
  const settings = {
    from: import.meta.url,
    feature: '@status-ts/peerpool/sqlite',
    synchronous: options.synchronous,
  };
  return openSqliteStore(source, settings, (connection) => new SqlitePeerCache(connection, limit));
}

/**
 * A `PeerCache` in SQLite (better-sqlite3); open it with {@link openPeerPoolSqliteStore}. Rows that no
 * longer decode are deleted when read.
 */
export class SqlitePeerCache implements PeerCache {
  readonly name = 'cache';
  readonly #connection: SqliteConnection;
  readonly #limit: number;
  readonly #upsert: SqliteStatement;
  readonly #trim: SqliteStatement;
  readonly #delete: SqliteStatement;
  readonly #select: SqliteStatement;

  /** Use {@link openPeerPoolSqliteStore}. */
  constructor(connection: SqliteConnection, limit: number) {
    this.#connection = connection;
    this.#limit = limit;
    const db = connection.db;
    migrateSqliteSchema(db, PEERPOOL_SQLITE_SCHEMA);
    this.#upsert = db.prepare(
      'INSERT INTO peerpool_cache (topic, id, enr, at) VALUES (?, ?, ?, ?) ON CONFLICT (topic, id) DO UPDATE SET enr = excluded.enr, at = excluded.at',
    );
    // Keeps the newest `limit` rows of a topic.
    this.#trim = db.prepare(
      'DELETE FROM peerpool_cache WHERE topic = ? AND id NOT IN (SELECT id FROM peerpool_cache WHERE topic = ? ORDER BY at DESC LIMIT ?)',
    );
    this.#delete = db.prepare('DELETE FROM peerpool_cache WHERE topic = ? AND id = ?');
    this.#select = db.prepare(
      'SELECT topic, id, enr, at FROM peerpool_cache WHERE topic = ? ORDER BY at DESC LIMIT ?',
    );
  }

  async add(topic: string, enr: Enr, at: number): Promise<void> {
    const id = bytesToHex(enr.rawPublicKey);
    this.#connection.db.transaction(() => {
      this.#upsert.run(topic, id, enr.encodeText(), Math.floor(at));
      this.#trim.run(topic, topic, this.#limit);
    })();
  }

  async remove(topic: string, id: string): Promise<void> {
    this.#delete.run(topic, id);
  }

  async list(topic: string, limit = this.#limit): Promise<CachedPeer[]> {
    const out: CachedPeer[] = [];
    for (const row of this.#select.all(topic, limit) as Row[]) {
      try {
        out.push({ topic, id: row.id, enr: Enr.decodeText(row.enr), lastConnectedAt: row.at });
      } catch {
        this.#delete.run(topic, row.id);
      }
    }
    return out;
  }

  find(topic: string, signal?: AbortSignal): AsyncIterable<Enr> {
    return cachedRecords(this, topic, signal);
  }

  /** Closes the database if the cache opened it; a connection passed in stays open. */
  async close(): Promise<void> {
    this.#connection.close();
  }
}
