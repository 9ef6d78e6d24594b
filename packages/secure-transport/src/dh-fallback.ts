import {
  CryptoError,
  decryptSymmetric,
  encryptSymmetric,
  generatePrivateKey,
  getPublicKey,
} from '@status-ts/crypto';
import { SecureTransportError, SecureTransportErrorCode } from './errors.js';
import { sharedX } from './keys.js';

/** A DH-header message: the one-off ephemeral key (`DHHeader.key`) and the AES-GCM payload. */
export interface DhMessage {
  /** 33-byte compressed ephemeral public key. */
  readonly ephemeralPublicKey: Uint8Array;
  readonly payload: Uint8Array;
}

/**
 * status-go `encryptWithDH` (checklist ST-09), used when no bundle of the recipient is known: key = X of
 * ECDH(fresh ephemeral, their identity), payload = EncryptSymmetric (AES-256-GCM). No forward secrecy: the
 * recipient's identity key opens it forever. Sent under the map key `"none"`.
 */
export function encryptWithDh(
  theirIdentityKey: Uint8Array,
  plaintext: Uint8Array,
  ephemeralKey: Uint8Array = generatePrivateKey(),
): DhMessage {
  const key = sharedX(ephemeralKey, theirIdentityKey, 'identity key');
  return {
    ephemeralPublicKey: getPublicKey(ephemeralKey, 'compressed'),
    payload: encryptSymmetric(key, plaintext),
  };
}

/** status-go `DecryptWithDH`: ERR_ST_BAD_KEY on a bad ephemeral key, ERR_ST_DECRYPT_FAILED on a bad payload. */
export function decryptWithDh(myIdentityKey: Uint8Array, message: DhMessage): Uint8Array {
  const key = sharedX(myIdentityKey, message.ephemeralPublicKey, 'ephemeral key');
  try {
    return decryptSymmetric(key, message.payload);
  } catch (cause) {
    if (cause instanceof CryptoError) {
      throw new SecureTransportError(SecureTransportErrorCode.DecryptFailed, 'DH message does not decrypt', {
        cause,
      });
    }
    throw cause;
  }
}
