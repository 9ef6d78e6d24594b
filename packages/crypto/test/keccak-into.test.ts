import { bytesToHex } from '@status-ts/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CryptoErrorCode,
  createKeccak256,
  createKeccak256SuffixHasher,
  initFastCrypto,
  KECCAK256_LENGTH,
  type Keccak256Hasher,
  keccak256,
  keccak256Backend,
} from '../src/index.js';
import { expectCryptoError, expectFastBackends, onPath, PATHS } from './helpers.js';

const hex = bytesToHex;

beforeAll(async () => {
  await initFastCrypto();
  expectFastBackends();
});

describe.each(PATHS)('Keccak256Hasher cloneInto / digestInto (%s path)', (path) => {
  it('digestInto writes exactly digest() at any offset, leaves the rest of the buffer and the state alone', () =>
    onPath(path, () => {
      fc.assert(
        fc.property(
          fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 4 }),
          fc.nat({ max: 64 }),
          fc.nat({ max: 16 }),
          fc.integer({ min: 0, max: 255 }),
          (parts, offset, slack, fill) => {
            const h = createKeccak256();
            for (const p of parts) h.update(p);
            const out = new Uint8Array(offset + KECCAK256_LENGTH + slack).fill(fill);
            expect(h.digestInto(out, offset)).toBe(out);
            const expected = keccak256(...parts);
            expect(hex(out.subarray(offset, offset + KECCAK256_LENGTH))).toBe(hex(expected));
            expect(out.subarray(0, offset).every((b) => b === fill)).toBe(true);
            expect(out.subarray(offset + KECCAK256_LENGTH).every((b) => b === fill)).toBe(true);
            // The state is untouched: the allocating digest and a second digestInto agree.
            expect(hex(h.digest())).toBe(hex(expected));
            expect(hex(h.digestInto(new Uint8Array(KECCAK256_LENGTH)))).toBe(hex(expected));
          },
        ),
        { numRuns: 1000 },
      );
    }));

  it('cloneInto gives the target the same state as clone(), and the two stay independent afterwards', () =>
    onPath(path, () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 400 }),
          fc.uint8Array({ maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }),
          (prefix, targetJunk, more, other) => {
            const base = createKeccak256().update(prefix);
            // A used target with an unrelated state (and a different pending-byte count).
            const target = createKeccak256().update(targetJunk);
            expect(base.cloneInto(target)).toBe(target);
            expect(hex(target.digest())).toBe(hex(base.clone().digest()));
            target.update(more);
            base.update(other);
            expect(hex(target.digest())).toBe(hex(keccak256(prefix, more)));
            expect(hex(base.digest())).toBe(hex(keccak256(prefix, other)));
          },
        ),
        { numRuns: 1000 },
      );
    }));

  it('the PoW pattern: one scratch hasher and one output buffer reused per attempt equal the allocating path', () =>
    onPath(path, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), (fixed, firstNonce) => {
          const base = createKeccak256().update(fixed);
          const scratch = createKeccak256();
          const out = new Uint8Array(KECCAK256_LENGTH);
          const nonce = new Uint8Array(8);
          for (let n = firstNonce; n < firstNonce + 20; n++) {
            new DataView(nonce.buffer).setUint32(4, n >>> 0);
            base.cloneInto(scratch).update(nonce).digestInto(out);
            expect(hex(out)).toBe(hex(base.clone().update(nonce).digest()));
            expect(hex(out)).toBe(hex(keccak256(fixed, nonce)));
          }
        }),
        { numRuns: 300 },
      );
    }));

  it('cloneInto onto itself is a no-op', () =>
    onPath(path, () => {
      const h = createKeccak256().update(new Uint8Array(150).fill(3));
      expect(h.cloneInto(h)).toBe(h);
      expect(hex(h.digest())).toBe(hex(keccak256(new Uint8Array(150).fill(3))));
    }));

  it('digestInto rejects a buffer or offset the digest does not fit with ERR_CRYPTO_INVALID_LENGTH', () =>
    onPath(path, () => {
      const h = createKeccak256();
      for (const [size, offset] of [
        [31, 0],
        [32, 1],
        [40, 9],
        [64, -1],
        [64, 0.5],
        [64, Number.NaN],
      ] as const) {
        expectCryptoError(() => h.digestInto(new Uint8Array(size), offset), CryptoErrorCode.InvalidLength);
      }
      expectCryptoError(() => h.digestInto([] as unknown as Uint8Array), CryptoErrorCode.InvalidLength);
    }));
});

describe.each(PATHS)('createKeccak256SuffixHasher (%s path)', (path) => {
  it('digestInto(suffix) equals keccak256(prefix || suffix) for any prefix, suffix length and offset', () =>
    onPath(path, () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 600 }),
          fc.nat({ max: 150 }),
          fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 4 }),
          fc.nat({ max: 8 }),
          (prefix, length, seeds, offset) => {
            const hasher = createKeccak256SuffixHasher(createKeccak256().update(prefix), length);
            expect(hasher.suffixLength).toBe(length);
            const out = new Uint8Array(offset + KECCAK256_LENGTH);
            for (const seed of seeds) {
              const suffix = new Uint8Array(length).map((_, i) => (seed * 31 + i * 7) & 0xff);
              expect(hasher.digestInto(suffix, out, offset)).toBe(out);
              expect(hex(out.subarray(offset))).toBe(hex(keccak256(prefix, suffix)));
            }
          },
        ),
        { numRuns: 1000 },
      );
    }));

  it('handles the padding edges: suffix ending at byte 134, 135 (0x01 and 0x80 share a byte) and 136 of the block', () =>
    onPath(path, () => {
      for (const prefixLength of [0, 1, 127, 128, 135, 136, 271]) {
        for (const length of [0, 1, 7, 8, 9, 134, 135, 136, 137]) {
          const prefix = new Uint8Array(prefixLength).fill(0xa5);
          const suffix = new Uint8Array(length).fill(0x5a);
          const hasher = createKeccak256SuffixHasher(createKeccak256().update(prefix), length);
          const out = hasher.digestInto(suffix, new Uint8Array(KECCAK256_LENGTH));
          expect(hex(out)).toBe(hex(keccak256(prefix, suffix)));
        }
      }
    }));

  it('setPrefix re-snapshots in place across prefixes of any length (padded and cloned modes alternate)', () =>
    onPath(path, () => {
      fc.assert(
        fc.property(
          fc.nat({ max: 40 }),
          fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 6 }),
          (length, prefixes) => {
            const hasher = createKeccak256SuffixHasher(createKeccak256(), length);
            const suffix = new Uint8Array(length).fill(9);
            const out = new Uint8Array(KECCAK256_LENGTH);
            for (const prefix of prefixes) {
              expect(hasher.setPrefix(createKeccak256().update(prefix))).toBe(hasher);
              expect(hex(hasher.digestInto(suffix, out))).toBe(hex(keccak256(prefix, suffix)));
            }
          },
        ),
        { numRuns: 500 },
      );
    }));

  it('snapshots the prefix: updating the prefix hasher afterwards changes nothing', () =>
    onPath(path, () => {
      const prefixHasher = createKeccak256().update(new Uint8Array(50).fill(1));
      const hasher = createKeccak256SuffixHasher(prefixHasher, 8);
      prefixHasher.update(new Uint8Array(300).fill(2));
      const suffix = new Uint8Array(8).fill(3);
      expect(hex(hasher.digestInto(suffix, new Uint8Array(KECCAK256_LENGTH)))).toBe(
        hex(keccak256(new Uint8Array(50).fill(1), suffix)),
      );
    }));

  it('rejects a suffix of the wrong length, a bad length and an output that is too small', () =>
    onPath(path, () => {
      const hasher = createKeccak256SuffixHasher(createKeccak256(), 8);
      const out = new Uint8Array(KECCAK256_LENGTH);
      for (const bad of [7, 9, 0]) {
        expectCryptoError(() => hasher.digestInto(new Uint8Array(bad), out), CryptoErrorCode.InvalidLength);
      }
      expectCryptoError(
        () => hasher.digestInto(new Uint8Array(8), new Uint8Array(31)),
        CryptoErrorCode.InvalidLength,
      );
      expectCryptoError(() => hasher.digestInto(new Uint8Array(8), out, 1), CryptoErrorCode.InvalidLength);
      for (const length of [-1, 1.5, Number.NaN]) {
        expectCryptoError(
          () => createKeccak256SuffixHasher(createKeccak256(), length),
          CryptoErrorCode.InvalidArgument,
        );
      }
    }));
});

describe('keccak256Backend', () => {
  it('names the backend createKeccak256 uses right now', () => {
    expect(keccak256Backend()).toBe('wasm');
    expect(onPath('noble', () => keccak256Backend())).toBe('noble');
  });
});

describe('suffix hasher across backends', () => {
  it('setPrefix accepts a prefix of the other backend and still hashes correctly', () => {
    const prefix = new Uint8Array(100).fill(4);
    const suffix = new Uint8Array(8).fill(5);
    const hasher = createKeccak256SuffixHasher(createKeccak256().update(prefix), 8);
    const expected = hex(keccak256(prefix, suffix));
    const out = new Uint8Array(KECCAK256_LENGTH);
    hasher.setPrefix(onPath('noble', () => createKeccak256().update(prefix)));
    expect(hex(hasher.digestInto(suffix, out))).toBe(expected);
    hasher.setPrefix(createKeccak256().update(prefix));
    expect(hex(hasher.digestInto(suffix, out))).toBe(expected);
    hasher.setPrefix(onPath('noble', () => createKeccak256().update(new Uint8Array(300))));
    expect(hex(hasher.digestInto(suffix, out))).toBe(hex(keccak256(new Uint8Array(300), suffix)));
  });
});

describe('cloneInto across backends', () => {
  it('rejects a target made by the other backend with ERR_CRYPTO_INVALID_ARGUMENT', () => {
    const wasm = createKeccak256();
    const noble: Keccak256Hasher = onPath('noble', () => createKeccak256());
    expectCryptoError(() => wasm.cloneInto(noble), CryptoErrorCode.InvalidArgument);
    expectCryptoError(() => noble.cloneInto(wasm), CryptoErrorCode.InvalidArgument);
  });
});
