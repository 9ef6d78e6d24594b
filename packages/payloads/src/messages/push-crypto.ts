import { concatBytes } from '@status-ts/core';
import {
  aesGcmOpen,
  aesGcmSeal,
  convertPublicKey,
  ecdhX,
  GCM_NONCE_LENGTH,
  GCM_TAG_LENGTH,
  randomBytes,
  shake256,
} from '@status-ts/crypto';
import { PayloadError, PayloadErrorCode } from '../errors.js';

/**
 * The encryption status-go's push notifications use between two keys (the client and its server for a
 * registration, the client and each allowed contact for an access token): AES-256-GCM under the 32-byte
 * ECDH x coordinate of the two keys (go-ethereum `GenerateShared(pub, 16, 16)`), written as
 * `nonce(12) ‖ ciphertext ‖ tag(16)` (protocol/common Encrypt: the nonce FIRST, unlike Waku payloads).
 */
export function sealForPeer(
  plaintext: Uint8Array,
  privateKey: Uint8Array,
  peerPublicKey: Uint8Array,
  nonce: Uint8Array = randomBytes(GCM_NONCE_LENGTH),
): Uint8Array {
  const key = sharedKey(privateKey, peerPublicKey);
  return concatBytes(nonce, aesGcmSeal(key, nonce, plaintext));
}

/** Opens what `sealForPeer` sealed; ERR_PAYLOAD_DECRYPTION_FAILED for a wrong key or changed bytes. */
export function openFromPeer(
  sealed: Uint8Array,
  privateKey: Uint8Array,
  peerPublicKey: Uint8Array,
): Uint8Array {
  if (sealed.length < GCM_NONCE_LENGTH + GCM_TAG_LENGTH) {
    throw new PayloadError(PayloadErrorCode.DecryptionFailed, 'sealed payload shorter than nonce and tag', {
      details: { length: sealed.length },
    });
  }
  const key = sharedKey(privateKey, peerPublicKey);
  try {
    return aesGcmOpen(key, sealed.subarray(0, GCM_NONCE_LENGTH), sealed.subarray(GCM_NONCE_LENGTH));
  } catch (cause) {
    throw new PayloadError(PayloadErrorCode.DecryptionFailed, 'payload does not open with this key pair', {
      cause,
    });
  }
}

function sharedKey(privateKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  try {
    return ecdhX(privateKey, peerPublicKey);
  } catch (cause) {
    throw new PayloadError(PayloadErrorCode.InvalidArgument, 'invalid key for push notification encryption', {
      cause,
    });
  }
}

/** status-go's HashPublicKey: SHAKE-256 (64 bytes) of the 33-byte compressed key (query keys, allowed lists). */
export function hashPublicKey(publicKey: Uint8Array): Uint8Array {
  let compressed: Uint8Array;
  try {
    compressed = convertPublicKey(publicKey, 'compressed');
  } catch (cause) {
    throw new PayloadError(PayloadErrorCode.InvalidArgument, 'not a valid secp256k1 public key', { cause });
  }
  return shake256(compressed);
}

/**
 * The request id a push notification server answers a registration with (PushNotificationRegistration-
 * Response.request_id): SHAKE-256 (64 bytes) of the encrypted registration as sent.
 */
export function registrationRequestId(encryptedRegistration: Uint8Array): Uint8Array {
  return shake256(encryptedRegistration);
}
