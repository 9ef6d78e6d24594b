import { recoverPublicKey, sign } from '@status-ts/crypto';
import { publicKeyToAddress } from './address.js';

/**
 * Signs a 32-byte hash the way Ethereum wallets (and status-go's `personal_sign` and typed-data signer)
 * return it: `r || s || v` with v = 27 or 28.
 */
export function signHashWithLegacyV(hash: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const signature = sign(hash, privateKey);
  signature[64] = signature[64]! + 27;
  return signature;
}

/** Signer's 65-byte public key; v may be 0/1 or 27/28. Throws CryptoError on a bad signature. */
export function recoverHashSigner(hash: Uint8Array, signature: Uint8Array): Uint8Array {
  return recoverPublicKey(hash, signature, 'uncompressed');
}

export function recoverHashSignerAddress(hash: Uint8Array, signature: Uint8Array): string {
  return publicKeyToAddress(recoverHashSigner(hash, signature));
}
