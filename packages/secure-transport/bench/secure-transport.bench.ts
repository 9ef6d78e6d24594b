// Secure-transport figures, with @signalapp/libsignal-client measured in the same run:
// - Double Ratchet encrypt+decrypt messages/s without a DH step (one direction) and with a DH step on every
//   message (strict ping-pong), 256-byte payloads, message keys confirmed (deleted) after each decrypt;
// - X3DH session setups/s (initiator X3DH + ratchet init + first message, responder X3DH + decrypt);
// - the secp256k1 bound of a DH step: what the ratchet cannot avoid per DH step, i.e. one key-pair
//   generation (private key + compressed public key) and two ECDH (X coordinate) on the receiving side
//   (the sender's encrypt after it is symmetric), on distinct keys each step as in the ratchet. Measured on
//   the package's backend (native libsecp256k1 when installed) and on the node:crypto createECDH path.
// Prints figures; never fails a build. The machine is shared: treat single runs as rough.
import { createECDH } from 'node:crypto';
import {
  cryptoBackends,
  ecdhX,
  generatePrivateKey,
  getPublicKey,
  initFastCrypto,
  randomBytes,
} from '@status-ts/crypto';
import { performActiveX3dh, RatchetSession, SecureTransport, x3dhPassive } from '../src/index.js';
import { libsignalSetup } from './libsignal.js';

const quick = process.argv.includes('--quick');
const scale = quick ? 0.2 : 1;

function report(label: string, perSecond: number, note = ''): number {
  console.log(`${label.padEnd(60)} ${perSecond.toFixed(0).padStart(8)} /s ${note}`);
  return perSecond;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

/**
 * Runs the workloads in interleaved rounds (so a load spike on this shared machine hits all of them) and
 * reports each one's median rate over the rounds.
 */
function measure(
  workloads: Record<string, [perRound: number, run: () => void]>,
  rounds = 7,
): { rates: Record<string, number>; perRound: Record<string, number[]> } {
  const rates: Record<string, number[]> = {};
  for (const [name, [perRound, run]] of Object.entries(workloads)) {
    for (let i = 0; i < Math.min(100, perRound); i++) run(); // warm-up
    rates[name] = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, [perRound, run]] of Object.entries(workloads)) {
      const n = Math.max(5, Math.round(perRound * scale));
      const started = performance.now();
      for (let i = 0; i < n; i++) run();
      rates[name]!.push(n / ((performance.now() - started) / 1000));
    }
  }
  const out: Record<string, number> = {};
  for (const [name, xs] of Object.entries(rates)) out[name] = report(name, median(xs));
  return { rates: out, perRound: rates };
}

async function rateAsync(label: string, count: number, run: () => Promise<unknown>): Promise<number> {
  const perRound = Math.max(5, Math.round((count * scale) / 5));
  for (let i = 0; i < Math.min(100, perRound); i++) await run();
  const xs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const started = performance.now();
    for (let i = 0; i < perRound; i++) await run();
    xs.push(perRound / ((performance.now() - started) / 1000));
  }
  return report(label, median(xs));
}

await initFastCrypto();
const backends = cryptoBackends();
console.log(`node ${process.version}; secp256k1 backend: ${backends.secp256k1}, ECDH: ${backends.ecdh}`);
const payload = randomBytes(256);

const pair = () => {
  const sk = randomBytes(32);
  const spk = generatePrivateKey();
  return {
    alice: RatchetSession.initiator(sk, getPublicKey(spk, 'compressed')),
    bob: RatchetSession.responder(sk, spk),
  };
};
const oneWay = pair();
const pingPong = pair();
let turn = 0;
const a = generatePrivateKey();
const b = getPublicKey(generatePrivateKey(), 'compressed');
// Distinct inputs per step, as in the ratchet (their new ratchet key, our old and new private keys).
const pool = Array.from({ length: 256 }, () => {
  const k = generatePrivateKey();
  return { privateKey: k, publicKey: getPublicKey(k, 'compressed') };
});
let poolAt = 0;

console.log(
  '\n-- status-ts Double Ratchet (RatchetSession, in memory) and the secp256k1 bound, interleaved --',
);
const { rates: m, perRound } = measure(
  {
    'ratchet encrypt+decrypt, no DH step (256 B)': [
      500,
      () => {
        const msg = oneWay.alice.encrypt(payload);
        oneWay.bob.decrypt(msg);
        oneWay.bob.confirm(msg.header);
      },
    ],
    'ratchet encrypt+decrypt, DH step every message (256 B)': [
      80,
      () => {
        const [from, to] = turn++ % 2 === 0 ? [pingPong.alice, pingPong.bob] : [pingPong.bob, pingPong.alice];
        const msg = from.encrypt(payload);
        to.decrypt(msg);
        to.confirm(msg.header);
      },
    ],
    [`DH-step bound: 1 key pair + 2 ECDH (package, ${backends.ecdh})`]: [
      80,
      () => {
        const ours = pool[poolAt++ % pool.length]!;
        const theirs = pool[(poolAt * 7) % pool.length]!.publicKey;
        const fresh = generatePrivateKey();
        getPublicKey(fresh, 'compressed');
        ecdhX(ours.privateKey, theirs);
        ecdhX(fresh, theirs);
      },
    ],
    'DH-step bound: 1 key pair + 2 ECDH (node:crypto createECDH)': [
      3,
      () => {
        const k = createECDH('secp256k1');
        k.generateKeys();
        k.getPublicKey(undefined, 'compressed');
        for (let i = 0; i < 2; i++) {
          const e = createECDH('secp256k1');
          e.setPrivateKey(a);
          e.computeSecret(b);
        }
      },
    ],
  },
  25,
);
const symmetric = m['ratchet encrypt+decrypt, no DH step (256 B)']!;
const dhStep = m['ratchet encrypt+decrypt, DH step every message (256 B)']!;
const boundPkg = m[`DH-step bound: 1 key pair + 2 ECDH (package, ${backends.ecdh})`]!;
const boundNode = m['DH-step bound: 1 key pair + 2 ECDH (node:crypto createECDH)']!;
// Paired per round (adjacent in time, so load swings cancel): DH-step rate / bound rate.
const dhRounds = perRound['ratchet encrypt+decrypt, DH step every message (256 B)']!;
const boundRounds = perRound[`DH-step bound: 1 key pair + 2 ECDH (package, ${backends.ecdh})`]!;
const pairedRatio = median(dhRounds.map((x, i) => x / boundRounds[i]!));

const bobIdentity = generatePrivateKey();
const bobSpk = generatePrivateKey();
const bobIdentityPub = getPublicKey(bobIdentity, 'compressed');
const bobSpkPub = getPublicKey(bobSpk, 'compressed');
const aliceIdentity = generatePrivateKey();
const aliceIdentityPub = getPublicKey(aliceIdentity, 'compressed');
const setup = measure({
  'X3DH session setup (both sides, first message)': [
    100,
    () => {
      const x = performActiveX3dh(bobIdentityPub, bobSpkPub, aliceIdentity);
      const first = RatchetSession.initiator(x.sharedKey, bobSpkPub).encrypt(payload);
      const sk = x3dhPassive(aliceIdentityPub, bobSpk, x.ephemeralPublicKey, bobIdentity);
      RatchetSession.responder(sk, bobSpk).decrypt(first);
    },
  ],
}).rates['X3DH session setup (both sides, first message)']!;

console.log('\n-- status-ts SecureTransport (protobuf, bundle re-signed per message, memory store) --');
const alice = new SecureTransport({ identityKey: aliceIdentity, installationId: 'a1' });
const bob = new SecureTransport({ identityKey: bobIdentity, installationId: 'b1' });
await alice.addBundle(await bob.bundle());
await bob.decrypt(alice.identity, await alice.encrypt(bob.identity, payload));
await alice.decrypt(bob.identity, await bob.encrypt(alice.identity, payload));
await rateAsync('encrypt+decrypt, no DH step (256 B)', 3_000, async () => {
  const out = await bob.decrypt(alice.identity, await alice.encrypt(bob.identity, payload));
  await out.confirm();
});
let stTurn = 0;
await rateAsync('encrypt+decrypt, DH step every message (256 B)', 1_500, async () => {
  const [from, to] = stTurn++ % 2 === 0 ? [alice, bob] : [bob, alice];
  const out = await to.decrypt(from.identity, await from.encrypt(to.identity, payload));
  await out.confirm();
});

console.log('\n-- @signalapp/libsignal-client (native Rust, in-memory JS stores) --');
const signalOneWay = await libsignalSetup();
const signalSymmetric = await rateAsync('encrypt+decrypt, no DH step (256 B)', 10_000, () =>
  signalOneWay.send(true, payload),
);
const signalPingPong = await libsignalSetup();
let signalTurn = 0;
const signalDh = await rateAsync('encrypt+decrypt, DH step every message (256 B)', 3_000, () =>
  signalPingPong.send(signalTurn++ % 2 === 0, payload),
);
const signalSetup = await rateAsync('PQXDH session setup (both sides, first message)', 300, () =>
  libsignalSetup(),
);

console.log('\n-- ratios --');
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
console.log(`symmetric ratchet vs libsignal: ${(symmetric / signalSymmetric).toFixed(2)}x (target >= 0.5x)`);
console.log(`DH step every message vs libsignal: ${(dhStep / signalDh).toFixed(2)}x`);
console.log(
  `session setup vs libsignal (X3DH vs PQXDH, not like for like): ${(setup / signalSetup).toFixed(2)}x`,
);
console.log(
  `DH step every message vs the bound on the backend the ratchet uses (${backends.ecdh}): ${pct(dhStep / boundPkg)} of medians, ${pct(pairedRatio)} median of paired rounds (target >= 80%)`,
);
console.log(
  `DH step every message vs the node:crypto ECDH-path bound: ${pct(dhStep / boundNode)} (node:crypto ECDH is ${(boundPkg / boundNode).toFixed(0)}x slower than ${backends.ecdh} here, so the ratchet uses ${backends.ecdh})`,
);
