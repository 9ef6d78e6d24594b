import { bytesToHex, hexToBytes, isStatusTsError } from '@status-ts/core';
import { convertPublicKey, getPublicKey, keccak256 } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IdentityErrorCode,
  isAddress,
  isValidChecksumAddress,
  parseAddress,
  privateKeyToAddress,
  publicKeyToAddress,
  publicKeyToAddressBytes,
  toChecksumAddress,
} from '../src/index.js';
import { loadVectors, thrown } from './load-vectors.js';

const eips = loadVectors('eips.json');
const eip55: string[] = [...eips.eip55.allCaps, ...eips.eip55.allLower, ...eips.eip55.normal];

/** Flips the case of the first hex letter: the checksum of such text is wrong. */
function flipFirstLetter(address: string): string {
  const i = address.slice(2).search(/[a-fA-F]/) + 2;
  const c = address[i]!;
  return (
    address.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + address.slice(i + 1)
  );
}

describe('EIP-55 test cases (all caps, all lower, normal)', () => {
  it.each(eip55)('%s', (address) => {
    expect(toChecksumAddress(address.toLowerCase())).toBe(address);
    expect(toChecksumAddress(`0x${address.slice(2).toUpperCase()}`)).toBe(address);
    expect(toChecksumAddress(hexToBytes(address))).toBe(address);
    expect(isValidChecksumAddress(address)).toBe(true);
    expect(bytesToHex(parseAddress(address))).toBe(address.slice(2).toLowerCase());
  });

  it.each(eips.eip55.normal as string[])('a changed letter case breaks the checksum of %s', (address) => {
    const wrong = flipFirstLetter(address);
    expect(isValidChecksumAddress(wrong)).toBe(false);
    expect(thrown(() => parseAddress(wrong)).code).toBe(IdentityErrorCode.InvalidAddress);
  });
});

describe('addresses of keys', () => {
  it('web3.js docs key 0x4c08… has address 0x2c7536E3…', () => {
    const v = eips.personalSign.sign;
    expect(privateKeyToAddress(hexToBytes(v.privateKey))).toBe(v.address);
  });

  it("EIP-712 example key keccak256('cow') has address 0xCD2a3d9F…", () => {
    const cow = keccak256(new TextEncoder().encode('cow'));
    expect(privateKeyToAddress(cow)).toBe(toChecksumAddress(eips.eip712Mail.signer));
  });

  it('every public key form gives the same address: last 20 bytes of keccak256(X || Y)', () => {
    const pub = getPublicKey(hexToBytes(eips.personalSign.sign.privateKey), 'uncompressed');
    const expected = keccak256(pub.subarray(1)).subarray(12);
    for (const form of ['compressed', 'uncompressed', 'raw'] as const) {
      expect(publicKeyToAddressBytes(convertPublicKey(pub, form))).toEqual(expected);
      expect(publicKeyToAddress(convertPublicKey(pub, form))).toBe(eips.personalSign.sign.address);
    }
  });
});

describe('parseAddress', () => {
  it('accepts unprefixed hex and single-case text', () => {
    expect(isAddress('5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')).toBe(true);
    expect(isAddress('0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED')).toBe(true);
  });

  it.each([
    '',
    '0x',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg',
    '0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    ' 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  ])('refuses %j', (text) => {
    expect(thrown(() => parseAddress(text)).code).toBe(IdentityErrorCode.InvalidAddress);
    expect(isAddress(text)).toBe(false);
  });

  it('refuses byte arrays that are not 20 bytes, and non-strings', () => {
    expect(thrown(() => toChecksumAddress(new Uint8Array(19))).code).toBe(IdentityErrorCode.InvalidAddress);
    expect(thrown(() => parseAddress(7 as unknown as string)).code).toBe(IdentityErrorCode.InvalidAddress);
    expect(isValidChecksumAddress(7 as unknown as string)).toBe(false);
  });
});

describe('properties (1,000 runs each)', () => {
  it('bytes -> checksum text -> bytes round trips, and the text is a valid checksum', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
        const text = toChecksumAddress(bytes);
        expect(isValidChecksumAddress(text)).toBe(true);
        expect(parseAddress(text)).toEqual(bytes);
        expect(parseAddress(text.toLowerCase())).toEqual(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it('random strings throw only IdentityError', () => {
    const hexish = fc
      .array(fc.constantFrom(...'0123456789abcdefABCDEFxg '), { maxLength: 44 })
      .map((chars) => `0x${chars.join('')}`);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), hexish), (text) => {
        try {
          parseAddress(text);
        } catch (err) {
          expect(isStatusTsError(err, IdentityErrorCode.InvalidAddress)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
