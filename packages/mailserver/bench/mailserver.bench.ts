// Mailserver benchmarks: ingest rate (SQLite, PostgreSQL) vs raw inserts of the same rows with the same
// driver, query latency for a 1-day, 3-topic page of 100 over a large SQLite store, and a full 24 h history
// fetch over RLPx on loopback. Prints figures only; never fails a build. MAIL_BENCH_ROWS, MAIL_BENCH_FETCH size
// the last two; `--quick` is a smoke run (few ingest rounds, small stores, no PostgreSQL). The machine load is
// printed before and after; the SQLite ingest figures (ours vs the bare-table bound) are recorded for
// `pnpm bench` (tools/bench/harness.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from '@status-ts/crypto';
import { Envelope } from '@status-ts/waku';
import { describeLoad, type FigureRow, machineLoad, recordFigure } from '../../../tools/bench/harness.js';
import { dbKeyOf } from '../src/index.js';
import { PostgresEnvelopeStore } from '../src/postgres/index.js';
import { openMailserverSqliteStore } from '../src/sqlite/index.js';
import { startPostgres } from '../test/helpers/postgres.js';
import { benchRlpxFetch } from './rlpx-fetch.js';
import { benchSqliteIngest } from './sqlite-ingest.js';

const quick = process.argv.includes('--quick');
const ROWS = Number(process.env.MAIL_BENCH_ROWS ?? (quick ? 20_000 : 1_000_000));
const INGEST_ROUNDS = quick ? 2 : 9;
// A multiple of the store's topicIndexBatch (5000): every round holds one bulk move.
const INGEST_CHUNK = 5000;
const INGEST = (INGEST_ROUNDS + 1) * INGEST_CHUNK;
const FETCH = Number(process.env.MAIL_BENCH_FETCH ?? (quick ? 2000 : 20_000));
const started = performance.now();
const loadBefore = machineLoad();
console.log(
  `node ${process.version}; ${describeLoad(loadBefore)} before${quick ? '; --quick (smoke run)' : ''}`,
);
const T0 = 1_700_000_000;
const topics = Array.from({ length: 100 }, () => randomBytes(4));
const payload = randomBytes(300);
const make = (i: number, span: number) =>
  Envelope.create({
    expiry: T0 + Math.floor((i * span) / ROWS) + 10,
    ttl: 10,
    topic: topics[i % topics.length]!,
    data: payload,
    nonce: i,
  });

const dir = mkdtempSync(join(tmpdir(), 'status-ts-mail-bench-'));
const ingest = Array.from({ length: INGEST }, (_, i) => make(i, 86_400));
// A node hashes every envelope on arrival (dedup), so the stores see envelopes with their hash known.
for (const e of ingest) void e.hash;
const rate = (n: number, ms: number) => Math.round((n * 1000) / ms);

const rows: Omit<FigureRow, 'loadBefore' | 'loadAfter'>[] = await benchSqliteIngest(dir, ingest, {
  rounds: INGEST_ROUNDS,
  chunk: INGEST_CHUNK,
});

// PostgreSQL ingest vs raw multi-row insert with the same driver (one run each, not interleaved: no figure
// recorded).
if (!quick) {
  const pg = await startPostgres('mail_bench');
  try {
    const store = new PostgresEnvelopeStore({ connection: pg.connection });
    await store.init();
    let t = performance.now();
    for (let i = 0; i < INGEST; i += 100) await store.put(ingest.slice(i, i + 100));
    const ours = rate(INGEST, performance.now() - t);
    await store.pool.query(
      'CREATE TABLE raw_e (key BYTEA PRIMARY KEY, topic BYTEA, arrived BIGINT, raw BYTEA)',
    );
    const b = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
    t = performance.now();
    for (let i = 0; i < INGEST; i += 100) {
      const batch = ingest.slice(i, i + 100);
      await store.pool.query(
        'INSERT INTO raw_e SELECT k, t, 0, r FROM unnest($1::bytea[], $2::bytea[], $3::bytea[]) AS u(k, t, r)',
        [batch.map((e) => b(dbKeyOf(e))), batch.map((e) => b(e.topic)), batch.map((e) => b(e.raw))],
      );
    }
    const bare = rate(INGEST, performance.now() - t);
    console.log(
      `postgres ingest: ${ours} env/s, raw multi-row insert of the same rows into a bare table ${bare} rows/s,` +
        ` share ${Math.round((100 * ours) / bare)}%`,
    );
    await store.close();
  } finally {
    await pg.stop();
  }
}

// Query latency over ROWS envelopes spread over 30 days, 100 topics: 1-day, 3-topic pages of 100.
{
  const store = openMailserverSqliteStore(join(dir, 'large.db'));
  const t = performance.now();
  for (let i = 0; i < ROWS; i += 5000) {
    const batch: Envelope[] = [];
    for (let j = i; j < Math.min(ROWS, i + 5000); j++) batch.push(make(j, 30 * 86_400));
    await store.put(batch);
  }
  console.log(`sqlite: built ${ROWS} rows in ${Math.round((performance.now() - t) / 1000)} s`);
  const times: number[] = [];
  let short = 0; // pages with fewer than 100 matches (small stores)
  for (let q = 0; q < 300; q++) {
    const day = T0 + Math.floor(Math.random() * 29) * 86_400;
    const k = Math.floor(Math.random() * 97);
    const s = performance.now();
    const page = await store.query({
      lower: day,
      upper: day + 86_400,
      topics: topics.slice(k, k + 3),
      limit: 100,
    });
    times.push(performance.now() - s);
    if (page.envelopes.length < 100) short++;
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
  console.log(
    `sqlite query 1-day 3-topic page of 100 over ${ROWS}: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms (${short} short pages)`,
  );
  await store.close();
}
await benchRlpxFetch(dir, FETCH);
rmSync(dir, { recursive: true, force: true });
const loadAfter = machineLoad();
console.log(
  `\n${describeLoad(loadAfter)} after; the bench took ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
for (const row of rows) recordFigure({ ...row, loadBefore: loadBefore.load1, loadAfter: loadAfter.load1 });
