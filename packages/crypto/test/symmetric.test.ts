import { bytesToHex, hexToBytes, utf8ToBytes } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aesGcmSeal,
  CryptoErrorCode,
  decryptSymmetric,
  encryptSymmetric,
  SYMMETRIC_KEY_PBKDF2_ITERATIONS,
  SYMMETRIC_OVERHEAD,
  symmetricKeyFromPassword,
} from '../src/index.js';
import { expectCryptoError, onlyCryptoErrors, onPath, PATHS, readVectors } from './helpers.js';

const hex = bytesToHex;
const bytes = hexToBytes;
const waku = readVectors('waku-v1.json');
const captured = readVectors('captured-status-go.json');
// biome-ignore lint/suspicious/noExplicitAny: untyped vector JSON
const findDeep = (node: any, key: string): any =>
  node && typeof node === 'object'
    ? (node[key] ?? Object.values(node).reduce((hit, v) => hit ?? findDeep(v, key), undefined))
    : undefined;
const publicChats = findDeep(waku, 'public_chats_computed') as { chat_id: string; sym_key: string }[];
const example = findDeep(waku, 'deterministic_example_computed');

describe.each(PATHS)('symmetricKeyFromPassword (%s path)', (path) => {
  it('matches the keys a live status-go derived (captured-status-go.json keys)', () =>
    onPath(path, () => {
      expect(SYMMETRIC_KEY_PBKDF2_ITERATIONS).toBe(65356);
      for (const entry of [captured.keys.symmetric, captured.keys.mailserver_symkey]) {
        expect(hex(symmetricKeyFromPassword(entry.password))).toBe(entry.key.slice(2));
      }
    }));

  it('matches the public-chat keys in waku-v1.json', () =>
    onPath(path, () => {
      expect(publicChats.length).toBeGreaterThan(0);
      for (const chat of publicChats) expect(hex(symmetricKeyFromPassword(chat.chat_id))).toBe(chat.sym_key);
    }));
});

describe.each(PATHS)('encryptSymmetric / decryptSymmetric (%s path)', (path) => {
  it('opens the waku-v1.json example (ciphertext || tag || nonce) and re-seals it with the recorded nonce', () =>
    onPath(path, () => {
      const key = bytes(example.sym_key);
      for (const variant of [example.unsigned, example.signed]) {
        const data = bytes(variant.data);
        expect(hex(decryptSymmetric(key, data))).toBe(variant.raw);
        expect(hex(data.subarray(data.length - 12))).toBe(example.gcm_nonce);
        const resealed = aesGcmSeal(key, bytes(example.gcm_nonce), bytes(variant.raw));
        expect(`${hex(resealed)}${example.gcm_nonce}`).toBe(variant.data);
        expect(hex(encryptSymmetric(key, bytes(variant.raw), bytes(example.gcm_nonce)))).toBe(variant.data);
      }
      expectCryptoError(
        () => encryptSymmetric(key, new Uint8Array(1), new Uint8Array(11)),
        CryptoErrorCode.InvalidLength,
      );
    }));

  it('round-trips with a fresh random nonce appended', () =>
    onPath(path, () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 32, maxLength: 32 }),
          fc.uint8Array({ maxLength: 300 }),
          (key, m) => {
            const data = encryptSymmetric(key, m);
            expect(data.length).toBe(m.length + SYMMETRIC_OVERHEAD);
            expect(hex(decryptSymmetric(key, data))).toBe(hex(m));
          },
        ),
        { numRuns: 1000 },
      );
      const key = new Uint8Array(32).fill(1);
      const m = utf8ToBytes('same message');
      expect(hex(encryptSymmetric(key, m))).not.toBe(hex(encryptSymmetric(key, m)));
    }));

  it('wrong key, tampering and short input -> DECRYPT_FAILED; bad key size -> INVALID_LENGTH', () =>
    onPath(path, () => {
      const key = new Uint8Array(32).fill(2);
      const data = encryptSymmetric(key, utf8ToBytes('hello'));
      expectCryptoError(
        () => decryptSymmetric(new Uint8Array(32).fill(3), data),
        CryptoErrorCode.DecryptFailed,
      );
      for (let i = 0; i < data.length; i++) {
        const bad = new Uint8Array(data);
        bad[i]! ^= 0x80;
        expectCryptoError(() => decryptSymmetric(key, bad), CryptoErrorCode.DecryptFailed);
      }
      expectCryptoError(
        () => decryptSymmetric(key, data.subarray(0, SYMMETRIC_OVERHEAD - 1)),
        CryptoErrorCode.DecryptFailed,
      );
      expect(decryptSymmetric(key, encryptSymmetric(key, new Uint8Array(0))).length).toBe(0);
      expectCryptoError(() => encryptSymmetric(new Uint8Array(16), data), CryptoErrorCode.InvalidLength);
      expectCryptoError(() => decryptSymmetric(new Uint8Array(16), data), CryptoErrorCode.InvalidLength);
    }));

  it('decoder robustness: random input never throws anything but CryptoError', () =>
    onPath(path, () => {
      const key = new Uint8Array(32).fill(4);
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 120 }), (data) => {
          expect(onlyCryptoErrors(() => decryptSymmetric(key, data))).toBe(true);
        }),
        { numRuns: 1000 },
      );
    }));
});
