import { CryptoError, CryptoErrorCode, nistEcdhKeyPair } from '@status-ts/crypto';
import type { ExchangeName } from './constants.js';
import { SecioError, SecioErrorCode } from './errors.js';

/** An ephemeral ECDH key for one handshake. */
export interface EphemeralKey {
  /** Uncompressed SEC1 point, as go's `elliptic.Marshal` writes it. */
  readonly publicKey: Uint8Array;
  /** The shared X coordinate, fixed length (left-padded with zeros to the coordinate size). */
  deriveSecret(remotePublicKey: Uint8Array): Uint8Array;
}

/** Makes the ephemeral key; `privateKey` is only for tests that need a chosen secret. */
export function createEphemeralKey(curve: ExchangeName, privateKey?: Uint8Array): EphemeralKey {
  const key = nistEcdhKeyPair(curve, privateKey);
  return {
    publicKey: key.publicKey,
    deriveSecret(remote) {
      try {
        // Like go's elliptic.Unmarshal: only an uncompressed point on the curve is accepted.
        return key.computeSecret(remote);
      } catch (cause) {
        if (!(cause instanceof CryptoError) || cause.code !== CryptoErrorCode.InvalidPublicKey) throw cause;
        throw new SecioError(
          SecioErrorCode.BadEphemeralKey,
          `ephemeral key is not an uncompressed point on ${curve}`,
          { cause, details: { length: remote.length } },
        );
      }
    },
  };
}
