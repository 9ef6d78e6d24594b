import {
  afterCursorKey,
  buildRequestEnvelope,
  cursorTime,
  decodeMailRequest,
  decodeMessagesRequest,
  decodeRawPayload,
  decodeRequestPayload,
  encodeMessagesRequest,
  encodeRawPayload,
  encodeRequestPayload,
  mailserverSymKey,
  type RequestFields,
} from '@status-ts/mailserver';
import { decodeP2PRequest, Envelope } from '@status-ts/waku';
import fc from 'fast-check';
import { bytesFrom, mutated, pool, rlpFrom } from './arbitraries.js';
import { fixedKey } from './fixtures.js';
import { each, entry, type FuzzEntry, layer } from './harness.js';

const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const fieldsArb: fc.Arbitrary<RequestFields> = fc.record({
  lower: uint32,
  upper: uint32,
  bloom: fc.uint8Array({ minLength: 64, maxLength: 64 }),
  topics: fc.array(fc.uint8Array({ minLength: 4, maxLength: 4 }), { maxLength: 6 }),
  limit: uint32,
  cursor: fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 36, maxLength: 36 })),
  batch: fc.boolean(),
});
const messagesRequestArb = fc
  .tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fieldsArb)
  .map(([id, f]) => encodeMessagesRequest(id, f));
const requestPayloadArb = fieldsArb.map((f) => encodeRequestPayload(f));
const rawPayloadArb = fieldsArb.map((f) => encodeRawPayload(f));

const keys = { symKey: mailserverSymKey(), privateKey: fixedKey('mailserver 1') };
const signingKey = fixedKey('mailserver 2');
const now = 1_750_000_000;
// Real request envelopes (signing is slow: a pool), for mutating the envelope as a whole.
const requestEnvelopes = [
  encodeRequestPayload({ lower: 1, upper: 2 }),
  encodeRawPayload({ lower: 1, upper: 2, limit: 10, cursor: new Uint8Array(36).fill(3) }),
  encodeRequestPayload({ lower: 5, upper: 9, topics: [Uint8Array.of(1, 2, 3, 4)], batch: true }),
].map((payload) => buildRequestEnvelope({ payload, signingKey, symKey: keys.symKey, now }).raw);

export const mailserverEntries: FuzzEntry[] = layer('mailserver', [
  entry({
    name: 'decodeMessagesRequest (MessagesRequest struct)',
    arbitrary: rlpFrom(messagesRequestArb, 300),
    how: 'random bytes, random RLP, mutated MessagesRequests',
    decode: (bytes) => decodeMessagesRequest(bytes),
  }),
  entry({
    name: 'decodeRequestPayload (RLP or raw payload)',
    arbitrary: rlpFrom(fc.oneof(requestPayloadArb, rawPayloadArb), 300),
    how: 'random bytes, random RLP, mutated RLP and raw request payloads',
    decode: (bytes) => decodeRequestPayload(bytes),
  }),
  entry({
    name: 'decodeRawPayload',
    arbitrary: bytesFrom(rawPayloadArb, 200),
    how: 'random bytes, mutated raw payloads (76 and 112 bytes)',
    decode: (bytes) => decodeRawPayload(bytes),
  }),
  entry({
    name: 'decodeP2PRequest → decodeMailRequest (server side)',
    arbitrary: rlpFrom(fc.oneof(messagesRequestArb, pool(requestEnvelopes)), 300),
    how: 'random bytes, random RLP, mutated MessagesRequests and mutated signed request envelopes',
    decode: (bytes) => decodeMailRequest(decodeP2PRequest(bytes), keys),
    slow: { share: 0.5, why: 'AES-GCM, then ECIES when the symmetric key fails, per envelope' },
  }),
  entry({
    name: 'decodeMailRequest (signed envelope around a mutated payload)',
    arbitrary: bytesFrom(fc.oneof(requestPayloadArb, rawPayloadArb), 200),
    how: 'random and mutated request payloads, signed and encrypted per case with the mailserver key',
    decode: (payload) => {
      const envelope = buildRequestEnvelope({ payload, signingKey, symKey: keys.symKey, now });
      return decodeMailRequest(decodeP2PRequest(envelope.raw), keys);
    },
    slow: { share: 0.2, why: 'signing and signer recovery per case' },
  }),
  entry({
    name: 'decodeMailRequest (envelope with mutated data)',
    arbitrary: mutated(pool(requestEnvelopes.map((raw) => Envelope.decode(raw).data))),
    how: 'request envelope data (AES-GCM) with byte edits, re-wrapped in an envelope',
    decode: (data) => {
      const envelope = Envelope.create({ expiry: now + 30, ttl: 30, topic: new Uint8Array(4), data });
      return decodeMailRequest({ payload: envelope.raw, envelope }, { symKey: keys.symKey });
    },
  }),
  entry({
    name: 'cursorTime / afterCursorKey (cursor from a request)',
    arbitrary: bytesFrom(fc.uint8Array({ minLength: 36, maxLength: 36 }), 80),
    how: 'random bytes, mutated 36-byte cursors',
    decode: (cursor) => each([() => cursorTime(cursor), () => afterCursorKey(cursor)]),
  }),
]);
