import { utf8ToBytes } from '@status-ts/core';

/** "discv5": the protocol id that starts every unmasked header. */
export const PROTOCOL_ID: Uint8Array = utf8ToBytes('discv5');
/** Protocol version 0x0001 (discv5.1). */
export const PROTOCOL_VERSION = 1;

export const MASKING_IV_SIZE = 16;
export const NONCE_SIZE = 12;
/** protocol-id(6) || version(2) || flag(1) || nonce(12) || authdata-size(2). */
export const STATIC_HEADER_SIZE = 23;
export const NODE_ID_SIZE = 32;
export const ID_NONCE_SIZE = 16;
export const SESSION_KEY_SIZE = 16;
export const GCM_TAG_SIZE = 16;

/** WHOAREYOU authdata: id-nonce(16) || enr-seq(8). */
export const WHOAREYOU_AUTHDATA_SIZE = 24;
/** Ordinary message authdata: src-id(32). */
export const MESSAGE_AUTHDATA_SIZE = 32;
/** Handshake authdata-head: src-id(32) || sig-size(1) || eph-key-size(1). */
export const HANDSHAKE_AUTHDATA_HEAD_SIZE = 34;
/** "v4" identity scheme sizes inside a handshake. */
export const ID_SIGNATURE_SIZE = 64;
export const EPHEMERAL_KEY_SIZE = 33;

/** Packet kinds (the header's flag byte). */
export const PacketFlag = {
  Message: 0,
  Whoareyou: 1,
  Handshake: 2,
} as const;
export type PacketFlag = (typeof PacketFlag)[keyof typeof PacketFlag];

/** Largest packet sent or accepted (discv5-wire "UDP Communication"). */
export const MAX_PACKET_SIZE = 1280;
/** Smallest packet accepted: a WHOAREYOU is 16 + 23 + 24 = 63 bytes. */
export const MIN_PACKET_SIZE = 63;
/**
 * Bytes a message or handshake packet needs after the static header: at least its 32-byte src-id plus the
 * 16-byte GCM tag (go-ethereum's minMessageSize). So such packets are at least 16 + 23 + 48 = 87 bytes.
 */
export const MIN_MESSAGE_PACKET_DATA = 48;
/** Random "message" bytes in the packet that starts a handshake (go-ethereum sends 20). */
export const RANDOM_MESSAGE_SIZE = 20;
