// SQLite ingest: the store's put against raw inserts of the same rows, all with better-sqlite3, in the same
// transactions (one per batch of BATCH rows), with the same pragmas (WAL, synchronous=NORMAL, the store's
// auto-checkpoint), each into its own fresh file. The bound is the bare bodies table (key, topic, arrived, raw)
// with no topic lookup at all, filled the fastest way better-sqlite3 offers: one multi-row INSERT per
// transaction (measured about a third faster than a prepared one-row INSERT per row, which is printed too,
// as the store uses it). Two more raw references, no target: the store's own schema and bulk moves driven by
// hand, and the first layout's per-row (topic, key) index. Rounds are the harness's interleaved rounds (each
// workload inserts its next `chunk` rows into its own file, in the same order every round; `chunk` is a
// multiple of topicIndexBatch so every round of the store holds the same number of bulk moves: with 2000-row
// chunks and moves every 5000 rows, the median fell on a round with or without a move, hence the old 44–54%).
// Rates per wall second and per CPU second of this process (process.cpuUsage: WAL with synchronous=NORMAL
// does not fsync on commit, ingest is CPU-bound, and CPU time holds still on a shared machine). Shares are the
// medians of the per-round ratios ours / raw.
import { join } from 'node:path';
import { migrateSqliteSchema } from '@status-ts/core/sqlite';
import type { Envelope } from '@status-ts/waku';
import Database from 'better-sqlite3';
import {
  type FigureRow,
  formatSpread,
  interleavedRounds,
  pairedRatios,
  type Spread,
  summarize,
} from '../../../tools/bench/harness.js';
import { dbKeyOf } from '../src/index.js';
import {
  MAILSERVER_SQLITE_SCHEMA,
  openMailserverSqliteStore,
  SQLITE_TOPIC_INDEX_BATCH,
  SQLITE_WAL_AUTOCHECKPOINT_PAGES,
} from '../src/sqlite/index.js';

const BATCH = 100;
const TABLE =
  'CREATE TABLE envelopes (key BLOB PRIMARY KEY, topic BLOB NOT NULL, arrived INTEGER NOT NULL, raw BLOB NOT NULL) WITHOUT ROWID';

type Row = readonly [key: Uint8Array, topic: Uint8Array, raw: Uint8Array];

interface Target {
  label: string;
  /** Inserts rows [from, to) in batches of BATCH, one transaction each. */
  insert(from: number, to: number): Promise<void>;
  close(): Promise<void>;
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
  const tx = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insertOne(rows[i]!);
    afterBatch?.();
  });
  return {
    label,
    async insert(from, to) {
      for (let i = from; i < to; i += BATCH) tx(i, Math.min(to, i + BATCH));
    },
    async close() {
      db.close();
    },
  };
}

export interface IngestOptions {
  rounds: number;
  /** Rows each workload inserts per round; the set must hold (rounds + 1) * chunk envelopes. */
  chunk: number;
}

/** Prints the ingest figures and returns the rows to record (ours vs the bare-table bound, wall and CPU). */
export async function benchSqliteIngest(
  dir: string,
  ingest: readonly Envelope[],
  { rounds, chunk }: IngestOptions,
): Promise<Omit<FigureRow, 'loadBefore' | 'loadAfter'>[]> {
  const topicIndexBatch = Number(process.env.MAIL_BENCH_TOPIC_BATCH ?? SQLITE_TOPIC_INDEX_BATCH);
  if (ingest.length < (rounds + 1) * chunk) throw new Error('not enough envelopes for the rounds');
  if (chunk % BATCH !== 0 || chunk % Math.min(chunk, topicIndexBatch) !== 0) {
    throw new Error('chunk must be a multiple of the batch and of topicIndexBatch');
  }
  // Rows precomputed outside the timing: the baselines pay nothing but the driver and SQLite.
  const rows: Row[] = ingest.map((e) => [dbKeyOf(e).subarray(0, 36), e.topic, e.raw]);

  const store = openMailserverSqliteStore(join(dir, 'ingest.db'), { topicIndexBatch });
  const ours: Target = {
    label: 'store.put (ours)',
    async insert(from, to) {
      for (let i = from; i < to; i += BATCH) await store.put(ingest.slice(i, Math.min(to, i + BATCH)));
    },
    close: () => store.close(),
  };

  const multiDb = openRaw(join(dir, 'raw-multi.db'), TABLE);
  const insMulti = multiDb.prepare(
    `INSERT OR IGNORE INTO envelopes VALUES ${Array.from({ length: BATCH }, () => '(?, ?, 0, ?)').join(', ')}`,
  );
  const params: Uint8Array[] = [];
  const multiTx = multiDb.transaction((from: number) => {
    params.length = 0;
    for (let i = from; i < from + BATCH; i++) params.push(rows[i]![0], rows[i]![1], rows[i]![2]);
    insMulti.run(params);
  });
  const bound: Target = {
    label: 'raw, bare table, multi-row INSERT (the bound)',
    async insert(from, to) {
      for (let i = from; i < to; i += BATCH) multiTx(i);
    },
    async close() {
      multiDb.close();
    },
  };

  const bareDb = openRaw(join(dir, 'raw-bare.db'), TABLE);
  const insBare = bareDb.prepare('INSERT OR IGNORE INTO envelopes VALUES (?, ?, 0, ?)');
  const bare = rawTarget('raw, bare table, one-row INSERT per row', bareDb, rows, (r) =>
    insBare.run(r[0], r[1], r[2]),
  );

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

  const indexedDb = openRaw(
    join(dir, 'raw-indexed.db'),
    `${TABLE}; CREATE INDEX envelopes_topic_key ON envelopes (topic, key)`,
  );
  const insIndexed = indexedDb.prepare('INSERT OR IGNORE INTO envelopes VALUES (?, ?, 0, ?)');
  const indexed = rawTarget('raw, per-row (topic, key) index (old layout)', indexedDb, rows, (r) =>
    insIndexed.run(r[0], r[1], r[2]),
  );

  const targets = { ours, bound, bare, sameSchema, indexed };
  type Name = keyof typeof targets;
  const names = Object.keys(targets) as Name[];
  // Each call inserts its workload's next chunk; the harness's warm-up call (JIT, file growth) is the first.
  const next = Object.fromEntries(names.map((n) => [n, 0])) as Record<Name, number>;
  const cpuMs = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Name, number[]>;
  const workload = (name: Name) => ({
    ops: chunk,
    run: async () => {
      const from = next[name];
      next[name] += chunk;
      const before = process.cpuUsage();
      await targets[name].insert(from, from + chunk);
      const used = process.cpuUsage(before);
      cpuMs[name].push((used.user + used.system) / 1000);
    },
  });
  const wall = await interleavedRounds(
    {
      ours: workload('ours'),
      bound: workload('bound'),
      bare: workload('bare'),
      sameSchema: workload('sameSchema'),
      indexed: workload('indexed'),
    },
    { rounds, warmup: 1 },
  );
  for (const t of Object.values(targets)) await t.close();
  // Rows per CPU second, the warm-up call dropped.
  const cpu = Object.fromEntries(
    names.map((n) => [n, cpuMs[n].slice(1).map((ms) => (chunk * 1000) / Math.max(ms, 1e-3))]),
  ) as Record<Name, number[]>;

  const pct = (s: Spread) =>
    `${Math.round(100 * s.median)}% [${Math.round(100 * s.low)}–${Math.round(100 * s.high)}%]`;
  console.log(
    `\n## SQLite ingest: ${rounds} interleaved rounds of ${chunk} envelopes per workload (after a warm-up chunk) into` +
      ` fresh files, transactions of ${BATCH}, better-sqlite3, WAL, synchronous=NORMAL, topicIndexBatch ${topicIndexBatch}` +
      '\n   rows/s, median [quartiles]; share = median [quartiles] of per-round ratios ours / raw',
  );
  console.log(`  ${''.padEnd(46)} ${'per CPU second'.padEnd(30)} per wall second`);
  const out: Omit<FigureRow, 'loadBefore' | 'loadAfter'>[] = [];
  const shares: Record<'cpu' | 'wall', Spread> = {
    cpu: summarize(pairedRatios(cpu.ours, cpu.bound)),
    wall: summarize(pairedRatios(wall.ours, wall.bound)),
  };
  for (const n of names) {
    const c = formatSpread(summarize(cpu[n]));
    const w = formatSpread(summarize(wall[n]));
    const share =
      n === 'ours'
        ? ''
        : `   share: CPU ${pct(summarize(pairedRatios(cpu.ours, cpu[n])))}, wall ${pct(summarize(pairedRatios(wall.ours, wall[n])))}`;
    console.log(`  ${targets[n].label.padEnd(46)} ${c.padEnd(30)} ${w}${share}`);
  }
  console.log(
    `  target: ours >= 50% of the bound's rate in CPU and wall time: CPU ${pct(shares.cpu)}, wall ${pct(shares.wall)}`,
  );
  for (const kind of ['cpu', 'wall'] as const) {
    const series = kind === 'cpu' ? cpu : wall;
    out.push({
      package: 'mailserver',
      figure: `SQLite ingest, ${BATCH}-envelope transactions, per ${kind === 'cpu' ? 'CPU' : 'wall'} second`,
      unit: 'envelopes/s',
      ours: summarize(series.ours),
      bound: {
        name: 'raw better-sqlite3 multi-row inserts of the same rows into a bare table',
        value: summarize(series.bound),
        share: shares[kind],
      },
    });
  }
  return out;
}
