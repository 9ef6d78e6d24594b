/**
 * Waku benchmarks (issue #5). Prints figures and ratios; never fails a build. `--quick` runs fewer, smaller
 * rounds (a smoke run); `WAKU_BENCH=seal|validation|relay|pool` runs one section.
 *  1. PoW seal at target 0.002 (TTL 10 s) for 256 B, 4 KB and 16 KB payloads, on the WebAssembly keccak and on
 *     noble (the fallback): time per seal against the hashing bound, in interleaved rounds (see sealCase).
 *  2. Envelope validation (decode + PoW check + dedup) per second, and its share of raw keccak256
 *     throughput over the same bytes.
 *  3. Relay: envelopes/s through a 3-node chain over real RLPx on 127.0.0.1.
 *  4. Pool: admission at 100,000 entries, filling and then evicting the lowest PoW for each newcomer (the
 *     pool-exhaustion defence must not scan the pool), and the expiry sweep of all of them.
 */
import { bytesToHex } from '@status-ts/core';
import {
  createKeccak256,
  createKeccak256SuffixHasher,
  cryptoBackends,
  forceNobleCrypto,
  initFastCrypto,
  KECCAK256_LENGTH,
  keccak256,
  randomBytes,
} from '@status-ts/crypto';
import {
  describeLoad,
  type FigureRow,
  formatSpread,
  interleavedRounds,
  machineLoad,
  pairedRatios,
  recordFigure,
  type Spread,
  summarize,
} from '../../../tools/bench/harness.js';
import { powInputPrefix } from '../src/envelope/envelope.js';
import {
  buildEnvelopeData,
  Envelope,
  powTargetBits,
  STATUS_POW_TARGET,
  STATUS_TTL,
  sealEnvelopeSync,
  sealSize,
} from '../src/index.js';
import { EnvelopePool, type PoolEntry } from '../src/node/pool.js';
import { connect, startNetNode, stopAll, waitFor } from '../test/helpers/network.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 9;
/**
 * Rounds of the seal figures: many short rounds (tens of ms per workload), so a burst of load from another
 * process more often hits a seal and its bounds alike than in few long rounds.
 */
const SEAL_ROUNDS = quick ? 3 : 21;

const topic = Uint8Array.of(0x5c, 0x6c, 0x92, 0x77);
const symKey = new Uint8Array(32).fill(7);

/** Keccak-256 absorbs 136 bytes per permutation. */
const KECCAK_RATE = 136;
const NONCE_LENGTH = 8;

function fmt(x: number, digits = 2): string {
  return x.toFixed(digits);
}

/** `1.23x [1.20–1.26]`. */
const times = (s: Spread) => `${formatSpread(s, 2)}x`;

type Row = Omit<FigureRow, 'package' | 'loadBefore' | 'loadAfter'>;
const rows: Row[] = [];

/**
 * One seal figure. The same `seals` envelopes (realistic data: an encrypted, padded payload; one expiry each)
 * are sealed in every round, so the rounds differ only by machine noise. Each round also times, right after
 * the seals, the two pieces of work no seal can avoid, the fastest way the sealer's keccak backend offers,
 * allocating nothing:
 * - attempt: keccak256 of this size's PoW input given its fixed part `RLP([expiry, ttl, topic, data])`
 *   already absorbed (a copy of the absorbed state, the 8 nonce bytes, the digest into a reused buffer:
 *   `createKeccak256SuffixHasher(...).digestInto`, the very call an attempt makes). On WebAssembly the
 *   padding is pre-applied when the nonce ends inside the pending block ("1 permutation"); when it does not,
 *   an attempt needs two ("2 permutations"). The nonce's last byte changes on every call.
 * - absorb: absorbing the fixed part once (its prefix, precomputed, then the data) into a recycled hasher.
 * Bounds, per round (ratios are per round, then median and quartiles):
 * - 2^bits x attempt: the expected attempts times the attempt floor (issue 20's definition), and the same
 *   over the attempts this sample made (no luck of the draw);
 * - least work = absorb + attempts made x attempt: the seal's unavoidable work for the attempts this
 *   sample actually needed (its mean attempts are printed against 2^bits: a lucky sample would flatter the
 *   ratios to 2^bits, this one cannot be flattered by luck). This is the recorded bound.
 */
async function sealCase(backend: string, name: string, size: number, seals: number): Promise<void> {
  const data = buildEnvelopeData({ payload: randomBytes(size), symKey });
  const envelopes = Array.from({ length: seals }, (_, i) => ({
    expiry: 1_800_000_000 + i,
    ttl: STATUS_TTL,
    topic,
    data,
  }));
  const prefixes = envelopes.map((fields) => powInputPrefix(fields));
  const bits = powTargetBits(STATUS_POW_TARGET, sealSize(Envelope.create(envelopes[0]!)), STATUS_TTL);
  const expected = 2 ** bits;
  let attempts = 0;
  for (const fields of envelopes) attempts += sealEnvelopeSync(fields, { pow: STATUS_POW_TARGET }).attempts;
  const meanAttempts = attempts / seals;

  const fixed = createKeccak256().update(prefixes[0]!).update(data);
  const pending = (prefixes[0]!.length + data.length) % KECCAK_RATE;
  const mode =
    backend === 'wasm'
      ? pending + NONCE_LENGTH < KECCAK_RATE
        ? '1 permutation'
        : '2 permutations'
      : 'state copy + digest';
  const attempt = createKeccak256SuffixHasher(fixed, NONCE_LENGTH);
  const nonce = new Uint8Array(NONCE_LENGTH);
  const digest = new Uint8Array(KECCAK256_LENGTH);
  const empty = createKeccak256();
  const absorbing = createKeccak256();
  const attemptOps = Math.max(1000, Math.round(seals * expected));
  const rates = await interleavedRounds(
    {
      seal: {
        ops: seals,
        run: () => {
          for (const fields of envelopes) sealEnvelopeSync(fields, { pow: STATUS_POW_TARGET });
        },
      },
      attempt: {
        ops: attemptOps,
        run: () => {
          for (let i = 0; i < attemptOps; i++) {
            nonce[7] = i;
            attempt.digestInto(nonce, digest, 0);
          }
        },
      },
      absorb: {
        ops: seals,
        run: () => {
          for (const prefix of prefixes) empty.cloneInto(absorbing).update(prefix).update(data);
        },
      },
    },
    { rounds: SEAL_ROUNDS, warmup: 3 },
  );
  const us = (perSecond: number[]) => perSecond.map((r) => 1e6 / r);
  const sealUs = us(rates.seal);
  const attemptUs = us(rates.attempt);
  const absorbUs = us(rates.absorb);
  const boundExpected = attemptUs.map((a) => expected * a);
  const boundMade = attemptUs.map((a, i) => absorbUs[i]! + meanAttempts * a);
  const vsExpected = summarize(pairedRatios(sealUs, boundExpected));
  const vsAttemptsMade = summarize(
    pairedRatios(
      sealUs,
      attemptUs.map((a) => meanAttempts * a),
    ),
  );
  const vsLeast = summarize(pairedRatios(sealUs, boundMade));
  const seal = summarize(sealUs);
  const least = summarize(boundMade);
  console.log(
    `${name} | ${data.length} | ${mode} | ${bits} | ${expected} | ${fmt(meanAttempts, 1)} (${fmt(meanAttempts / expected)}) | ${formatSpread(seal, 1)} | ${formatSpread(summarize(attemptUs), 3)} | ${formatSpread(summarize(absorbUs), 1)} | ${times(vsExpected)} | ${times(vsAttemptsMade)} | ${formatSpread(least, 1)} | **${times(vsLeast)}**`,
  );
  rows.push({
    figure: `PoW seal, ${name} payload, target ${STATUS_POW_TARGET} (${bits} bits), keccak ${backend}`,
    unit: 'µs/seal',
    better: 'lower',
    ours: seal,
    bound: {
      name: `absorb the input once + ${fmt(meanAttempts, 1)} attempts (2^${bits} expected) x alloc-free keccak256 attempt`,
      value: least,
      share: summarize(pairedRatios(boundMade, sealUs)),
    },
  });
}

async function sealBench(backend: 'wasm' | 'noble', label: string): Promise<void> {
  console.log(
    `\n## PoW seal, target ${STATUS_POW_TARGET}, TTL ${STATUS_TTL} s (keccak backend: ${label}); median [quartiles] of ${SEAL_ROUNDS} interleaved rounds`,
  );
  console.log(
    'attempt = one allocation-free keccak256 of this PoW input with its fixed part already absorbed (the ' +
      'sealer’s own call); absorb = absorbing the fixed part once; least work = absorb + attempts made x attempt. ' +
      'Ratios are seal time over each bound, per round (1 = at the bound).',
  );
  console.log(
    'payload | data B | attempt cost | target bits | 2^bits | mean attempts (÷ 2^bits) | µs/seal | attempt µs | absorb µs | seal ÷ (2^bits x attempt) | seal ÷ (attempts made x attempt) | least work µs | seal ÷ least work',
  );
  // Seals per case: tens of ms per round. The mean attempts of so few seals stray from 2^bits (printed);
  // the ratios over the attempts made do not depend on that luck.
  const scale = (quick ? 0.2 : 1) * (backend === 'noble' ? 0.25 : 1);
  await sealCase(backend, '256 B', 256, Math.ceil(1500 * scale));
  await sealCase(backend, '4 KB', 4096, Math.ceil(300 * scale));
  await sealCase(backend, '16 KB', 16384, Math.ceil(120 * scale));
}

async function validationBench(): Promise<void> {
  console.log('\n## Envelope validation (decode + PoW check + dedup) vs raw keccak256 over the same bytes');
  console.log(
    'payload | envelope B | envelopes/s (median [quartiles]) | MB/s | keccak256 MB/s | share of keccak throughput (median of per-round shares)',
  );
  for (const [name, size, count] of [
    ['256 B', 256, 4000],
    ['4 KB', 4096, 1500],
    ['16 KB', 16384, 400],
  ] as const) {
    const raws = Array.from(
      { length: count },
      (_, i) =>
        Envelope.create({
          expiry: 1_800_000_000 + i,
          ttl: STATUS_TTL,
          topic,
          data: randomBytes(size + 300),
          nonce: i,
        }).raw,
    );
    const bytes = raws.reduce((n, r) => n + r.length, 0);
    const validate = () => {
      const seen = new Set<string>();
      let accepted = 0;
      for (const raw of raws) {
        const e = Envelope.decode(raw);
        const key = bytesToHex(e.powHash);
        if (seen.has(key)) continue;
        if (e.pow() >= 0) {
          seen.add(key);
          accepted++;
        }
      }
      return accepted;
    };
    const hashAll = () => {
      for (const raw of raws) keccak256(raw);
    };
    // Interleaved rounds (validate, then hash the same bytes) so machine noise hits both alike.
    const rates = await interleavedRounds(
      { validate: { ops: count, run: validate }, hash: { ops: count, run: hashAll } },
      { rounds: 2 * ROUNDS + 1, warmup: 3 },
    );
    const perSecond = summarize(rates.validate);
    const hashPerSecond = summarize(rates.hash);
    const perByte = bytes / count / 1e6;
    console.log(
      `${name} | ${fmt(bytes / count, 0)} | ${formatSpread(perSecond)} | ${fmt(perSecond.median * perByte, 1)} | ${fmt(hashPerSecond.median * perByte, 1)} | ${fmt(summarize(pairedRatios(rates.validate, rates.hash)).median * 100, 0)}%`,
    );
  }
}

async function relayBench(): Promise<void> {
  console.log('\n## Relay through a 3-node chain over real RLPx (127.0.0.1), A -> B -> C');
  // Throughput, not the defences: the relay queue holds a whole burst (the default 10,000 would skip part of
  // the 20,000 one) and one peer may fill the pool (a chain has a single upstream peer; the default 1/8 share
  // would refuse envelopes past 12,500).
  const counts = quick ? [2000] : [5000, 20_000];
  const options = {
    minPow: 0,
    rateLimits: false as const,
    maxRelayQueue: Math.max(...counts),
    maxPoolSharePerPeer: 1,
  };
  const [a, b, c] = [
    await startNetNode('A', options),
    await startNetNode('B', options),
    await startNetNode('C', options),
  ];
  try {
    await connect(a, b);
    await connect(b, c);
    const size = 200;
    for (const count of counts) {
      const now = Math.floor(Date.now() / 1000);
      const envelopes = Array.from({ length: count }, () =>
        Envelope.create({ expiry: now + 120, ttl: 120, topic, data: randomBytes(size) }),
      );
      const start = c.node.counters.envelopesAccepted;
      const t0 = performance.now();
      for (const e of envelopes) a.node.postEnvelope(e);
      await waitFor(() => c.node.counters.envelopesAccepted - start >= count, 60_000, 'relay to C');
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `${count} envelopes of ${size} B data: ${fmt(seconds, 2)} s, ${fmt(count / seconds, 0)} envelopes/s end to end (two hops, 300 ms batching)`,
      );
    }
  } finally {
    await stopAll([a, b, c]);
  }
}

function poolBench(): void {
  console.log('\n## Envelope pool at 100,000 entries (64 peers, share 1/8): admission, eviction, expiry');
  console.log('phase | µs per entry (median [quartiles] of rounds)');
  const n = 100_000;
  const raw = new Uint8Array(200);
  let serial = 0;
  // Stand-in envelopes: the pool reads only the encoded length and the expiry.
  const entry = (pow: number, peer: string, expiry: number): PoolEntry => ({
    key: `k${serial++}`,
    envelope: { raw, expiry } as unknown as Envelope,
    pow,
    local: false,
    peer,
    removed: false,
  });
  const fill: number[] = [];
  const evict: number[] = [];
  const sweep: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const pool = new EnvelopePool({ maxSize: n, maxBytes: 2 ** 40, maxSharePerPeer: 1 / 8 });
    const powOf = (i: number) => ((i * 7919) % n) + 1;
    const first = Array.from({ length: n }, (_, i) => entry(powOf(i), `p${i % 64}`, 1000 + (i % 600)));
    const second = Array.from({ length: n }, (_, i) => entry(n + powOf(i), `q${i % 64}`, 1000 + (i % 600)));
    const t0 = performance.now();
    for (const e of first) pool.add(e);
    const t1 = performance.now();
    for (const e of second) pool.add(e);
    const t2 = performance.now();
    pool.expire(10_000);
    const t3 = performance.now();
    fill.push(((t1 - t0) * 1000) / n);
    evict.push(((t2 - t1) * 1000) / n);
    sweep.push(((t3 - t2) * 1000) / n);
  }
  console.log(`add into a filling pool | ${formatSpread(summarize(fill), 2)}`);
  console.log(`add into a full pool, evicting the lowest PoW | ${formatSpread(summarize(evict), 2)}`);
  console.log(`expire (sweep of the whole pool) | ${formatSpread(summarize(sweep), 2)}`);
}

/** `WAKU_BENCH=seal|validation|relay|pool` runs one section (all by default). */
async function main(): Promise<void> {
  const only = process.env.WAKU_BENCH;
  const wanted = (section: string) => only === undefined || only === '' || only === section;
  const loadBefore = machineLoad();
  console.log(
    `# @status-ts/waku benchmarks\nnode ${process.version}; ${describeLoad(loadBefore)} before${quick ? '; --quick (smoke run)' : ''}`,
  );
  await initFastCrypto();
  if (wanted('seal')) {
    const backend = cryptoBackends().keccak256;
    await sealBench(backend, backend);
    forceNobleCrypto(true);
    try {
      await sealBench('noble', 'noble (forced)');
    } finally {
      forceNobleCrypto(false);
    }
  }
  if (wanted('validation')) await validationBench();
  if (wanted('relay')) {
    // A relay failure (a timeout on a loaded machine) is printed; the other figures are still recorded.
    await relayBench().catch((err) => console.error('relay benchmark error (not a failure):', err));
  }
  if (wanted('pool')) poolBench();
  const loadAfter = machineLoad();
  console.log(`\n${describeLoad(loadAfter)} after`);
  for (const row of rows) {
    recordFigure({ package: 'waku', ...row, loadBefore: loadBefore.load1, loadAfter: loadAfter.load1 });
  }
}

main().catch((err) => {
  console.error('benchmark error (not a failure):', err);
});
