import { isStatusTsError } from '@status-ts/core';
import { expect } from 'vitest';
import { CryptoError, cryptoBackends, forceNobleCrypto } from '../src/index.js';

export { readVectors } from '../../../tools/vectors.js';

export const PATHS = ['noble', 'fast'] as const;
export type PathName = (typeof PATHS)[number];

/** Runs `fn` with the noble path forced (or released); always restores the fast path afterwards. */
export function onPath<T>(path: PathName, fn: () => T): T {
  forceNobleCrypto(path === 'noble');
  try {
    return fn();
  } finally {
    forceNobleCrypto(false);
  }
}

/** The fast path must really be active in this (Node) test environment, or dual-path tests prove nothing. */
export function expectFastBackends(): void {
  const report = cryptoBackends();
  expect(report.nobleForced).toBe(false);
  expect(report.aesCtr).toBe('node');
  expect(report.keccak256).toBe('wasm');
  expect(report.secp256k1).toBe('native');
}

/** Asserts that `fn` throws a CryptoError, optionally with one of the given codes. */
export function expectCryptoError(fn: () => unknown, ...codes: string[]): CryptoError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CryptoError);
    if (codes.length > 0) expect(codes).toContain((err as CryptoError).code);
    return err as CryptoError;
  }
  throw new Error('expected a CryptoError, nothing was thrown');
}

/** True when `fn` returns normally or throws a CryptoError; false on anything else. */
export function onlyCryptoErrors(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    return err instanceof CryptoError && isStatusTsError(err);
  }
}

export const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
export const spacedHex = (text: string): string => text.replace(/\s+/g, '');
