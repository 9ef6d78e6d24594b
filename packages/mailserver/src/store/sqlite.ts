import { bloomMatches, Envelope, topicToBloom, type Envelope as WakuEnvelope } from '@status-ts/waku';
import Database from 'better-sqlite3';
import { MailserverError, MailserverErrorCode } from '../errors.js';
import { afterCursorKey, cursorOf, dbKeyOf, lowerKey, upperKey } from '../key.js';
import { checkQuery } from './matching.js';
import type { EnvelopeStore, HistoryPage, HistoryQuery } from './types.js';

export interface SqliteEnvelopeStoreOptions {
  /** Database file (created when missing); `':memory:'` for a throwaway store. */
  path: string;
  /**
   * `FULL` makes every acknowledged write survive power loss; `NORMAL` (default) survives a process crash,
   * which is what a killed mailserver needs, at a fraction of the cost in WAL mode.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** ms to wait for another connection's write lock. */
  busyTimeoutMs?: number;
  /**
   * WAL pages written before SQLite checkpoints them into the database file (default
   * {@link SQLITE_WAL_AUTOCHECKPOINT_PAGES}). Each batch dirties one (topic, key) index leaf per topic, so
   * SQLite's default of 1000 pages checkpoints (and fsyncs) every few batches; a larger WAL writes each hot
   * page back once per checkpoint instead.
   */
  walAutocheckpointPages?: number;
}

/** Default WAL auto-checkpoint threshold: 10,000 pages (about 40 MB of WAL at 4 KiB pages). */
export const SQLITE_WAL_AUTOCHECKPOINT_PAGES = 10_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS envelopes (
  key BLOB PRIMARY KEY,
  topic BLOB NOT NULL,
  arrived INTEGER NOT NULL,
  raw BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS envelopes_topic_key ON envelopes (topic, key);
`;

function view(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * The embedded store: one SQLite file (better-sqlite3, WAL), keyed by status-go's 40-byte DB key so rows sit
 * in time order; a (topic, key) index serves topic queries, a registered `bloom_match` function bloom ones.
 */
export class SqliteEnvelopeStore implements EnvelopeStore {
  readonly db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #insertMany: (envelopes: readonly WakuEnvelope[], at: number) => number;
  readonly #deleteOlder: Database.Statement;
  readonly #count: Database.Statement;
  readonly #queryAll: Database.Statement;
  readonly #queryBloom: Database.Statement;
  readonly #queryTopics = new Map<number, Database.Statement>();

  constructor(options: SqliteEnvelopeStoreOptions) {
    try {
      this.db = new Database(options.path);
    } catch (cause) {
      throw new MailserverError(MailserverErrorCode.Store, `cannot open SQLite store ${options.path}`, {
        cause,
      });
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    const checkpointPages = options.walAutocheckpointPages ?? SQLITE_WAL_AUTOCHECKPOINT_PAGES;
    if (!Number.isInteger(checkpointPages) || checkpointPages < 0) {
      this.db.close();
      throw new MailserverError(
        MailserverErrorCode.InvalidOptions,
        `walAutocheckpointPages must be a non-negative integer, got ${checkpointPages}`,
      );
    }
    this.db.pragma(`wal_autocheckpoint = ${checkpointPages}`);
    this.db.exec(SCHEMA);
    this.db.function('bloom_match', { deterministic: true }, (bloom: unknown, topic: unknown) =>
      bloomMatches(view(bloom as Uint8Array), topicToBloom(view(topic as Uint8Array))) ? 1 : 0,
    );
    this.#insert = this.db.prepare(
      'INSERT OR IGNORE INTO envelopes (key, topic, arrived, raw) VALUES (?, ?, ?, ?)',
    );
    this.#insertMany = this.db.transaction((envelopes, at: number) => {
      let added = 0;
      for (const e of envelopes) added += this.#insert.run(dbKeyOf(e), e.topic, at, e.raw).changes;
      return added;
    });
    this.#deleteOlder = this.db.prepare('DELETE FROM envelopes WHERE key < ?');
    this.#count = this.db.prepare('SELECT count(*) AS n FROM envelopes').pluck();
    const select = 'SELECT key, raw FROM envelopes WHERE key >= ? AND key <= ? AND key > ?';
    this.#queryAll = this.db.prepare(`${select} ORDER BY key LIMIT ?`).raw();
    this.#queryBloom = this.db.prepare(`${select} AND bloom_match(?, topic) ORDER BY key LIMIT ?`).raw();
  }

  /**
   * One index range scan per topic, each stopping after `limit` keys, merged and cut to `limit`; raw bodies
   * are read for the final page only. A plain `topic IN (...)` reads every match of the range, with its
   * body, then sorts them.
   */
  #topicStatement(n: number): Database.Statement {
    let stmt = this.#queryTopics.get(n);
    if (!stmt) {
      const perTopic = Array.from(
        { length: n },
        (_, i) =>
          `SELECT key FROM (SELECT key FROM envelopes WHERE topic = @t${i} AND key >= @lower AND key <= @upper` +
          ' AND key > @after ORDER BY key LIMIT @limit)',
      ).join(' UNION ALL ');
      stmt = this.db
        .prepare(
          `SELECT e.key, e.raw FROM (${perTopic} ORDER BY key LIMIT @limit) AS page` +
            ' JOIN envelopes AS e ON e.key = page.key ORDER BY e.key',
        )
        .raw();
      this.#queryTopics.set(n, stmt);
    }
    return stmt;
  }

  async put(envelopes: readonly WakuEnvelope[], arrivedAtMs = Date.now()): Promise<number> {
    try {
      return this.#insertMany(envelopes, arrivedAtMs);
    } catch (cause) {
      throw new MailserverError(MailserverErrorCode.Store, 'SQLite write failed', { cause });
    }
  }

  async query(query: HistoryQuery): Promise<HistoryPage> {
    checkQuery(query);
    const after = query.cursor && query.cursor.length > 0 ? afterCursorKey(query.cursor) : new Uint8Array(0);
    const range = [lowerKey(query.lower), upperKey(query.upper), after];
    const bloom = query.bloom;
    let rows: [Uint8Array, Uint8Array][];
    if (query.topics && query.topics.length > 0) {
      // Distinct topics: each one is its own scan, a duplicate would repeat its rows.
      const topics = [...new Map(query.topics.map((t) => [t.join(), t])).values()];
      const params: Record<string, unknown> = {
        lower: range[0],
        upper: range[1],
        after,
        limit: query.limit,
      };
      topics.forEach((t, i) => {
        params[`t${i}`] = t;
      });
      rows = this.#topicStatement(topics.length).all(params) as typeof rows;
    } else if (bloom && bloom.length === 64 && !bloom.every((b) => b === 0xff)) {
      rows = this.#queryBloom.all(...range, bloom, query.limit) as typeof rows;
    } else {
      rows = this.#queryAll.all(...range, query.limit) as typeof rows;
    }
    const envelopes = rows.map((r) => Envelope.decode(view(r[1])));
    const last = rows[rows.length - 1];
    return rows.length === query.limit && last
      ? { envelopes, cursor: cursorOf(view(last[0])) }
      : { envelopes };
  }

  async deleteOlderThan(sentBefore: number): Promise<number> {
    return this.#deleteOlder.run(lowerKey(sentBefore)).changes;
  }

  async count(): Promise<number> {
    return this.#count.get() as number;
  }

  /** `PRAGMA integrity_check` result ('ok' when the file is sound). */
  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
