import { createECDH, type ECDH } from 'node:crypto';
import type { ExchangeName } from './constants.js';
import { SecioError, SecioErrorCode } from './errors.js';

const CURVE: Readonly<Record<ExchangeName, { openssl: string; coordinateLength: number }>> = {
  'P-256': { openssl: 'prime256v1', coordinateLength: 32 },
  'P-384': { openssl: 'secp384r1', coordinateLength: 48 },
  'P-521': { openssl: 'secp521r1', coordinateLength: 66 },
};

/** An ephemeral ECDH key for one handshake. */
export interface EphemeralKey {
  /** Uncompressed SEC1 point, as go's `elliptic.Marshal` writes it. */
  readonly publicKey: Uint8Array;
  /** The shared X coordinate, fixed length (left-padded with zeros to the coordinate size). */
  deriveSecret(remotePublicKey: Uint8Array): Uint8Array;
}

/** Makes the ephemeral key; `privateKey` is only for tests that need a chosen secret. */
export function createEphemeralKey(curve: ExchangeName, privateKey?: Uint8Array): EphemeralKey {
  const { openssl, coordinateLength } = CURVE[curve];
  const ecdh: ECDH = createECDH(openssl);
  if (privateKey) ecdh.setPrivateKey(privateKey);
  else ecdh.generateKeys();
  return {
    publicKey: new Uint8Array(ecdh.getPublicKey()),
    deriveSecret(remote) {
      // go only accepts the uncompressed form (elliptic.Unmarshal); so do we.
      if (remote.length !== 1 + 2 * coordinateLength || remote[0] !== 0x04) {
        throw new SecioError(
          SecioErrorCode.BadEphemeralKey,
          `ephemeral key is not an uncompressed ${curve} point`,
          {
            details: { length: remote.length },
          },
        );
      }
      try {
        return new Uint8Array(ecdh.computeSecret(remote));
      } catch (cause) {
        throw new SecioError(SecioErrorCode.BadEphemeralKey, `ephemeral key is not on ${curve}`, { cause });
      }
    },
  };
}
