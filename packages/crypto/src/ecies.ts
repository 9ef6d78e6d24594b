import { constantTimeEqual } from '@status-ts/core';
import { aesCtr } from './aes-ctr.js';
import { assertByteLength, CryptoError, CryptoErrorCode } from './errors.js';
import { concatKdfSha256, hmacSha256, sha256 } from './hashes.js';
import { randomBytes } from './random.js';
import { ecdhX, ephemeralAgreement, UNCOMPRESSED_PUBLIC_KEY_LENGTH } from './secp256k1.js';

/*
 * ECIES exactly as go-ethereum `crypto/ecies` runs it on secp256k1 (checklist CRY-05), the scheme of the
 * RLPx handshake and of Waku asymmetric payloads:
 *   z   = ecdhX(ephemeral, recipient)                       32 bytes
 *   K   = concatKDF-SHA256(z, s1 = empty, 32)
 *   kE  = K[0:16] (AES-128-CTR key), kM = SHA256(K[16:32]) (HMAC key)
 *   c   = 04 || R.X || R.Y || IV(16) || AES-128-CTR(kE, IV, m) || HMAC-SHA256(kM, IV || ct || s2)
 */

const IV_LENGTH = 16;
const TAG_LENGTH = 32;
const AES_KEY_LENGTH = 16;
const EMPTY = new Uint8Array(0);

/** Bytes ECIES adds to a plaintext: 65 (ephemeral key) + 16 (IV) + 32 (HMAC tag) = 113. */
export const ECIES_OVERHEAD = UNCOMPRESSED_PUBLIC_KEY_LENGTH + IV_LENGTH + TAG_LENGTH;

/** Deterministic inputs, for reproducing vectors in tests only: never reuse an ephemeral key or IV. */
export interface EciesEncryptOptions {
  ephemeralPrivateKey?: Uint8Array;
  iv?: Uint8Array;
}

function deriveKeys(sharedX: Uint8Array): { encryptionKey: Uint8Array; macKey: Uint8Array } {
  const k = concatKdfSha256(sharedX, 2 * AES_KEY_LENGTH);
  return { encryptionKey: k.subarray(0, AES_KEY_LENGTH), macKey: sha256(k.subarray(AES_KEY_LENGTH)) };
}

/**
 * Encrypts `plaintext` to a secp256k1 public key (33, 64 or 65 bytes). `sharedMacData` (go-ethereum's s2)
 * is authenticated but not sent: EIP-8 RLPx packets pass their 2-byte size prefix. The output is
 * `plaintext.length + ECIES_OVERHEAD` bytes.
 */
export function eciesEncrypt(
  publicKey: Uint8Array,
  plaintext: Uint8Array,
  sharedMacData: Uint8Array = EMPTY,
  options: EciesEncryptOptions = {},
): Uint8Array {
  const iv = options.iv ?? randomBytes(IV_LENGTH);
  assertByteLength(iv, [IV_LENGTH], 'ECIES IV');
  const agreement = ephemeralAgreement(publicKey, options.ephemeralPrivateKey);
  const { encryptionKey, macKey } = deriveKeys(agreement.sharedX);

  const out = new Uint8Array(plaintext.length + ECIES_OVERHEAD);
  const ctStart = UNCOMPRESSED_PUBLIC_KEY_LENGTH + IV_LENGTH;
  const ctEnd = ctStart + plaintext.length;
  out.set(agreement.publicKey, 0);
  out.set(iv, UNCOMPRESSED_PUBLIC_KEY_LENGTH);
  out.set(aesCtr(encryptionKey, iv, plaintext), ctStart);
  out.set(hmacSha256(macKey, out.subarray(UNCOMPRESSED_PUBLIC_KEY_LENGTH, ctEnd), sharedMacData), ctEnd);
  return out;
}

/**
 * Decrypts go-ethereum ECIES. Throws CryptoError: ERR_CRYPTO_INVALID_LENGTH (shorter than 113 bytes),
 * ERR_CRYPTO_INVALID_PUBLIC_KEY (bad ephemeral key), ERR_CRYPTO_BAD_MAC (wrong key, wrong s2 or tampering),
 * ERR_CRYPTO_INVALID_PRIVATE_KEY. The MAC is checked in constant time before anything is decrypted.
 */
export function eciesDecrypt(
  privateKey: Uint8Array,
  ciphertext: Uint8Array,
  sharedMacData: Uint8Array = EMPTY,
): Uint8Array {
  if (!(ciphertext instanceof Uint8Array) || ciphertext.length < ECIES_OVERHEAD) {
    throw new CryptoError(
      CryptoErrorCode.InvalidLength,
      `ECIES message must be at least ${ECIES_OVERHEAD} bytes`,
      {
        details: { length: ciphertext?.length, minimum: ECIES_OVERHEAD },
      },
    );
  }
  if (ciphertext[0] !== 4) {
    throw new CryptoError(
      CryptoErrorCode.InvalidPublicKey,
      'ECIES ephemeral key must be uncompressed (0x04)',
      {
        details: { prefix: ciphertext[0] },
      },
    );
  }
  const ephemeral = ciphertext.subarray(0, UNCOMPRESSED_PUBLIC_KEY_LENGTH);
  const sharedX = ecdhX(privateKey, ephemeral);
  const { encryptionKey, macKey } = deriveKeys(sharedX);

  const tagStart = ciphertext.length - TAG_LENGTH;
  const expected = hmacSha256(
    macKey,
    ciphertext.subarray(UNCOMPRESSED_PUBLIC_KEY_LENGTH, tagStart),
    sharedMacData,
  );
  if (!constantTimeEqual(expected, ciphertext.subarray(tagStart))) {
    throw new CryptoError(CryptoErrorCode.BadMac, 'ECIES MAC mismatch');
  }
  const ivEnd = UNCOMPRESSED_PUBLIC_KEY_LENGTH + IV_LENGTH;
  return aesCtr(
    encryptionKey,
    ciphertext.subarray(UNCOMPRESSED_PUBLIC_KEY_LENGTH, ivEnd),
    ciphertext.subarray(ivEnd, tagStart),
  );
}
