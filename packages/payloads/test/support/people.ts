import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { toMemberId } from '../../src/group/index.js';

/** A group participant: a private key and its `0x04…` member id. */
export interface Person {
  readonly key: Uint8Array;
  readonly id: string;
}

export function person(): Person {
  const key = generatePrivateKey();
  return { key, id: toMemberId(getPublicKey(key)) };
}
