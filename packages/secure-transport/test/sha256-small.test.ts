import { hkdfSha256, hmacSha256, sha256 } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacKey, hkdfWithSalt, hmac } from '../src/sha256-small.js';

// The ratchet's own HMAC / HKDF must equal the crypto package's (node:crypto or noble) on every input.
describe('small-input HMAC-SHA256 / HKDF-SHA256', () => {
  it('HMAC equals @status-ts/crypto hmacSha256 on random keys and split messages (incl. block edges)', () => {
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
    const key = new HmacKey(sha256(new Uint8Array(1)));
    const a = key.mac([new Uint8Array(10)]);
    key.mac([new Uint8Array(200).fill(1)]);
    expect(key.mac([new Uint8Array(10)])).toEqual(a);
  });

  it('HKDF equals @status-ts/crypto hkdfSha256', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 1, max: 200 }),
        (ikm, salt, info, length) => {
          expect(hkdfWithSalt(new HmacKey(salt), ikm, info, length)).toEqual(
            hkdfSha256(ikm, salt, info, length),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
