import { takeRandom as randomBytes } from '../random-pool.js';

/**
 * A random 8-byte request id whose first byte is not zero. @chainsafe/discv5 reads request ids as numbers and
 * echoes them minimally encoded, so an id starting with 0x00 (one in 256) came back one byte shorter and its
 * response was dropped as unsolicited; go-ethereum echoes the bytes, which this id also satisfies.
 */
export function newRequestId(): Uint8Array {
  const id = randomBytes(8);
  if (id[0] === 0) id[0] = 1 + (id[1]! % 255);
  return id;
}
