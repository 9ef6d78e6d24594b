import { bytesToHex } from '@status-ts/core';
import { Enr } from '@status-ts/enr';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { type CachedPeer, cachedRecords, type PeerCache } from '../cache/peer-cache.js';
import { DEFAULT_CACHE_LIMIT } from '../constants.js';
import { PeerPoolError, PeerPoolErrorCode } from '../errors.js';

/** The table lives beside the node's other tables when a shared database is passed. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS peerpool_cache (
  topic TEXT NOT NULL,
  id TEXT NOT NULL,
  enr TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (topic, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS peerpool_cache_at ON peerpool_cache (topic, at);
`;

export type SqlitePeerCacheOptions = ({ path: string } | { database: Database }) & {
  /** Peers kept per topic, default 50. */
  limit?: number;
};

interface Row {
  topic: string;
  id: string;
  enr: string;
  at: number;
}

/**
 * A `PeerCache` in SQLite (better-sqlite3): its own file (`{ path }`) or a table in the node's database
 * (`{ database }`, left open on `close()`). Rows that no longer decode are deleted when read.
 */
export class SqlitePeerCache implements PeerCache {
  readonly name = 'cache';
  readonly #db: Database;
  readonly #owned: boolean;
  readonly #limit: number;
  readonly #upsert: Statement<[string, string, string, number]>;
  readonly #trim: Statement<[string, string, number]>;
  readonly #delete: Statement<[string, string]>;
  readonly #select: Statement<[string, number], Row>;

  constructor(options: SqlitePeerCacheOptions) {
    this.#limit = options.limit ?? DEFAULT_CACHE_LIMIT;
    if (!Number.isInteger(this.#limit) || this.#limit < 1) {
      throw new PeerPoolError(PeerPoolErrorCode.InvalidArgument, 'limit must be a positive integer');
    }
    this.#owned = 'path' in options;
    this.#db = 'path' in options ? new BetterSqlite3(options.path) : options.database;
    if (this.#owned) this.#db.pragma('journal_mode = WAL');
    this.#db.exec(SCHEMA);
    this.#upsert = this.#db.prepare(
      'INSERT INTO peerpool_cache (topic, id, enr, at) VALUES (?, ?, ?, ?) ON CONFLICT (topic, id) DO UPDATE SET enr = excluded.enr, at = excluded.at',
    );
    // Keeps the newest `limit` rows of a topic.
    this.#trim = this.#db.prepare(
      'DELETE FROM peerpool_cache WHERE topic = ? AND id NOT IN (SELECT id FROM peerpool_cache WHERE topic = ? ORDER BY at DESC LIMIT ?)',
    );
    this.#delete = this.#db.prepare('DELETE FROM peerpool_cache WHERE topic = ? AND id = ?');
    this.#select = this.#db.prepare(
      'SELECT topic, id, enr, at FROM peerpool_cache WHERE topic = ? ORDER BY at DESC LIMIT ?',
    );
  }

  async add(topic: string, enr: Enr, at: number): Promise<void> {
    const id = bytesToHex(enr.rawPublicKey);
    this.#db.transaction(() => {
      this.#upsert.run(topic, id, enr.encodeText(), Math.floor(at));
      this.#trim.run(topic, topic, this.#limit);
    })();
  }

  async remove(topic: string, id: string): Promise<void> {
    this.#delete.run(topic, id);
  }

  async list(topic: string, limit = this.#limit): Promise<CachedPeer[]> {
    const out: CachedPeer[] = [];
    for (const row of this.#select.all(topic, limit)) {
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

  async close(): Promise<void> {
    if (this.#owned && this.#db.open) this.#db.close();
  }
}
