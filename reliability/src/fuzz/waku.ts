import { bytesToHex } from '@status-ts/core';
import { eciesEncrypt, getPublicKey } from '@status-ts/crypto';
import { rlpDecode, rlpEncode } from '@status-ts/enr';
import {
  bytesToTopic,
  decodeBatchAck,
  decodeEnvelopeList,
  decodeMessageResponse,
  decodeP2PMessages,
  decodeP2PRequest,
  decodeP2PRequestComplete,
  decodePayload,
  decodeRateLimits,
  decodeStatusOptions,
  decodeSyncMailRequest,
  decodeSyncResponse,
  decodeWhisperBloom,
  decodeWhisperPow,
  decodeWhisperRateLimits,
  decodeWhisperStatus,
  Envelope,
  encodeBatchAck,
  encodeEnvelopeList,
  encodeMessageResponse,
  encodeP2PRequestComplete,
  encodePayload,
  encodeStatusOptions,
  encodeSyncMailRequest,
  encodeSyncResponse,
  encodeWhisperBloom,
  encodeWhisperPow,
  encodeWhisperRateLimits,
  encodeWhisperStatus,
  encryptSymmetricPayload,
  openEnvelope,
  openEnvelopeData,
  type StatusOptions,
  topicFromHex,
} from '@status-ts/waku';
import fc from 'fast-check';
import { bytesFrom, HEX, mutated, pool, rlpFrom, textFrom } from './arbitraries.js';
import { fixedKey } from './fixtures.js';
import { entry, type FuzzEntry, layer } from './harness.js';

const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const topicArb = fc.uint8Array({ minLength: 4, maxLength: 4 });
const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const bloomArb = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 64, maxLength: 64 }));
const cursorArb = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 36, maxLength: 36 }));

export const envelopeArb = fc
  .record({
    expiry: uint32,
    ttl: uint32,
    topic: topicArb,
    data: fc.uint8Array({ maxLength: 120 }),
    nonce: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  })
  .map((f) => Envelope.create(f));
const envelopeListArb = fc.array(envelopeArb, { maxLength: 4 }).map((es) => encodeEnvelopeList(es));

const rateLimitsArb = fc.record({
  ip: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  peerId: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  topic: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
});
const statusOptionsArb: fc.Arbitrary<StatusOptions> = fc.record(
  {
    powRequirement: fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }),
    bloomFilter: bloomArb,
    lightNode: fc.boolean(),
    confirmationsEnabled: fc.boolean(),
    packetRateLimits: rateLimitsArb,
    topicInterest: fc.array(topicArb, { maxLength: 20 }),
    bytesRateLimits: rateLimitsArb,
  },
  { requiredKeys: [] },
);
const whisperStatusArb = fc
  .record({
    powRequirement: fc.double({ min: 0, max: 1e6, noNaN: true }),
    bloomFilter: bloomArb,
    lightNode: fc.boolean(),
    confirmationsEnabled: fc.boolean(),
    rateLimits: rateLimitsArb,
  })
  .map((s) => encodeWhisperStatus(s));

// Plaintexts as senders build them: unsigned (size field 1-3 bytes, padding) and signed (pool: signing is
// slow). Opened with the right key they reach decodePayload through the real decryption.
const signer = fixedKey('waku 1');
const signedPlaintexts = [0, 1, 300].map((n) =>
  encodePayload({ payload: new Uint8Array(n).fill(9), signingKey: signer }),
);
const plaintextArb = fc.oneof(
  fc
    .tuple(fc.uint8Array({ maxLength: 300 }), fc.option(fc.uint8Array({ maxLength: 40 })))
    .map(([payload, padding]) => encodePayload({ payload, ...(padding ? { padding } : {}) })),
  pool(signedPlaintexts),
);
const symKey = fixedKey('waku symmetric key');
const recipientKey = fixedKey('waku 2');
const recipientPub = getPublicKey(recipientKey);

/** An envelope carrying `data`, as relayed. */
function envelopeOf(data: Uint8Array): Envelope {
  return Envelope.create({ expiry: 1_750_000_100, ttl: 100, topic: Uint8Array.of(1, 2, 3, 4), data });
}

export const wakuEntries: FuzzEntry[] = layer('waku', [
  entry({
    name: 'Envelope.decode',
    arbitrary: rlpFrom(
      envelopeArb.map((e) => e.raw),
      300,
    ),
    how: 'random bytes, random RLP, mutated envelopes',
    decode: (bytes) => Envelope.decode(bytes),
  }),
  entry({
    name: 'decodeEnvelopeList (Messages, code 1)',
    arbitrary: rlpFrom(envelopeListArb, 400),
    how: 'random bytes, random RLP, mutated envelope lists',
    decode: (bytes) => decodeEnvelopeList(bytes),
  }),
  entry({
    name: 'decodeP2PMessages (code 127) = decodeEnvelopesOrSingle',
    arbitrary: rlpFrom(
      fc.oneof(
        envelopeListArb,
        envelopeArb.map((e) => e.raw),
      ),
      400,
    ),
    how: 'random bytes, random RLP, mutated envelope lists and single envelopes',
    decode: (bytes) => decodeP2PMessages(bytes),
  }),
  entry({
    name: 'decodeStatusOptions (waku/1 Status)',
    arbitrary: fc.tuple(
      rlpFrom(
        statusOptionsArb.map((o) => encodeStatusOptions(o)),
        300,
      ),
      fc.constantFrom({}, { maxTopicInterest: 4 }),
    ),
    how: 'random bytes, random RLP, mutated status options; default and small topic-interest limits',
    decode: ([bytes, limits]) => decodeStatusOptions(bytes, limits),
  }),
  entry({
    name: 'decodeRateLimits',
    arbitrary: rlpFrom(
      rateLimitsArb.map((l) => rlpEncode([l.ip, l.peerId, l.topic])),
      60,
    ),
    how: 'random bytes, random RLP, mutated [ip, peerId, topic] lists',
    decode: (bytes) => decodeRateLimits(rlpDecode(bytes)),
  }),
  entry({
    name: 'decodeP2PRequest (code 126)',
    arbitrary: rlpFrom(
      envelopeArb.map((e) => e.raw),
      300,
    ),
    how: 'random bytes, random RLP, mutated envelopes',
    decode: (bytes) => decodeP2PRequest(bytes),
  }),
  entry({
    name: 'decodeP2PRequestComplete (code 125)',
    arbitrary: rlpFrom(
      fc
        .record(
          {
            requestId: hash32,
            lastEnvelopeHash: hash32,
            cursor: fc.uint8Array({ minLength: 36, maxLength: 36 }),
            error: fc.string({ maxLength: 30 }),
          },
          { requiredKeys: ['requestId'] },
        )
        .map((c) => encodeP2PRequestComplete(c)),
      200,
    ),
    how: 'random bytes, random RLP, mutated completions (with cursor, with ERROR= text)',
    decode: (bytes) => decodeP2PRequestComplete(bytes),
  }),
  entry({
    name: 'decodeSyncMailRequest',
    arbitrary: rlpFrom(
      fc
        .record({
          lower: uint32,
          upper: uint32,
          bloom: bloomArb,
          limit: fc.integer({ min: 1, max: 1000 }),
          cursor: cursorArb,
        })
        .map((r) => (r.lower > r.upper ? { ...r, lower: r.upper, upper: r.lower } : r))
        .map((r) => encodeSyncMailRequest(r)),
      200,
    ),
    how: 'random bytes, random RLP, mutated sync requests',
    decode: (bytes) => decodeSyncMailRequest(bytes),
  }),
  entry({
    name: 'decodeSyncResponse',
    arbitrary: rlpFrom(
      fc
        .record({
          envelopes: fc.array(envelopeArb, { maxLength: 3 }),
          cursor: cursorArb,
          final: fc.boolean(),
          error: fc.string({ maxLength: 20 }),
        })
        .map((r) => encodeSyncResponse(r)),
      400,
    ),
    how: 'random bytes, random RLP, mutated sync responses',
    decode: (bytes) => decodeSyncResponse(bytes),
  }),
  entry({
    name: 'decodeWhisperStatus (shh/6)',
    arbitrary: rlpFrom(whisperStatusArb, 200),
    how: 'random bytes, random RLP, mutated whisper statuses',
    decode: (bytes) => decodeWhisperStatus(bytes),
  }),
  entry({
    name: 'decodeWhisperPow',
    arbitrary: rlpFrom(
      fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }).map((p) => encodeWhisperPow(p)),
      20,
    ),
    how: 'random bytes, random RLP, mutated PoW requirements',
    decode: (bytes) => decodeWhisperPow(bytes),
  }),
  entry({
    name: 'decodeWhisperBloom',
    arbitrary: rlpFrom(
      fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => encodeWhisperBloom(b)),
      80,
    ),
    how: 'random bytes, random RLP, mutated bloom filters',
    decode: (bytes) => decodeWhisperBloom(bytes),
  }),
  entry({
    name: 'decodeWhisperRateLimits',
    arbitrary: rlpFrom(
      rateLimitsArb.map((l) => encodeWhisperRateLimits(l)),
      60,
    ),
    how: 'random bytes, random RLP, mutated rate limits',
    decode: (bytes) => decodeWhisperRateLimits(bytes),
  }),
  entry({
    name: 'decodeMessageResponse (code 12)',
    arbitrary: rlpFrom(
      fc
        .record({
          batchHash: hash32,
          errors: fc.array(
            fc.record({ hash: hash32, code: fc.nat(1000), description: fc.string({ maxLength: 20 }) }),
            { maxLength: 3 },
          ),
        })
        .map((r) => encodeMessageResponse(r)),
      300,
    ),
    how: 'random bytes, random RLP, mutated message responses',
    decode: (bytes) => decodeMessageResponse(bytes),
  }),
  entry({
    name: 'decodeBatchAck (code 11)',
    arbitrary: rlpFrom(
      hash32.map((h) => encodeBatchAck(h)),
      60,
    ),
    how: 'random bytes, random RLP, mutated batch acks',
    decode: (bytes) => decodeBatchAck(bytes),
  }),
  entry({
    name: 'decodePayload (decrypted plaintext)',
    arbitrary: bytesFrom(plaintextArb, 300),
    how: 'random bytes, mutated signed and unsigned plaintexts',
    decode: (bytes) => decodePayload(bytes),
  }),
  entry({
    name: 'openEnvelope (random symmetric key)',
    arbitrary: fc.tuple(
      bytesFrom(
        plaintextArb.map((p) => encryptSymmetricPayload(symKey, p)),
        300,
      ),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
    ),
    how: 'random and mutated AES-GCM data opened with a random 32-byte key',
    decode: ([data, key]) => openEnvelope(envelopeOf(data), { symKey: key }),
  }),
  entry({
    name: 'openEnvelope (right symmetric key, mutated plaintext)',
    arbitrary: bytesFrom(plaintextArb, 300),
    how: 'random and mutated plaintexts encrypted per case with the key that opens them',
    decode: (plaintext) => openEnvelope(envelopeOf(encryptSymmetricPayload(symKey, plaintext)), { symKey }),
  }),
  entry({
    name: 'openEnvelope (random private key)',
    arbitrary: fc.tuple(
      bytesFrom(pool(signedPlaintexts.map((p) => eciesEncrypt(getPublicKey(fixedKey('waku 3')), p))), 300),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
    ),
    how: 'random and mutated ECIES data opened with a random private key',
    decode: ([data, key]) => openEnvelope(envelopeOf(data), { privateKey: key }),
    slow: { share: 0.2, why: 'ECDH per complete ECIES message' },
  }),
  entry({
    name: 'openEnvelopeData (right private key, mutated plaintext)',
    arbitrary: bytesFrom(plaintextArb, 300),
    how: 'random and mutated plaintexts ECIES-encrypted per case to the key that opens them',
    decode: (plaintext) =>
      openEnvelopeData(eciesEncrypt(recipientPub, plaintext), { privateKey: recipientKey }),
    slow: { share: 0.2, why: 'ECIES encryption and decryption per case' },
  }),
  entry({
    name: 'openEnvelope (mutated ECIES data, right private key)',
    arbitrary: mutated(pool(signedPlaintexts.map((p) => eciesEncrypt(recipientPub, p)))),
    how: 'ECIES data to our key with byte edits',
    decode: (data) => openEnvelope(envelopeOf(data), { privateKey: recipientKey }),
    slow: { share: 0.2, why: 'ECDH per case' },
  }),
  entry({
    name: 'topicFromHex',
    arbitrary: textFrom(
      topicArb.map((t) => `0x${bytesToHex(t)}`),
      HEX,
      20,
    ),
    how: 'random text, edited topic hex',
    decode: (text) => topicFromHex(text),
  }),
  entry({
    name: 'bytesToTopic',
    arbitrary: fc.uint8Array({ maxLength: 10 }),
    how: 'random bytes',
    decode: (bytes) => bytesToTopic(bytes),
  }),
]);
