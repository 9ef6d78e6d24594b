import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HmacSha256Key,
  hkdfSha256,
  hkdfSha256KeyedSalt,
  hmacSha256,
  hmacSha256Into,
  hmacSha256Pair,
  sha256,
} from '../src/index.js';

const hmac = (key: Uint8Array, ...parts: Uint8Array[]) => hmacSha256Into(key, parts);

// The small-input HMAC / HKDF must equal the general ones (node:crypto or noble) on every input.
describe('small-input HMAC-SHA256 / HKDF-SHA256', () => {
  it('HMAC equals hmacSha256 on random keys and split messages (incl. block edges)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        fc.array(fc.uint8Array({ maxLength: 150 }), { maxLength: 4 }),
        (key, parts) => {
          expect(hmac(key, ...parts)).toEqual(hmacSha256(key, ...parts));
        },
      ),
      { numRuns: 1000 },
    );
    for (const length of [55, 56, 63, 64, 65, 119, 120, 128]) {
      const m = new Uint8Array(length).fill(7);
      expect(hmac(m, m)).toEqual(hmacSha256(m, m));
    }
  });

  it('a key object gives the same MAC every time (reused buffers do not leak between calls)', () => {
    const key = new HmacSha256Key(sha256(new Uint8Array(1)));
    const a = key.mac([new Uint8Array(10)]);
    key.mac([new Uint8Array(200).fill(1)]);
    expect(key.mac([new Uint8Array(10)])).toEqual(a);
  });

  it('hmacSha256Pair gives both MACs under one key, and hmacSha256Into writes at an offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.uint8Array(), fc.uint8Array(), (key, a, b) => {
        const pair = hmacSha256Pair(key, a, b);
        expect(pair.subarray(0, 32)).toEqual(hmacSha256(key, a));
        expect(pair.subarray(32)).toEqual(hmacSha256(key, b));
        const out = new Uint8Array(40);
        hmacSha256Into(key, [a, b], out, 8);
        expect(out.subarray(8)).toEqual(hmacSha256(key, a, b));
        expect(out.subarray(0, 8)).toEqual(new Uint8Array(8));
      }),
      { numRuns: 1000 },
    );
  });

  it('HKDF equals hkdfSha256', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 1, max: 200 }),
        (ikm, salt, info, length) => {
          expect(hkdfSha256KeyedSalt(new HmacSha256Key(salt), ikm, info, length)).toEqual(
            hkdfSha256(ikm, salt, info, length),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
