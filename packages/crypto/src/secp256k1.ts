import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, concatBytes } from '@status-ts/core';
import { fastNodeEcdh, fastSecp256k1 } from './backend.js';
import { CryptoError, CryptoErrorCode } from './errors.js';
import { fromBuffer, type NodeCrypto } from './node-crypto.js';
import type { NativeSecp256k1 } from './secp256k1-native.js';

/** Byte lengths of the key and signature forms (checklist CRY-01, CRY-02). */
export const PRIVATE_KEY_LENGTH = 32;
export const COMPRESSED_PUBLIC_KEY_LENGTH = 33;
export const UNCOMPRESSED_PUBLIC_KEY_LENGTH = 65;
/** The 64-byte `X||Y` form: devp2p node ids, enode URLs, RLPx. */
export const RAW_PUBLIC_KEY_LENGTH = 64;
export const SIGNATURE_LENGTH = 65;

export function isValidPrivateKey(privateKey: Uint8Array): boolean {
  // noble checks the length (32 bytes) and the range [1, n-1].
  return secp256k1.utils.isValidSecretKey(privateKey);
}

function assertPrivateKey(privateKey: Uint8Array): void {
  if (!isValidPrivateKey(privateKey)) {
    throw new CryptoError(CryptoErrorCode.InvalidPrivateKey, 'private key must be 32 bytes in [1, n-1]');
  }
}

export function generatePrivateKey(): Uint8Array {
  return secp256k1.utils.randomSecretKey();
}

export type PublicKeyForm = 'compressed' | 'uncompressed' | 'raw';

/** Public key of `privateKey`: 33-byte compressed, 65-byte uncompressed `04||X||Y` (default) or 64-byte `X||Y`. */
// Stryker disable next-line StringLiteral: form is only compared with 'compressed' and 'raw'; any other value is the uncompressed default
export function getPublicKey(privateKey: Uint8Array, form: PublicKeyForm = 'uncompressed'): Uint8Array {
  const native = fastSecp256k1();
  return native ? getPublicKeyNative(native, privateKey, form) : getPublicKeyNoble(privateKey, form);
}

// Stryker disable next-line StringLiteral: form is only compared with 'compressed' and 'raw'; any other value is the uncompressed default
export function getPublicKeyNoble(privateKey: Uint8Array, form: PublicKeyForm = 'uncompressed'): Uint8Array {
  assertPrivateKey(privateKey);
  const key = secp256k1.getPublicKey(privateKey, form === 'compressed');
  return form === 'raw' ? key.subarray(1) : key;
}

export function getPublicKeyNative(
  native: NativeSecp256k1,
  privateKey: Uint8Array,
  // Stryker disable next-line StringLiteral: form is only compared with 'compressed' and 'raw'; any other value is the uncompressed default
  form: PublicKeyForm = 'uncompressed',
): Uint8Array {
  assertPrivateKey(privateKey);
  const key = native.publicKeyCreate(privateKey, form === 'compressed');
  return form === 'raw' ? key.subarray(1) : key;
}

function parsePoint(publicKey: Uint8Array) {
  let bytes = publicKey;
  if (publicKey.length === RAW_PUBLIC_KEY_LENGTH) bytes = concatBytes(Uint8Array.of(4), publicKey);
  try {
    return secp256k1.Point.fromBytes(bytes);
  } catch (cause) {
    throw new CryptoError(CryptoErrorCode.InvalidPublicKey, 'not a valid secp256k1 public key', {
      cause,
      details: { length: publicKey.length },
    });
  }
}

/** Accepts any of the three public key forms and returns the requested one; throws on points off the curve. */
export function convertPublicKey(publicKey: Uint8Array, form: PublicKeyForm): Uint8Array {
  const point = parsePoint(publicKey);
  const out = point.toBytes(form === 'compressed');
  return form === 'raw' ? out.subarray(1) : out;
}

export function isValidPublicKey(publicKey: Uint8Array): boolean {
  try {
    parsePoint(publicKey);
    return true;
  } catch {
    return false;
  }
}

/**
 * ECDH as go-ethereum does it (checklist CRY-04a): the 32-byte big-endian X coordinate of
 * `privateKey * publicKey`. Used by RLPx, ECIES, X3DH and the Double Ratchet. Runs on the native
 * libsecp256k1 bindings when installed, else node:crypto (OpenSSL), else noble; all validate the point
 * and give the same bytes.
 */
export function ecdhX(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const native = fastSecp256k1();
  if (native) return ecdhXNative(native, privateKey, publicKey);
  const node = fastNodeEcdh();
  return node ? ecdhXNode(node, privateKey, publicKey) : ecdhXNoble(privateKey, publicKey);
}

/**
 * libsecp256k1 and OpenSSL parse 33-byte 02/03 and 65-byte 04 keys and refuse every other shape themselves,
 * but they also take the hybrid (06/07) 65-byte encoding, which noble refuses: every path must accept the
 * same keys, so that one is refused here.
 */
function refuseHybrid(publicKey: Uint8Array): void {
  if (publicKey.length === UNCOMPRESSED_PUBLIC_KEY_LENGTH && publicKey[0] !== 4) {
    throw new CryptoError(CryptoErrorCode.InvalidPublicKey, 'not a valid secp256k1 public key', {
      details: { length: publicKey.length },
    });
  }
}

/** The public key as libsecp256k1 parses it (33 or 65 bytes; the 64-byte raw form gets its 04 prefix). */
function nativePublicKeyInput(publicKey: Uint8Array): Uint8Array {
  if (publicKey.length === RAW_PUBLIC_KEY_LENGTH) {
    const out = new Uint8Array(UNCOMPRESSED_PUBLIC_KEY_LENGTH);
    out[0] = 4;
    out.set(publicKey, 1);
    return out;
  }
  refuseHybrid(publicKey);
  return publicKey;
}

// libsecp256k1's ECDH hands the shared point to a callback; these keep its X (or compressed form).
type NativeEcdhOptions = Parameters<NativeSecp256k1['ecdh']>[2];
const ECDH_X: NativeEcdhOptions = { hashfn: (x) => x, xbuf: new Uint8Array(32), ybuf: new Uint8Array(32) };
const ECDH_COMPRESSED: NativeEcdhOptions = {
  hashfn: (x: Uint8Array, y: Uint8Array): Uint8Array => {
    const out = new Uint8Array(COMPRESSED_PUBLIC_KEY_LENGTH);
    out[0] = 2 + (y[31]! & 1);
    out.set(x, 1);
    return out;
  },
  xbuf: new Uint8Array(32),
  ybuf: new Uint8Array(32),
};

function nativeEcdh(
  native: NativeSecp256k1,
  privateKey: Uint8Array,
  publicKey: Uint8Array,
  options: NativeEcdhOptions,
  length: number,
): Uint8Array {
  assertPrivateKey(privateKey);
  const input = nativePublicKeyInput(publicKey);
  const out = new Uint8Array(length);
  try {
    // Constant time in the private key (secp256k1_ecmult_const); rejects points off the curve.
    return native.ecdh(input, privateKey, options, out);
  } catch (cause) {
    throw new CryptoError(CryptoErrorCode.InvalidPublicKey, 'not a valid secp256k1 public key', {
      cause,
      details: { length: publicKey.length },
    });
  }
}

export function ecdhXNative(
  native: NativeSecp256k1,
  privateKey: Uint8Array,
  publicKey: Uint8Array,
): Uint8Array {
  return nativeEcdh(native, privateKey, publicKey, ECDH_X, 32);
}

export function ecdhXNoble(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  assertPrivateKey(privateKey);
  const point = parsePoint(publicKey);
  return secp256k1.getSharedSecret(privateKey, point.toBytes(), true).subarray(1);
}

export function ecdhXNode(node: NodeCrypto, privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  assertPrivateKey(privateKey);
  const ecdh = node.createECDH('secp256k1');
  ecdh.setPrivateKey(privateKey);
  return nodeSharedX(ecdh, publicKey);
}

type NodeEcdh = ReturnType<NodeCrypto['createECDH']>;

function nodeSharedX(ecdh: NodeEcdh, publicKey: Uint8Array): Uint8Array {
  refuseHybrid(publicKey);
  const encoded =
    publicKey.length === RAW_PUBLIC_KEY_LENGTH ? concatBytes(Uint8Array.of(4), publicKey) : publicKey;
  try {
    // OpenSSL rejects points off the curve.
    return fromBuffer(ecdh.computeSecret(encoded));
  } catch (cause) {
    throw new CryptoError(CryptoErrorCode.InvalidPublicKey, 'not a valid secp256k1 public key', {
      cause,
      details: { length: publicKey.length },
    });
  }
}

/** A fresh (or given) ephemeral key pair and its ECDH X with `remotePublicKey`, in one step. */
export interface EphemeralAgreement {
  /** 65-byte uncompressed public key of the ephemeral private key. */
  publicKey: Uint8Array;
  /** 32-byte X coordinate of the shared point (ecdhX). */
  sharedX: Uint8Array;
}

/**
 * Ephemeral ECDH as ECIES and the RLPx initiator need it. With node:crypto the key generation and the
 * agreement run in OpenSSL. `ephemeralPrivateKey` is for deterministic tests only.
 */
export function ephemeralAgreement(
  remotePublicKey: Uint8Array,
  ephemeralPrivateKey?: Uint8Array,
): EphemeralAgreement {
  const native = fastSecp256k1();
  if (native) return ephemeralAgreementNative(native, remotePublicKey, ephemeralPrivateKey);
  const node = fastNodeEcdh();
  return node
    ? ephemeralAgreementNode(node, remotePublicKey, ephemeralPrivateKey)
    : ephemeralAgreementNoble(remotePublicKey, ephemeralPrivateKey);
}

export function ephemeralAgreementNative(
  native: NativeSecp256k1,
  remotePublicKey: Uint8Array,
  ephemeralPrivateKey: Uint8Array = generatePrivateKey(),
): EphemeralAgreement {
  const sharedX = ecdhXNative(native, ephemeralPrivateKey, remotePublicKey);
  return { publicKey: native.publicKeyCreate(ephemeralPrivateKey, false), sharedX };
}

export function ephemeralAgreementNoble(
  remotePublicKey: Uint8Array,
  ephemeralPrivateKey: Uint8Array = generatePrivateKey(),
): EphemeralAgreement {
  const sharedX = ecdhXNoble(ephemeralPrivateKey, remotePublicKey);
  return { publicKey: getPublicKey(ephemeralPrivateKey), sharedX };
}

export function ephemeralAgreementNode(
  node: NodeCrypto,
  remotePublicKey: Uint8Array,
  ephemeralPrivateKey?: Uint8Array,
): EphemeralAgreement {
  const ecdh = node.createECDH('secp256k1');
  if (ephemeralPrivateKey === undefined) {
    ecdh.generateKeys();
  } else {
    assertPrivateKey(ephemeralPrivateKey);
    ecdh.setPrivateKey(ephemeralPrivateKey);
  }
  const sharedX = nodeSharedX(ecdh, remotePublicKey);
  return { publicKey: fromBuffer(ecdh.getPublicKey()), sharedX };
}

/** ECDH returning the 33-byte compressed shared point (checklist CRY-04b: discv5 only). */
export function ecdhCompressed(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const native = fastSecp256k1();
  return native
    ? ecdhCompressedNative(native, privateKey, publicKey)
    : ecdhCompressedNoble(privateKey, publicKey);
}

export function ecdhCompressedNative(
  native: NativeSecp256k1,
  privateKey: Uint8Array,
  publicKey: Uint8Array,
): Uint8Array {
  return nativeEcdh(native, privateKey, publicKey, ECDH_COMPRESSED, COMPRESSED_PUBLIC_KEY_LENGTH);
}

export function ecdhCompressedNoble(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  assertPrivateKey(privateKey);
  const point = parsePoint(publicKey);
  return secp256k1.getSharedSecret(privateKey, point.toBytes(), true);
}

function assertHash(hash: Uint8Array): void {
  if (hash.length !== 32) {
    throw new CryptoError(CryptoErrorCode.InvalidLength, `message hash must be 32 bytes, got ${hash.length}`);
  }
}

/**
 * Recoverable ECDSA over a 32-byte hash: 65 bytes `r||s||v` with low S and v in {0, 1}, as go-ethereum
 * writes it (checklist CRY-02). Deterministic (RFC 6979).
 */
export function sign(hash: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const native = fastSecp256k1();
  return native && belowOrder(hash) ? signNative(native, hash, privateKey) : signNoble(hash, privateKey);
}

// The group order n as lowercase hex: for two equal-length hex strings, string order is numeric order.
const ORDER_HEX = 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141';

/**
 * True when the 32-byte hash, read as an integer, is below n. The bundled libsecp256k1 feeds the raw hash
 * to RFC 6979 where noble (and the RFC's bits2octets) feed it reduced mod n, so the nonces, and thus
 * the signatures, differ for hashes >= n (probability about 2^-128): those are signed on noble.
 */
function belowOrder(hash: Uint8Array): boolean {
  // A hash of another length compares either way: both signers then refuse it with the same error.
  return bytesToHex(hash) < ORDER_HEX;
}

/** RFC 6979 deterministic, low S, like noble: byte-identical signatures (tested on random inputs). */
export function signNative(native: NativeSecp256k1, hash: Uint8Array, privateKey: Uint8Array): Uint8Array {
  assertHash(hash);
  assertPrivateKey(privateKey);
  const out = new Uint8Array(SIGNATURE_LENGTH);
  const { recid } = native.ecdsaSign(hash, privateKey, {}, out.subarray(0, 64));
  out[64] = recid;
  return out;
}

export function signNoble(hash: Uint8Array, privateKey: Uint8Array): Uint8Array {
  assertHash(hash);
  assertPrivateKey(privateKey);
  // noble's 'recovered' format is v||r||s; go-ethereum's wire form is r||s||v.
  const recovered = secp256k1.sign(hash, privateKey, { prehash: false, lowS: true, format: 'recovered' });
  const out = new Uint8Array(SIGNATURE_LENGTH);
  out.set(recovered.subarray(1), 0);
  out[64] = recovered[0]!;
  return out;
}

/** The recovery id of `r||s||v`, accepting v in {0, 1, 27, 28}. */
function recoveryId(signature: Uint8Array): number {
  if (signature.length !== SIGNATURE_LENGTH) {
    throw new CryptoError(
      CryptoErrorCode.InvalidSignature,
      `signature must be 65 bytes, got ${signature.length}`,
    );
  }
  let v = signature[64]!;
  if (v === 27 || v === 28) v -= 27;
  if (v !== 0 && v !== 1) throw new CryptoError(CryptoErrorCode.InvalidSignature, `invalid recovery id ${v}`);
  return v;
}

/** Splits `r||s||v`, accepting v in {0, 1, 27, 28}; returns noble's `v||r||s` form. */
function toRecoveredForm(signature: Uint8Array): Uint8Array {
  const v = recoveryId(signature);
  const out = new Uint8Array(SIGNATURE_LENGTH);
  out[0] = v;
  out.set(signature.subarray(0, 64), 1);
  return out;
}

/** Recovers the signer's public key (65-byte uncompressed by default) from `r||s||v` over `hash`. */
export function recoverPublicKey(
  hash: Uint8Array,
  signature: Uint8Array,
  // Stryker disable next-line StringLiteral: form is only compared with 'compressed' and 'raw'; any other value is the uncompressed default
  form: PublicKeyForm = 'uncompressed',
): Uint8Array {
  const native = fastSecp256k1();
  return native
    ? recoverPublicKeyNative(native, hash, signature, form)
    : recoverPublicKeyNoble(hash, signature, form);
}

export function recoverPublicKeyNative(
  native: NativeSecp256k1,
  hash: Uint8Array,
  signature: Uint8Array,
  // Stryker disable next-line StringLiteral: form is only compared with 'compressed' and 'raw'; any other value is the uncompressed default
  form: PublicKeyForm = 'uncompressed',
): Uint8Array {
  assertHash(hash);
  const v = recoveryId(signature);
  let key: Uint8Array;
  try {
    key = native.ecdsaRecover(signature.subarray(0, 64), v, hash, form === 'compressed');
  } catch (cause) {
    throw new CryptoError(CryptoErrorCode.InvalidSignature, 'public key recovery failed', { cause });
  }
  return form === 'raw' ? key.subarray(1) : key;
}

export function recoverPublicKeyNoble(
  hash: Uint8Array,
  signature: Uint8Array,
  // Stryker disable next-line StringLiteral: form is only compared with 'compressed' and 'raw'; any other value is the uncompressed default
  form: PublicKeyForm = 'uncompressed',
): Uint8Array {
  assertHash(hash);
  const recovered = toRecoveredForm(signature);
  let compressed: Uint8Array;
  try {
    compressed = secp256k1.recoverPublicKey(recovered, hash, { prehash: false });
  } catch (cause) {
    throw new CryptoError(CryptoErrorCode.InvalidSignature, 'public key recovery failed', { cause });
  }
  return convertPublicKey(compressed, form);
}

/** Verifies a 64-byte `r||s` or 65-byte `r||s||v` signature over `hash`. Rejects high-S (malleable) forms. */
export function verify(hash: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  const native = fastSecp256k1();
  return native ? verifyNative(native, hash, signature, publicKey) : verifyNoble(hash, signature, publicKey);
}

/**
 * libsecp256k1 accepts only low-S signatures, like noble with lowS. The binding itself refuses a hash that
 * is not 32 bytes (it throws, caught below); the signature length is checked here because only its first
 * 64 bytes are passed on.
 */
export function verifyNative(
  native: NativeSecp256k1,
  hash: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  if (signature.length !== 64 && signature.length !== 65) return false;
  try {
    return native.ecdsaVerify(signature.subarray(0, 64), hash, nativePublicKeyInput(publicKey));
  } catch {
    return false;
  }
}

export function verifyNoble(hash: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (hash.length !== 32 || (signature.length !== 64 && signature.length !== 65)) return false;
  try {
    const point = parsePoint(publicKey);
    return secp256k1.verify(signature.subarray(0, 64), hash, point.toBytes(), {
      prehash: false,
      lowS: true,
    });
  } catch {
    return false;
  }
}

/** Signs like `sign` but returns the 64-byte `r||s` form (ENR v4 identity scheme). */
export function signCompact(hash: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return sign(hash, privateKey).subarray(0, 64);
}
