import { concatBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey, keccak256 } from '@status-ts/crypto';
import { sharedX } from './keys.js';

/** The initiator's result: the shared key and the ephemeral public key it must send in the X3DH header. */
export interface ActiveX3dhResult {
  readonly sharedKey: Uint8Array;
  /** 33-byte compressed EK_A, sent as `X3DHHeader.key`. */
  readonly ephemeralPublicKey: Uint8Array;
}

/**
 * Initiator side of status-go's X3DH (no one-time prekeys, checklist ST-04):
 * SK = Keccak-256(DH(IK_A, SPK_B) || DH(EK_A, IK_B) || DH(EK_A, SPK_B)), each DH the 32-byte X.
 */
export function x3dhActive(
  myIdentityKey: Uint8Array,
  theirSignedPreKey: Uint8Array,
  myEphemeralKey: Uint8Array,
  theirIdentityKey: Uint8Array,
): Uint8Array {
  // Stryker disable StringLiteral: the labels only word the BadKey error message
  const dh1 = sharedX(myIdentityKey, theirSignedPreKey, 'signed prekey');
  const dh2 = sharedX(myEphemeralKey, theirIdentityKey, 'identity key');
  const dh3 = sharedX(myEphemeralKey, theirSignedPreKey, 'signed prekey');
  // Stryker restore StringLiteral
  return keccak256(concatBytes(dh1, dh2, dh3));
}

/** Responder side: the same three DHs from the other end, same order, same hash. */
export function x3dhPassive(
  theirIdentityKey: Uint8Array,
  mySignedPreKey: Uint8Array,
  theirEphemeralKey: Uint8Array,
  myIdentityKey: Uint8Array,
): Uint8Array {
  // Stryker disable StringLiteral: the labels only word the BadKey error message
  const dh1 = sharedX(mySignedPreKey, theirIdentityKey, 'identity key');
  const dh2 = sharedX(myIdentityKey, theirEphemeralKey, 'ephemeral key');
  const dh3 = sharedX(mySignedPreKey, theirEphemeralKey, 'ephemeral key');
  // Stryker restore StringLiteral
  return keccak256(concatBytes(dh1, dh2, dh3));
}

/** status-go `PerformActiveX3DH`: a fresh ephemeral key against their identity and signed prekey. */
export function performActiveX3dh(
  theirIdentityKey: Uint8Array,
  theirSignedPreKey: Uint8Array,
  myIdentityKey: Uint8Array,
  ephemeralKey: Uint8Array = generatePrivateKey(),
): ActiveX3dhResult {
  const sharedKey = x3dhActive(myIdentityKey, theirSignedPreKey, ephemeralKey, theirIdentityKey);
  return { sharedKey, ephemeralPublicKey: getPublicKey(ephemeralKey, 'compressed') };
}
