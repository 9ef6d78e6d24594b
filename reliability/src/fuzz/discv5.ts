import { bytesToHex as hex } from '@status-ts/core';
import { getPublicKey, keccak256 } from '@status-ts/crypto';
import {
  acceptHandshake,
  type DecodedPacket,
  decodeHandshakeAuthdata,
  decodeMessage,
  decodeMessageAuthdata,
  decodePacket,
  decodeWhoareyouAuthdata,
  decryptMessage,
  encodeHandshakePacket,
  encodeMessage,
  encodeMessagePacket,
  encodeWhoareyouPacket,
  initiateHandshake,
  type Message,
  MessageType,
  resolveTarget,
} from '@status-ts/discv5';
import { Enr } from '@status-ts/enr';
import fc from 'fast-check';
import { BASE64URL, HEX, mutated, pool, rlpFrom, textFrom } from './arbitraries.js';
import { fixedKey, nodeUrlArb, recordBytes } from './fixtures.js';
import { each, entry, type FuzzEntry, layer } from './harness.js';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const requestId = fc.uint8Array({ maxLength: 8 });

/** Every message type with random fields; NODES carries real signed records. */
const messageArb: fc.Arbitrary<Message> = fc.oneof(
  fc.record({
    type: fc.constant(MessageType.Ping),
    requestId,
    enrSeq: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  }),
  fc.record({
    type: fc.constant(MessageType.Pong),
    requestId,
    enrSeq: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    ip: fc.oneof(fc.ipV4(), fc.constant('::1'), fc.constant('2001:db8::7')),
    port: fc.nat(65535),
  }),
  fc.record({
    type: fc.constant(MessageType.FindNode),
    requestId,
    distances: fc.array(fc.nat(256), { maxLength: 5 }),
  }),
  fc.record({
    type: fc.constant(MessageType.Nodes),
    requestId,
    total: fc.nat(5),
    records: fc.subarray(recordBytes, { maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant(MessageType.TalkReq),
    requestId,
    protocol: fc.uint8Array({ maxLength: 8 }),
    request: fc.uint8Array({ maxLength: 40 }),
  }),
  fc.record({
    type: fc.constant(MessageType.TalkResp),
    requestId,
    response: fc.uint8Array({ maxLength: 40 }),
  }),
) as fc.Arbitrary<Message>;
const plaintextArb = messageArb.map((m) => encodeMessage(m));

/** A message plaintext the way a node reads it: decoded, and each record of a NODES verified. */
function readMessage(plaintext: Uint8Array): unknown {
  const message = decodeMessage(plaintext);
  if (message.type === MessageType.Nodes) return message.records.map((r) => Enr.decode(r));
  return message;
}

/** The authdata of a decoded packet, by flag, as the node reads it. */
function readAuthdata(packet: DecodedPacket): unknown {
  if (packet.flag === 0) return decodeMessageAuthdata(packet.authdata);
  if (packet.flag === 1) return decodeWhoareyouAuthdata(packet.authdata);
  return decodeHandshakeAuthdata(packet.authdata);
}

// The local node, and a remote that completed a WHOAREYOU challenge with it.
const localKey = fixedKey('discv5 1');
const localId = keccak256(getPublicKey(localKey, 'raw'));
const remoteKey = fixedKey('discv5 2');
const remoteRecord = Enr.create({ privateKey: remoteKey, ip: '10.0.0.2', udp: 9000, seq: 5 });
const remoteId = remoteRecord.nodeId;
const whoareyou = encodeWhoareyouPacket({
  destId: remoteId,
  nonce: new Uint8Array(12).fill(1),
  idNonce: new Uint8Array(16).fill(2),
  enrSeq: 0n,
  maskingIv: new Uint8Array(16).fill(3),
});
const handshake = initiateHandshake({
  localPrivateKey: remoteKey,
  localId: remoteId,
  remoteId: localId,
  remotePublicKey: getPublicKey(localKey, 'compressed'),
  challengeData: whoareyou.challengeData,
  challengeEnrSeq: 0n,
  localRecord: remoteRecord,
});
const handshakePackets = [
  encodeMessage({ type: MessageType.Ping, requestId: Uint8Array.of(1), enrSeq: 5n }),
  encodeMessage({
    type: MessageType.Nodes,
    requestId: Uint8Array.of(2),
    total: 1,
    records: [recordBytes[0]!],
  }),
].map((plaintext) =>
  encodeHandshakePacket({
    destId: localId,
    authdata: handshake.authdata,
    key: handshake.writeKey,
    plaintext,
    nonce: new Uint8Array(12).fill(4),
    maskingIv: new Uint8Array(16).fill(5),
  }),
);
const validPackets = [
  ...handshakePackets,
  encodeWhoareyouPacket({
    destId: localId,
    nonce: new Uint8Array(12),
    idNonce: new Uint8Array(16).fill(9),
    enrSeq: 3n,
    maskingIv: new Uint8Array(16).fill(7),
  }).packet,
  encodeMessagePacket({
    srcId: remoteId,
    destId: localId,
    key: new Uint8Array(16).fill(8),
    nonce: new Uint8Array(12).fill(6),
    maskingIv: new Uint8Array(16).fill(4),
    plaintext: encodeMessage({ type: MessageType.FindNode, requestId: Uint8Array.of(1), distances: [256] }),
  }),
];

/** A message packet built per case (random ids, key, nonce, masking IV), possibly edited afterwards. */
const messagePacketArb = fc
  .record({
    destId: bytes(32),
    srcId: bytes(32),
    key: bytes(16),
    nonce: bytes(12),
    maskingIv: bytes(16),
    // Cut to what fits a 1,280-byte packet with its header and tag.
    plaintext: rlpFrom(plaintextArb, 200).map((p) => p.subarray(0, 1_150)),
    edit: fc.boolean(),
  })
  .chain((input) => {
    const packet = encodeMessagePacket(input);
    return (input.edit ? mutated(fc.constant(packet)) : fc.constant(packet)).map((bytes) => ({
      ...input,
      bytes,
    }));
  });

export const discv5Entries: FuzzEntry[] = layer('discv5', [
  entry({
    name: 'decodePacket (random local node id)',
    arbitrary: fc.tuple(bytes(32), fc.uint8Array({ maxLength: 1400 })),
    how: 'random datagrams up to 1,400 bytes unmasked with a random node id',
    decode: ([id, datagram]) => readAuthdata(decodePacket(id, datagram)),
  }),
  entry({
    name: 'decodePacket → authdata (mutated valid packets)',
    arbitrary: mutated(pool(validPackets)),
    how: 'WHOAREYOU, message and handshake packets to the local node with byte edits',
    decode: (datagram) => readAuthdata(decodePacket(localId, datagram)),
  }),
  entry({
    name: 'decodePacket → decryptMessage → decodeMessage (session key known)',
    arbitrary: messagePacketArb,
    how: 'message packets built per case with random ids and session key around random, random-RLP and mutated messages, half of them edited after sealing',
    decode: ({ destId, key, bytes: datagram }) => {
      const packet = decodePacket(destId, datagram);
      const authdata = readAuthdata(packet);
      const plaintext = decryptMessage(key, packet.nonce, packet.message, packet.headerData);
      return [authdata, readMessage(plaintext)];
    },
    slow: { share: 0.5, why: 'AES-CTR masking and AES-GCM sealing and opening per case, records verified' },
    show: ({ destId, key, bytes: datagram }) =>
      JSON.stringify({ destId: hex(destId), key: hex(key), datagram: hex(datagram) }),
  }),
  entry({
    name: 'decryptMessage (random session key)',
    arbitrary: fc.tuple(
      bytes(16),
      bytes(12),
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 80 }),
    ),
    how: 'random sealed messages, nonces, header data and 16-byte keys',
    decode: ([key, nonce, sealed, headerData]) => decryptMessage(key, nonce, sealed, headerData),
  }),
  entry({
    name: 'decodeMessage (→ Enr.decode of NODES records)',
    arbitrary: fc.oneof(
      rlpFrom(plaintextArb, 300),
      // Each type byte followed by random RLP or another type's mutated body.
      fc
        .tuple(
          fc.integer({ min: 0, max: 8 }),
          rlpFrom(
            plaintextArb.map((p) => p.subarray(1)),
            200,
          ),
        )
        .map(([type, body]) => Uint8Array.from([type, ...body])),
    ),
    how: 'random bytes, random RLP, mutated PING/PONG/FINDNODE/NODES/TALKREQ/TALKRESP, type bytes 0-8 before any body',
    decode: (plaintext) => readMessage(plaintext),
    slow: { share: 0.5, why: 'signature check of each intact record in NODES' },
  }),
  entry({
    name: 'decodeHandshakeAuthdata → acceptHandshake',
    arbitrary: fc.tuple(mutated(pool([handshake.authdata])), fc.boolean()),
    how: 'the handshake authdata of a real WHOAREYOU exchange with byte edits, with and without a known record',
    decode: ([authdata, known]) =>
      acceptHandshake({
        localPrivateKey: localKey,
        localId,
        challengeData: whoareyou.challengeData,
        auth: decodeHandshakeAuthdata(authdata),
        knownRecord: known ? remoteRecord : undefined,
      }),
    slow: { share: 0.2, why: 'ECDH, id-signature check and record verification per case' },
  }),
  entry({
    name: 'decodeHandshakeAuthdata / decodeWhoareyouAuthdata / decodeMessageAuthdata',
    arbitrary: fc.oneof(fc.uint8Array({ maxLength: 400 }), mutated(pool([handshake.authdata]))),
    how: 'random and mutated authdata, through all three authdata decoders (decoded = all three returned)',
    decode: (authdata) =>
      each([
        () => decodeMessageAuthdata(authdata),
        () => decodeWhoareyouAuthdata(authdata),
        () => decodeHandshakeAuthdata(authdata),
      ]),
  }),
  entry({
    name: 'resolveTarget (text)',
    arbitrary: textFrom(nodeUrlArb, `${HEX}${BASE64URL}@:[]?=.`, 200),
    how: 'random text, edited enode URLs and enr: texts',
    decode: (text) => resolveTarget(text),
    slow: { share: 0.5, why: 'signature check per intact record' },
  }),
]);
