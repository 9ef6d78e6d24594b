import { equalBytes } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import { snappyCompress } from '../src/index.js';
import { snappyCompressTransient } from '../src/p2p/snappy.js';
import { snappyMaxEncodedLength } from '../src/p2p/snappy-encode.js';

// The send path's compression writes into one retained buffer of at most 256 KiB (MAX_RETAINED_SCRATCH);
// inputs whose worst-case output is larger get a buffer of their own. This file owns the module's buffer
// (vitest isolates files), so the order of the calls below is the buffer's whole history.

const transient = (input: Uint8Array) => {
  const out = snappyCompressTransient(input);
  expect(equalBytes(out, snappyCompress(input))).toBe(true);
  return out;
};

describe('snappyCompressTransient', () => {
  it('reuses its buffer up to a worst case of 256 KiB and allocates for larger inputs', () => {
    const a = transient(randomBytes(100));
    const b = transient(randomBytes(100));
    expect(b.buffer).toBe(a.buffer);

    // 224668 bytes: worst case exactly 256 KiB, still in the retained buffer (grown to that size).
    expect(snappyMaxEncodedLength(224_668)).toBe(256 * 1024);
    const c = transient(randomBytes(224_668));
    expect(c.buffer.byteLength).toBe(256 * 1024);
    expect(transient(randomBytes(100)).buffer).toBe(c.buffer);
    // The same size again fits the buffer as it is.
    expect(transient(randomBytes(224_668)).buffer).toBe(c.buffer);

    // One byte more: a buffer of its own; the retained one stays.
    const d = transient(randomBytes(224_669));
    expect(d.buffer).not.toBe(c.buffer);
    expect(transient(randomBytes(100)).buffer).toBe(c.buffer);
  });

  it('compresses inputs whose output exceeds 256 KiB correctly', () => {
    const big = transient(randomBytes(300_000));
    expect(big.length).toBeGreaterThan(256 * 1024);
  });
});
