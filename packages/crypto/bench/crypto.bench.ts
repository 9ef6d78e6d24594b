import { Bench } from 'tinybench';
import { fastNodeEcdh } from '../src/backend.js';
import {
  aesGcmSeal,
  createAesCtr,
  createAesEcbEncryptor,
  createKeccak256,
  cryptoBackends,
  ecdhCompressed,
  ecdhX,
  eciesDecrypt,
  eciesEncrypt,
  forceNobleCrypto,
  generatePrivateKey,
  getPublicKey,
  initFastCrypto,
  keccak256,
  randomBytes,
  recoverPublicKey,
  sign,
  symmetricKeyFromPassword,
  verify,
} from '../src/index.js';
import { ecdhXNode } from '../src/secp256k1.js';

// Figures only; a benchmark never fails a build. Every row runs the same public function twice: once
// with the noble (pure JS) path forced, once with the fast path (node:crypto, WASM Keccak, native
// libsecp256k1) selected.
await initFastCrypto();

interface Row {
  name: string;
  /** Bytes processed per call, for MB/s rows; undefined for ops/s rows. */
  bytes?: number;
  note?: string;
  /** Builds the function to time on the current path (so streams and hashers bind to that backend). */
  setup: () => () => void;
  /** Overrides the fast-path function (to time an alternative the dispatcher does not pick). */
  fastSetup?: () => () => void;
}

const KB = 1024;
const MB = 1024 * 1024;
const recipient = generatePrivateKey();
const recipientPub = getPublicKey(recipient);
const message1k = randomBytes(KB);
const sealed1k = eciesEncrypt(recipientPub, message1k);
const hash = keccak256(message1k);
const signature = sign(hash, recipient);
const peerPub = getPublicKey(generatePrivateKey());
const big = randomBytes(MB);
const chunk64k = randomBytes(64 * KB);
const key32 = randomBytes(32);
const iv16 = randomBytes(16);
const nonce12 = randomBytes(12);
const block = randomBytes(16);

const rows: Row[] = [
  { name: 'ECIES encrypt 1 KiB', setup: () => () => eciesEncrypt(recipientPub, message1k) },
  { name: 'ECIES decrypt 1 KiB', setup: () => () => eciesDecrypt(recipient, sealed1k) },
  { name: 'sign (RFC 6979, recoverable)', setup: () => () => sign(hash, recipient) },
  { name: 'recoverPublicKey', setup: () => () => recoverPublicKey(hash, signature) },
  { name: 'verify', setup: () => () => verify(hash, signature, recipientPub) },
  { name: 'getPublicKey', setup: () => () => getPublicKey(recipient) },
  { name: 'ecdhX', setup: () => () => ecdhX(recipient, peerPub) },
  {
    name: 'ecdhX on OpenSSL (the fallback without the native module)',
    setup: () => () => ecdhX(recipient, peerPub),
    fastSetup: () => () => ecdhXNode(fastNodeEcdh()!, recipient, peerPub),
  },
  { name: 'ecdhCompressed', setup: () => () => ecdhCompressed(recipient, peerPub) },
  { name: 'keccak256 1 MiB', bytes: MB, setup: () => () => keccak256(big) },
  { name: 'keccak256 32 B', setup: () => () => keccak256(block.subarray(0, 16), block) },
  {
    name: 'RLPx MAC step: update 16 B + digest',
    setup: () => {
      const mac = createKeccak256().update(key32);
      return () => {
        mac.update(block);
        mac.digest();
      };
    },
  },
  {
    name: 'keccak running state: clone + update 32 B + digest',
    setup: () => {
      const mac = createKeccak256().update(key32);
      return () => mac.clone().update(key32).digest();
    },
  },
  {
    name: 'AES-256-CTR stream, 64 KiB updates',
    bytes: 64 * KB,
    setup: () => {
      const ctr = createAesCtr(key32, iv16);
      return () => ctr.update(chunk64k);
    },
  },
  {
    name: 'AES-256-CTR stream, 32 B updates (RLPx header)',
    setup: () => {
      const ctr = createAesCtr(key32, iv16);
      const header = chunk64k.subarray(0, 32);
      return () => ctr.update(header);
    },
  },
  {
    name: 'AES-256 single block (RLPx MAC)',
    note: 'noble wins in isolation only: see docs/crypto.md',
    setup: () => {
      const encrypt = createAesEcbEncryptor(key32);
      return () => encrypt(block);
    },
  },
  {
    name: 'AES-256-GCM seal 64 KiB',
    bytes: 64 * KB,
    setup: () => () => aesGcmSeal(key32, nonce12, chunk64k),
  },
  { name: 'AES-256-GCM seal 1 KiB', setup: () => () => aesGcmSeal(key32, nonce12, message1k) },
  { name: 'symmetricKeyFromPassword (PBKDF2 x65356)', setup: () => () => symmetricKeyFromPassword('status') },
];

const bench = new Bench({ time: 250, iterations: 5, warmupTime: 30, warmupIterations: 2 });
for (const row of rows) {
  for (const path of ['noble', 'fast'] as const) {
    let fn: () => void = () => {};
    bench.add(`${row.name} [${path}]`, () => fn(), {
      beforeAll: () => {
        forceNobleCrypto(path === 'noble');
        fn = path === 'fast' && row.fastSetup ? row.fastSetup() : row.setup();
      },
      afterAll: () => forceNobleCrypto(false),
    });
  }
}

const started = performance.now();
await bench.run();

const opsPerSecond = (name: string) =>
  (bench.tasks.find((t) => t.name === name)?.result as { throughput?: { mean: number } } | undefined)
    ?.throughput?.mean ?? 0;
const format = (value: number) =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);

console.log(`fast backends: ${JSON.stringify(cryptoBackends())}`);
console.table(
  rows.map((row) => {
    const noble = opsPerSecond(`${row.name} [noble]`);
    const fast = opsPerSecond(`${row.name} [fast]`);
    const scale = row.bytes ? row.bytes / 1e6 : 1;
    return {
      operation: row.name,
      unit: row.bytes ? 'MB/s' : 'ops/s',
      noble: format(noble * scale),
      fast: format(fast * scale),
      'fast/noble': noble > 0 ? `${(fast / noble).toFixed(2)}x` : '-',
      note: row.note ?? '',
    };
  }),
);
console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
