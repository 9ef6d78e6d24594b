import { bytesToHex, hexToBytes } from '@status-ts/core';
import { convertPublicKey, getPublicKey } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADJECTIVES } from '../src/alias/adjectives.js';
import { ANIMALS } from '../src/alias/animals.js';
import { Lfsr } from '../src/alias/lfsr.js';
import {
  IdentityErrorCode,
  isThreeWordName,
  publicKeyToMultibase,
  threeWordName,
  threeWordNameFromSeed,
} from '../src/index.js';
import { loadVectors, thrown } from './load-vectors.js';

const alias = loadVectors('status-go.json').alias;

describe('status-go protocol/identity/alias', () => {
  it('TestGenerate: seed 42 -> "Hard Tame Brownbutterfly"', () => {
    expect(threeWordNameFromSeed(BigInt(alias.fromSeed.seed))).toBe(alias.fromSeed.name);
  });

  it.each(alias.fromPublicKey as { publicKey: string; name: string; source: string }[])(
    '$name',
    ({ publicKey, name }) => {
      expect(threeWordName(publicKey)).toBe(name);
      const bytes = hexToBytes(publicKey);
      expect(threeWordName(bytes)).toBe(name);
      expect(threeWordName(convertPublicKey(bytes, 'compressed'))).toBe(name);
      expect(threeWordName(convertPublicKey(bytes, 'raw'))).toBe(name);
      expect(threeWordName(publicKeyToMultibase(bytes))).toBe(name);
      expect(isThreeWordName(name)).toBe(true);
    },
  );

  // Names pick words by index modulo the list length, so an edited list silently changes every name.
  it('word lists keep the size and ends of status-go data.go (duplicates included)', () => {
    expect(ADJECTIVES).toHaveLength(1389);
    expect(ANIMALS).toHaveLength(1704);
    expect([ADJECTIVES[0], ADJECTIVES.at(-1)]).toEqual(['Able', 'Yellowgreen']);
    expect([ANIMALS[0], ANIMALS.at(-1)]).toEqual(['Aardvark', 'Zorilla']);
  });
});

describe('LFSR', () => {
  it('shifts left and feeds back the XOR of bits 3, 4, 5 and 7 (poly 0xB8)', () => {
    // Seed 1: taps see 0 until the set bit reaches position 3, so the states double for three steps;
    // then bit 3 feeds back a 1.
    const lfsr = new Lfsr(0xb8n, 1n);
    expect([lfsr.next(), lfsr.next(), lfsr.next(), lfsr.next()]).toEqual([2n, 4n, 8n, 17n]);
  });

  it('keeps 64 bits: the top bit falls off', () => {
    const lfsr = new Lfsr(0xb8n, 1n << 63n);
    expect(lfsr.next()).toBe(0n);
  });

  it('the seed is the low 64 bits of X', () => {
    const key = getPublicKey(new Uint8Array(32).fill(3), 'raw');
    const seed = BigInt(`0x${bytesToHex(key.subarray(24, 32))}`);
    expect(threeWordName(key)).toBe(threeWordNameFromSeed(seed));
  });
});

describe('isThreeWordName', () => {
  it.each([
    ['darkorange blue bubblefish', true],
    ['DARKORANGE Blue bubblefish', true],
    ['Darkorange  Blue\tBubblefish', true],
    ['Bubblefish Blue Darkorange', false],
    ['Darkorange Blue', false],
    ['Darkorange Blue Bubblefish Bubblefish', false],
    ['', false],
  ])('%j -> %s', (name, expected) => {
    expect(isThreeWordName(name)).toBe(expected);
  });
});

describe('properties (1,000 runs each)', () => {
  it('deterministic, and always adjective adjective animal from the lists', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (seed) => {
        const name = threeWordNameFromSeed(seed);
        expect(threeWordNameFromSeed(seed)).toBe(name);
        const [a, b, c] = name.split(' ');
        expect(ADJECTIVES).toContain(a);
        expect(ADJECTIVES).toContain(b);
        expect(ANIMALS).toContain(c);
        expect(isThreeWordName(name)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('bad key text throws a typed error', () => {
    expect(thrown(() => threeWordName('0x04abc')).code).toBe(IdentityErrorCode.InvalidKeyText);
  });
});
