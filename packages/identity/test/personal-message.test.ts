import { bytesToHex, hexToBytes, utf8ToBytes } from '@status-ts/core';
import { getPublicKey } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hashPersonalMessage,
  privateKeyToAddress,
  recoverPersonalMessageAddress,
  recoverPersonalMessagePublicKey,
  signPersonalMessage,
} from '../src/index.js';
import { loadVectors } from './load-vectors.js';

const web3 = loadVectors('eips.json').personalSign;

describe('EIP-191 personal messages (web3.js documentation examples)', () => {
  it.each(web3.hashMessage as { message: string; hash: string }[])(
    'hash of "$message"',
    ({ message, hash }) => {
      expect(`0x${bytesToHex(hashPersonalMessage(message))}`).toBe(hash);
      expect(`0x${bytesToHex(hashPersonalMessage(utf8ToBytes(message)))}`).toBe(hash);
    },
  );

  it('signs "Some data" to the documented signature (RFC 6979, v = 28)', () => {
    const signature = signPersonalMessage(web3.sign.message, hexToBytes(web3.sign.privateKey));
    expect(`0x${bytesToHex(signature)}`).toBe(web3.sign.signature);
  });

  it('recovers the documented address, with v as 27/28 or 0/1', () => {
    const signature = hexToBytes(web3.sign.signature);
    expect(recoverPersonalMessageAddress(web3.sign.message, signature)).toBe(web3.sign.address);
    const zeroBased = signature.slice();
    zeroBased[64] = zeroBased[64]! - 27;
    expect(recoverPersonalMessageAddress(web3.sign.message, zeroBased)).toBe(web3.sign.address);
  });

  it('the prefix counts bytes, not characters', () => {
    const message = 'héllo ✓';
    const bytes = utf8ToBytes(message);
    expect(bytes.length).not.toBe(message.length);
    expect(hashPersonalMessage(message)).toEqual(hashPersonalMessage(bytes));
  });
});

describe('sign/recover round trip (300 runs: each run signs and recovers)', () => {
  it('recovers the signer', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => k.some((b) => b !== 0)),
        fc.oneof(fc.string(), fc.uint8Array({ maxLength: 200 })),
        (privateKey, message) => {
          const signature = signPersonalMessage(message, privateKey);
          expect([27, 28]).toContain(signature[64]);
          expect(recoverPersonalMessagePublicKey(message, signature)).toEqual(getPublicKey(privateKey));
          expect(recoverPersonalMessageAddress(message, signature)).toBe(privateKeyToAddress(privateKey));
        },
      ),
      { numRuns: 300 },
    );
  });
});
