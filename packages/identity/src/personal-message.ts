import { utf8ToBytes } from '@status-ts/core';
import { keccak256 } from '@status-ts/crypto';
import { recoverHashSigner, recoverHashSignerAddress, signHashWithLegacyV } from './signature.js';

/** EIP-191 version 0x45 ("E") prefix used by `personal_sign` / `eth_sign`. */
export const PERSONAL_MESSAGE_PREFIX = '\x19Ethereum Signed Message:\n';

/** Strings are hashed as their UTF-8 bytes; pass a Uint8Array to sign raw bytes. */
export type PersonalMessage = string | Uint8Array;

function messageBytes(message: PersonalMessage): Uint8Array {
  return typeof message === 'string' ? utf8ToBytes(message) : message;
}

/** keccak256("\x19Ethereum Signed Message:\n" + decimal byte length + message). */
export function hashPersonalMessage(message: PersonalMessage): Uint8Array {
  const bytes = messageBytes(message);
  return keccak256(utf8ToBytes(`${PERSONAL_MESSAGE_PREFIX}${bytes.length}`), bytes);
}

/** 65-byte `r || s || v` signature (v = 27 or 28, as wallets return it) of the EIP-191 hash. */
export function signPersonalMessage(message: PersonalMessage, privateKey: Uint8Array): Uint8Array {
  return signHashWithLegacyV(hashPersonalMessage(message), privateKey);
}

/** The 65-byte public key that signed `message`. */
export function recoverPersonalMessagePublicKey(message: PersonalMessage, signature: Uint8Array): Uint8Array {
  return recoverHashSigner(hashPersonalMessage(message), signature);
}

/** EIP-55 address of the key that signed `message`. */
export function recoverPersonalMessageAddress(message: PersonalMessage, signature: Uint8Array): string {
  return recoverHashSignerAddress(hashPersonalMessage(message), signature);
}
