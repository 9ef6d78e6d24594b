import { hexToBytes, utf8ToBytes } from '@status-ts/core';
import { readVectors } from '../../../../tools/vectors.js';

// vectors/secure-transport.json: "official" values are asserted by status-go tests; "computed" ones
// are derived from the status-go / status-im/doubleratchet definitions by the vectors' author, not by us.
export const vectors = readVectors('secure-transport.json');

/** The X3DH test keys: each private key is the 32 ASCII bytes of the string shown (status-go tests). */
export function asciiKey(name: string): Uint8Array {
  return utf8ToBytes(vectors.x3dh.private_keys_ascii[name] as string);
}

export const hex = hexToBytes;
