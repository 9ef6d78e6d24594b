/**
 * Waku benchmarks (issue #5). Prints figures and ratios; never fails a build.
 *  1. PoW seal at target 0.002 (TTL 10 s) for 256 B, 4 KB and 16 KB payloads: time per seal, and the ratio
 *     to the bound = expected attempts x the cost of one keccak256 over the per-attempt input, measured here:
 *     - "nonce" bound: our per-attempt input is the 8-byte nonce absorbed into a cloned state;
 *     - "full" bound: status-go's per-attempt input, RLP without nonce || nonce, hashed from scratch;
 *     the last column divides by the attempts actually made (removes the luck of the draw) and includes the
 *     per-seal fixed cost (encoding, absorbing the fixed part once, building the final envelope).
 *  2. Envelope validation (decode + PoW check + dedup) per second, and its share of raw keccak256
 *     throughput over the same bytes.
 *  3. Relay: envelopes/s through a 3-node chain over real RLPx on 127.0.0.1.
 */
import { bytesToHex } from '@status-ts/core';
import { cryptoBackends, forceNobleCrypto, initFastCrypto, keccak256, randomBytes } from '@status-ts/crypto';
import {
  buildEnvelopeData,
  Envelope,
  nonceBytes8,
  powTargetBits,
  type SealStrategy,
  STATUS_POW_TARGET,
  STATUS_TTL,
  sealEnvelopeSync,
  sealSize,
} from '../src/index.js';
import { connect, startNetNode, stopAll, waitFor } from '../test/helpers/network.js';

const topic = Uint8Array.of(0x5c, 0x6c, 0x92, 0x77);
const symKey = new Uint8Array(32).fill(7);

const ROUNDS = 5;

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

function sealBench(label: string, strategy: SealStrategy): void {
  console.log(
    `\n## PoW seal, target ${STATUS_POW_TARGET}, TTL ${STATUS_TTL} s (keccak backend: ${label}, strategy: ${strategy})`,
  );
  console.log(
    'payload | data B | strategy | target bits | expected attempts | mean attempts | ms/seal | keccak(nonce) us | keccak(full) us | ratio vs nonce bound | ratio vs full bound | us/attempt / keccak(nonce)',
  );
  for (const [name, size, seals] of [
    ['256 B', 256, 200],
    ['4 KB', 4096, 60],
    ['16 KB', 16384, 20],
  ] as const) {
    // Realistic data: an encrypted, padded payload.
    const data = buildEnvelopeData({ payload: randomBytes(size), symKey });
    const fields = (i: number) => ({ expiry: 1_800_000_000 + i, ttl: STATUS_TTL, topic, data });
    const probe = Envelope.create(fields(0));
    const bits = powTargetBits(STATUS_POW_TARGET, sealSize(probe), STATUS_TTL);
    const expected = 2 ** bits;
    const used = sealEnvelopeSync(fields(0), { pow: STATUS_POW_TARGET, strategy }).strategy;
    let attempts = 0;
    let sealed = 0;
    const msPerSeal =
      usPer(seals, (i) => {
        attempts += sealEnvelopeSync(fields(i + 1), { pow: STATUS_POW_TARGET, strategy }).attempts;
        sealed++;
      }) / 1000;
    const nonce = new Uint8Array(8);
    const kNonce = usPer(20_000, (i) => {
      nonce[7] = i;
      keccak256(nonce);
    });
    const rlp = probe.rlpWithoutNonce();
    const kFull = usPer(Math.ceil(Math.max(500, 2_000_000 / rlp.length)), (i) =>
      keccak256(rlp, nonceBytes8(BigInt(i))),
    );
    const boundNonce = (expected * kNonce) / 1000;
    const boundFull = (expected * kFull) / 1000;
    console.log(
      `${name} | ${data.length} | ${used} | ${bits} | ${expected} | ${fmt(attempts / sealed, 1)} | ${fmt(msPerSeal, 3)} | ${fmt(kNonce)} | ${fmt(kFull)} | ${fmt(msPerSeal / boundNonce)}x | ${fmt(msPerSeal / boundFull)}x | ${fmt((msPerSeal * 1000 * sealed) / attempts / kNonce)}x`,
    );
  }
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
    const tValidate = usPer(1, validate) / 1000;
    const tHash = usPer(1, hashAll) / 1000;
    console.log(
      `${name} | ${fmt(bytes / count, 0)} | ${fmt((count / tValidate) * 1000, 0)} | ${fmt(bytes / tValidate / 1000, 1)} | ${fmt(bytes / tHash / 1000, 1)} | ${fmt((tHash / tValidate) * 100, 0)}%`,
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

async function main(): Promise<void> {
  console.log('# @status-ts/waku benchmarks');
  await initFastCrypto();
  sealBench(cryptoBackends().keccak256, 'clone');
  sealBench(cryptoBackends().keccak256, 'rehash');
  forceNobleCrypto(true);
  sealBench('noble (forced)', 'clone');
  forceNobleCrypto(false);
  validationBench();
  await relayBench();
}

main().catch((err) => {
  console.error('benchmark error (not a failure):', err);
});
