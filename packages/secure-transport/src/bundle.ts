import { create } from '@bufbuild/protobuf';
import { compareBytes, concatBytes, equalBytes, utf8ToBytes } from '@status-ts/core';
import {
  CryptoError,
  convertPublicKey,
  generatePrivateKey,
  getPublicKey,
  keccak256,
  recoverPublicKey,
  SIGNATURE_LENGTH,
  sign,
} from '@status-ts/crypto';
import { checkBundleShape } from './codec.js';
import { PROTOCOL_VERSION } from './constants.js';
import { SecureTransportError, SecureTransportErrorCode } from './errors.js';
import { type Bundle, BundleSchema } from './generated/protocol_message_pb.js';

/** A freshly created bundle and the private signed prekey that stays on this device. */
export interface BundleWithPrivateKey {
  readonly bundle: Bundle;
  readonly signedPreKeyPrivate: Uint8Array;
}

export interface CreateBundleOptions {
  /** Creation time in nanoseconds since the epoch (status-go `time.Now().UnixNano()`); default now. */
  readonly timestamp?: bigint;
  /** The signed prekey's private key; default a fresh random key. */
  readonly signedPreKeyPrivate?: Uint8Array;
}

/** Current time in nanoseconds, the unit of `Bundle.timestamp` (checklist ST-01). */
export function nowNanoseconds(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/**
 * status-go `buildSignatureMaterial` (checklist ST-02): for each installation id in byte order, the id,
 * the compressed signed prekey and the decimal version; then the decimal timestamp unless it is 0.
 */
export function bundleSignatureMaterial(bundle: Bundle): Uint8Array {
  // Go's sort.Strings compares bytes; ids are compared on their UTF-8 encodings to match.
  const ids = Object.keys(bundle.signedPreKeys)
    .map((id) => ({ id, bytes: utf8ToBytes(id) }))
    .sort((a, b) => compareBytes(a.bytes, b.bytes));
  const parts: Uint8Array[] = [];
  for (const { id, bytes } of ids) {
    const spk = bundle.signedPreKeys[id]!;
    parts.push(bytes, spk.signedPreKey, utf8ToBytes(String(spk.version)));
  }
  if (bundle.timestamp !== 0n) parts.push(utf8ToBytes(bundle.timestamp.toString(10)));
  return concatBytes(...parts);
}

/** status-go `SignBundle`: sets the timestamp and signs Keccak-256 of the material with the identity key. */
export function signBundle(
  bundle: Bundle,
  identityPrivateKey: Uint8Array,
  timestamp = nowNanoseconds(),
): Bundle {
  const unsigned = create(BundleSchema, {
    identity: bundle.identity,
    signedPreKeys: bundle.signedPreKeys,
    timestamp,
  });
  const signature = sign(keccak256(bundleSignatureMaterial(unsigned)), identityPrivateKey);
  unsigned.signature = signature;
  return unsigned;
}

/** status-go `NewBundleContainer` + `SignBundle`: one installation, a new signed prekey, version 0. */
export function createBundle(
  identityPrivateKey: Uint8Array,
  installationId: string,
  options: CreateBundleOptions = {},
): BundleWithPrivateKey {
  const signedPreKeyPrivate = options.signedPreKeyPrivate ?? generatePrivateKey();
  const unsigned = create(BundleSchema, {
    identity: getPublicKey(identityPrivateKey, 'compressed'),
    signedPreKeys: {
      [installationId]: {
        signedPreKey: getPublicKey(signedPreKeyPrivate, 'compressed'),
        version: 0,
        protocolVersion: PROTOCOL_VERSION,
      },
    },
  });
  return {
    bundle: signBundle(unsigned, identityPrivateKey, options.timestamp ?? nowNanoseconds()),
    signedPreKeyPrivate,
  };
}

function badBundle(
  message: string,
  cause?: unknown,
  details?: Record<string, unknown>,
): SecureTransportError {
  return new SecureTransportError(SecureTransportErrorCode.BadBundle, message, { cause, details });
}

/**
 * status-go `ExtractIdentity`: recovers the signer from the signature over the material and requires it to
 * be the bundle's identity key. Returns the 33-byte compressed identity; ERR_ST_BAD_BUNDLE otherwise.
 */
export function verifyBundle(bundle: Bundle): Uint8Array {
  try {
    checkBundleShape(bundle);
  } catch (cause) {
    throw badBundle('malformed bundle', cause);
  }
  if (bundle.signature.length !== SIGNATURE_LENGTH) {
    const details = { length: bundle.signature.length, expected: SIGNATURE_LENGTH };
    throw badBundle('bundle signature must be 65 bytes', undefined, details);
  }
  let identity: Uint8Array;
  let recovered: Uint8Array;
  try {
    identity = convertPublicKey(bundle.identity, 'compressed');
    recovered = recoverPublicKey(keccak256(bundleSignatureMaterial(bundle)), bundle.signature, 'compressed');
  } catch (cause) {
    // Stryker disable next-line ConditionalExpression: on a checked shape these calls throw only CryptoError
    if (cause instanceof CryptoError) throw badBundle('bundle identity or signature is invalid', cause);
    throw cause;
  }
  if (!equalBytes(identity, recovered)) throw badBundle('bundle signature is not by its identity key');
  return identity;
}
