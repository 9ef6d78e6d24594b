import { beforeEach, describe, expect, it, vi } from 'vitest';

// Makes the crypto primitives fail with an error that is not a CryptoError (a bug, not bad input).
const failure = { error: undefined as Error | undefined };
vi.mock('@status-ts/crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('@status-ts/crypto')>();
  const failing =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      if (failure.error) throw failure.error;
      return fn(...args);
    };
  return {
    ...original,
    ecdhCompressed: failing(original.ecdhCompressed),
    aesGcmOpen: failing(original.aesGcmOpen),
  };
});

const { decryptMessage, sharedSecret } = await import('../src/session/crypto.js');

describe('session crypto', () => {
  beforeEach(() => {
    failure.error = new TypeError('internal failure');
  });

  it('sharedSecret passes on an error that is not from bad input', () => {
    expect(() => sharedSecret(new Uint8Array(32).fill(1), new Uint8Array(33))).toThrow(failure.error);
  });

  it('decryptMessage passes on an error that is not from bad input', () => {
    expect(() =>
      decryptMessage(new Uint8Array(16), new Uint8Array(12), new Uint8Array(20), new Uint8Array(0)),
    ).toThrow(failure.error);
  });
});
