import { utf8ToBytes } from '@status-ts/core';
import { encryptKeystore, getPublicKey } from '@status-ts/crypto';
import {
  checkBundleShape,
  createBundle,
  decodeProtocolMessage,
  decryptWithDh,
  encodeProtocolMessage,
  encryptWithDh,
  openAtRest,
  openAtRestKeystore,
  openRatchetMessage,
  ProtocolMessageSchema,
  type RatchetMessage,
  RatchetSession,
  type RatchetSessionSnapshot,
  SecureTransport,
  sealAtRest,
  verifyBundle,
} from '@status-ts/secure-transport';
import fc from 'fast-check';
import {
  applyEdits,
  bytesFrom,
  editsArb,
  jsonTextFrom,
  jsonValueFrom,
  mutated,
  protoFrom,
  protoShaped,
} from './arbitraries.js';
import { fixedKey } from './fixtures.js';
import { entry, type FuzzEntry, layer } from './harness.js';

export const protocolMessageSchema: object = ProtocolMessageSchema;

const identityKey = fixedKey('secure-transport 1');
const { bundle } = createBundle(identityKey, 'installation-1');
const dh = encryptWithDh(getPublicKey(identityKey), utf8ToBytes('hello'));
/** Valid ProtocolMessages: public, with a bundle, with X3DH/DR/DH headers (random keys). */
export const protocolMessageArb: fc.Arbitrary<Uint8Array> = fc
  .record({
    publicMessage: fc.uint8Array({ maxLength: 60 }),
    installationId: fc.constantFrom('', 'installation-1', 'a'.repeat(40)),
    withBundle: fc.boolean(),
    header: fc.constantFrom('none', 'x3dh', 'dr', 'dh'),
    key: fc.uint8Array({ minLength: 33, maxLength: 33 }),
    payload: fc.uint8Array({ maxLength: 80 }),
  })
  .map((m) =>
    encodeProtocolMessage({
      publicMessage: m.publicMessage,
      installationId: m.installationId,
      bundles: m.withBundle ? [bundle] : [],
      directMessage:
        m.header === 'none'
          ? {}
          : {
              'installation-1': {
                payload: m.payload,
                ...(m.header === 'x3dh' ? { X3DHHeader: { key: m.key, id: m.key } } : {}),
                ...(m.header === 'dr' ? { DRHeader: { key: m.key, n: 3, pn: 1, id: m.key } } : {}),
                ...(m.header === 'dh' ? { DHHeader: { key: dh.ephemeralPublicKey } } : {}),
              },
            },
    }),
  );

const atRestKey = fixedKey('secure-transport at-rest key');
const sealedArb = fc
  .tuple(fc.uint8Array({ maxLength: 100 }), fc.constantFrom('session', 'prekey'))
  .map(([plain, context]) => sealAtRest(atRestKey, plain, context));
// Cheap KDF parameters (checked by the limits below) so each case costs a parse, not a real scrypt.
const password = 'fuzz password';
const keystores = [
  encryptKeystore(fixedKey('secure-transport 2'), password, { kdf: 'scrypt', scrypt: { n: 16, r: 1, p: 1 } }),
  encryptKeystore(fixedKey('secure-transport 3'), password, { kdf: 'pbkdf2', pbkdf2Iterations: 2 }),
];
const cheapLimits = {
  limits: { maxScryptCost: 1 << 10, maxScryptMemory: 1 << 20, maxPbkdf2Iterations: 1_000 },
};

// A ratchet session as stored on disk: Bob has read message 2 of 0..3, so keys of 0 and 1 are stored.
const sharedKey = fixedKey('secure-transport shared key');
const bobPreKey = fixedKey('secure-transport 4');
const aliceRatchet = RatchetSession.initiator(sharedKey, getPublicKey(bobPreKey, 'compressed'));
const bobRatchet = RatchetSession.responder(sharedKey, bobPreKey);
const ratchetMessages = [0, 1, 2, 3].map((i) => aliceRatchet.encrypt(utf8ToBytes(`message ${i}`)));
bobRatchet.decrypt(ratchetMessages[2]!);
const snapshot: RatchetSessionSnapshot = bobRatchet.snapshot();
/** Ratchet messages as received: header fields replaced (huge n, other keys), ciphertext edited. */
const ratchetMessageArb: fc.Arbitrary<RatchetMessage> = fc
  .record({
    which: fc.nat(3),
    n: fc.option(fc.oneof(fc.nat(3), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)), { freq: 3 }),
    pn: fc.option(fc.oneof(fc.nat(3), fc.nat()), { freq: 3 }),
    dh: fc.option(
      fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 33, maxLength: 33 })),
      {
        freq: 4,
      },
    ),
    edits: fc.option(editsArb, { freq: 2 }),
  })
  .map(({ which, n, pn, dh, edits }) => {
    const m = ratchetMessages[which]!;
    return {
      header: { dh: dh ?? m.header.dh, n: n ?? m.header.n, pn: pn ?? m.header.pn },
      ciphertext: edits ? applyEdits(m.ciphertext, edits) : m.ciphertext,
    };
  });

// A Bob that has a session with Alice, and messages from Alice he has not read yet (built on first use).
let sessions: Promise<{ bob: SecureTransport; alice: SecureTransport; pending: Uint8Array[] }> | undefined;
function session() {
  sessions ??= (async () => {
    const alice = new SecureTransport({ identityKey: fixedKey('secure-transport 5'), installationId: 'a1' });
    const bob = new SecureTransport({ identityKey: fixedKey('secure-transport 6'), installationId: 'b1' });
    await alice.addBundle(await bob.bundle());
    await bob.decrypt(alice.identity, await alice.encrypt(bob.identity, utf8ToBytes('hello')));
    await alice.decrypt(bob.identity, await bob.encrypt(alice.identity, utf8ToBytes('hi')));
    const pending: Uint8Array[] = [];
    for (let i = 0; i < 4; i++) pending.push(await alice.encrypt(bob.identity, utf8ToBytes(`pending ${i}`)));
    return { alice, bob, pending };
  })();
  return sessions;
}

export const secureTransportEntries: FuzzEntry[] = layer('secure-transport', [
  entry({
    name: 'decodeProtocolMessage',
    arbitrary: fc.tuple(
      protoFrom(ProtocolMessageSchema, protocolMessageArb),
      fc.constantFrom({}, { maxMapEntries: 1, maxInstallationIdLength: 4, maxMessageSize: 100 }),
    ),
    how: 'random bytes, protobuf-shaped ProtocolMessages (bundles, X3DH/DR/DH headers), mutated messages; default and small limits',
    decode: ([bytes, limits]) => decodeProtocolMessage(bytes, limits),
  }),
  entry({
    name: 'decodeProtocolMessage → checkBundleShape → verifyBundle',
    arbitrary: protoFrom(ProtocolMessageSchema, protocolMessageArb),
    how: 'random bytes, protobuf-shaped and mutated ProtocolMessages; every bundle checked and verified',
    decode: (bytes) =>
      decodeProtocolMessage(bytes).bundles.map((b) => {
        checkBundleShape(b);
        return verifyBundle(b);
      }),
    slow: { share: 0.5, why: 'signature recovery per bundle' },
  }),
  entry({
    name: 'decryptWithDh (DH header and payload)',
    arbitrary: fc.tuple(
      fc.oneof(
        fc.uint8Array({ maxLength: 70 }),
        fc.constant(dh.ephemeralPublicKey),
        mutated(fc.constant(dh.ephemeralPublicKey)),
      ),
      bytesFrom(fc.constant(dh.payload), 100),
    ),
    how: 'random and edited ephemeral keys with random and mutated AES-GCM payloads',
    decode: ([ephemeralPublicKey, payload]) => decryptWithDh(identityKey, { ephemeralPublicKey, payload }),
    slow: { share: 0.3, why: 'ECDH per valid key' },
  }),
  entry({
    name: 'openRatchetMessage (random message key)',
    arbitrary: fc.tuple(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ minLength: 33, maxLength: 33 }),
      fc.nat(),
      fc.uint8Array({ maxLength: 120 }),
    ),
    how: 'random ciphertexts, headers and 32-byte message keys',
    decode: ([messageKey, dhKey, n, ciphertext]) =>
      openRatchetMessage(messageKey, { header: { dh: dhKey, n, pn: 0 }, ciphertext }),
  }),
  entry({
    name: 'RatchetSession.restore (session snapshot from disk)',
    arbitrary: jsonValueFrom(fc.constant(snapshot)),
    how: 'random JSON values and a real snapshot with one node replaced by random JSON',
    decode: (value) => RatchetSession.restore(value as RatchetSessionSnapshot),
  }),
  entry({
    name: 'RatchetSession.decrypt (restored session, edited messages)',
    arbitrary: ratchetMessageArb,
    how: 'unread and read messages of the session with header fields replaced and ciphertext edits',
    decode: (message) => RatchetSession.restore(snapshot).decrypt(message),
    slow: { share: 0.3, why: 'session restore (a public key) and ratchet steps with ECDH per case' },
  }),
  entry({
    name: 'openAtRest (stored secret from disk)',
    arbitrary: fc.tuple(bytesFrom(sealedArb, 150), fc.constantFrom('session', 'prekey', '')),
    how: 'random bytes and mutated sealed secrets under right and wrong contexts',
    decode: ([sealed, context]) => openAtRest(atRestKey, sealed, context),
  }),
  entry({
    name: 'openAtRestKeystore (keystore JSON from disk)',
    arbitrary: jsonTextFrom(fc.constantFrom(...keystores)),
    how: 'random JSON and text, edited scrypt (n=16) and pbkdf2 (c=2) keystores, KDF cost limits',
    decode: (text) => openAtRestKeystore(text, password, cheapLimits),
  }),
  entry({
    name: 'SecureTransport.decrypt (from a peer with a session)',
    arbitrary: fc.oneof(
      { arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ bytes })), weight: 1 },
      { arbitrary: protoShaped(ProtocolMessageSchema).map((bytes) => ({ bytes })), weight: 1 },
      { arbitrary: fc.record({ pending: fc.nat(3), edits: editsArb }), weight: 3 },
    ),
    how: 'random bytes, protobuf-shaped messages, and unread ratchet messages from the peer with byte edits',
    decode: async (input) => {
      const { alice, bob, pending } = await session();
      const bytes = 'bytes' in input ? input.bytes : applyEdits(pending[input.pending]!, input.edits);
      return bob.decrypt(alice.identity, bytes);
    },
    async: true,
    slow: { share: 0.2, why: 'ratchet steps, ECDH and store copies per case' },
  }),
]);
