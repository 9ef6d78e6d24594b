// SQLite ingest: the store's put against three raw baselines, all with better-sqlite3 on the same rows, in
// the same batches, with the same pragmas, in one run. The four run interleaved (round-robin over chunks)
// so a noisy machine slows them alike, and rates are given per CPU second of this process as well as per
// wall second (WAL with synchronous=NORMAL does not fsync on commit: ingest is CPU-bound).
import { join } from 'node:path';
import { migrateSqliteSchema } from '@status-ts/core/sqlite';
import type { Envelope } from '@status-ts/waku';
import Database from 'better-sqlite3';
import { dbKeyOf } from '../src/index.js';
import {
  MAILSERVER_SQLITE_SCHEMA,
  openMailserverSqliteStore,
  SQLITE_TOPIC_INDEX_BATCH,
  SQLITE_WAL_AUTOCHECKPOINT_PAGES,
} from '../src/sqlite/index.js';

const BATCH = 100;
const CHUNK = 2000;
const TABLE =
  'CREATE TABLE envelopes (key BLOB PRIMARY KEY, topic BLOB NOT NULL, arrived INTEGER NOT NULL, raw BLOB NOT NULL) WITHOUT ROWID';

type Row = readonly [key: Uint8Array, topic: Uint8Array, raw: Uint8Array];

interface Target {
  label: string;
  /** Inserts envelopes [from, to) of the ingest set in batches of BATCH. */
  run(from: number, to: number): Promise<void>;
  close(): Promise<void>;
  wallMs: number;
  cpuMs: number;
  /** CPU ms per counted round: shares are also given as the median of per-round (paired) ratios. */
  rounds: number[];
}

function openRaw(path: string, ddl: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${SQLITE_WAL_AUTOCHECKPOINT_PAGES}`);
  db.exec(ddl);
  return db;
}

function rawTarget(
  label: string,
  db: Database.Database,
  rows: readonly Row[],
  insertOne: (r: Row) => void,
  afterBatch?: () => void,
): Target {
  const tx = db.transaction((batch: readonly Row[]) => {
    for (const r of batch) insertOne(r);
    afterBatch?.();
  });
  return {
    label,
    wallMs: 0,
    cpuMs: 0,
    rounds: [],
    async run(from, to) {
      for (let i = from; i < to; i += BATCH) tx(rows.slice(i, Math.min(to, i + BATCH)));
    },
    async close() {
      db.close();
    },
  };
}

export async function benchSqliteIngest(dir: string, ingest: readonly Envelope[]): Promise<void> {
  const n = ingest.length;
  const topicIndexBatch = Number(process.env.MAIL_BENCH_TOPIC_BATCH ?? SQLITE_TOPIC_INDEX_BATCH);
  // Rows precomputed outside the timing: the baselines pay nothing but the driver and SQLite.
  const rows: Row[] = ingest.map((e) => [dbKeyOf(e).subarray(0, 36), e.topic, e.raw]);

  const store = openMailserverSqliteStore(join(dir, 'ingest.db'), { topicIndexBatch });
  const ours: Target = {
    label: 'store.put',
    wallMs: 0,
    cpuMs: 0,
    rounds: [],
    async run(from, to) {
      for (let i = from; i < to; i += BATCH) await store.put(ingest.slice(i, Math.min(to, i + BATCH)));
    },
    close: () => store.close(),
  };

  // The store's own schema and statements, driven by hand: same tables, same bulk moves.
  const same = openRaw(join(dir, 'raw-same.db'), '');
  migrateSqliteSchema(same, MAILSERVER_SQLITE_SCHEMA); // the store's tables and trigger, nothing of its code
  const insSame = same.prepare('INSERT OR IGNORE INTO envelopes VALUES (?, ?, 0, ?)');
  const move = same.prepare('INSERT INTO topic_keys SELECT topic, key FROM fresh_keys ORDER BY topic, key');
  const clear = same.prepare('DELETE FROM fresh_keys');
  let fresh = 0;
  const sameSchema = rawTarget(
    "raw, the store's schema and bulk moves",
    same,
    rows,
    (r) => {
      fresh += insSame.run(r[0], r[1], r[2]).changes;
    },
    () => {
      if (fresh >= topicIndexBatch) {
        move.run();
        clear.run();
        fresh = 0;
      }
    },
  );

  const bareDb = openRaw(join(dir, 'raw-bare.db'), TABLE);
  const insBare = bareDb.prepare('INSERT OR IGNORE INTO envelopes VALUES (?, ?, 0, ?)');
  const bare = rawTarget('raw, bare envelopes table (no topic lookup)', bareDb, rows, (r) =>
    insBare.run(r[0], r[1], r[2]),
  );

  const indexedDb = openRaw(
    join(dir, 'raw-indexed.db'),
    `${TABLE}; CREATE INDEX envelopes_topic_key ON envelopes (topic, key)`,
  );
  const insIndexed = indexedDb.prepare('INSERT OR IGNORE INTO envelopes VALUES (?, ?, 0, ?)');
  const indexed = rawTarget('raw, per-row (topic, key) index (old layout)', indexedDb, rows, (r) =>
    insIndexed.run(r[0], r[1], r[2]),
  );

  const targets = [ours, bare, sameSchema, indexed];
  // Round 0 warms each target up (JIT, file growth) and is not counted.
  for (let from = 0, round = 0; from < n; from += CHUNK, round++) {
    for (let k = 0; k < targets.length; k++) {
      const target = targets[(k + round) % targets.length]!;
      if (round === 0) {
        await target.run(from, Math.min(n, from + CHUNK));
        continue;
      }
      const cpu = process.cpuUsage();
      const t = performance.now();
      await target.run(from, Math.min(n, from + CHUNK));
      target.wallMs += performance.now() - t;
      const used = process.cpuUsage(cpu);
      target.cpuMs += (used.user + used.system) / 1000;
      target.rounds.push((used.user + used.system) / 1000);
    }
  }
  for (const t of targets) await t.close();

  const counted = n - Math.min(n, CHUNK);
  const perCpu = (t: Target) => Math.round((counted * 1000) / t.cpuMs);
  const perWall = (t: Target) => Math.round((counted * 1000) / t.wallMs);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const pct = (x: number) => `${Math.round(100 * x)}%`;
  const share = (t: Target) =>
    t === ours
      ? ''
      : `  share ${pct(t.cpuMs / ours.cpuMs)}, median of paired rounds ` +
        `${pct(median(t.rounds.map((ms, r) => ms / ours.rounds[r]!)))} (wall ${pct(t.wallMs / ours.wallMs)})`;
  console.log(
    `sqlite ingest: ${n} envelopes (the first ${CHUNK} warm up) into an empty file, batches of ${BATCH}, better-sqlite3, WAL, synchronous=NORMAL,` +
      ` topicIndexBatch ${topicIndexBatch}; rows/s per CPU second (per wall second); share = our rate / raw rate`,
  );
  for (const t of targets) {
    console.log(`  ${t.label.padEnd(46)} ${perCpu(t)} (${perWall(t)})${share(t)}`);
  }
  console.log('  target: share >= 50% against the bare table, the strictest baseline');
}
