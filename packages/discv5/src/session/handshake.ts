import { equalBytes, isStatusTsError } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { Discv5Error, Discv5ErrorCode } from '../errors.js';
import { encodeHandshakeAuthdata, type HandshakeAuthdata } from '../packet/authdata.js';
import { EPHEMERAL_KEY_SIZE } from '../packet/constants.js';
import { deriveSessionKeys, sharedSecret, signIdNonce, verifyIdNonce } from './crypto.js';

/** Keys for one side of a session: what it encrypts with and what it decrypts with. */
export interface DirectionalKeys {
  writeKey: Uint8Array;
  readKey: Uint8Array;
}

export interface InitiateHandshakeInput {
  localPrivateKey: Uint8Array;
  localId: Uint8Array;
  /** The node that sent WHOAREYOU. */
  remoteId: Uint8Array;
  /** Its static public key (33-byte compressed, 64 or 65 bytes also accepted). */
  remotePublicKey: Uint8Array;
  /** `masking-iv || static-header || authdata` of the WHOAREYOU packet. */
  challengeData: Uint8Array;
  /** The enr-seq the WHOAREYOU carried: our record is included when ours is newer. */
  challengeEnrSeq: bigint;
  localRecord: Enr;
  /** For reproducing test vectors only; a fresh key otherwise. */
  ephemeralPrivateKey?: Uint8Array;
}

export interface InitiatedHandshake extends DirectionalKeys {
  /** Handshake authdata: src-id, sizes, id-signature, ephemeral public key, optional record. */
  authdata: Uint8Array;
  ephemeralPublicKey: Uint8Array;
  idSignature: Uint8Array;
  /** True when our record went into the packet. */
  includesRecord: boolean;
}

/** Step 3 of the handshake (node A): ephemeral key agreement, id-signature, session keys, authdata. */
export function initiateHandshake(input: InitiateHandshakeInput): InitiatedHandshake {
  const ephemeralPrivateKey = input.ephemeralPrivateKey ?? generatePrivateKey();
  const ephemeralPublicKey = getPublicKey(ephemeralPrivateKey, 'compressed');
  const secret = sharedSecret(ephemeralPrivateKey, input.remotePublicKey);
  const keys = deriveSessionKeys(secret, input.localId, input.remoteId, input.challengeData);
  const idSignature = signIdNonce(
    input.localPrivateKey,
    input.challengeData,
    ephemeralPublicKey,
    input.remoteId,
  );
  const includesRecord = input.challengeEnrSeq < input.localRecord.seq;
  const authdata = encodeHandshakeAuthdata({
    srcId: input.localId,
    idSignature,
    ephemeralPublicKey,
    record: includesRecord ? input.localRecord.encode() : undefined,
  });
  return {
    authdata,
    ephemeralPublicKey,
    idSignature,
    includesRecord,
    writeKey: keys.initiatorKey,
    readKey: keys.recipientKey,
  };
}

export interface AcceptHandshakeInput {
  localPrivateKey: Uint8Array;
  localId: Uint8Array;
  /** The challenge-data of the WHOAREYOU we sent to this node. */
  challengeData: Uint8Array;
  auth: HandshakeAuthdata;
  /** Our copy of the sender's record, if any (its seq went into the WHOAREYOU). */
  knownRecord?: Enr | undefined;
  /** Record decoder (lets callers share a verified-record cache); default `Enr.decode`. */
  decodeRecord?: (bytes: Uint8Array) => Enr;
}

export interface AcceptedHandshake extends DirectionalKeys {
  /** The sender's record: the one in the packet when it is newer than ours, else ours. */
  record: Enr;
  /** True when `record` came from the packet and is newer than `knownRecord`. */
  recordUpdated: boolean;
}

/**
 * Step 4 of the handshake (node B): picks the sender's record, verifies the id-signature against it and
 * derives the session keys. Throws ERR_DISCV5_BAD_RECORD, ERR_DISCV5_BAD_HANDSHAKE or
 * ERR_DISCV5_BAD_ID_SIGNATURE; the message itself is decrypted by the caller with `readKey`.
 */
export function acceptHandshake(input: AcceptHandshakeInput): AcceptedHandshake {
  const { auth, knownRecord } = input;
  if (auth.ephemeralPublicKey.length !== EPHEMERAL_KEY_SIZE) {
    throw new Discv5Error(Discv5ErrorCode.BadHandshake, 'ephemeral key must be a 33-byte compressed key');
  }
  let record = knownRecord;
  let recordUpdated = false;
  if (auth.record !== undefined) {
    let sent: Enr;
    try {
      sent = (input.decodeRecord ?? ((bytes) => Enr.decode(bytes)))(auth.record);
    } catch (cause) {
      if (!isStatusTsError(cause)) throw cause;
      throw new Discv5Error(Discv5ErrorCode.BadRecord, 'record in handshake does not decode', { cause });
    }
    if (!equalBytes(sent.nodeId, auth.srcId)) {
      throw new Discv5Error(Discv5ErrorCode.BadRecord, 'record in handshake belongs to another node');
    }
    if (record === undefined || record.seq < sent.seq) {
      record = sent;
      recordUpdated = true;
    }
  }
  if (record === undefined) {
    throw new Discv5Error(Discv5ErrorCode.BadHandshake, 'handshake without record from an unknown node');
  }
  if (!equalBytes(record.nodeId, auth.srcId)) {
    throw new Discv5Error(Discv5ErrorCode.BadHandshake, 'known record belongs to another node');
  }
  if (
    !verifyIdNonce(
      record.publicKey,
      auth.idSignature,
      input.challengeData,
      auth.ephemeralPublicKey,
      input.localId,
    )
  ) {
    throw new Discv5Error(Discv5ErrorCode.BadIdSignature, 'id-signature does not verify');
  }
  const secret = sharedSecret(input.localPrivateKey, auth.ephemeralPublicKey);
  const keys = deriveSessionKeys(secret, auth.srcId, input.localId, input.challengeData);
  return { record, recordUpdated, writeKey: keys.recipientKey, readKey: keys.initiatorKey };
}
