import { decodeExchange, decodePropose, encodeExchange, encodePropose } from '@status-ts/libp2p-secio';
import fc from 'fast-check';
import { protoFrom } from './arbitraries.js';
import { entry, type FuzzEntry, layer } from './harness.js';

// The handshake messages are hand-written protobuf: their shapes, for the protobuf-shaped generator.
const BYTES = 12;
const STRING = 9;
const proposeShape = {
  typeName: 'secio.Propose',
  fields: [
    { number: 1, fieldKind: 'scalar', scalar: BYTES },
    { number: 2, fieldKind: 'scalar', scalar: BYTES },
    { number: 3, fieldKind: 'scalar', scalar: STRING },
    { number: 4, fieldKind: 'scalar', scalar: STRING },
    { number: 5, fieldKind: 'scalar', scalar: STRING },
  ],
};
const exchangeShape = {
  typeName: 'secio.Exchange',
  fields: [
    { number: 1, fieldKind: 'scalar', scalar: BYTES },
    { number: 2, fieldKind: 'scalar', scalar: BYTES },
  ],
};

const algorithms = fc.constantFrom(
  'P-256,P-384',
  'AES-256,AES-128',
  'SHA256,SHA512',
  'P-256',
  '',
  'x'.repeat(300),
);
const proposeArb = fc
  .record({
    rand: fc.uint8Array({ minLength: 1, maxLength: 32 }),
    pubkey: fc.uint8Array({ minLength: 1, maxLength: 80 }),
    exchanges: algorithms,
    ciphers: algorithms,
    hashes: algorithms,
  })
  .map((p) => encodePropose(p));
const exchangeArb = fc
  .record({
    epubkey: fc.uint8Array({ minLength: 1, maxLength: 97 }),
    signature: fc.uint8Array({ minLength: 1, maxLength: 72 }),
  })
  .map((e) => encodeExchange(e));

export const secioEntries: FuzzEntry[] = layer('libp2p-secio', [
  entry({
    name: 'decodePropose',
    arbitrary: protoFrom(proposeShape, proposeArb),
    how: 'random bytes, protobuf-shaped Propose fields, mutated Proposes',
    decode: (bytes) => decodePropose(bytes),
  }),
  entry({
    name: 'decodeExchange',
    arbitrary: protoFrom(exchangeShape, exchangeArb),
    how: 'random bytes, protobuf-shaped Exchange fields, mutated Exchanges',
    decode: (bytes) => decodeExchange(bytes),
  }),
]);
