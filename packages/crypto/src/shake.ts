import { shake256 as nobleShake256 } from '@noble/hashes/sha3.js';
import { CryptoError, CryptoErrorCode } from './errors.js';

/** Output length status-go uses for SHAKE-256 (`common.Shake256`: public-key hashes, request ids). */
export const SHAKE256_DEFAULT_LENGTH = 64;
/** Largest output `shake256` produces: an explicit bound, far above any protocol use. */
export const SHAKE256_MAX_LENGTH = 1024;

/**
 * SHAKE-256 (FIPS 202 extendable-output function) of `data`, `outputLength` bytes (default 64, as
 * status-go's push notifications hash keys and registrations with golang.org/x/crypto/sha3.ShakeSum256).
 */
export function shake256(data: Uint8Array, outputLength: number = SHAKE256_DEFAULT_LENGTH): Uint8Array {
  if (!Number.isInteger(outputLength) || outputLength < 1 || outputLength > SHAKE256_MAX_LENGTH) {
    throw new CryptoError(
      CryptoErrorCode.InvalidLength,
      `SHAKE-256 output length must be 1..${SHAKE256_MAX_LENGTH}, got ${outputLength}`,
      { details: { outputLength } },
    );
  }
  return nobleShake256(data, { dkLen: outputLength });
}
