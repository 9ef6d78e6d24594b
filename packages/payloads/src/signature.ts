import {
  KECCAK256_LENGTH,
  keccak256,
  recoverPublicKey,
  SIGNATURE_LENGTH,
  sign,
  UNCOMPRESSED_PUBLIC_KEY_LENGTH,
} from '@status-ts/crypto';
import { PayloadError, PayloadErrorCode } from './errors.js';

/** Length of a recoverable signature `r‖s‖v`. */
export const PAYLOAD_SIGNATURE_LENGTH = SIGNATURE_LENGTH;
/** Length of an author key as Status writes it: uncompressed `04‖X‖Y`. */
export const AUTHOR_KEY_LENGTH = UNCOMPRESSED_PUBLIC_KEY_LENGTH;
/** Length of a message id (Keccak-256). */
export const MESSAGE_ID_LENGTH = KECCAK256_LENGTH;

/**
 * Recoverable ECDSA over Keccak-256(`bytes`), as status-go's `crypto.Sign(crypto.Keccak256(payload), key)`:
 * 65 bytes `r‖s‖v`, low S, v in {0, 1}, deterministic (RFC 6979).
 */
export function signKeccak(privateKey: Uint8Array, bytes: Uint8Array): Uint8Array {
  try {
    return sign(keccak256(bytes), privateKey);
  } catch (cause) {
    throw new PayloadError(PayloadErrorCode.InvalidArgument, 'cannot sign: invalid private key', { cause });
  }
}

/**
 * The 65-byte uncompressed key that made `signature` over Keccak-256(`bytes`) (status-go's
 * `crypto.SigToPub`). Throws ERR_PAYLOAD_BAD_SIGNATURE when the signature is not 65 bytes or recovers
 * no key.
 */
export function recoverKeccakSigner(signature: Uint8Array, bytes: Uint8Array): Uint8Array {
  if (signature.length !== PAYLOAD_SIGNATURE_LENGTH) {
    throw new PayloadError(
      PayloadErrorCode.BadSignature,
      `signature must be ${PAYLOAD_SIGNATURE_LENGTH} bytes, got ${signature.length}`,
      { details: { length: signature.length } },
    );
  }
  // go-ethereum refuses v >= 4 and recovers only with v in {0, 1}; 27/28 are not Status forms.
  const v = signature[64]!;
  if (v !== 0 && v !== 1) {
    throw new PayloadError(PayloadErrorCode.BadSignature, `invalid recovery id ${v}`, { details: { v } });
  }
  try {
    return recoverPublicKey(keccak256(bytes), signature, 'uncompressed');
  } catch (cause) {
    throw new PayloadError(PayloadErrorCode.BadSignature, 'signature does not recover to a public key', {
      cause,
    });
  }
}
