/**
 * Waku benchmarks (issue #5). Prints figures and ratios; never fails a build.
 *  1. PoW seal at target 0.002 (TTL 10 s) for 256 B, 4 KB and 16 KB payloads: time per seal, and the ratio
 *     to the bound = expected attempts x the cost of one keccak256 over the per-attempt input, measured here:
 *     our per-attempt input is the 8-byte nonce (XORed into a pre-padded copy of the state holding the fixed
 *     part), so the bound uses keccak256 of 8 bytes; time per seal includes every per-seal fixed cost. Also
 *     shown: time per attempt actually made (removes the luck of the draw), the stricter floor (the
 *     allocation-free keccak256 of 8 bytes) and status-go's per-attempt input (RLP without nonce || nonce,
 *     hashed from scratch) for reference.
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
  keccak256,
  randomBytes,
} from '@status-ts/crypto';
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

const topic = Uint8Array.of(0x5c, 0x6c, 0x92, 0x77);
const symKey = new Uint8Array(32).fill(7);

const ROUNDS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Microseconds per call of `fn`: the median of ROUNDS timed rounds after a warm-up (the machine is shared). */
function usPer(n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.max(10, n / 10); i++) fn(i);
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(i + r * n);
    rounds.push(((performance.now() - t0) * 1000) / n);
  }
  return median(rounds);
}

function fmt(x: number, digits = 2): string {
  return x.toFixed(digits);
}

/** Seals per timed chunk; each chunk is followed at once by the keccak timings for as many attempts. */
const SEAL_CHUNK = 50;

/**
 * One seal row. The same envelopes are sealed in every round (same attempts each round, so rounds differ
 * only by machine noise). The machine is shared, so the timings are interleaved finely: each chunk of
 * SEAL_CHUNK seals is followed at once by as many keccak256 calls over the same 8-byte per-attempt input
 * as the chunk made attempts, once one-shot and once allocation-free; a round's cost per keccak256 is its
 * keccak time over its attempts. Ratios are per round, then the median is taken.
 * - bound: expected attempts x the public one-shot `keccak256(nonce)` (the definition);
 * - floor: expected attempts x the allocation-free form (`createKeccak256SuffixHasher(...).digestInto`,
 *   the very call an attempt makes, from an empty prefix): a stricter bound no per-attempt trick can beat,
 *   so its ratio is the cost of everything else (absorbing the fixed part once, building the envelope).
 */
function sealRow(name: string, size: number, seals: number): void {
  // Realistic data: an encrypted, padded payload.
  const data = buildEnvelopeData({ payload: randomBytes(size), symKey });
  const envelopes = Array.from({ length: seals }, (_, i) => ({
    expiry: 1_800_000_000 + i,
    ttl: STATUS_TTL,
    topic,
    data,
  }));
  const probe = Envelope.create(envelopes[0]!);
  const bits = powTargetBits(STATUS_POW_TARGET, sealSize(probe), STATUS_TTL);
  const expected = 2 ** bits;
  const nonce = new Uint8Array(8);
  const hashNonce = (i: number) => {
    nonce[7] = i;
    keccak256(nonce);
  };
  const suffixHasher = createKeccak256SuffixHasher(createKeccak256(), 8);
  const out = new Uint8Array(32);
  const hashNonceInto = (i: number) => {
    nonce[7] = i;
    suffixHasher.digestInto(nonce, out, 0);
  };
  const rlp = probe.rlpWithoutNonce();
  const full = new Uint8Array(rlp.length + 8);
  full.set(rlp);
  const hashFull = (i: number) => {
    full[full.length - 1] = i;
    keccak256(full);
  };
  const timeCalls = (n: number, fn: (i: number) => void) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    return performance.now() - t0;
  };
  /** One round: [seal ms, one-shot keccak ms, allocation-free keccak ms, attempts], interleaved per chunk. */
  const round = () => {
    let sealMs = 0;
    let oneShotMs = 0;
    let floorMs = 0;
    let attempts = 0;
    for (let c = 0; c < seals; c += SEAL_CHUNK) {
      let chunkAttempts = 0;
      const t0 = performance.now();
      for (let i = c; i < Math.min(seals, c + SEAL_CHUNK); i++) {
        chunkAttempts += sealEnvelopeSync(envelopes[i]!, { pow: STATUS_POW_TARGET }).attempts;
      }
      sealMs += performance.now() - t0;
      oneShotMs += timeCalls(chunkAttempts, hashNonce);
      floorMs += timeCalls(chunkAttempts, hashNonceInto);
      attempts += chunkAttempts;
    }
    return { sealMs, oneShotMs, floorMs, attempts };
  };
  round(); // warm-up
  const msPerSeal: number[] = [];
  const kNonce: number[] = [];
  const kFloor: number[] = [];
  const ratios: number[] = [];
  const floorRatios: number[] = [];
  const perAttempt: number[] = [];
  let attempts = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t = round();
    attempts = t.attempts;
    const usPerSeal = (t.sealMs * 1000) / seals;
    const k = (t.oneShotMs * 1000) / t.attempts;
    const kf = (t.floorMs * 1000) / t.attempts;
    msPerSeal.push(usPerSeal / 1000);
    kNonce.push(k);
    kFloor.push(kf);
    ratios.push(usPerSeal / (expected * k));
    floorRatios.push(usPerSeal / (expected * kf));
    perAttempt.push(t.sealMs / t.oneShotMs);
  }
  const kFull = usPer(Math.ceil(Math.max(200, 1_000_000 / full.length)), hashFull);
  const ms = median(msPerSeal);
  console.log(
    `${name} | ${data.length} | ${bits} | ${expected} | ${fmt(attempts / seals, 1)} | ${fmt(ms, 3)} | ${fmt(median(kNonce), 3)} | ${fmt((expected * median(kNonce)) / 1000, 3)} | **${fmt(median(ratios))}x** | ${fmt(median(perAttempt))}x | ${fmt(median(kFloor), 3)} | ${fmt(median(floorRatios))}x | ${fmt(kFull)} | ${fmt((ms * 1000) / (expected * kFull))}x`,
  );
}

function sealBench(label: string): void {
  console.log(`\n## PoW seal, target ${STATUS_POW_TARGET}, TTL ${STATUS_TTL} s (keccak backend: ${label})`);
  console.log(
    'Bound = expected attempts (2^target bits) x keccak256 of the per-attempt input (the 8-byte nonce, public ' +
      'one-shot keccak256), timed in the same round. Time per seal includes every per-seal cost (encoding, ' +
      'absorbing the fixed part once, building the envelope). Floor = the same with the allocation-free ' +
      'keccak256 of 8 bytes an attempt uses (stricter). Last two columns: status-go per-attempt input ' +
      '(whole RLP || nonce, hashed from scratch), for reference only.',
  );
  console.log(
    'payload | data B | target bits | expected attempts | mean attempts | ms/seal | keccak256(8 B) us | bound ms | ratio vs bound | per attempt / keccak256(8 B) | alloc-free keccak256(8 B) us | ratio vs floor | keccak256(RLP||nonce) us | ratio vs status-go bound',
  );
  sealRow('256 B', 256, 2000);
  sealRow('4 KB', 4096, 500);
  sealRow('16 KB', 16384, 300);
}

function validationBench(): void {
  console.log('\n## Envelope validation (decode + PoW check + dedup) vs raw keccak256 over the same bytes');
  console.log('payload | envelope B | envelopes/s | MB/s | keccak256 MB/s | share of keccak throughput');
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
    // Interleaved rounds (validate, then hash the same bytes) so machine noise hits both alike; medians.
    for (let i = 0; i < 3; i++) {
      validate();
      hashAll();
    }
    const validateMs: number[] = [];
    const hashMs: number[] = [];
    const shares: number[] = [];
    for (let r = 0; r < 2 * ROUNDS + 1; r++) {
      const t0 = performance.now();
      validate();
      const t1 = performance.now();
      hashAll();
      const t2 = performance.now();
      validateMs.push(t1 - t0);
      hashMs.push(t2 - t1);
      shares.push((t2 - t1) / (t1 - t0));
    }
    const tValidate = median(validateMs);
    const tHash = median(hashMs);
    console.log(
      `${name} | ${fmt(bytes / count, 0)} | ${fmt((count / tValidate) * 1000, 0)} | ${fmt(bytes / tValidate / 1000, 1)} | ${fmt(bytes / tHash / 1000, 1)} | ${fmt(median(shares) * 100, 0)}%`,
    );
  }
}

async function relayBench(): Promise<void> {
  console.log('\n## Relay through a 3-node chain over real RLPx (127.0.0.1), A -> B -> C');
  const options = { minPow: 0, rateLimits: false as const };
  const [a, b, c] = [
    await startNetNode('A', options),
    await startNetNode('B', options),
    await startNetNode('C', options),
  ];
  try {
    await connect(a, b);
    await connect(b, c);
    for (const [count, size] of [
      [5000, 200],
      [20000, 200],
    ] as const) {
      const now = Math.floor(Date.now() / 1000);
      const envelopes = Array.from({ length: count }, () =>
        Envelope.create({ expiry: now + 120, ttl: 120, topic, data: randomBytes(size) }),
      );
      const start = c.node.counters.envelopesAccepted;
      const t0 = performance.now();
      for (const e of envelopes) a.node.postEnvelope(e);
      await waitFor(() => c.node.counters.envelopesAccepted - start >= count, 120_000, 'relay to C');
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
  console.log('phase | µs per entry (median of rounds)');
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
  console.log(`add into a filling pool | ${fmt(median(fill))}`);
  console.log(`add into a full pool, evicting the lowest PoW | ${fmt(median(evict))}`);
  console.log(`expire (sweep of the whole pool) | ${fmt(median(sweep))}`);
}

/** `WAKU_BENCH=seal|validation|relay|pool` runs one section (all by default). */
async function main(): Promise<void> {
  const only = process.env.WAKU_BENCH;
  const wanted = (section: string) => only === undefined || only === '' || only === section;
  console.log('# @status-ts/waku benchmarks');
  await initFastCrypto();
  if (wanted('seal')) {
    sealBench(cryptoBackends().keccak256);
    forceNobleCrypto(true);
    sealBench('noble (forced)');
    forceNobleCrypto(false);
  }
  if (wanted('validation')) validationBench();
  if (wanted('relay')) await relayBench();
  if (wanted('pool')) poolBench();
}

main().catch((err) => {
  console.error('benchmark error (not a failure):', err);
});
