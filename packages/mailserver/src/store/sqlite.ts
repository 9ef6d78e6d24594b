import { compareBytes, StatusTsError } from '@status-ts/core';
import {
  migrateSqliteSchema,
  openSqliteStore,
  type SqliteConnection,
  type SqliteDatabase,
  type SqliteSource,
  type SqliteStatement,
} from '@status-ts/core/sqlite';
import { bloomMatches, Envelope, topicToBloom, type Envelope as WakuEnvelope } from '@status-ts/waku';
import { MailserverError, MailserverErrorCode } from '../errors.js';
import { CURSOR_LENGTH, cursorOf, sentTime } from '../key.js';
import { checkQuery } from './matching.js';
import { MAILSERVER_SQLITE_SCHEMA } from './sqlite-schema.js';
import type { EnvelopeStore, HistoryPage, HistoryQuery } from './types.js';

export interface MailserverSqliteStoreOptions {
  /**
   * For a file opened here: `FULL` makes every acknowledged write survive power loss; `NORMAL` (default)
   * survives a process crash, which is what a killed mailserver needs, at a fraction of the cost in WAL mode.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** For a file opened here: ms to wait for another connection's write lock (default 5000). */
  busyTimeoutMs?: number;
  /**
   * For a file opened here: WAL pages written before SQLite checkpoints them into the database file (default
   * {@link SQLITE_WAL_AUTOCHECKPOINT_PAGES}): a larger WAL writes each hot page back once per checkpoint.
   */
  walAutocheckpointPages?: number;
  /**
   * Keys of new envelopes wait in a small time-ordered table and move into the (topic, key) table this many
   * at a time (default {@link SQLITE_TOPIC_INDEX_BATCH}). See {@link SqliteEnvelopeStore}.
   */
  topicIndexBatch?: number;
}

/** A connection that can also register SQL functions (the store's bloom filter); better-sqlite3's can. */
export interface SqliteFunctionDatabase extends SqliteDatabase {
  function(name: string, options: { deterministic?: boolean }, fn: (...args: never[]) => unknown): unknown;
}

/** Default WAL auto-checkpoint threshold: 10,000 pages (about 40 MB of WAL at 4 KiB pages). */
export const SQLITE_WAL_AUTOCHECKPOINT_PAGES = 10_000;
/** Default number of fresh keys moved into the topic index in one go. */
export const SQLITE_TOPIC_INDEX_BATCH = 5000;
/**
 * Topics one statement scans: each is a term of a compound SELECT, which SQLite caps at 500
 * (SQLITE_MAX_COMPOUND_SELECT). A request may name up to 1,000 (`maxRequestTopics`): larger sets are read
 * in groups of this many and merged.
 */
const TOPICS_PER_STATEMENT = 250;
/**
 * Envelopes one multi-row INSERT writes (4 parameters each, far under SQLite's 32,766): one call into the
 * driver per group instead of one per envelope (5–25% more envelopes per CPU second measured). A
 * batch's remainder goes row by row.
 */
const ROWS_PER_INSERT = 100;

function view(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Row key: the 36-byte cursor form (sent time || hash) of the DB key. */
function rowKey(envelope: WakuEnvelope): Uint8Array {
  const key = timeKey(sentTime(envelope), 0);
  key.set(envelope.hash, 4);
  return key;
}
function timeKey(seconds: number, fill: number): Uint8Array {
  const key = new Uint8Array(CURSOR_LENGTH).fill(fill);
  const s = seconds >>> 0;
  key[0] = s >>> 24;
  key[1] = (s >>> 16) & 0xff;
  key[2] = (s >>> 8) & 0xff;
  key[3] = s & 0xff;
  return key;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new MailserverError(
      MailserverErrorCode.InvalidOptions,
      `${name} must be a non-negative integer, got ${value}`,
    );
  }
  return value;
}

/**
 * Opens the embedded envelope store on a database file (created when missing, WAL; `':memory:'` for a
 * throwaway store) or on a better-sqlite3 connection the application already has open, beside other
 * stores' tables (the store's close leaves that connection open). better-sqlite3 is an optional peer
 * dependency, loaded only here: without it this throws `MissingDependencyError` (ERR_MISSING_DEPENDENCY).
 * Tables written by an older release are migrated on open, tables from a newer one are refused
 * (ERR_SQLITE_SCHEMA_TOO_NEW); other failures to open are ERR_MAILSERVER_STORE.
 */
export function openMailserverSqliteStore(
  source: SqliteSource<SqliteFunctionDatabase>,
  options: MailserverSqliteStoreOptions = {},
): SqliteEnvelopeStore {
  const checkpointPages = nonNegativeInteger(
    'walAutocheckpointPages',
    options.walAutocheckpointPages ?? SQLITE_WAL_AUTOCHECKPOINT_PAGES,
  );
  const batch = nonNegativeInteger('topicIndexBatch', options.topicIndexBatch ?? SQLITE_TOPIC_INDEX_BATCH);
  const settings = {
    from: import.meta.url,
    feature: '@status-ts/mailserver/sqlite',
    synchronous: options.synchronous,
    busyTimeoutMs: options.busyTimeoutMs,
  };
  try {
    return openSqliteStore(source, settings, (connection) => {
      if (connection.owned) connection.db.pragma(`wal_autocheckpoint = ${checkpointPages}`);
      return new SqliteEnvelopeStore(connection, Math.max(1, batch));
    });
  } catch (cause) {
    if (cause instanceof StatusTsError) throw cause;
    const what = typeof source === 'string' ? `SQLite store ${source}` : 'SQLite store';
    throw new MailserverError(MailserverErrorCode.Store, `cannot open the ${what}`, { cause });
  }
}

/**
 * The embedded store (better-sqlite3, WAL); open it with {@link openMailserverSqliteStore}. `envelopes`
 * holds the bodies in key order (sent time || hash), which serves time-range and bloom queries. Topic
 * queries use the narrow `topic_keys (topic, key)` table; keeping it per row costs one B-tree page per topic
 * in every write transaction, so a trigger puts each new key in `fresh_keys` (time-ordered: a batch lands on
 * one or two pages) and every `topicIndexBatch` keys move to `topic_keys` in one sorted insert, inside the
 * same transaction as the write that filled it. Queries read both.
 */
export class SqliteEnvelopeStore implements EnvelopeStore {
  readonly db: SqliteFunctionDatabase;
  /** The schema version the store's tables had when opened, and the one they have now. */
  readonly migration: { from: number; to: number };
  readonly #connection: SqliteConnection<SqliteFunctionDatabase>;
  readonly #topicIndexBatch: number;
  #fresh: number;
  readonly #insertMany: (envelopes: readonly WakuEnvelope[], at: number) => number;
  readonly #moveFresh: () => void;
  readonly #deleteOlder: (before: Uint8Array) => number;
  readonly #count: SqliteStatement;
  readonly #countFresh: SqliteStatement;
  readonly #queryAll: SqliteStatement;
  readonly #queryBloom: SqliteStatement;
  readonly #queryTopics = new Map<number, SqliteStatement>();
  readonly #queryTopicKeys = new Map<number, SqliteStatement>();
  readonly #bodyOf: SqliteStatement;
  readonly #readTopicGroups: (
    topics: readonly Uint8Array[],
    params: Record<string, unknown>,
    limit: number,
  ) => [Uint8Array, Uint8Array][];

  /** Use {@link openMailserverSqliteStore}. */
  constructor(connection: SqliteConnection<SqliteFunctionDatabase>, topicIndexBatch: number) {
    this.#connection = connection;
    this.db = connection.db;
    const db = this.db;
    this.#topicIndexBatch = topicIndexBatch;
    this.migration = migrateSqliteSchema(db, MAILSERVER_SQLITE_SCHEMA);
    db.function('bloom_match', { deterministic: true }, (bloom: unknown, topic: unknown) =>
      bloomMatches(view(bloom as Uint8Array), topicToBloom(view(topic as Uint8Array))) ? 1 : 0,
    );
    const insert = db.prepare(
      'INSERT OR IGNORE INTO envelopes (key, topic, arrived, raw) VALUES (?, ?, ?, ?)',
    );
    const moveFresh = db.prepare(
      'INSERT INTO topic_keys SELECT topic, key FROM fresh_keys ORDER BY topic, key',
    );
    const clearFresh = db.prepare('DELETE FROM fresh_keys');
    this.#countFresh = db.prepare('SELECT count(*) FROM fresh_keys').pluck();
    this.#fresh = this.#countFresh.get() as number;
    this.#moveFresh = db.transaction(() => {
      moveFresh.run();
      clearFresh.run();
    });
    const insertGroup = db.prepare(
      `INSERT OR IGNORE INTO envelopes (key, topic, arrived, raw) VALUES ${Array.from(
        { length: ROWS_PER_INSERT },
        () => '(?, ?, ?, ?)',
      ).join(', ')}`,
    );
    const params: unknown[] = [];
    this.#insertMany = db.transaction((envelopes: readonly WakuEnvelope[], at: number) => {
      // `changes` counts the rows a statement added, not the duplicates it ignored nor the trigger's rows
      // (the schema's trigger copies each new key into fresh_keys).
      let added = 0;
      let i = 0;
      for (; i + ROWS_PER_INSERT <= envelopes.length; i += ROWS_PER_INSERT) {
        params.length = 0;
        for (let j = i; j < i + ROWS_PER_INSERT; j++) {
          const e = envelopes[j]!;
          params.push(rowKey(e), e.topic, at, e.raw);
        }
        added += insertGroup.run(params).changes;
      }
      for (; i < envelopes.length; i++) {
        const e = envelopes[i]!;
        added += insert.run(rowKey(e), e.topic, at, e.raw).changes;
      }
      if (this.#fresh + added >= this.#topicIndexBatch) this.#moveFresh();
      return added;
    });
    const deleteBodies = db.prepare('DELETE FROM envelopes WHERE key < ?');
    const deleteTopicKeys = db.prepare(
      'DELETE FROM topic_keys WHERE (topic, key) IN (SELECT topic, key FROM envelopes WHERE key < ?)',
    );
    const deleteFresh = db.prepare('DELETE FROM fresh_keys WHERE key < ?');
    this.#deleteOlder = db.transaction((before: Uint8Array) => {
      deleteTopicKeys.run(before);
      deleteFresh.run(before);
      return deleteBodies.run(before).changes;
    });
    this.#count = db.prepare('SELECT count(*) FROM envelopes').pluck();
    const select = 'SELECT key, raw FROM envelopes WHERE key >= ? AND key <= ? AND key > ?';
    this.#queryAll = db.prepare(`${select} ORDER BY key LIMIT ?`).raw();
    this.#queryBloom = db.prepare(`${select} AND bloom_match(?, topic) ORDER BY key LIMIT ?`).raw();
    this.#bodyOf = db.prepare('SELECT key, raw FROM envelopes WHERE key = ?').raw();
    // One read transaction: every group sees the same snapshot.
    this.#readTopicGroups = db.transaction(
      (topics: readonly Uint8Array[], params: Record<string, unknown>, limit: number) => {
        const keys: Uint8Array[] = [];
        for (let i = 0; i < topics.length; i += TOPICS_PER_STATEMENT) {
          const group = topics.slice(i, i + TOPICS_PER_STATEMENT);
          const groupParams = { ...params };
          group.forEach((t, j) => {
            groupParams[`t${j}`] = t;
          });
          for (const row of this.#topicKeysStatement(group.length).all(groupParams) as [Uint8Array][]) {
            keys.push(view(row[0]));
          }
        }
        // Topics are distinct and a key names its envelope's topic: no key comes from two groups.
        keys.sort(compareBytes);
        const rows: [Uint8Array, Uint8Array][] = [];
        for (const key of keys.slice(0, limit)) {
          const row = this.#bodyOf.get(key) as [Uint8Array, Uint8Array] | undefined;
          if (row) rows.push(row);
        }
        return rows;
      },
    );
  }

  /** The union of per-topic key scans for `n` topics (@t0..), each stopping after `limit` keys. */
  #topicScans(n: number): string {
    const range = 'key >= @lower AND key <= @upper AND key > @after';
    const names = Array.from({ length: n }, (_, i) => `@t${i}`);
    const scans = names.map(
      (t) =>
        `SELECT key FROM (SELECT key FROM topic_keys WHERE topic = ${t} AND ${range} ORDER BY key LIMIT @limit)`,
    );
    scans.push(
      `SELECT key FROM (SELECT key FROM fresh_keys WHERE ${range} AND topic IN (${names.join(', ')})` +
        ' ORDER BY key LIMIT @limit)',
    );
    return `${scans.join(' UNION ALL ')} ORDER BY key LIMIT @limit`;
  }

  /** Keys only, for topic sets read in groups. */
  #topicKeysStatement(n: number): SqliteStatement {
    let stmt = this.#queryTopicKeys.get(n);
    if (!stmt) {
      stmt = this.db.prepare(this.#topicScans(n)).raw();
      this.#queryTopicKeys.set(n, stmt);
    }
    return stmt;
  }

  /**
   * One range scan of `topic_keys` per topic and one of `fresh_keys`, each stopping after `limit` keys,
   * merged and cut to `limit`; bodies are read for the final page only.
   */
  #topicStatement(n: number): SqliteStatement {
    let stmt = this.#queryTopics.get(n);
    if (!stmt) {
      stmt = this.db
        .prepare(
          `SELECT e.key, e.raw FROM (${this.#topicScans(n)}) AS page` +
            ' JOIN envelopes AS e ON e.key = page.key ORDER BY e.key',
        )
        .raw();
      this.#queryTopics.set(n, stmt);
    }
    return stmt;
  }

  async put(envelopes: readonly WakuEnvelope[], arrivedAtMs = Date.now()): Promise<number> {
    try {
      const added = this.#insertMany(envelopes, arrivedAtMs);
      this.#fresh = this.#fresh + added >= this.#topicIndexBatch ? 0 : this.#fresh + added;
      return added;
    } catch (cause) {
      if (this.db.open) this.#fresh = this.#countFresh.get() as number;
      throw new MailserverError(MailserverErrorCode.Store, 'SQLite write failed', { cause });
    }
  }

  async query(query: HistoryQuery): Promise<HistoryPage> {
    checkQuery(query);
    const lower = timeKey(query.lower, 0);
    const upper = timeKey(query.upper, 0xff);
    const after = query.cursor && query.cursor.length > 0 ? query.cursor : new Uint8Array(0);
    const bloom = query.bloom;
    let rows: [Uint8Array, Uint8Array][];
    if (query.topics && query.topics.length > 0) {
      // Distinct topics: each one is its own scan, a duplicate would repeat its rows.
      const topics = [...new Map(query.topics.map((t) => [t.join(), t])).values()];
      const params: Record<string, unknown> = { lower, upper, after, limit: query.limit };
      if (topics.length > TOPICS_PER_STATEMENT) {
        rows = this.#readTopicGroups(topics, params, query.limit);
      } else {
        topics.forEach((t, i) => {
          params[`t${i}`] = t;
        });
        rows = this.#topicStatement(topics.length).all(params) as typeof rows;
      }
    } else if (bloom && bloom.length === 64 && !bloom.every((b) => b === 0xff)) {
      rows = this.#queryBloom.all(lower, upper, after, bloom, query.limit) as typeof rows;
    } else {
      rows = this.#queryAll.all(lower, upper, after, query.limit) as typeof rows;
    }
    const envelopes = rows.map((r) => Envelope.decode(view(r[1])));
    const last = rows[rows.length - 1];
    return rows.length === query.limit && last
      ? { envelopes, cursor: cursorOf(view(last[0])) }
      : { envelopes };
  }

  async deleteOlderThan(sentBefore: number): Promise<number> {
    const deleted = this.#deleteOlder(timeKey(sentBefore, 0));
    this.#fresh = this.#countFresh.get() as number;
    return deleted;
  }

  async count(): Promise<number> {
    return this.#count.get() as number;
  }

  /** Moves every waiting key into the topic index now (tests, or before a backup). */
  flushTopicIndex(): void {
    this.#moveFresh();
    this.#fresh = 0;
  }

  /** `PRAGMA integrity_check` result ('ok' when the file is sound). */
  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  /** Closes the connection if the store opened it; a connection passed in stays open. */
  async close(): Promise<void> {
    this.#connection.close();
  }
}
