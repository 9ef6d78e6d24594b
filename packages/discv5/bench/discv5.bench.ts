// discv5 figures. Three sections:
//
// 1. Codec and handshake, ours only, in memory (bench/codec.ts): no ratio, @chainsafe/discv5 has no API at
//    this level doing the same work.
// 2. In-memory networks, ours only (bench/memory.ts): ManualClock, simulated time.
// 3. Side by side with @chainsafe/discv5 over UDP on 127.0.0.1, both in this process, both driven by the same
//    code (bench/sides.ts): same node count, same bootstrap topology (records added to the table, no packet),
//    no background refresh on either side (the same explicit lookups drive both), the same success check on
//    each routing table (entries that answered us), the same timeout, and the same secp256k1 library (noble;
//    ours with its native backend is printed beside it without a ratio). Rounds alternate the order (odd
//    rounds ours, theirs, ours-native; even rounds the reverse); each round builds fresh nodes and stops them
//    all. A round that misses the criterion counts as the timeout (a lower bound on its time), and the
//    rounds that met it are printed. "Ours faster by" is the median of the per-round ratios (above 1: ours faster).
//
// Prints figures and never fails a build. `--quick` runs fewer, shorter rounds (a smoke run).
import { cryptoBackends, forceNobleCrypto, initFastCrypto } from '@status-ts/crypto';
import {
  alternatingRounds,
  describeLoad,
  type FigureRow,
  formatSpread,
  interleavedRounds,
  machineLoad,
  pairedSpeedups,
  recordFigure,
  type Spread,
  summarize,
  type Workload,
} from '../../../tools/bench/harness.js';
import { handshakeRoundTrip, nodesPacket, openPacket, pongPacket } from './codec.js';
import { memoryColdStart, memoryHandshakes, memoryLookups } from './memory.js';
import { timeToCriterion } from './rounds.js';
import { type BenchNode, chainsafeSide, oursSide, type Side } from './sides.js';

const quick = process.argv.includes('--quick');
/** Rounds of the side-by-side figures (each builds fresh networks on both sides). */
const ROUNDS = quick ? 1 : 5;
/** Rounds of the in-memory micro figures, and the wall time of one workload call. */
const MICRO_ROUNDS = quick ? 3 : 9;
const MICRO_CALL_MS = quick ? 20 : 100;
/** The same limit for both sides: a side that misses it in a round counts as not converged. */
const THREE_NODES_TIMEOUT_MS = 10_000;
const FRESH_NODE_TIMEOUT_MS = 15_000;
/** Network size and target of the fresh-node figure. */
const NETWORK = 30;
const WANTED = 16;
const UDP_PEERS = quick ? 10 : 40;

const started = performance.now();
const loadBefore = machineLoad();
await initFastCrypto();
console.log(
  `node ${process.version}; ${describeLoad(loadBefore)} before${quick ? '; --quick (smoke run, few rounds)' : ''}`,
);

const rows: Omit<FigureRow, 'loadBefore' | 'loadAfter'>[] = [];
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const line = (label: string, s: Spread, unit: string, digits = 0) =>
  console.log(`  ${label.padEnd(62)} ${formatSpread(s, digits)} ${unit}`);

// ------------------------------------------------------------------ 1. codec and handshake, ours only

/** A workload of `fn` sized to take about MICRO_CALL_MS per call on this machine. */
function sized(fn: () => void): Workload {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 10) {
    fn();
    n++;
  }
  const ops = Math.max(1, Math.round((n * MICRO_CALL_MS) / 10));
  return {
    ops,
    run: () => {
      for (let i = 0; i < ops; i++) fn();
    },
  };
}

console.log(
  `\n## Codec and handshake, ours only, in memory (ops/s, median [quartiles] of ${MICRO_ROUNDS} interleaved rounds; no peer at this level)`,
);
const microNames = {
  pong: `packet decode + decrypt + message decode: PONG (${pongPacket.length} B)`,
  nodes: `packet decode + decrypt + message decode: NODES, 7 ENRs (${nodesPacket.length} B)`,
  handshake: 'handshake: WHOAREYOU round trip, both sides',
} as const;
const micro = await interleavedRounds(
  {
    pong: sized(() => openPacket(pongPacket)),
    nodes: sized(() => openPacket(nodesPacket)),
    handshake: sized(handshakeRoundTrip),
  },
  { rounds: MICRO_ROUNDS, warmup: 1 },
);
for (const key of ['pong', 'nodes', 'handshake'] as const) {
  const s = summarize(micro[key]);
  line(microNames[key], s, '/s');
  rows.push({ package: 'discv5', figure: microNames[key], unit: 'ops/s', ours: s });
}

// ------------------------------------------------------------------ 2. in-memory networks, ours only

console.log(
  '\n## In-memory networks, ours only (ManualClock: simulated time; wall time is CPU on this machine)',
);
{
  const peers = quick ? 50 : 200;
  const rates: number[] = [];
  for (let r = 0; r < (quick ? 2 : 3); r++) rates.push(await memoryHandshakes(peers));
  line(`node handshakes (PING to ${peers} fresh peers at once)`, summarize(rates), '/s');

  const size = quick ? 50 : 200;
  const t0 = performance.now();
  const lookups = await memoryLookups(size, quick ? 5 : 20);
  const sim = summarize(lookups.simulatedMs);
  console.log(
    `  built a ${size}-node network and ran ${lookups.simulatedMs.length} lookups in ${fmt(performance.now() - t0)} ms wall`,
  );
  line(`lookup in the ${size}-node network (10-30 ms one-way latency), simulated`, sim, 'ms');
  line('  same lookups, wall', summarize(lookups.wallMs), 'ms', 1);
  line('  same lookups, packets sent', summarize(lookups.packets), '');
  if (lookups.missed > 0) console.log(`  (${lookups.missed} lookups did not return their target first)`);
  rows.push({
    package: 'discv5',
    figure: `lookup, ${size}-node in-memory network (simulated)`,
    unit: 'ms',
    better: 'lower',
    ours: sim,
  });

  const cold = await memoryColdStart(50);
  console.log(
    `  fresh node, 50-node network: 3 whisper + 1 whispermail after ${fmt(cold.coldMs)} ms simulated ` +
      `(${cold.atCold.packetsOut} packets, ${fmt(cold.atCold.bytesOut)} bytes sent); first minute with default ` +
      `timers: ${cold.minute.packetsOut} packets / ${fmt(cold.minute.bytesOut)} bytes sent, ` +
      `${cold.minute.packetsIn} / ${fmt(cold.minute.bytesIn)} received`,
  );
}

// ------------------------------------------------------------------ 3. side by side with @chainsafe/discv5

/**
 * @chainsafe/discv5 signs, verifies and derives its handshake keys with @noble/secp256k1 (pure JavaScript);
 * ours uses libsecp256k1 bindings when they load. So that the ratio measures the discv5 implementations and
 * not the secp256k1 library, `ours` runs here with `forceNobleCrypto(true)` (noble for everything: also for
 * AES-GCM and SHA-256, where @chainsafe/discv5 keeps node:crypto for AES-GCM, so this leans against us).
 * `ours-native` is ours with its default backends, printed for reference without a ratio.
 */
const sides = { ours: oursSide, theirs: chainsafeSide, 'ours-native': oursSide } as const satisfies Record<
  string,
  Side
>;
type SideName = keyof typeof sides;
const sideNames = ['ours', 'theirs', 'ours-native'] as const satisfies readonly SideName[];
const use = (name: SideName): Side => {
  forceNobleCrypto(name === 'ours');
  return sides[name];
};
const emptyBySide = (): Record<SideName, number[]> => ({ ours: [], theirs: [], 'ours-native': [] });

forceNobleCrypto(true);
const nobleReport = cryptoBackends();
forceNobleCrypto(false);
const nativeReport = cryptoBackends();
console.log(
  `\n## Side by side with @chainsafe/discv5 11.0.0 (UDP 127.0.0.1, both in this process; ${ROUNDS} rounds, ` +
    'order ours, theirs, ours-native in odd rounds and reversed in even rounds; median [quartiles]; ratio = ' +
    'median [quartiles] of the per-round speed-ups, above 1 when ours is faster)\n' +
    `  secp256k1: ours ${nobleReport.secp256k1} (forced, like @chainsafe/discv5's @noble/secp256k1), ` +
    `ours-native ${nativeReport.secp256k1}`,
);

async function stopAll(nodes: readonly BenchNode[]): Promise<void> {
  await Promise.all(nodes.map((n) => n.stop()));
}

/**
 * Prints and records one side-by-side figure. A round where a side missed the criterion (`Infinity`) has no
 * time: medians and "ours faster by" use only the rounds both sides met (a miss counted as the timeout would
 * turn a timeout into a speed-up), and the misses are printed and named in the recorded figure.
 */
function compare(figure: string, unit: string, values: Record<SideName, number[]>, timeoutMs?: number): void {
  const better = unit === 'ms' ? 'lower' : 'higher';
  const bothMet = values.ours.map((x, i) => Number.isFinite(x) && Number.isFinite(values.theirs[i]!));
  const pick = (xs: number[]) => xs.filter((_, i) => bothMet[i]);
  const met = (name: SideName) => values[name].filter(Number.isFinite).length;
  const rounds = values.ours.length;
  console.log(`${figure}:`);
  const nativeMet = values['ours-native'].filter(Number.isFinite);
  const native = nativeMet.length > 0 ? summarize(nativeMet) : undefined;
  if (timeoutMs !== undefined) {
    console.log(
      `  ${'rounds that met it within the timeout'.padEnd(62)} ours ${met('ours')}/${rounds}, theirs ` +
        `${met('theirs')}/${rounds}, ours-native ${met('ours-native')}/${rounds} (timeout ${timeoutMs / 1000} s; ` +
        'figures below use the rounds both ours and theirs met)',
    );
  }
  const misses = rounds - met('theirs');
  const label = `${figure}, both on noble secp256k1${misses > 0 ? ` (@chainsafe/discv5 missed it in ${misses} of ${rounds} rounds; figures from the others)` : ''}`;
  if (bothMet.some(Boolean)) {
    const ours = summarize(pick(values.ours));
    const theirs = summarize(pick(values.theirs));
    // Above 1 when ours is better, for rates and times alike (the root table's convention).
    const ratio = summarize(pairedSpeedups(pick(values.ours), pick(values.theirs), better));
    line('ours (noble secp256k1)', ours, unit);
    line('@chainsafe/discv5 (noble secp256k1)', theirs, unit);
    const factor = better === 'lower' ? 'theirs / ours' : 'ours / theirs';
    console.log(`  ${`ours faster by (${factor})`.padEnd(62)} ${formatSpread(ratio, 2)}x`);
    rows.push({
      package: 'discv5',
      figure: label,
      unit,
      better,
      ours,
      peer: { name: '@chainsafe/discv5 11.0.0', value: theirs, ratio },
    });
  } else {
    console.log('  no round where both met it: no comparison');
  }
  if (native) {
    line('ours-native (libsecp256k1; no ratio: another secp256k1 library)', native, unit);
    rows.push({ package: 'discv5', figure: `${figure}, ours on libsecp256k1`, unit, better, ours: native });
  }
}

// PING to fresh peers one after another: each PING needs a handshake. Set-up (binding the sockets) untimed.
{
  const rates = await alternatingRounds(sideNames, ROUNDS, async (name) => {
    const side = use(name);
    const a = await side.spawn();
    const peers: BenchNode[] = [];
    for (let i = 0; i < UDP_PEERS; i++) peers.push(await side.spawn());
    const t0 = performance.now();
    for (const p of peers) await a.ping(p);
    const rate = (UDP_PEERS / (performance.now() - t0)) * 1000;
    await stopAll([a, ...peers]);
    return rate;
  });
  compare(`PING to ${UDP_PEERS} fresh peers, one after another (handshake each)`, 'handshakes/s', rates);
}

// Three nodes: a bootstrap node and two joiners given its record (untimed, just before the clock starts; it
// sends nothing). Each step is one self-lookup by each joiner; met when every node's table holds the other two
// as nodes that answered.
{
  const times = await alternatingRounds(sideNames, ROUNDS, async (name) => {
    const side = use(name);
    const all = [await side.spawn(), await side.spawn(), await side.spawn()];
    const [, x, y] = all as [BenchNode, BenchNode, BenchNode];
    const others = all.map((n) => new Set(all.filter((m) => m !== n).map((m) => m.id)));
    x.add(all[0]!);
    y.add(all[0]!);
    const ms = await timeToCriterion(
      () => all.every((n, i) => n.verified(others[i]!) === 2),
      () => Promise.all([x.selfLookup(), y.selfLookup()]),
      THREE_NODES_TIMEOUT_MS,
    );
    await stopAll(all);
    return ms;
  });
  compare(
    '3 nodes until each routing table holds the other two (verified)',
    'ms',
    times,
    THREE_NODES_TIMEOUT_MS,
  );
}

// A fresh node joining a NETWORK-node network. The network: a bootstrap node, then NETWORK - 1 nodes joined
// one by one, each given the bootstrap record and running one self-lookup (untimed). The fresh node gets the
// bootstrap record, then runs random-target lookups back to back; met when its table holds WANTED of the
// NETWORK ids as nodes that answered.
{
  const built = emptyBySide();
  const times = await alternatingRounds(sideNames, ROUNDS, async (name) => {
    const side = use(name);
    const boot = await side.spawn();
    const net = [boot];
    for (let i = 1; i < NETWORK; i++) {
      const n = await side.spawn();
      n.add(boot);
      await n.selfLookup().catch(() => {});
      net.push(n);
    }
    const ids = new Set(net.map((n) => n.id));
    built[name].push(boot.verified(ids));
    const fresh = await side.spawn();
    fresh.add(boot);
    const ms = await timeToCriterion(
      () => fresh.verified(ids) >= WANTED,
      () => fresh.randomLookup(),
      FRESH_NODE_TIMEOUT_MS,
    );
    await stopAll([...net, fresh]);
    return ms;
  });
  compare(
    `fresh node until its routing table holds ${WANTED} of ${NETWORK} nodes (verified)`,
    'ms',
    times,
    FRESH_NODE_TIMEOUT_MS,
  );
  console.log(
    `  ${'set-up check: bootstrap node table, verified'.padEnd(62)} ours ${formatSpread(summarize(built.ours))}, ` +
      `theirs ${formatSpread(summarize(built.theirs))}, ours-native ${formatSpread(summarize(built['ours-native']))} ` +
      `of ${NETWORK - 1}`,
  );
}

forceNobleCrypto(false);
const loadAfter = machineLoad();
console.log(
  `\n${describeLoad(loadAfter)} after; the bench took ${fmt((performance.now() - started) / 1000)} s`,
);
for (const row of rows) recordFigure({ ...row, loadBefore: loadBefore.load1, loadAfter: loadAfter.load1 });
// @chainsafe/discv5 leaves each lookup's 60 s timeout armed when the lookup ends on its own (lib/kademlia/
// lookup.js clears it only in stop()), which would keep the process alive for a minute after the figures.
process.exit(0);
