import {
  migrateSqliteSchema,
  openSqliteStore,
  type SqliteConnection,
  type SqliteSource,
  type SqliteStatement,
} from '@status-ts/core/sqlite';
import type { Registration, RegistrationStore } from '../store.js';
import { RENDEZVOUS_SQLITE_SCHEMA } from './schema.js';

export interface RendezvousSqliteStoreOptions {
  /** `PRAGMA synchronous` of a file opened here (default NORMAL); a connection passed in keeps its own. */
  readonly synchronous?: 'NORMAL' | 'FULL';
}

/** seq as 16 hex digits, so SQLite's text comparison orders it like the uint64 it is. */
function seqKey(seq: bigint): string {
  return seq.toString(16).padStart(16, '0');
}

/**
 * Opens the registration store in a SQLite file (WAL; created when missing; `':memory:'` for a private
 * in-memory database) or on a better-sqlite3 connection the application already has open (left open by
 * `close()`). better-sqlite3 is an optional peer dependency, loaded only to open a file: without it this
 * throws `MissingDependencyError` (ERR_MISSING_DEPENDENCY).
 */
export function openRendezvousSqliteStore(
  source: SqliteSource,
  options: RendezvousSqliteStoreOptions = {},
): SqliteRegistrationStore {
  const settings = {
    from: import.meta.url,
    feature: '@status-ts/rendezvous/sqlite',
    synchronous: options.synchronous,
  };
  return openSqliteStore(source, settings, (connection) => new SqliteRegistrationStore(connection));
}

/**
 * Registrations in SQLite, so a restarted server still answers with the records that have not expired;
 * open it with {@link openRendezvousSqliteStore}. Expiry is checked on every read, not only by the cleaner.
 */
export class SqliteRegistrationStore implements RegistrationStore {
  readonly #connection: SqliteConnection;
  readonly #put: SqliteStatement;
  readonly #random: SqliteStatement;
  readonly #removeExpired: SqliteStatement;
  readonly #countAll: SqliteStatement;
  readonly #countTopic: SqliteStatement;

  /** Use {@link openRendezvousSqliteStore}. */
  constructor(connection: SqliteConnection) {
    this.#connection = connection;
    const db = connection.db;
    migrateSqliteSchema(db, RENDEZVOUS_SQLITE_SCHEMA);
    this.#put = db.prepare(
      `INSERT INTO rendezvous_registrations (topic, node_id, seq, record, expires_at)
       VALUES (@topic, @nodeId, @seq, @record, @expiresAt)
       ON CONFLICT (topic, node_id) DO UPDATE
         SET seq = excluded.seq, record = excluded.record, expires_at = excluded.expires_at
         WHERE excluded.seq >= rendezvous_registrations.seq`,
    );
    this.#random = db.prepare(
      `SELECT record FROM rendezvous_registrations
       WHERE topic = ? AND expires_at > ? ORDER BY random() LIMIT ?`,
    );
    this.#removeExpired = db.prepare('DELETE FROM rendezvous_registrations WHERE expires_at <= ?');
    this.#countAll = db.prepare('SELECT count(*) AS n FROM rendezvous_registrations WHERE expires_at > ?');
    this.#countTopic = db.prepare(
      'SELECT count(*) AS n FROM rendezvous_registrations WHERE expires_at > ? AND topic = ?',
    );
  }

  async put(registration: Registration): Promise<void> {
    this.#put.run({
      topic: registration.topic,
      nodeId: registration.nodeId,
      seq: seqKey(registration.seq),
      record: Buffer.from(registration.record),
      expiresAt: registration.expiresAt,
    });
  }

  async random(topic: string, limit: number, now: number): Promise<Uint8Array[]> {
    if (limit <= 0) return [];
    const rows = this.#random.all(topic, now, limit) as Array<{ record: Buffer }>;
    return rows.map((row) => new Uint8Array(row.record));
  }

  async removeExpired(now: number): Promise<number> {
    return this.#removeExpired.run(now).changes;
  }

  async count(now: number, topic?: string): Promise<number> {
    const row = (topic === undefined ? this.#countAll.get(now) : this.#countTopic.get(now, topic)) as {
      n: number;
    };
    return row.n;
  }

  /** Closes the database if the store opened it; a connection passed in stays open. */
  async close(): Promise<void> {
    this.#connection.close();
  }
}
