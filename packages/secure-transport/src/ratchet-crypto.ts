import { constantTimeEqual, utf8ToBytes } from '@status-ts/core';
import {
  AES_BLOCK_SIZE,
  aesCtr,
  HmacSha256Key,
  hkdfSha256KeyedSalt,
  hmacSha256Into,
  hmacSha256Pair,
} from '@status-ts/crypto';
import { KDF_RK_INFO, MESSAGE_KEYS_INFO } from './constants.js';
import { SecureTransportError, SecureTransportErrorCode } from './errors.js';

const RK_INFO = utf8ToBytes(KDF_RK_INFO);
const MK_INFO = utf8ToBytes(MESSAGE_KEYS_INFO);
// The message-key HKDF salt is constant (32 zero bytes): its HMAC pads are hashed once.
const ZERO_SALT = new HmacSha256Key(new Uint8Array(32));
const CHAIN_INPUT = Uint8Array.of(0x0f);
const MESSAGE_INPUT = Uint8Array.of(0x10);
/** HMAC-SHA256 tag appended to every ratchet ciphertext. */
export const RATCHET_TAG_LENGTH = 32;
/** Smallest ratchet ciphertext: IV and tag around an empty plaintext. */
export const RATCHET_OVERHEAD = AES_BLOCK_SIZE + RATCHET_TAG_LENGTH;

/** Output of the root-key KDF. The header key is derived but unused (no header encryption in Status). */
export interface RootKdfOutput {
  readonly rootKey: Uint8Array;
  readonly chainKey: Uint8Array;
  readonly headerKey: Uint8Array;
}

/** KDF_RK (checklist ST-06): HKDF-SHA256(ikm = dhOut, salt = rk, info) -> 96 bytes = rk || ck || hk. */
export function kdfRk(rootKey: Uint8Array, dhOut: Uint8Array): RootKdfOutput {
  const out = hkdfSha256KeyedSalt(new HmacSha256Key(rootKey), dhOut, RK_INFO, 96);
  // Separate copies: a key kept in the state must not keep its siblings reachable through a shared buffer.
  const result = { rootKey: out.slice(0, 32), chainKey: out.slice(32, 64), headerKey: out.slice(64, 96) };
  out.fill(0);
  return result;
}

/** KDF_CK: next chain key = HMAC(ck, 0x0f), message key = HMAC(ck, 0x10). */
export function kdfCk(chainKey: Uint8Array): { chainKey: Uint8Array; messageKey: Uint8Array } {
  const both = hmacSha256Pair(chainKey, CHAIN_INPUT, MESSAGE_INPUT); // one key setup for both outputs
  // Copies: a stored message key must not keep the chain key it came from alive (forward secrecy).
  const result = { chainKey: both.slice(0, 32), messageKey: both.slice(32, 64) };
  both.fill(0);
  return result;
}

/** HKDF-SHA256(ikm = mk, salt = 32 zero bytes, info) -> enc key 32 || auth key 32 || IV 16 (ST-07). */
export function deriveMessageKeys(messageKey: Uint8Array): {
  encKey: Uint8Array;
  authKey: Uint8Array;
  iv: Uint8Array;
} {
  const out = hkdfSha256KeyedSalt(ZERO_SALT, messageKey, MK_INFO, 80);
  return { encKey: out.subarray(0, 32), authKey: out.subarray(32, 64), iv: out.subarray(64, 80) };
}

/** A Double Ratchet message header: sender ratchet key, number in chain, previous chain length. */
export interface RatchetHeader {
  /** 33-byte compressed secp256k1 ratchet public key. */
  readonly dh: Uint8Array;
  readonly n: number;
  readonly pn: number;
}

/** The header as the MAC covers it: N (uint32 LE) || PN (uint32 LE) || DH key bytes. */
export function encodeRatchetHeader(header: RatchetHeader): Uint8Array {
  const out = new Uint8Array(8 + header.dh.length);
  const { n, pn } = header;
  out[0] = n;
  out[1] = n >>> 8;
  out[2] = n >>> 16;
  out[3] = n >>> 24;
  out[4] = pn;
  out[5] = pn >>> 8;
  out[6] = pn >>> 16;
  out[7] = pn >>> 24;
  out.set(header.dh, 8);
  return out;
}

/** status-go EthereumCrypto.Encrypt: IV || AES-256-CTR(pt) || HMAC-SHA256(auth key, ad || IV || ct). */
export function sealWithMessageKey(
  messageKey: Uint8Array,
  plaintext: Uint8Array,
  ad: Uint8Array,
): Uint8Array {
  const { encKey, authKey, iv } = deriveMessageKeys(messageKey);
  const out = new Uint8Array(AES_BLOCK_SIZE + plaintext.length + RATCHET_TAG_LENGTH);
  out.set(iv, 0);
  out.set(aesCtr(encKey, iv, plaintext), AES_BLOCK_SIZE);
  const body = out.subarray(0, AES_BLOCK_SIZE + plaintext.length);
  hmacSha256Into(authKey, [ad, body], out, body.length);
  return out;
}

/** Inverse of `sealWithMessageKey`; the tag is checked in constant time before anything is decrypted. */
export function openWithMessageKey(messageKey: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array {
  if (sealed.length < RATCHET_OVERHEAD) {
    throw new SecureTransportError(
      SecureTransportErrorCode.DecryptFailed,
      'ratchet ciphertext is too short',
      {
        details: { length: sealed.length, minimum: RATCHET_OVERHEAD },
      },
    );
  }
  const { encKey, authKey } = deriveMessageKeys(messageKey);
  const body = sealed.subarray(0, sealed.length - RATCHET_TAG_LENGTH);
  const tag = sealed.subarray(sealed.length - RATCHET_TAG_LENGTH);
  if (!constantTimeEqual(hmacSha256Into(authKey, [ad, body]), tag)) {
    throw new SecureTransportError(
      SecureTransportErrorCode.DecryptFailed,
      'ratchet message authentication failed',
    );
  }
  return aesCtr(encKey, body.subarray(0, AES_BLOCK_SIZE), body.subarray(AES_BLOCK_SIZE));
}
