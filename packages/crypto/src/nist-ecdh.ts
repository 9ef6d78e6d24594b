import { p256, p384, p521 } from '@noble/curves/nist.js';
import { fastNodeNistEcdh } from './backend.js';
import { CryptoError, CryptoErrorCode } from './errors.js';
import { fromBuffer, type NodeCrypto } from './node-crypto.js';

/** The NIST prime curves offered for ephemeral ECDH (secio's exchanges, go's `crypto/elliptic`). */
export type NistCurve = 'P-256' | 'P-384' | 'P-521';

export const NIST_CURVES: readonly NistCurve[] = ['P-256', 'P-384', 'P-521'];

/** Bytes in one field element (coordinate) and in one private scalar of each curve. */
export const NIST_COORDINATE_LENGTH: Readonly<Record<NistCurve, number>> = {
  'P-256': 32,
  'P-384': 48,
  'P-521': 66,
};

const NOBLE = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;
const OPENSSL_NAME: Readonly<Record<NistCurve, string>> = {
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
};

/** An ephemeral ECDH key on a NIST curve, for one key agreement. */
export interface NistEcdhKeyPair {
  readonly curve: NistCurve;
  /** Uncompressed SEC1 point `04‖X‖Y` (go's `elliptic.Marshal`), 65 / 97 / 133 bytes. */
  readonly publicKey: Uint8Array;
  /**
   * The X coordinate of the shared point, left-padded to the coordinate length (32 / 48 / 66 bytes).
   * `peerPublicKey` must be an uncompressed point on the same curve (go's `elliptic.Unmarshal` accepts
   * nothing else); anything else throws ERR_CRYPTO_INVALID_PUBLIC_KEY.
   */
  computeSecret(peerPublicKey: Uint8Array): Uint8Array;
}

/**
 * Makes an ephemeral ECDH key on P-256, P-384 or P-521: OpenSSL through node:crypto on Node, else noble.
 * The backend is fixed when the key is made. `privateKey` (big-endian, exactly the coordinate length,
 * in [1, n)) is for deterministic tests only.
 */
export function nistEcdhKeyPair(curve: NistCurve, privateKey?: Uint8Array): NistEcdhKeyPair {
  const node = fastNodeNistEcdh();
  return node ? nistEcdhKeyPairNode(node, curve, privateKey) : nistEcdhKeyPairNoble(curve, privateKey);
}

export function nistEcdhKeyPairNoble(curve: NistCurve, privateKey?: Uint8Array): NistEcdhKeyPair {
  const noble = NOBLE[assertCurve(curve)];
  const secretKey = privateKey ?? noble.utils.randomSecretKey();
  assertPrivateKey(curve, secretKey);
  return {
    curve,
    publicKey: noble.getPublicKey(secretKey, false),
    computeSecret(peerPublicKey) {
      assertUncompressed(curve, peerPublicKey);
      try {
        // The compressed shared point is 02/03‖X; noble checks the peer point is on the curve.
        return noble.getSharedSecret(secretKey, peerPublicKey, true).subarray(1);
      } catch (cause) {
        throw notOnCurve(curve, cause);
      }
    },
  };
}

export function nistEcdhKeyPairNode(
  node: NodeCrypto,
  curve: NistCurve,
  privateKey?: Uint8Array,
): NistEcdhKeyPair {
  const ecdh = node.createECDH(OPENSSL_NAME[assertCurve(curve)]);
  if (privateKey === undefined) {
    ecdh.generateKeys();
  } else {
    assertPrivateKey(curve, privateKey);
    ecdh.setPrivateKey(privateKey);
  }
  return {
    curve,
    publicKey: fromBuffer(ecdh.getPublicKey()),
    computeSecret(peerPublicKey) {
      // OpenSSL would also take compressed and hybrid points; noble-equal behaviour means uncompressed only.
      assertUncompressed(curve, peerPublicKey);
      try {
        // OpenSSL rejects coordinates >= p and points off the curve; the result is padded to the field size.
        return fromBuffer(ecdh.computeSecret(peerPublicKey));
      } catch (cause) {
        throw notOnCurve(curve, cause);
      }
    },
  };
}

function assertCurve(curve: NistCurve): NistCurve {
  if (!Object.hasOwn(NOBLE, curve)) {
    throw new CryptoError(CryptoErrorCode.InvalidArgument, `unknown NIST curve ${String(curve)}`, {
      details: { curve, supported: NIST_CURVES },
    });
  }
  return curve;
}

function assertPrivateKey(curve: NistCurve, privateKey: Uint8Array): void {
  const length = NIST_COORDINATE_LENGTH[curve];
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== length) {
    throw new CryptoError(CryptoErrorCode.InvalidLength, `${curve} private key must be ${length} bytes`, {
      details: { expected: length, actual: privateKey?.length },
    });
  }
  if (!NOBLE[curve].utils.isValidSecretKey(privateKey)) {
    throw new CryptoError(CryptoErrorCode.InvalidPrivateKey, `${curve} private key is not in [1, n)`);
  }
}

function assertUncompressed(curve: NistCurve, publicKey: Uint8Array): void {
  const expected = 1 + 2 * NIST_COORDINATE_LENGTH[curve];
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== expected || publicKey[0] !== 0x04) {
    throw new CryptoError(
      CryptoErrorCode.InvalidPublicKey,
      `${curve} public key must be an uncompressed ${expected}-byte point`,
      { details: { expected, actual: publicKey?.length } },
    );
  }
}

function notOnCurve(curve: NistCurve, cause: unknown): CryptoError {
  return new CryptoError(CryptoErrorCode.InvalidPublicKey, `public key is not a point on ${curve}`, {
    cause,
  });
}
