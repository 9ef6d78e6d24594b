import { Envelope, topicToBloom } from '@status-ts/waku';
import { MailserverError, MailserverErrorCode } from '../errors.js';
import { afterCursorKey, cursorOf, dbKeyOf, lowerKey, upperKey } from '../key.js';
import { checkQuery } from './matching.js';
import { createPostgresPool, type PostgresPool, type PostgresPoolConfig } from './postgres-driver.js';
import type { EnvelopeStore, HistoryPage, HistoryQuery } from './types.js';

export interface PostgresEnvelopeStoreOptions {
  /** A connection string, or `pg` pool settings. */
  connection: string | PostgresPoolConfig;
  /** Table name (default `envelopes`). */
  table?: string;
  /** Pool size (default 10). */
  maxConnections?: number;
}

/** '00000000'..'11111111': a bloom becomes BIT(512) text by 64 lookups, not 512 digit conversions. */
const BYTE_BITS = Array.from({ length: 256 }, (_, b) => b.toString(2).padStart(8, '0'));

function bloomBits(bloom: Uint8Array): string {
  let s = '';
  for (const b of bloom) s += BYTE_BITS[b];
  return s;
}

/** Ingest sees few distinct topics: their BIT(512) text is kept, bounded, and reset when full. */
const TOPIC_BITS_CACHE_LIMIT = 4096;
const topicBitsCache = new Map<number, string>();

function topicBloomBits(topic: Uint8Array): string {
  const id = ((topic[0]! << 24) | (topic[1]! << 16) | (topic[2]! << 8) | topic[3]!) >>> 0;
  let bits = topicBitsCache.get(id);
  if (bits === undefined) {
    if (topicBitsCache.size >= TOPIC_BITS_CACHE_LIMIT) topicBitsCache.clear();
    bits = bloomBits(topicToBloom(topic));
    topicBitsCache.set(id, bits);
  }
  return bits;
}

function buf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function view(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * The production store: PostgreSQL through node `pg` (an optional peer dependency, loaded by the constructor:
 * without it the constructor throws `MissingDependencyError`, ERR_MISSING_DEPENDENCY). Same key as the other stores (BYTEA, compared byte by
 * byte, so key order is time order); the topic bloom is a BIT(512) column so bloom queries run in SQL.
 */
export class PostgresEnvelopeStore implements EnvelopeStore {
  readonly pool: PostgresPool;
  readonly #table: string;
  #ready: Promise<void> | undefined;

  constructor(options: PostgresEnvelopeStoreOptions) {
    const table = options.table ?? 'envelopes';
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) {
      throw new MailserverError(MailserverErrorCode.InvalidOptions, `bad table name ${table}`);
    }
    this.#table = table;
    const config =
      typeof options.connection === 'string' ? { connectionString: options.connection } : options.connection;
    this.pool = createPostgresPool({ max: options.maxConnections ?? 10, ...config });
    this.pool.on('error', () => {});
  }

  /** Creates the table and indexes when missing (called on first use). */
  init(): Promise<void> {
    this.#ready ??= this.pool
      .query(
        `CREATE TABLE IF NOT EXISTS ${this.#table} (
           key BYTEA PRIMARY KEY,
           topic BYTEA NOT NULL,
           bloom BIT(512) NOT NULL,
           arrived BIGINT NOT NULL,
           raw BYTEA NOT NULL);
         CREATE INDEX IF NOT EXISTS ${this.#table}_topic_key ON ${this.#table} (topic, key);`,
      )
      .then(() => undefined)
      .catch((cause) => {
        this.#ready = undefined;
        throw new MailserverError(MailserverErrorCode.Store, 'cannot create the PostgreSQL schema', {
          cause,
        });
      });
    return this.#ready;
  }

  async put(envelopes: readonly Envelope[], arrivedAtMs = Date.now()): Promise<number> {
    if (envelopes.length === 0) return 0;
    await this.init();
    const n = envelopes.length;
    const keys = new Array<Buffer>(n);
    const topics = new Array<Buffer>(n);
    const blooms = new Array<string>(n);
    const raws = new Array<Buffer>(n);
    for (let i = 0; i < n; i++) {
      const e = envelopes[i]!;
      keys[i] = buf(dbKeyOf(e));
      topics[i] = buf(e.topic);
      blooms[i] = topicBloomBits(e.topic);
      raws[i] = buf(e.raw);
    }
    try {
      // One statement is one transaction: all rows or none.
      const result = await this.pool.query(
        `INSERT INTO ${this.#table} (key, topic, bloom, arrived, raw)
         SELECT k, t, b::bit(512), $4, r FROM unnest($1::bytea[], $2::bytea[], $3::text[], $5::bytea[]) AS u(k, t, b, r)
         ON CONFLICT (key) DO NOTHING`,
        [keys, topics, blooms, arrivedAtMs, raws],
      );
      return result.rowCount ?? 0;
    } catch (cause) {
      throw new MailserverError(MailserverErrorCode.Store, 'PostgreSQL write failed', { cause });
    }
  }

  async query(query: HistoryQuery): Promise<HistoryPage> {
    checkQuery(query);
    await this.init();
    const after = query.cursor && query.cursor.length > 0 ? afterCursorKey(query.cursor) : new Uint8Array(0);
    const params: unknown[] = [
      buf(lowerKey(query.lower)),
      buf(upperKey(query.upper)),
      buf(after),
      query.limit,
    ];
    let filter = '';
    if (query.topics && query.topics.length > 0) {
      params.push(query.topics.map(buf));
      filter = 'AND topic = ANY($5::bytea[])';
    } else if (query.bloom && query.bloom.length === 64 && !query.bloom.every((b) => b === 0xff)) {
      params.push(bloomBits(query.bloom));
      filter = 'AND bloom & $5::bit(512) = bloom';
    }
    const result = await this.pool.query<{ key: Buffer; raw: Buffer }>(
      `SELECT key, raw FROM ${this.#table} WHERE key >= $1 AND key <= $2 AND key > $3 ${filter} ORDER BY key LIMIT $4`,
      params,
    );
    const envelopes = result.rows.map((r) => Envelope.decode(view(r.raw)));
    const last = result.rows[result.rows.length - 1];
    return result.rows.length === query.limit && last
      ? { envelopes, cursor: cursorOf(view(last.key)) }
      : { envelopes };
  }

  async deleteOlderThan(sentBefore: number): Promise<number> {
    await this.init();
    const result = await this.pool.query(`DELETE FROM ${this.#table} WHERE key < $1`, [
      buf(lowerKey(sentBefore)),
    ]);
    return result.rowCount ?? 0;
  }

  async count(): Promise<number> {
    await this.init();
    const result = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.#table}`);
    return Number(result.rows[0]!.n);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
