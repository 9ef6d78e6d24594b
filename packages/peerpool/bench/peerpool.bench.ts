import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initFastCrypto } from '@status-ts/crypto';
import { type PeerCache, PeerPool, serverDialer } from '../src/index.js';
import { JsonFilePeerCache } from '../src/json-file/index.js';
import { openPeerPoolSqliteStore } from '../src/sqlite/index.js';
import { discv5Pool, reached, startLoopbackNetwork, startLoopbackNode } from '../test/network.js';

// Figures only; a benchmark never fails a build. The machine may be shared: times are the median (and range)
// of a few rounds. Environment: ROUNDS (default 5); SETTLE_MS (default 5000, see below); MINUTE_MS (default 60000) is the length of the real-time
// run that counts what the mobile node sends after start (shorten it for a quick look).

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const MINUTE_MS = Number(process.env.MINUTE_MS ?? 60_000);
const TOPICS = { whisper: { min: 3, max: 3 }, whispermail: { min: 1, max: 1 } };
const WANT = { whisper: 3, whispermail: 1 };

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${median.toFixed(1)} ms (min ${sorted[0]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)}, n=${sorted.length})`;
}

await initFastCrypto();
const dir = mkdtempSync(join(tmpdir(), 'peerpool-bench-'));
console.log(
  'starting a 50-node loopback network: 1 bootstrap + 39 relayers + 10 mailservers (discv5 UDP, devp2p TCP)',
);
const network = await startLoopbackNetwork({ relayers: 39, mailservers: 10 });
// Freshly joined nodes spend their first seconds on self-lookups (and fill each other's tables): a phone
// joins a network that has settled, so the figures start after SETTLE_MS (default 5 s).
await new Promise((resolve) => setTimeout(resolve, Number(process.env.SETTLE_MS ?? 5_000)));

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

async function warmStart(cache: PeerCache): Promise<number> {
  const mobile = await startLoopbackNode({ discovery: false });
  const pool = new PeerPool({
    dialer: serverDialer(mobile.server),
    topics: TOPICS,
    cache,
    selfId: mobile.server.id,
  });
  const started = performance.now();
  await pool.start();
  await reached(pool, WANT);
  const ms = performance.now() - started;
  await pool.stop();
  await mobile.stop();
  return ms;
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
  console.log(`cold start to 3 whisper + 1 mailserver (discv5): ${stats(cold)}; target < 1000 ms`);
  console.log(`  discv5 packets sent until then: ${packets.join(', ')}`);

  // Warm start: the cache of the first cold round, SQLite and JSON file.
  const warmSqlite: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const cache = openPeerPoolSqliteStore(join(dir, 'cold-0.db'));
    warmSqlite.push(await warmStart(cache));
    await cache.close();
  }
  console.log(`warm start from the SQLite cache (no discovery): ${stats(warmSqlite)}; target < 100 ms`);
  const jsonPath = join(dir, 'peers.json');
  {
    const seed = await JsonFilePeerCache.open({ path: jsonPath });
    await coldStart(seed);
    await seed.close();
  }
  const warmJson: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const cache = await JsonFilePeerCache.open({ path: jsonPath });
    warmJson.push(await warmStart(cache));
    await cache.close();
  }
  console.log(`warm start from the JSON-file cache (no discovery): ${stats(warmJson)}`);

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
    `what a fresh mobile node sends in its first ${MINUTE_MS / 1000} s (discv5 counters, real time):`,
  );
  for (const line of marks) console.log(line);
  await pool.stop();
  await cache.close();
  await mobile.stop();
} finally {
  await network.stop();
  rmSync(dir, { recursive: true, force: true });
}
