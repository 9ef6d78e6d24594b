import { CryptoError, ecdhX } from '@status-ts/crypto';
import { SecureTransportError, SecureTransportErrorCode } from './errors.js';

/**
 * status-go's DH everywhere in this package (go-ethereum ecies `GenerateShared(16, 16)`): the 32-byte X
 * coordinate of `privateKey * publicKey`. Crypto errors on a bad point or scalar become ERR_ST_BAD_KEY, whose
 * `details.what` names the key (`what`).
 */
export function sharedX(privateKey: Uint8Array, publicKey: Uint8Array, what = 'public key'): Uint8Array {
  try {
    return ecdhX(privateKey, publicKey);
  } catch (cause) {
    if (cause instanceof CryptoError) {
      throw new SecureTransportError(SecureTransportErrorCode.BadKey, `invalid ${what}`, {
        cause,
        details: { what },
      });
    }
    throw cause;
  }
}
