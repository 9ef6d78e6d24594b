import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initFastCrypto } from '@status-ts/crypto';
import {
  describeLoad,
  type FigureRow,
  formatSpread,
  interleavedRounds,
  machineLoad,
  recordFigure,
  type Spread,
  summarize,
} from '../../../tools/bench/harness.js';
import { type PeerCache, PeerPool, serverDialer } from '../src/index.js';
import { JsonFilePeerCache } from '../src/json-file/index.js';
import { openPeerPoolSqliteStore } from '../src/sqlite/index.js';
import { discv5Pool, reached, startLoopbackNetwork, startLoopbackNode } from '../test/network.js';

// PeerPool figures, ours only (no other PeerPool implementation runs in Node: no peer column). On a loopback
// network in this process (1 bootstrap + relayers + mailservers; discv5 on UDP, devp2p on TCP with an idle
// waku/1 capability), so the remote side of every handshake shares this process's CPU:
// 1. cold start: a fresh phone (new key, empty table, empty SQLite cache) to 3 whisper + 1 mailserver;
// 2. warm start from the SQLite cache and from the JSON-file cache, in interleaved rounds (tools/bench/
//    harness.ts): each round a fresh pool on a fresh phone node (new key, its devp2p server started before the
//    clock), in this process (JIT warm: the cold rounds ran the same code). The clock covers what a restart
//    pays: opening the cache file (SQLite: open, schema check, prepared statements; JSON: read and parse),
//    seeding the topics from it (ENR decode and signature check of every seed), dialing them, until 3 whisper
//    + 1 mailserver are connected. Wall time and CPU time of the process (process.cpuUsage: on a loaded
//    machine CPU time holds still, wall time does not), with the phases: file open, seeds read (start()
//    returned, dials under way), first peer connected, all connected;
// 3. what a fresh phone's discv5 node sends in its first minute (real time; MINUTE_MS shortens it).
// The machine load is printed before and after; figures are median [quartiles]. Prints figures only; never
// fails a build. `--quick`: a smoke run (smaller network, few rounds, a 5-s "minute"). Environment: ROUNDS,
// SETTLE_MS (default 5000: a phone joins a settled network), MINUTE_MS (default 60000).

const quick = process.argv.includes('--quick');
const ROUNDS = Number(process.env.ROUNDS ?? (quick ? 2 : 7));
const MINUTE_MS = Number(process.env.MINUTE_MS ?? (quick ? 5_000 : 60_000));
const SETTLE_MS = Number(process.env.SETTLE_MS ?? (quick ? 2_000 : 5_000));
const RELAYERS = quick ? 9 : 39;
const MAILSERVERS = quick ? 3 : 10;
const TOPICS = { whisper: { min: 3, max: 3 }, whispermail: { min: 1, max: 1 } };
const WANT = { whisper: 3, whispermail: 1 };

const started = performance.now();
const loadBefore = machineLoad();
const rows: Omit<FigureRow, 'loadBefore' | 'loadAfter'>[] = [];
const line = (label: string, s: Spread, unit: string, digits = 1) =>
  console.log(`  ${label.padEnd(58)} ${formatSpread(s, digits)} ${unit}`);
console.log(
  `node ${process.version}; ${describeLoad(loadBefore)} before${quick ? '; --quick (smoke run)' : ''}`,
);

await initFastCrypto();
const dir = mkdtempSync(join(tmpdir(), 'peerpool-bench-'));
console.log(
  `starting a ${1 + RELAYERS + MAILSERVERS}-node loopback network: 1 bootstrap + ${RELAYERS} relayers + ${MAILSERVERS} mailservers (discv5 UDP, devp2p TCP)`,
);
const network = await startLoopbackNetwork({ relayers: RELAYERS, mailservers: MAILSERVERS });
// Freshly joined nodes spend their first seconds on self-lookups (and fill each other's tables): a phone
// joins a network that has settled, so the figures start after SETTLE_MS.
await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

async function coldStart(cache: PeerCache): Promise<{ ms: number; packets: number; bytes: number }> {
  const mobile = await startLoopbackNode({ bootstrap: network.bootstrap });
  const pool = discv5Pool(mobile, TOPICS, cache);
  const started = performance.now();
  await pool.start();
  await reached(pool, WANT);
  const ms = performance.now() - started;
  const { packetsOut, bytesOut } = mobile.discv5.counters;
  await pool.stop();
  await mobile.stop();
  return { ms, packets: packetsOut, bytes: bytesOut };
}

/** Times of one warm start, ms from the clock's start. */
interface WarmStart {
  opened: number;
  seeded: number;
  first: number;
  done: number;
  cpuMs: number;
  /** Dials the pool started until then, all topics. */
  dialed: number;
}

async function warmStart(openCache: () => Promise<PeerCache> | PeerCache): Promise<WarmStart> {
  const mobile = await startLoopbackNode({ discovery: false });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const cache = await openCache();
  const opened = performance.now() - t0;
  const pool = new PeerPool({
    dialer: serverDialer(mobile.server),
    topics: TOPICS,
    cache,
    selfId: mobile.server.id,
  });
  let first = Number.NaN;
  pool.once('peer:added', () => {
    first = performance.now() - t0;
  });
  const all = reached(pool, WANT);
  await pool.start();
  const seeded = performance.now() - t0;
  await all;
  const done = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  const dialed = Object.values(pool.summary().topics).reduce((n, t) => n + t.dialed, 0);
  await pool.stop();
  await mobile.stop();
  await cache.close();
  return { opened, seeded, first, done, cpuMs: (used.user + used.system) / 1000, dialed };
}

try {
  // Cold start: a fresh node (new key, empty table, empty cache) each round.
  const cold: number[] = [];
  const packets: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const cache = openPeerPoolSqliteStore(join(dir, `cold-${i}.db`));
    const r = await coldStart(cache);
    await cache.close();
    cold.push(r.ms);
    packets.push(r.packets);
  }
  console.log(
    `\n## Cold start of a fresh phone to 3 whisper + 1 mailserver through discv5 (ms, median [quartiles] of ${ROUNDS} rounds)`,
  );
  const coldSpread = summarize(cold);
  line('cold start (target < 1000 ms)', coldSpread, 'ms');
  line('  discv5 packets sent until then', summarize(packets), '', 0);
  rows.push({
    package: 'peerpool',
    figure: 'cold start of a fresh phone to 3 whisper + 1 mailserver (discv5, loopback)',
    unit: 'ms',
    better: 'lower',
    ours: coldSpread,
  });

  // Warm start: the cache the first cold round filled (SQLite), and a JSON file filled by one cold start.
  const sqlitePath = join(dir, 'cold-0.db');
  const jsonPath = join(dir, 'peers.json');
  {
    const seed = await JsonFilePeerCache.open({ path: jsonPath });
    await coldStart(seed);
    await seed.close();
  }
  const runs: Record<'sqlite' | 'json', WarmStart[]> = { sqlite: [], json: [] };
  // One pool start per call (ops 1): the harness's per-round rates are 1000 / wall ms.
  await interleavedRounds(
    {
      sqlite: {
        ops: 1,
        run: async () => runs.sqlite.push(await warmStart(() => openPeerPoolSqliteStore(sqlitePath))),
      },
      json: {
        ops: 1,
        run: async () => runs.json.push(await warmStart(() => JsonFilePeerCache.open({ path: jsonPath }))),
      },
    },
    { rounds: ROUNDS, warmup: 1 },
  );
  console.log(
    `\n## Warm start to 3 whisper + 1 mailserver from the cache, no discovery (ms, median [quartiles] of ${ROUNDS} interleaved rounds;` +
      ' each round a fresh pool and phone node in this process; the warm-up call not counted)',
  );
  for (const [kind, label] of [
    ['sqlite', 'SQLite cache'],
    ['json', 'JSON-file cache'],
  ] as const) {
    const counted = runs[kind].slice(1);
    const of = (pick: (w: WarmStart) => number) => summarize(counted.map(pick));
    const wall = of((w) => w.done);
    const cpu = of((w) => w.cpuMs);
    line(`${label}: wall time`, wall, 'ms');
    line(`${label}: CPU time (process, both ends of each handshake)`, cpu, 'ms');
    line(
      '  phase: cache file open',
      of((w) => w.opened),
      'ms',
      2,
    );
    line(
      '  phase: seeds read and dials started (start() returned)',
      of((w) => w.seeded),
      'ms',
      2,
    );
    line(
      '  phase: first peer connected',
      of((w) => w.first),
      'ms',
    );
    line(
      '  dials started until all connected',
      of((w) => w.dialed),
      '',
      0,
    );
    for (const [what, s] of [
      ['wall', wall],
      ['CPU', cpu],
    ] as const) {
      rows.push({
        package: 'peerpool',
        figure: `warm start from the ${label} to 3 whisper + 1 mailserver, ${what} time`,
        unit: 'ms',
        better: 'lower',
        ours: s,
      });
    }
  }
  console.log('  target: < 100 ms wall');

  // The first minute of a fresh mobile node, in real time with the default timings: discovery stops 10 s
  // after both topics are full; what remains is discv5's own table upkeep (revalidation pings, refresh).
  const mobile = await startLoopbackNode({ bootstrap: network.bootstrap });
  const cache = openPeerPoolSqliteStore(join(dir, 'minute.db'));
  const pool = discv5Pool(mobile, TOPICS, cache);
  const t0 = performance.now();
  const marks: string[] = [];
  const mark = (label: string) => {
    const c = mobile.discv5.counters;
    marks.push(
      `  ${label.padEnd(26)} t=${((performance.now() - t0) / 1000).toFixed(2).padStart(6)} s  packets out ${String(c.packetsOut).padStart(4)}  bytes out ${String(c.bytesOut).padStart(7)}  (in: ${c.packetsIn} / ${c.bytesIn})`,
    );
  };
  pool.on('discovery:stopped', ({ reason }) => mark(`discovery stopped (${reason})`));
  await pool.start();
  await reached(pool, WANT);
  mark('limits reached');
  for (const at of [10_000, 30_000, MINUTE_MS]) {
    if (at > MINUTE_MS) continue;
    const wait = at - (performance.now() - t0);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    mark(at === MINUTE_MS ? `end of run (${MINUTE_MS / 1000} s)` : `${at / 1000} s`);
  }
  console.log(
    `\n## What a fresh mobile node sends in its first ${MINUTE_MS / 1000} s (discv5 counters, real time, one run)`,
  );
  for (const line of marks) console.log(line);
  await pool.stop();
  await cache.close();
  await mobile.stop();
} finally {
  await network.stop();
  rmSync(dir, { recursive: true, force: true });
}
const loadAfter = machineLoad();
console.log(
  `\n${describeLoad(loadAfter)} after; the bench took ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
for (const row of rows) recordFigure({ ...row, loadBefore: loadBefore.load1, loadAfter: loadAfter.load1 });
