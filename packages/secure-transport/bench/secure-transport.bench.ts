// Secure-transport figures: ratchet encrypt+decrypt messages/s without a DH step (one direction) and with a
// DH step every message (strict ping-pong), X3DH session setups/s, and the secp256k1 ECDH bound measured in
// the same run. Prints figures; never fails a build. (libsignal comparison: not done yet.)
import { ecdhX, generatePrivateKey, getPublicKey, initFastCrypto, randomBytes } from '@status-ts/crypto';
import { performActiveX3dh, RatchetSession, x3dhPassive } from '../src/index.js';

function rate(label: string, count: number, run: () => void): number {
  run(); // warm-up
  const started = performance.now();
  for (let i = 0; i < count; i++) run();
  const perSecond = count / ((performance.now() - started) / 1000);
  console.log(`${label.padEnd(52)} ${perSecond.toFixed(0).padStart(9)} /s`);
  return perSecond;
}

await initFastCrypto();
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
rate('ratchet encrypt+decrypt, no DH step (256 B)', 20_000, () => {
  const m = oneWay.alice.encrypt(payload);
  oneWay.bob.decrypt(m);
  oneWay.bob.confirm(m.header);
});

const pingPong = pair();
let turn = 0;
const dhStep = rate('ratchet encrypt+decrypt, DH step every message', 2_000, () => {
  const [from, to] = turn++ % 2 === 0 ? [pingPong.alice, pingPong.bob] : [pingPong.bob, pingPong.alice];
  const m = from.encrypt(payload);
  to.decrypt(m);
  to.confirm(m.header);
});

const a = generatePrivateKey();
const b = getPublicKey(generatePrivateKey(), 'compressed');
// One DH step = 2 ECDH + 1 key generation on the receiver (the sender's encrypt is symmetric only).
const ecdh = rate('secp256k1 ECDH (X only)', 5_000, () => ecdhX(a, b));
const keygen = rate('secp256k1 key generation + public key', 5_000, () =>
  getPublicKey(generatePrivateKey(), 'compressed'),
);
const bound = 1 / (2 / ecdh + 1 / keygen);
console.log(
  `DH-step bound (2 ECDH + 1 keygen): ${bound.toFixed(0)} /s; ratchet reaches ${((dhStep / bound) * 100).toFixed(0)}%`,
);

const bobIdentity = generatePrivateKey();
const bobSpk = generatePrivateKey();
const bobIdentityPub = getPublicKey(bobIdentity, 'compressed');
const bobSpkPub = getPublicKey(bobSpk, 'compressed');
const aliceIdentity = generatePrivateKey();
const aliceIdentityPub = getPublicKey(aliceIdentity, 'compressed');
rate('X3DH session setup (both sides + ratchet init)', 1_000, () => {
  const x = performActiveX3dh(bobIdentityPub, bobSpkPub, aliceIdentity);
  RatchetSession.initiator(x.sharedKey, bobSpkPub);
  RatchetSession.responder(x3dhPassive(aliceIdentityPub, bobSpk, x.ephemeralPublicKey, bobIdentity), bobSpk);
});
