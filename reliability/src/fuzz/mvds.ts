import { decodePayload, encodePayload, parseMvdsPayload } from '@status-ts/mvds';
import fc from 'fast-check';
import { protoFrom } from './arbitraries.js';
import { entry, type FuzzEntry, layer } from './harness.js';

// mvds.Payload as in sync.proto (field numbers 5001-5004, Message 6001-6003), for the shaped generator.
const messageShape = {
  typeName: 'mvds.Message',
  fields: [
    { number: 6001, fieldKind: 'scalar', scalar: 12 },
    { number: 6002, fieldKind: 'scalar', scalar: 3 },
    { number: 6003, fieldKind: 'scalar', scalar: 12 },
  ],
};
const payloadShape = {
  typeName: 'mvds.Payload',
  fields: [
    { number: 5001, fieldKind: 'list', listKind: 'scalar', scalar: 12 },
    { number: 5002, fieldKind: 'list', listKind: 'scalar', scalar: 12 },
    { number: 5003, fieldKind: 'list', listKind: 'scalar', scalar: 12 },
    { number: 5004, fieldKind: 'list', listKind: 'message', message: messageShape },
  ],
};

const id = fc.uint8Array({ minLength: 32, maxLength: 32 });
const payloadArb = fc
  .record({
    acks: fc.array(id, { maxLength: 3 }),
    offers: fc.array(id, { maxLength: 3 }),
    requests: fc.array(id, { maxLength: 3 }),
    messages: fc.array(
      fc.record({
        groupId: fc.uint8Array({ maxLength: 40 }),
        timestamp: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        body: fc.uint8Array({ maxLength: 80 }),
      }),
      { maxLength: 3 },
    ),
  })
  .map((p) => encodePayload(p));

export const mvdsEntries: FuzzEntry[] = layer('mvds', [
  entry({
    name: 'decodePayload',
    arbitrary: fc.tuple(
      protoFrom(payloadShape, payloadArb),
      fc.constantFrom({}, { maxRecords: 2, maxGroupIdLength: 8 }),
    ),
    how: 'random bytes, protobuf-shaped payloads, mutated payloads; default and small limits',
    decode: ([bytes, limits]) => decodePayload(bytes, limits),
  }),
  entry({
    name: 'parseMvdsPayload',
    arbitrary: protoFrom(payloadShape, payloadArb),
    how: 'random bytes, protobuf-shaped payloads, mutated payloads',
    decode: (bytes) => parseMvdsPayload(bytes),
  }),
]);
