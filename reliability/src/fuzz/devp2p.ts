import { concatBytes, utf8ToBytes } from '@status-ts/core';
import { createAesCtr, createKeccak256, eciesEncrypt, getPublicKey, keccak256 } from '@status-ts/crypto';
import {
  ByteQueue,
  decodeAckBody,
  decodeAuthBody,
  decodeDisconnect,
  decodeHello,
  encodeAckBody,
  encodeAuthBody,
  encodeDisconnect,
  encodeHello,
  FrameDecoder,
  FrameEncoder,
  InitiatorHandshake,
  LEGACY_ACK_SIZE,
  LEGACY_AUTH_SIZE,
  matchCapabilities,
  RecipientHandshake,
  RlpxMac,
  readHandshakePacket,
  resolveDialTarget,
  sealEip8,
  snappyCompress,
  snappyDecodedLength,
  snappyDecompress,
  splitFrame,
} from '@status-ts/devp2p';
import fc from 'fast-check';
import { BASE64URL, bytesFrom, HEX, mutated, pool, rlpFrom, textFrom } from './arbitraries.js';
import { fixedKey, nodeUrlArb } from './fixtures.js';
import { entry, type FuzzEntry, layer } from './harness.js';

const initiatorKey = fixedKey('devp2p 1');
const recipientKey = fixedKey('devp2p 2');
const initiatorPub = getPublicKey(initiatorKey, 'raw');
const recipientPub = getPublicKey(recipientKey, 'raw');

// One handshake per side, reused: reading and accepting keep no state between calls.
const initiator = new InitiatorHandshake(initiatorKey, recipientPub);
const legacyInitiator = new InitiatorHandshake(initiatorKey, recipientPub, { format: 'legacy' });
const recipient = new RecipientHandshake(recipientKey);

const authPackets = [initiator.authPacket, legacyInitiator.authPacket];
const ackPackets = authPackets.map((auth) => {
  const q = new ByteQueue();
  q.push(auth);
  return new RecipientHandshake(recipientKey).readAuth(q)!.ackPacket;
});

const nonceArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const authBodyArb = fc
  .tuple(fc.uint8Array({ minLength: 65, maxLength: 65 }), nonceArb, fc.nat(10))
  .map(([signature, nonce, version]) =>
    encodeAuthBody({ signature, initiatorPublicKey: initiatorPub, nonce, version }),
  );
const ephemeralKeys = [1, 2, 3].map((i) => getPublicKey(fixedKey(`devp2p ephemeral ${i}`), 'raw'));
const ackBodyArb = fc
  .tuple(
    fc.oneof(fc.constantFrom(...ephemeralKeys), fc.uint8Array({ minLength: 64, maxLength: 64 })),
    nonceArb,
    fc.nat(10),
  )
  .map(([ephemeralPublicKey, nonce, version]) => encodeAckBody({ ephemeralPublicKey, nonce, version }));
/** A real auth body (signature by the initiator's ephemeral key over the static shared secret). */
const realAuthBody = (() => {
  const q = new ByteQueue();
  q.push(initiator.authPacket);
  return readHandshakePacket(q, recipientKey, LEGACY_AUTH_SIZE, 2048)!.plaintext;
})();
const realAckBody = (() => {
  const q = new ByteQueue();
  q.push(ackPackets[0]!);
  return readHandshakePacket(q, initiatorKey, LEGACY_ACK_SIZE, 2048)!.plaintext;
})();

/** Handshake packets as the socket delivers them: random, size-prefixed random, legacy-like, mutated. */
function handshakeBytes(valid: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { arbitrary: fc.uint8Array({ maxLength: 400 }), weight: 1 },
    {
      arbitrary: fc
        .uint8Array({ minLength: 1, maxLength: 400 })
        .map((b) => concatBytes(Uint8Array.of(b.length >> 8, b.length & 0xff), b)),
      weight: 1,
    },
    {
      arbitrary: fc
        .uint8Array({ minLength: 300, maxLength: 320 })
        .map((b) => concatBytes(Uint8Array.of(4), b)),
      weight: 1,
    },
    { arbitrary: mutated(pool(valid)), weight: 3 },
  );
}

/** Splits bytes at random points, as TCP may deliver them. */
function chunks(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

const cutsArb = fc.array(fc.nat(), { maxLength: 3 });

/** Feeds chunks to `read` the way the connection does: after each chunk, read until undefined. */
function feed<T>(parts: readonly Uint8Array[], read: (q: ByteQueue) => T | undefined): T[] {
  const q = new ByteQueue();
  const out: T[] = [];
  for (const part of parts) {
    q.push(part);
    for (let r = read(q); r !== undefined; r = read(q)) {
      out.push(r);
      if (q.length === 0) break;
    }
  }
  return out;
}

// Frame codec with fixed secrets: encoder and decoder start from the same AES-CTR and MAC states.
const aesSecret = keccak256(utf8ToBytes('fuzz aes'));
const macSecret = keccak256(utf8ToBytes('fuzz mac'));
const newMac = () => new RlpxMac(createKeccak256().update(utf8ToBytes('ingress')), macSecret);
const newDecoder = (maxFrameSize?: number) =>
  new FrameDecoder(createAesCtr(aesSecret, new Uint8Array(16)), newMac(), maxFrameSize);
const frameStreams: Uint8Array[] = [
  [[0x10, new Uint8Array(0)]],
  [
    [0x00, encodeHello(helloOf('fuzz/v1', 30303))],
    [0x10, new Uint8Array(100).fill(7)],
  ],
  [
    [0x7f, new Uint8Array(17)],
    [0x12345, new Uint8Array(33).fill(1)],
    [0x02, Uint8Array.of(0xc0)],
  ],
].map((frames) => {
  const encoder = new FrameEncoder(createAesCtr(aesSecret, new Uint8Array(16)), newMac());
  return concatBytes(
    ...frames.map(([code, payload]) => encoder.encode(code as number, payload as Uint8Array)),
  );
});

function helloOf(clientId: string, listenPort: number) {
  return {
    protocolVersion: 5,
    clientId,
    capabilities: [
      { name: 'waku', version: 1 },
      { name: 'shh', version: 6 },
    ],
    listenPort,
    nodeId: initiatorPub,
  };
}

const helloArb = fc
  .record({
    protocolVersion: fc.nat(10),
    clientId: fc.string({ maxLength: 30 }),
    capabilities: fc.array(
      fc.record({ name: fc.constantFrom('waku', 'shh', 'eth', 'les', ''), version: fc.nat(70) }),
      { maxLength: 4 },
    ),
    listenPort: fc.nat(65535),
    nodeId: fc.oneof(fc.constant(initiatorPub), fc.uint8Array({ maxLength: 70 })),
  })
  .map((h) => encodeHello(h));

const ourCapabilities = [
  { name: 'waku', version: 1, length: 22 },
  { name: 'shh', version: 6, length: 22 },
];

export const devp2pEntries: FuzzEntry[] = layer('devp2p', [
  entry({
    name: 'RecipientHandshake.readAuth (auth packet from the socket)',
    arbitrary: fc.tuple(handshakeBytes(authPackets), cutsArb),
    how: 'random, size-prefixed and legacy-like bytes, mutated EIP-8 and legacy auth packets, random chunking',
    decode: ([bytes, cuts]) => feed(chunks(bytes, cuts), (q) => recipient.readAuth(q)),
    slow: { share: 0.3, why: 'ECIES decryption per complete packet' },
  }),
  entry({
    name: 'RecipientHandshake.readAuth (sealed mutated auth bodies)',
    arbitrary: fc.tuple(rlpFrom(fc.oneof(pool([realAuthBody]), authBodyArb)), fc.boolean()),
    how: 'real and random auth bodies with byte edits, sealed per case (EIP-8, or legacy when 194 bytes)',
    decode: ([body, legacy]) => {
      const packet =
        legacy && body.length === 194 ? eciesEncrypt(recipientPub, body) : sealEip8(body, recipientPub);
      return feed([packet], (q) => recipient.readAuth(q));
    },
    slow: { share: 0.2, why: 'ECIES encryption and decryption, signature recovery per case' },
  }),
  entry({
    name: 'InitiatorHandshake.readAck (ack packet from the socket)',
    arbitrary: fc.tuple(handshakeBytes(ackPackets), cutsArb),
    how: 'random, size-prefixed and legacy-like bytes, mutated EIP-8 and legacy ack packets, random chunking',
    decode: ([bytes, cuts]) => feed(chunks(bytes, cuts), (q) => initiator.readAck(q)),
    slow: { share: 0.3, why: 'ECIES decryption per complete packet' },
  }),
  entry({
    name: 'InitiatorHandshake.readAck (sealed mutated ack bodies)',
    arbitrary: rlpFrom(fc.oneof(pool([realAckBody]), ackBodyArb)),
    how: 'real and random ack bodies with byte edits, sealed per case',
    decode: (body) => feed([sealEip8(body, initiatorPub)], (q) => initiator.readAck(q)),
    slow: { share: 0.2, why: 'ECIES encryption and decryption, ECDH per case' },
  }),
  entry({
    name: 'readHandshakePacket (any key, small size limit)',
    arbitrary: fc.tuple(handshakeBytes([...authPackets, ...ackPackets]), fc.integer({ min: 0, max: 2048 })),
    how: 'random and mutated handshake packets, random size limits',
    decode: ([bytes, maxSize]) =>
      feed([bytes], (q) => readHandshakePacket(q, recipientKey, LEGACY_AUTH_SIZE, maxSize)),
  }),
  entry({
    name: 'decodeAuthBody',
    arbitrary: fc.tuple(
      rlpFrom(fc.oneof(pool([realAuthBody]), authBodyArb), 300),
      fc.constantFrom('eip8' as const, 'legacy' as const),
    ),
    how: 'random bytes, random RLP, mutated auth bodies, both formats',
    decode: ([plaintext, format]) => decodeAuthBody(plaintext, format),
  }),
  entry({
    name: 'decodeAckBody',
    arbitrary: fc.tuple(
      rlpFrom(fc.oneof(pool([realAckBody]), ackBodyArb), 300),
      fc.constantFrom('eip8' as const, 'legacy' as const),
    ),
    how: 'random bytes, random RLP, mutated ack bodies, both formats',
    decode: ([plaintext, format]) => decodeAckBody(plaintext, format),
  }),
  entry({
    name: 'RecipientHandshake.acceptAuth (decrypted body)',
    arbitrary: fc.tuple(
      rlpFrom(fc.oneof(pool([realAuthBody]), authBodyArb), 300),
      fc.constantFrom('eip8' as const, 'legacy' as const),
    ),
    how: 'random bytes, random RLP, mutated auth bodies',
    decode: ([plaintext, format]) => recipient.acceptAuth({ packet: plaintext, plaintext, format }),
    slow: { share: 0.3, why: 'ECDH and signature recovery per decodable body' },
  }),
  entry({
    name: 'InitiatorHandshake.acceptAck (decrypted body)',
    arbitrary: fc.tuple(
      rlpFrom(fc.oneof(pool([realAckBody]), ackBodyArb), 300),
      fc.constantFrom('eip8' as const, 'legacy' as const),
    ),
    how: 'random bytes, random RLP, mutated ack bodies',
    decode: ([plaintext, format]) => initiator.acceptAck({ packet: plaintext, plaintext, format }),
    slow: { share: 0.3, why: 'ECDH per decodable body' },
  }),
  entry({
    name: 'decodeHello → matchCapabilities',
    arbitrary: rlpFrom(helloArb, 300),
    how: 'random bytes, random RLP, mutated Hello messages',
    decode: (bytes) => matchCapabilities(ourCapabilities, decodeHello(bytes).capabilities),
  }),
  entry({
    name: 'decodeDisconnect',
    arbitrary: rlpFrom(
      fc.nat(0x20).map((r) => encodeDisconnect(r)),
      40,
    ),
    how: 'random bytes, random RLP, mutated Disconnect payloads',
    decode: (bytes) => decodeDisconnect(bytes),
  }),
  entry({
    name: 'snappyDecompress',
    arbitrary: fc.tuple(
      bytesFrom(
        fc
          .oneof(
            fc.uint8Array({ maxLength: 300 }),
            fc.tuple(fc.nat(255), fc.nat(3000)).map(([v, n]) => new Uint8Array(n).fill(v)),
            fc.string({ maxLength: 200 }).map((s) => utf8ToBytes(s.repeat(3))),
          )
          .map((b) => snappyCompress(b)),
        300,
      ),
      fc.constantFrom(0, 100, 1 << 16, 16 << 20),
    ),
    how: 'random bytes, mutated snappy blocks (literals, copies, runs), several length limits',
    decode: ([bytes, maxLength]) => snappyDecompress(bytes, maxLength),
  }),
  entry({
    name: 'snappyDecodedLength',
    arbitrary: bytesFrom(
      fc.uint8Array({ maxLength: 40 }).map((b) => snappyCompress(b)),
      12,
    ),
    how: 'random bytes, mutated snappy blocks',
    decode: (bytes) => snappyDecodedLength(bytes),
  }),
  entry({
    name: 'FrameDecoder.read (frame stream from the socket)',
    arbitrary: fc.tuple(bytesFrom(pool(frameStreams), 300), cutsArb, fc.constantFrom(undefined, 0, 16, 1024)),
    how: 'random bytes, mutated valid frame streams, random chunking and frame size limits',
    decode: ([bytes, cuts, maxFrameSize]) => {
      const decoder = newDecoder(maxFrameSize);
      return feed(chunks(bytes, cuts), (q) => decoder.read(q)).map((frame) => splitFrame(frame));
    },
  }),
  entry({
    name: 'splitFrame',
    arbitrary: bytesFrom(fc.constantFrom(Uint8Array.of(0x10, 1), Uint8Array.of(0x83, 1, 0, 0, 9)), 12),
    how: 'random bytes, mutated message-id prefixes',
    decode: (bytes) => splitFrame(bytes),
  }),
  entry({
    name: 'resolveDialTarget (text)',
    arbitrary: textFrom(nodeUrlArb, `${HEX}${BASE64URL}@:[]?=.`, 200),
    how: 'random text, edited enode URLs and enr: texts',
    decode: (text) => resolveDialTarget(text),
    slow: { share: 0.5, why: 'signature check per intact record' },
  }),
]);
