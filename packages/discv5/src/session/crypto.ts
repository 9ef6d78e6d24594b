import { concatBytes, utf8ToBytes } from '@status-ts/core';
import {
  aesGcmOpen,
  aesGcmSeal,
  CryptoError,
  ecdhCompressed,
  hkdfSha256,
  sha256,
  signCompact,
  verify,
} from '@status-ts/crypto';
import { Discv5Error, Discv5ErrorCode } from '../errors.js';
import { SESSION_KEY_SIZE } from '../packet/constants.js';

const KEY_AGREEMENT_INFO = utf8ToBytes('discovery v5 key agreement');
const ID_PROOF_TEXT = utf8ToBytes('discovery v5 identity proof');

/** The two directional keys of a session, named from the handshake's point of view. */
export interface SessionKeys {
  /** Written by the initiator (the node that sent the handshake packet), read by the recipient. */
  initiatorKey: Uint8Array;
  /** Written by the recipient, read by the initiator. */
  recipientKey: Uint8Array;
}

/**
 * The 33-byte compressed shared point `ecdh(publicKey, privateKey)` of the "v4" scheme. A public key that
 * is not on the curve is ERR_DISCV5_BAD_HANDSHAKE.
 */
export function sharedSecret(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  try {
    return ecdhCompressed(privateKey, publicKey);
  } catch (cause) {
    if (!(cause instanceof CryptoError)) throw cause;
    throw new Discv5Error(Discv5ErrorCode.BadHandshake, 'invalid public key for key agreement', { cause });
  }
}

/**
 * HKDF-SHA256 with salt = challenge-data, IKM = the shared secret and info = "discovery v5 key agreement" ||
 * node-id-A (initiator) || node-id-B (recipient); 32 bytes split into initiator-key || recipient-key.
 */
export function deriveSessionKeys(
  secret: Uint8Array,
  initiatorId: Uint8Array,
  recipientId: Uint8Array,
  challengeData: Uint8Array,
): SessionKeys {
  const info = concatBytes(KEY_AGREEMENT_INFO, initiatorId, recipientId);
  const keyData = hkdfSha256(secret, challengeData, info, 2 * SESSION_KEY_SIZE);
  return { initiatorKey: keyData.slice(0, SESSION_KEY_SIZE), recipientKey: keyData.slice(SESSION_KEY_SIZE) };
}

/** sha256("discovery v5 identity proof" || challenge-data || ephemeral-pubkey || node-id-B). */
export function idSignatureHash(
  challengeData: Uint8Array,
  ephemeralPublicKey: Uint8Array,
  recipientId: Uint8Array,
): Uint8Array {
  return sha256(ID_PROOF_TEXT, challengeData, ephemeralPublicKey, recipientId);
}

/** The 64-byte `r||s` id-signature (RFC 6979, so deterministic). */
export function signIdNonce(
  privateKey: Uint8Array,
  challengeData: Uint8Array,
  ephemeralPublicKey: Uint8Array,
  recipientId: Uint8Array,
): Uint8Array {
  return signCompact(idSignatureHash(challengeData, ephemeralPublicKey, recipientId), privateKey);
}

export function verifyIdNonce(
  publicKey: Uint8Array,
  signature: Uint8Array,
  challengeData: Uint8Array,
  ephemeralPublicKey: Uint8Array,
  recipientId: Uint8Array,
): boolean {
  if (signature.length !== 64) return false;
  return verify(idSignatureHash(challengeData, ephemeralPublicKey, recipientId), signature, publicKey);
}

/** AES-128-GCM with the header data as associated data. */
export function encryptMessage(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  headerData: Uint8Array,
): Uint8Array {
  return aesGcmSeal(key, nonce, plaintext, headerData);
}

/** Opens a message; any failure is ERR_DISCV5_DECRYPT_FAILED. */
export function decryptMessage(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  headerData: Uint8Array,
): Uint8Array {
  try {
    return aesGcmOpen(key, nonce, sealed, headerData);
  } catch (cause) {
    if (!(cause instanceof CryptoError)) throw cause;
    throw new Discv5Error(Discv5ErrorCode.DecryptFailed, 'message authentication failed', { cause });
  }
}
