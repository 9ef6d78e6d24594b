import Database from 'better-sqlite3';
import type { Registration, RegistrationStore } from '../store.js';

export interface SqliteRegistrationStoreOptions {
  /** Database file (created if missing); ':memory:' for a private in-memory database. */
  path: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rendezvous_registrations (
  topic TEXT NOT NULL,
  node_id TEXT NOT NULL,
  seq TEXT NOT NULL,
  record BLOB NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (topic, node_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rendezvous_registrations_live ON rendezvous_registrations (topic, expires_at);
CREATE INDEX IF NOT EXISTS rendezvous_registrations_expiry ON rendezvous_registrations (expires_at);
`;

/** seq as 16 hex digits, so SQLite's text comparison orders it like the uint64 it is. */
function seqKey(seq: bigint): string {
  return seq.toString(16).padStart(16, '0');
}

/**
 * Registrations in a SQLite file, so a restarted server still answers with the records that have not
 * expired. Expiry is checked on every read, not only by the cleaner.
 */
export class SqliteRegistrationStore implements RegistrationStore {
  readonly #db: Database.Database;
  readonly #put: Database.Statement;
  readonly #random: Database.Statement;
  readonly #removeExpired: Database.Statement;
  readonly #countAll: Database.Statement;
  readonly #countTopic: Database.Statement;

  constructor(options: SqliteRegistrationStoreOptions) {
    this.#db = new Database(options.path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(SCHEMA);
    this.#put = this.#db.prepare(
      `INSERT INTO rendezvous_registrations (topic, node_id, seq, record, expires_at)
       VALUES (@topic, @nodeId, @seq, @record, @expiresAt)
       ON CONFLICT (topic, node_id) DO UPDATE
         SET seq = excluded.seq, record = excluded.record, expires_at = excluded.expires_at
         WHERE excluded.seq >= rendezvous_registrations.seq`,
    );
    this.#random = this.#db.prepare(
      `SELECT record FROM rendezvous_registrations
       WHERE topic = ? AND expires_at > ? ORDER BY random() LIMIT ?`,
    );
    this.#removeExpired = this.#db.prepare('DELETE FROM rendezvous_registrations WHERE expires_at <= ?');
    this.#countAll = this.#db.prepare(
      'SELECT count(*) AS n FROM rendezvous_registrations WHERE expires_at > ?',
    );
    this.#countTopic = this.#db.prepare(
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

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
