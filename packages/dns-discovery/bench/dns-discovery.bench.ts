// EIP-1459 figures. Four sections:
//
// 1. Build + sign a tree, ours only.
// 2. Full verified sync (root signature, every entry against its hash, every ENR signature) over an
//    in-process zone, ours with the secp256k1 backend in use (printed), beside its bound: verifying the ENR
//    signatures alone (keccak256 + ECDSA verify per leaf), the least work a verified sync has to do.
// 3. The same zone queried by ours and by @ethereumjs/devp2p 10.0.0's DNS class, both on noble secp256k1
//    (ours forced to it). @ethereumjs cannot do a full verified sync at its API level (it samples random
//    root-to-leaf descents and checks no entry hash; see ethereumjs.ts), so no speed ratio is printed: its
//    figures say what its algorithm needs (descents, DNS lookups, time) to collect the N records ours syncs.
// 4. Ours from a real DNS server (dnsmasq on 127.0.0.1), 1 and 8 queries in flight.
//
// Rounds are interleaved (tools/bench/harness.ts); figures are medians [quartiles]. Prints figures and never
// fails a build. `--quick` runs smaller trees and fewer rounds (a smoke run).
import { cryptoBackends, forceNobleCrypto, initFastCrypto, keccak256, verify } from '@status-ts/crypto';
import { Enr, rlpDecode, rlpEncode, rlpToList } from '@status-ts/enr';
import {
  describeLoad,
  type FigureRow,
  formatSpread,
  interleavedRounds,
  machineLoad,
  pairedRatios,
  pairedSpeedups,
  recordFigure,
  type Spread,
  summarize,
} from '../../../tools/bench/harness.js';
import { buildTree, DnsClient, NodeResolver } from '../src/index.js';
import { ensureDnsmasq, startDnsmasq } from '../test/helpers/dnsmasq.js';
import { testEnrs, testKey } from '../test/helpers/keys.js';
import { getPeersOnce, routeEthereumjsTo, type SampleRun, sampleUntilAll } from './ethereumjs.js';
import { BenchZone } from './zone.js';

const quick = process.argv.includes('--quick');
/** Leaves of the tree of sections 1, 2 and 4. */
const LEAVES = Number(process.env.BENCH_LEAVES ?? (quick ? 200 : 1000));
/**
 * Leaves of the side-by-side tree. Smaller: collecting every leaf by random sampling takes about N·H(N)
 * descents (coupon collector), two noble signature checks each: at 1,000 leaves over half a minute a round.
 */
const SIDE_LEAVES = Number(process.env.BENCH_SIDE_LEAVES ?? (quick ? 50 : 200));
const ROUNDS = quick ? 2 : 7;
const SIDE_ROUNDS = quick ? 1 : 5;
const DNSMASQ_ROUNDS = quick ? 1 : 3;
/** Latency added to every lookup of the in-process zone, for both clients alike. */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 0);
const DOMAIN = 'bench.status-ts.test';
const PKG = 'dns-discovery';

const started = performance.now();
const loadBefore = machineLoad();
await initFastCrypto();
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
console.log(
  `node ${process.version}; ${describeLoad(loadBefore)} before; secp256k1 ${cryptoBackends().secp256k1}, ` +
    `keccak256 ${cryptoBackends().keccak256} (our defaults)${quick ? '; --quick (smoke run)' : ''}`,
);

const rows: Omit<FigureRow, 'loadBefore' | 'loadAfter'>[] = [];
const line = (label: string, s: Spread, unit: string, digits = 0) =>
  console.log(`  ${label.padEnd(66)} ${formatSpread(s, digits)} ${unit}`);
/** Milliseconds per call from the harness's calls per second (every workload here is one call). */
const toMs = (rates: number[]) => rates.map((r) => 1000 / r);
const once = (run: () => unknown) => ({ ops: 1, run });

const enrs = testEnrs(LEAVES, 'bench');
const signer = testKey(0, 'bench-signer');
const tree = buildTree({ domain: DOMAIN, privateKey: signer, seq: 1, enrs });
const records = tree.records();

// ------------------------------------------------------------------ 1 and 2: ours, in process

console.log(
  `\n## Ours, in process: ${fmt(LEAVES)} leaves (${fmt(Object.keys(records).length)} records), ` +
    `${ROUNDS} interleaved rounds, median [quartiles]; secp256k1 ${cryptoBackends().secp256k1}`,
);
{
  const zone = new BenchZone(records, LATENCY_MS);
  const signed = [...tree.entries.values()]
    .filter((t) => t.startsWith('enr:'))
    .map((t) => {
      const enr = Enr.decodeText(t);
      const [signature, ...content] = rlpToList(rlpDecode(enr.encode()));
      return { signature: signature as Uint8Array, content: rlpEncode(content), key: enr.publicKey };
    });
  let synced = 0;
  let lookups = 0;
  const rates = await interleavedRounds(
    {
      build: once(() => buildTree({ domain: DOMAIN, privateKey: signer, seq: 1, enrs })),
      sync: once(async () => {
        const before = zone.lookups;
        synced = (await new DnsClient({ resolver: zone.resolver() }).syncTree(tree.url)).enrs.length;
        lookups = zone.lookups - before;
      }),
      verify: once(() => {
        for (const s of signed) verify(keccak256(s.content), s.signature, s.key);
      }),
    },
    { rounds: ROUNDS, warmup: 1 },
  );
  const build = summarize(toMs(rates.build));
  const sync = summarize(toMs(rates.sync));
  const bound = summarize(toMs(rates.verify));
  const share = summarize(pairedRatios(rates.sync, rates.verify));
  line(`build + sign ${fmt(LEAVES)} ENRs`, build, 'ms', 1);
  line(`full verified sync, fresh client (${fmt(synced)} ENRs, ${fmt(lookups)} lookups)`, sync, 'ms', 1);
  line('  bound: the ENR signature checks alone (keccak256 + ECDSA verify)', bound, 'ms', 1);
  console.log(`  ${'  share of the bound (bound / sync, per round)'.padEnd(66)} ${formatSpread(share, 2)}`);
  const backend = cryptoBackends().secp256k1;
  rows.push({
    package: PKG,
    figure: `build + sign a ${LEAVES}-ENR tree`,
    unit: 'ms',
    better: 'lower',
    ours: build,
  });
  rows.push({
    package: PKG,
    figure: `full verified sync, ${LEAVES} leaves, in-process zone, secp256k1 ${backend}`,
    unit: 'ms',
    better: 'lower',
    ours: sync,
    bound: { name: `ENR signature checks alone (${backend})`, value: bound, share },
  });
}

// ------------------------------------------------------------------ 3: the same zone, ours and @ethereumjs

forceNobleCrypto(true);
const nobleBackend = cryptoBackends().secp256k1;
forceNobleCrypto(false);
const nativeBackend = cryptoBackends().secp256k1;
{
  const sideTree = buildTree({
    domain: DOMAIN,
    privateKey: signer,
    seq: 1,
    enrs: enrs.slice(0, SIDE_LEAVES),
  });
  const sideRecords = Object.keys(sideTree.records()).length;
  const zone = new BenchZone(sideTree.records(), LATENCY_MS);
  const restore = routeEthereumjsTo(zone);
  console.log(
    `\n## Ours and @ethereumjs/devp2p: every ENR of a ${fmt(SIDE_LEAVES)}-leaf tree (${sideRecords} records) ` +
      `from one in-process zone (${LATENCY_MS} ms added per lookup, both sides), fresh client each round, ` +
      `${SIDE_ROUNDS} interleaved rounds; not the same work (see below), so no time ratio\n` +
      `  secp256k1: ours ${nobleBackend} (forced, like @ethereumjs's ethereum-cryptography/@noble/curves), ` +
      `ours-native ${nativeBackend}`,
  );
  const lookups = { ours: [] as number[], native: [] as number[], once: [] as number[], all: [] as number[] };
  const sampled: SampleRun[] = [];
  const onceDistinct: number[] = [];
  let oursSynced = 0;
  const maxDescents = 50 * SIDE_LEAVES;
  const counted = async (into: number[], fn: () => Promise<unknown>) => {
    const before = zone.lookups;
    await fn();
    into.push(zone.lookups - before);
  };
  const oursSync = async () => {
    oursSynced = (await new DnsClient({ resolver: zone.resolver() }).syncTree(sideTree.url)).enrs.length;
  };
  const rates = await interleavedRounds(
    {
      ours: once(() => {
        forceNobleCrypto(true);
        return counted(lookups.ours, oursSync);
      }),
      all: once(() =>
        counted(lookups.all, async () => {
          sampled.push(await sampleUntilAll(sideTree.url, SIDE_LEAVES, maxDescents));
        }),
      ),
      once: once(() =>
        counted(lookups.once, async () => {
          onceDistinct.push(await getPeersOnce(sideTree.url, SIDE_LEAVES));
        }),
      ),
      native: once(() => {
        forceNobleCrypto(false);
        return counted(lookups.native, oursSync);
      }),
    },
    { rounds: SIDE_ROUNDS, warmup: quick ? 0 : 1 },
  );
  forceNobleCrypto(false);
  restore();
  // The warm-up calls pushed too: keep the timed rounds only.
  const timed = <T>(xs: T[]) => xs.slice(-SIDE_ROUNDS);
  const spread = (xs: number[]) => formatSpread(summarize(timed(xs)));
  const harmonic = Array.from({ length: SIDE_LEAVES }, (_, i) => 1 / (i + 1)).reduce((a, b) => a + b, 0);
  const ours = summarize(toMs(rates.ours));
  console.log(
    'ours: DnsClient.syncTree: root signature once, every entry against its hash, every ENR signature',
  );
  line(`  secp256k1 ${nobleBackend} (forced): ${oursSynced} of ${SIDE_LEAVES} ENRs`, ours, 'ms', 1);
  console.log(`    ${spread(lookups.ours)} lookups`);
  line(`  secp256k1 ${nativeBackend} (our default; no peer uses it)`, summarize(toMs(rates.native)), 'ms', 1);
  console.log(`    ${spread(lookups.native)} lookups`);
  console.log(
    '@ethereumjs/devp2p 10.0.0 DNS (noble): random descents, root and leaf signatures re-checked on each, no hash checked',
  );
  const complete = timed(sampled).filter((r) => r.distinct === SIDE_LEAVES).length;
  line(`  getPeers(1) on one instance until all ${SIDE_LEAVES} seen`, summarize(toMs(rates.all)), 'ms', 1);
  console.log(
    `    ${formatSpread(summarize(timed(sampled).map((r) => r.descents)))} descents (N·H(N) = ` +
      `${fmt(SIDE_LEAVES * harmonic)} were every leaf equally likely), ${spread(lookups.all)} lookups ` +
      `(answers cached); ${complete}/${SIDE_ROUNDS} rounds got all ${SIDE_LEAVES}`,
  );
  line(`  one getPeers(${SIDE_LEAVES}), its documented call`, summarize(toMs(rates.once)), 'ms', 1);
  console.log(
    `    ${spread(onceDistinct)} distinct of ${SIDE_LEAVES} when it stops at its cap of ${SIDE_LEAVES + 10} ` +
      `descents; ${spread(lookups.once)} lookups`,
  );
  console.log(
    '  No time ratio: the two do different work (ours checks every entry hash once and enumerates the tree; ' +
      '@ethereumjs checks no hash and samples with replacement, re-verifying signatures per descent). ' +
      `DNS lookups to get all ${SIDE_LEAVES} records are comparable: ours ${spread(lookups.ours)} ` +
      `(with the empty link subtree's top), @ethereumjs ${spread(lookups.all)}.`,
  );
  rows.push({
    package: PKG,
    figure: `full verified sync, ${SIDE_LEAVES} leaves, in-process zone, secp256k1 noble (forced)`,
    unit: 'ms',
    better: 'lower',
    ours,
  });
  const oursLookups = timed(lookups.ours);
  const theirLookups = timed(lookups.all);
  rows.push({
    package: PKG,
    figure: `DNS lookups to obtain all ${SIDE_LEAVES} records of a tree (ours: full sync; peer: getPeers(1) until all seen, cached)`,
    unit: 'lookups',
    better: 'lower',
    ours: summarize(oursLookups),
    peer: {
      name: '@ethereumjs/devp2p 10.0.0 DNS',
      value: summarize(theirLookups),
      ratio: summarize(pairedSpeedups(oursLookups, theirLookups, 'lower')),
    },
  });
}

// ------------------------------------------------------------------ 4: ours from dnsmasq

{
  ensureDnsmasq();
  const server = await startDnsmasq(records, [DOMAIN]);
  try {
    console.log(
      `\n## Ours from dnsmasq on 127.0.0.1 (node:dns), ${fmt(LEAVES)} leaves, ${DNSMASQ_ROUNDS} interleaved ` +
        `rounds; secp256k1 ${cryptoBackends().secp256k1}`,
    );
    const queries: Record<string, number> = {};
    const syncWith = (concurrency: number) =>
      once(async () => {
        const client = new DnsClient({
          resolver: new NodeResolver({ servers: [server.server] }),
          syncConcurrency: concurrency,
        });
        const synced = await client.syncTree(tree.url);
        queries[concurrency] = client.stats.queries;
        if (synced.enrs.length !== LEAVES) throw new Error(`synced ${synced.enrs.length} of ${LEAVES}`);
      });
    const rates = await interleavedRounds(
      { c1: syncWith(1), c8: syncWith(8) },
      { rounds: DNSMASQ_ROUNDS, warmup: quick ? 0 : 1 },
    );
    for (const [key, concurrency] of [
      ['c1', 1],
      ['c8', 8],
    ] as const) {
      const s = summarize(toMs(rates[key]));
      line(
        `full verified sync, ${concurrency} quer${concurrency === 1 ? 'y' : 'ies'} in flight (${fmt(queries[concurrency] ?? 0)} queries)`,
        s,
        'ms',
        1,
      );
      rows.push({
        package: PKG,
        figure: `full verified sync, ${LEAVES} leaves, dnsmasq on 127.0.0.1, ${concurrency} in flight`,
        unit: 'ms',
        better: 'lower',
        ours: s,
      });
    }
  } finally {
    await server.stop();
  }
}

const loadAfter = machineLoad();
console.log(
  `\n${describeLoad(loadAfter)} after; the bench took ${fmt((performance.now() - started) / 1000)} s`,
);
for (const row of rows) recordFigure({ ...row, loadBefore: loadBefore.load1, loadAfter: loadAfter.load1 });
