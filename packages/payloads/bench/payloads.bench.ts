/**
 * Payloads benchmarks (issue #16). Prints figures and ratios; never fails a build.
 *  1. wrap+sign: encode a ChatMessage with 200 bytes of text, sign Keccak-256 of it, serialize the
 *     ApplicationMetadataMessage and compute its id; per second, against the bound measured in the same
 *     run on the same crypto backend: one `sign(keccak256(payload))` over the same payload bytes.
 *  2. verify+decode: unwrap (decode, recover the author, id) and decode + validate the ChatMessage, against
 *     the bound `recoverPublicKey(keccak256(payload), signature)` over the same bytes.
 *     Rounds interleave ours and the bound so machine noise hits both alike; the ratio is taken per round,
 *     then the median and the spread (min-max) are printed. Rows for each available backend (native
 *     libsecp256k1 bindings, and noble).
 *  3. Group state derivation for a 1,000-event membership log (signature recovery included, as on receipt).
 */
import {
  cryptoBackends,
  forceNobleCrypto,
  generatePrivateKey,
  initFastCrypto,
  keccak256,
  recoverPublicKey,
  sign,
} from '@status-ts/crypto';
import {
  encodeChatMessage,
  messageSigner,
  newChatMessage,
  unwrapChatMessage,
  wrapChatMessage,
} from '../src/index.js';
import { buildGroupLog, deriveLog } from './group-state.js';

const ROUNDS = 15;
const PER_ROUND = 400;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function fmt(x: number, digits = 0): string {
  return x.toFixed(digits);
}

/** Milliseconds for `n` calls of `fn`. */
function time(n: number, fn: (i: number) => void): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return performance.now() - t0;
}

interface Row {
  ours: number[];
  bound: number[];
}

/** Interleaved rounds of `ours` and `bound`; returns per-round ops/s of each. */
function compare(ours: (i: number) => void, bound: (i: number) => void): Row {
  time(PER_ROUND / 3, ours); // warm-up
  time(PER_ROUND / 3, bound);
  const row: Row = { ours: [], bound: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first, so neither always runs on a warmer (or colder) machine.
    const first = r % 2 === 0;
    const a = first ? time(PER_ROUND, ours) : 0;
    const b = time(PER_ROUND, bound);
    const c = first ? 0 : time(PER_ROUND, ours);
    row.ours.push((PER_ROUND / (a + c)) * 1000);
    row.bound.push((PER_ROUND / b) * 1000);
  }
  return row;
}

function printRow(name: string, backend: string, row: Row): void {
  const ratios = row.ours.map((ours, i) => ours / row.bound[i]!);
  const lo = Math.min(...ratios);
  const hi = Math.max(...ratios);
  console.log(
    `${name} | ${backend} | ${fmt(median(row.ours))} | ${fmt(median(row.bound))} | **${fmt(median(ratios) * 100)}%** | ${fmt(lo * 100)}-${fmt(hi * 100)}%`,
  );
}

const NOW = 1_700_000_000_000;
const text =
  'status-ts payloads benchmark: a chat message of exactly two hundred bytes of text, signed, wrapped, sent, then received, verified and decoded by the other side. Padding follows here...';
const TEXT_200 = text.padEnd(200, '.').slice(0, 200);

async function wrapAndUnwrap(): Promise<void> {
  const report = await initFastCrypto();
  const backends: [string, boolean][] = [];
  if (report.secp256k1 === 'native') backends.push(['native secp256k1', false]);
  backends.push(['noble secp256k1', true]);
  console.log(`\nkeccak256 backend: ${report.keccak256}\n`);
  console.log('operation | backend | ours ops/s | bound ops/s | ours / bound (median) | spread');
  console.log('--- | --- | --- | --- | --- | ---');
  const signer = messageSigner(generatePrivateKey());
  for (const [backend, noble] of backends) {
    forceNobleCrypto(noble);
    const messages = Array.from({ length: PER_ROUND }, (_, i) =>
      newChatMessage({ chat: { kind: 'public', name: 'status' }, text: TEXT_200, now: NOW + i }),
    );
    const payloads = messages.map(encodeChatMessage);
    const wrapped = messages.map((message) => wrapChatMessage(message, signer));
    printRow(
      'wrap+sign (encode, sign, wrap, id)',
      backend,
      compare(
        (i) => wrapChatMessage(messages[i % PER_ROUND]!, signer),
        (i) => sign(keccak256(payloads[i % PER_ROUND]!), signer.privateKey),
      ),
    );
    printRow(
      'verify+decode (unwrap, recover, id, decode, validate)',
      backend,
      compare(
        (i) => unwrapChatMessage(wrapped[i % PER_ROUND]!.bytes, { envelopeTimeMs: NOW }),
        (i) =>
          recoverPublicKey(keccak256(wrapped[i % PER_ROUND]!.payload), wrapped[i % PER_ROUND]!.signature!),
      ),
    );
  }
  forceNobleCrypto(false);
  console.log(`\n(backends after the run: ${JSON.stringify(cryptoBackends())})`);
}

function groupDerivation(): void {
  const size = 1_000;
  const log = buildGroupLog(size);
  deriveLog(log); // warm-up
  const ms: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    deriveLog(log);
    ms.push(performance.now() - t0);
  }
  console.log('\ngroup state derivation | events | ms (median of 5) | spread ms | events/s');
  console.log('--- | --- | --- | --- | ---');
  console.log(
    `verify + order + apply | ${size} | ${fmt(median(ms), 1)} | ${fmt(Math.min(...ms), 1)}-${fmt(Math.max(...ms), 1)} | ${fmt((size / median(ms)) * 1000)}`,
  );
}

await wrapAndUnwrap();
groupDerivation();
