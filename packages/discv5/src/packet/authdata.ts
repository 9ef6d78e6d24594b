import { bigIntToBytes, bytesToBigInt, concatBytes } from '@status-ts/core';
import { Discv5Error, Discv5ErrorCode } from '../errors.js';
import {
  HANDSHAKE_AUTHDATA_HEAD_SIZE,
  ID_NONCE_SIZE,
  MESSAGE_AUTHDATA_SIZE,
  NODE_ID_SIZE,
  WHOAREYOU_AUTHDATA_SIZE,
} from './constants.js';

/** WHOAREYOU authdata: the challenge. */
export interface WhoareyouAuthdata {
  idNonce: Uint8Array;
  /** Sequence number of the requester's record as the challenger knows it (0: unknown). */
  enrSeq: bigint;
}

/** Handshake authdata. */
export interface HandshakeAuthdata {
  srcId: Uint8Array;
  idSignature: Uint8Array;
  ephemeralPublicKey: Uint8Array;
  /** The sender's ENR (RLP), present when the challenger's copy was missing or older. */
  record: Uint8Array | undefined;
}

function badAuthdata(message: string, details?: Record<string, unknown>): Discv5Error {
  return new Discv5Error(Discv5ErrorCode.BadAuthdata, message, { details });
}

export function encodeMessageAuthdata(srcId: Uint8Array): Uint8Array {
  if (srcId.length !== NODE_ID_SIZE) throw badAuthdata('src-id must be 32 bytes');
  return srcId;
}

export function decodeMessageAuthdata(authdata: Uint8Array): Uint8Array {
  if (authdata.length !== MESSAGE_AUTHDATA_SIZE) {
    throw badAuthdata(`message authdata must be 32 bytes, got ${authdata.length}`, { size: authdata.length });
  }
  return authdata;
}

export function encodeWhoareyouAuthdata(challenge: WhoareyouAuthdata): Uint8Array {
  if (challenge.idNonce.length !== ID_NONCE_SIZE) throw badAuthdata('id-nonce must be 16 bytes');
  return concatBytes(challenge.idNonce, bigIntToBytes(challenge.enrSeq, 8));
}

export function decodeWhoareyouAuthdata(authdata: Uint8Array): WhoareyouAuthdata {
  if (authdata.length !== WHOAREYOU_AUTHDATA_SIZE) {
    throw badAuthdata(`WHOAREYOU authdata must be 24 bytes, got ${authdata.length}`, {
      size: authdata.length,
    });
  }
  return {
    idNonce: authdata.slice(0, ID_NONCE_SIZE),
    enrSeq: bytesToBigInt(authdata.subarray(ID_NONCE_SIZE)),
  };
}

export function encodeHandshakeAuthdata(auth: HandshakeAuthdata): Uint8Array {
  if (auth.srcId.length !== NODE_ID_SIZE) throw badAuthdata('src-id must be 32 bytes');
  if (auth.idSignature.length > 255 || auth.ephemeralPublicKey.length > 255) {
    throw badAuthdata('signature and ephemeral key must be at most 255 bytes');
  }
  return concatBytes(
    auth.srcId,
    Uint8Array.of(auth.idSignature.length, auth.ephemeralPublicKey.length),
    auth.idSignature,
    auth.ephemeralPublicKey,
    auth.record ?? new Uint8Array(0),
  );
}

/** Splits handshake authdata; sizes are checked here, contents by the handshake itself. */
export function decodeHandshakeAuthdata(authdata: Uint8Array): HandshakeAuthdata {
  if (authdata.length < HANDSHAKE_AUTHDATA_HEAD_SIZE) {
    throw badAuthdata(`handshake authdata of ${authdata.length} bytes is shorter than its head`);
  }
  const sigSize = authdata[NODE_ID_SIZE]!;
  const keySize = authdata[NODE_ID_SIZE + 1]!;
  const keyStart = HANDSHAKE_AUTHDATA_HEAD_SIZE + sigSize;
  const recordStart = keyStart + keySize;
  if (recordStart > authdata.length) {
    throw badAuthdata('signature and key sizes run past the authdata', { sigSize, keySize });
  }
  return {
    srcId: authdata.slice(0, NODE_ID_SIZE),
    idSignature: authdata.slice(HANDSHAKE_AUTHDATA_HEAD_SIZE, keyStart),
    ephemeralPublicKey: authdata.slice(keyStart, recordStart),
    record: recordStart < authdata.length ? authdata.slice(recordStart) : undefined,
  };
}
