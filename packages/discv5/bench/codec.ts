import { hexToBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey, keccak256 } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import {
  acceptHandshake,
  decodeHandshakeAuthdata,
  decodeMessage,
  decodeMessageAuthdata,
  decodePacket,
  decodeWhoareyouAuthdata,
  decryptMessage,
  encodeHandshakePacket,
  encodeMessage,
  encodeMessagePacket,
  encodeRandomPacket,
  encodeWhoareyouPacket,
  initiateHandshake,
  MessageType,
} from '../src/index.js';

// Codec and handshake work of ours alone, in memory (no transport): @chainsafe/discv5 exposes no API at this
// level that does the same work, so these figures are printed without a ratio. Call initFastCrypto() first.

const keyA = generatePrivateKey();
const keyB = generatePrivateKey();
const idA = keccak256(getPublicKey(keyA, 'raw'));
const idB = keccak256(getPublicKey(keyB, 'raw'));
const enrA = Enr.create({ privateKey: keyA, ip: '10.0.0.1', udp: 9000 });
const sessionKey = new Uint8Array(16).fill(3);
/** A message packet from A to B under the session key (fixed nonce and masking IV: the bench only opens it). */
const sealedMessage = (plaintext: Uint8Array) =>
  encodeMessagePacket({
    srcId: idA,
    destId: idB,
    key: sessionKey,
    nonce: new Uint8Array(12).fill(1),
    maskingIv: new Uint8Array(16).fill(2),
    plaintext,
  });
export const pongPacket = sealedMessage(
  encodeMessage({
    type: MessageType.Pong,
    requestId: hexToBytes('0102030405060708'),
    enrSeq: 9n,
    ip: '10.0.0.2',
    port: 9000,
  }),
);
export const nodesPacket = sealedMessage(
  encodeMessage({
    type: MessageType.Nodes,
    requestId: hexToBytes('0102030405060708'),
    total: 1,
    records: Array.from({ length: 7 }, () =>
      Enr.create({ privateKey: generatePrivateKey(), ip: '10.0.0.3', udp: 1 }).encode(),
    ),
  }),
);

export function openPacket(bytes: Uint8Array): void {
  const p = decodePacket(idB, bytes);
  decodeMessageAuthdata(p.authdata);
  decodeMessage(decryptMessage(sessionKey, p.nonce, p.message, p.headerData));
}

/** The whole WHOAREYOU round trip, both sides, in memory (no transport). */
export function handshakeRoundTrip(): void {
  const random = encodeRandomPacket({
    srcId: idA,
    destId: idB,
    nonce: new Uint8Array(12).fill(5),
    maskingIv: new Uint8Array(16).fill(6),
    random: new Uint8Array(20),
  });
  const atB = decodePacket(idB, random);
  const { packet: whoareyou, challengeData } = encodeWhoareyouPacket({
    destId: decodeMessageAuthdata(atB.authdata),
    nonce: atB.nonce,
    idNonce: new Uint8Array(16).fill(7),
    enrSeq: 0n,
    maskingIv: new Uint8Array(16).fill(8),
  });
  const atA = decodePacket(idA, whoareyou);
  const hs = initiateHandshake({
    localPrivateKey: keyA,
    localId: idA,
    remoteId: idB,
    remotePublicKey: getPublicKey(keyB, 'compressed'),
    challengeData: atA.headerData,
    challengeEnrSeq: decodeWhoareyouAuthdata(atA.authdata).enrSeq,
    localRecord: enrA,
  });
  const handshake = encodeHandshakePacket({
    destId: idB,
    authdata: hs.authdata,
    key: hs.writeKey,
    nonce: new Uint8Array(12).fill(9),
    maskingIv: new Uint8Array(16).fill(10),
    plaintext: encodeMessage({ type: MessageType.Ping, requestId: hexToBytes('01'), enrSeq: 1n }),
  });
  const atB2 = decodePacket(idB, handshake);
  // A fresh decode of the record every time (no record cache), as for a stranger.
  const accepted = acceptHandshake({
    localPrivateKey: keyB,
    localId: idB,
    challengeData,
    auth: decodeHandshakeAuthdata(atB2.authdata),
  });
  decodeMessage(decryptMessage(accepted.readKey, atB2.nonce, atB2.message, atB2.headerData));
}
