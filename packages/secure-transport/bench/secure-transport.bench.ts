// Secure-transport figures, with @signalapp/libsignal-client measured in the same rounds. Three sections:
//
// 1. Headline, like for like: `SecureTransport` (store, protobuf, bundle attached; bench/transport-pair.ts) vs
//    libsignal's full API (stores, serialized ciphertext; bench/libsignal.ts), the same criterion on both
//    sides: a 256-byte message encrypted, serialized for the wire, decrypted by the other side and its key
//    deleted. Without a DH step (one direction) and with one on every message (strict ping-pong). Rounds
//    interleave ours and libsignal's; the ratio is the median of the per-round ratios.
// 2. Primitive, ours only: the in-memory `RatchetSession` (no store, no encoding). libsignal's Node binding
//    has no store-less session cipher, so there is nothing at this level to compare with and no ratio is
//    printed. With it the DH-step bound (a lower bound on what a DH step must cost: one key pair and two
//    ECDH on distinct keys, on the backend the ratchet uses) and the ratchet's share of it, per round.
// 3. Session setup: ours (X3DH) and libsignal's (PQXDH, with ML-KEM-1024) side by side, interleaved, no ratio:
//    different protocols doing different work. Both are the full API from fresh parties to an answered first
//    message; ours includes the negotiated-topic PBKDF2 (about 15 ms here) that the first answer's topic
//    choice computes once per peer, libsignal has nothing like it.
//
// Prints figures and never fails a build. `--quick` runs fewer, shorter rounds (a smoke run).
import { createECDH } from 'node:crypto';
import {
  cryptoBackends,
  ecdhX,
  generatePrivateKey,
  getPublicKey,
  initFastCrypto,
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
  type Workload,
} from '../../../tools/bench/harness.js';
import { performActiveX3dh, RatchetSession, x3dhPassive } from '../src/index.js';
import { type LibsignalPair, libsignalSetup } from './libsignal.js';
import { transportSetup } from './transport-pair.js';

const quick = process.argv.includes('--quick');
const rounds = quick ? 5 : 15;
/** Operations per call of a workload, scaled down for `--quick`; even, so ping-pong ends on the same side. */
const ops = (n: number) => Math.max(2, 2 * Math.round((n * (quick ? 0.25 : 1)) / 2));

const loadBefore = machineLoad();
await initFastCrypto();
const backends = cryptoBackends();
console.log(
  `node ${process.version}; secp256k1 backend: ${backends.secp256k1}, ECDH: ${backends.ecdh}; ${describeLoad(loadBefore)} before; ${rounds} interleaved rounds`,
);
const payload = randomBytes(256);

const line = (label: string, s: Spread, unit = '/s') =>
  console.log(`  ${label.padEnd(58)} ${formatSpread(s)} ${unit}`);
const ratioText = (s: Spread) => `${formatSpread(s, 2)}x`;
const pctText = (s: Spread) =>
  `${(s.median * 100).toFixed(0)}% [${(s.low * 100).toFixed(0)}–${(s.high * 100).toFixed(0)}%]`;

/** `n` messages in one direction, or alternating (each message then carries a DH step). */
function messages(pair: LibsignalPair, n: number, pingPong: boolean): Workload {
  let turn = 0;
  return {
    ops: n,
    run: async () => {
      for (let i = 0; i < n; i++) await pair.send(pingPong ? turn++ % 2 === 0 : true, payload);
    },
  };
}

// Both sides must deliver the payload before anything is timed.
for (const [name, setup] of [
  ['SecureTransport', transportSetup],
  ['libsignal', libsignalSetup],
] as const) {
  const pair = await setup();
  for (const fromAlice of [true, false]) {
    const out = await pair.send(fromAlice, payload);
    if (out.length !== payload.length || out.some((x, i) => x !== payload[i])) {
      throw new Error(`${name} did not round-trip the payload`);
    }
  }
}

// --- 1. headline: the same API level on both sides -------------------------------------------------------
console.log(
  '\n-- like for like: SecureTransport (memory store, protobuf, bundle attached) vs libsignal (stores, serialized), 256 B --',
);
const oneWayOps = ops(400);
const pingPongOps = ops(200);
const api = await interleavedRounds(
  {
    oursOneWay: messages(await transportSetup(), oneWayOps, false),
    signalOneWay: messages(await libsignalSetup(), oneWayOps, false),
    oursPingPong: messages(await transportSetup(), pingPongOps, true),
    signalPingPong: messages(await libsignalSetup(), pingPongOps, true),
  },
  { rounds, warmup: 1 },
);
const headline = [
  { figure: 'encrypt+decrypt+confirm, no DH step (256 B)', ours: api.oursOneWay, peer: api.signalOneWay },
  {
    figure: 'encrypt+decrypt+confirm, DH step every message (256 B)',
    ours: api.oursPingPong,
    peer: api.signalPingPong,
  },
].map(({ figure, ours, peer }) => ({
  figure,
  ours: summarize(ours),
  peer: summarize(peer),
  ratio: summarize(pairedRatios(ours, peer)),
}));
for (const h of headline) {
  console.log(`  ${h.figure}`);
  line('SecureTransport', h.ours);
  line('libsignal', h.peer);
  console.log(`  ${'ratio ours / libsignal (median of per-round ratios)'.padEnd(58)} ${ratioText(h.ratio)}`);
}

// --- 2. primitive: RatchetSession in memory, and the DH-step bound --------------------------------------
console.log(
  `\n-- primitive (not like for like, no peer at this level): RatchetSession in memory; DH-step bound on ${backends.ecdh} --`,
);
const sessionPair = () => {
  const sk = randomBytes(32);
  const spk = generatePrivateKey();
  return {
    alice: RatchetSession.initiator(sk, getPublicKey(spk, 'compressed')),
    bob: RatchetSession.responder(sk, spk),
  };
};
const oneWay = sessionPair();
const pingPong = sessionPair();
let turn = 0;
// Distinct inputs per step, as in the ratchet (their new ratchet key, our old and new private keys).
const pool = Array.from({ length: 256 }, () => {
  const k = generatePrivateKey();
  return { privateKey: k, publicKey: getPublicKey(k, 'compressed') };
});
let poolAt = 0;
const nodeA = generatePrivateKey();
const nodeB = getPublicKey(generatePrivateKey(), 'compressed');
const bobIdentity = generatePrivateKey();
const bobSpk = generatePrivateKey();
const bobIdentityPub = getPublicKey(bobIdentity, 'compressed');
const bobSpkPub = getPublicKey(bobSpk, 'compressed');
const aliceIdentity = generatePrivateKey();
const aliceIdentityPub = getPublicKey(aliceIdentity, 'compressed');
const repeat = (n: number, step: () => void): Workload => ({
  ops: n,
  run: () => {
    for (let i = 0; i < n; i++) step();
  },
});
const prim = await interleavedRounds(
  {
    oneWay: repeat(ops(3000), () => {
      const msg = oneWay.alice.encrypt(payload);
      oneWay.bob.decrypt(msg);
      oneWay.bob.confirm(msg.header);
    }),
    dhStep: repeat(ops(400), () => {
      const [from, to] = turn++ % 2 === 0 ? [pingPong.alice, pingPong.bob] : [pingPong.bob, pingPong.alice];
      const msg = from.encrypt(payload);
      to.decrypt(msg);
      to.confirm(msg.header);
    }),
    bound: repeat(ops(400), () => {
      const ours = pool[poolAt++ % pool.length]!;
      const theirs = pool[(poolAt * 7) % pool.length]!.publicKey;
      const fresh = generatePrivateKey();
      getPublicKey(fresh, 'compressed');
      ecdhX(ours.privateKey, theirs);
      ecdhX(fresh, theirs);
    }),
    boundNode: repeat(ops(20), () => {
      const k = createECDH('secp256k1');
      k.generateKeys();
      k.getPublicKey(undefined, 'compressed');
      for (let i = 0; i < 2; i++) {
        const e = createECDH('secp256k1');
        e.setPrivateKey(nodeA);
        e.computeSecret(nodeB);
      }
    }),
    x3dh: repeat(ops(150), () => {
      const x = performActiveX3dh(bobIdentityPub, bobSpkPub, aliceIdentity);
      const first = RatchetSession.initiator(x.sharedKey, bobSpkPub).encrypt(payload);
      const sk = x3dhPassive(aliceIdentityPub, bobSpk, x.ephemeralPublicKey, bobIdentity);
      RatchetSession.responder(sk, bobSpk).decrypt(first);
    }),
  },
  { rounds, warmup: 1 },
);
const dhStep = summarize(prim.dhStep);
const bound = summarize(prim.bound);
const share = summarize(pairedRatios(prim.dhStep, prim.bound));
line('ratchet encrypt+decrypt+confirm, no DH step (256 B)', summarize(prim.oneWay));
line('ratchet encrypt+decrypt+confirm, DH step every message', dhStep);
line(`DH-step bound: 1 key pair + 2 ECDH (${backends.ecdh})`, bound);
line('DH-step bound on node:crypto createECDH (not used)', summarize(prim.boundNode));
line('X3DH both sides + ratchet init + first message', summarize(prim.x3dh));
console.log(
  `  ${'DH step every message as a share of the bound (paired)'.padEnd(58)} ${pctText(share)} (a bound, not a peer)`,
);

// --- 3. session setup: printed side by side, not compared ------------------------------------------------
console.log(
  '\n-- session setup, both sides and one answer (X3DH vs PQXDH: different protocols, no ratio) --',
);
const setupOps = ops(20);
const setups = await interleavedRounds(
  {
    ours: {
      ops: setupOps,
      run: async () => {
        for (let i = 0; i < setupOps; i++) await transportSetup();
      },
    },
    signal: {
      ops: setupOps,
      run: async () => {
        for (let i = 0; i < setupOps; i++) await libsignalSetup();
      },
    },
  },
  { rounds, warmup: 1 },
);
const setupOurs = summarize(setups.ours);
line('SecureTransport, X3DH (secp256k1)', setupOurs);
line('libsignal, PQXDH (X25519 + ML-KEM-1024)', summarize(setups.signal));

const loadAfter = machineLoad();
console.log(`\n${describeLoad(loadAfter)} after`);

const row = (
  r: Omit<FigureRow, 'package' | 'unit' | 'loadBefore' | 'loadAfter'> & { unit?: string },
): FigureRow => ({
  package: 'secure-transport',
  unit: 'msg/s',
  loadBefore: loadBefore.load1,
  loadAfter: loadAfter.load1,
  ...r,
});
for (const h of headline) {
  recordFigure(
    row({
      figure: `SecureTransport ${h.figure}`,
      ours: h.ours,
      peer: { name: 'libsignal-client (full API, memory stores)', value: h.peer, ratio: h.ratio },
    }),
  );
}
recordFigure(
  row({
    figure: 'RatchetSession (primitive, in memory), DH step every message (256 B)',
    ours: dhStep,
    bound: { name: `1 key pair + 2 ECDH (${backends.ecdh})`, value: bound, share },
  }),
);
recordFigure(
  row({
    figure: 'SecureTransport session setup, X3DH (PQXDH peer not comparable)',
    unit: 'setups/s',
    ours: setupOurs,
  }),
);
