import { encryptMessage } from '../session/crypto.js';
import { encodeMessageAuthdata, encodeWhoareyouAuthdata } from './authdata.js';
import { MAX_PACKET_SIZE, PacketFlag } from './constants.js';
import { encodeHeaderData, encodePacket } from './header.js';

/** Randomness a packet needs; explicit so test vectors can be reproduced. */
export interface PacketRandomness {
  maskingIv: Uint8Array;
  nonce: Uint8Array;
}

export interface MessagePacketInput extends PacketRandomness {
  srcId: Uint8Array;
  destId: Uint8Array;
  /** The session's write key. */
  key: Uint8Array;
  /** `message-type || rlp(message-data)`. */
  plaintext: Uint8Array;
  maxPacketSize?: number;
}

/** An ordinary message packet (flag 0). */
export function encodeMessagePacket(input: MessagePacketInput): Uint8Array {
  const headerData = encodeHeaderData(input.maskingIv, {
    flag: PacketFlag.Message,
    nonce: input.nonce,
    authdata: encodeMessageAuthdata(input.srcId),
  });
  const sealed = encryptMessage(input.key, input.nonce, input.plaintext, headerData);
  return encodePacket(input.destId, headerData, sealed, input.maxPacketSize ?? MAX_PACKET_SIZE);
}

/** A flag-0 packet whose "message" is random bytes: it makes the recipient answer WHOAREYOU. */
export function encodeRandomPacket(
  input: PacketRandomness & { srcId: Uint8Array; destId: Uint8Array; random: Uint8Array },
): Uint8Array {
  const headerData = encodeHeaderData(input.maskingIv, {
    flag: PacketFlag.Message,
    nonce: input.nonce,
    authdata: encodeMessageAuthdata(input.srcId),
  });
  return encodePacket(input.destId, headerData, input.random);
}

export interface WhoareyouPacketInput extends PacketRandomness {
  destId: Uint8Array;
  idNonce: Uint8Array;
  enrSeq: bigint;
}

/** A WHOAREYOU packet (flag 1) and its challenge-data (the unmasked header, kept for step 4). */
export function encodeWhoareyouPacket(input: WhoareyouPacketInput): {
  packet: Uint8Array;
  challengeData: Uint8Array;
} {
  const challengeData = encodeHeaderData(input.maskingIv, {
    flag: PacketFlag.Whoareyou,
    nonce: input.nonce,
    authdata: encodeWhoareyouAuthdata({ idNonce: input.idNonce, enrSeq: input.enrSeq }),
  });
  return { packet: encodePacket(input.destId, challengeData, new Uint8Array(0)), challengeData };
}

export interface HandshakePacketInput extends PacketRandomness {
  destId: Uint8Array;
  /** From `initiateHandshake`. */
  authdata: Uint8Array;
  /** The new session's write key (initiator key). */
  key: Uint8Array;
  plaintext: Uint8Array;
  maxPacketSize?: number;
}

/** A handshake message packet (flag 2). */
export function encodeHandshakePacket(input: HandshakePacketInput): Uint8Array {
  const headerData = encodeHeaderData(input.maskingIv, {
    flag: PacketFlag.Handshake,
    nonce: input.nonce,
    authdata: input.authdata,
  });
  const sealed = encryptMessage(input.key, input.nonce, input.plaintext, headerData);
  return encodePacket(input.destId, headerData, sealed, input.maxPacketSize ?? MAX_PACKET_SIZE);
}
