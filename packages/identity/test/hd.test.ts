import { describe, expect, it } from 'vitest';
import {
  CHAT_KEY_PATH,
  deriveKeyPair,
  derivePath,
  IdentityError,
  IdentityErrorCode,
  keyPairOf,
  seedToRoot,
  walletKeyPath,
} from '../src/index.js';
import { thrown } from './load-vectors.js';

const root = seedToRoot(new Uint8Array(32).fill(7));

describe('derivation paths', () => {
  it.each([
    '',
    'm/',
    "m/44'/60'/",
    'M/0',
    "m'/0",
    'm/0h',
    'm/-1',
    'm/2147483648',
    "m/4294967295'",
    'm/ 0',
    'm/0//1',
    '44/0',
  ])('refuses %j with ERR_IDENTITY_INVALID_PATH', (path) => {
    const err = thrown(() => derivePath(root, path));
    expect(err).toBeInstanceOf(IdentityError);
    expect(err.code).toBe(IdentityErrorCode.InvalidPath);
  });

  it('accepts the largest index and the master path', () => {
    expect(derivePath(root, "m/2147483647'").depth).toBe(1);
    expect(derivePath(root, 'm')).toBe(root);
  });

  it('limits depth to 255 levels (BIP32 serializes depth in one byte)', () => {
    const deep = `m${'/0'.repeat(256)}`;
    expect(thrown(() => derivePath(root, deep)).code).toBe(IdentityErrorCode.InvalidPath);
  });

  it('derives absolute paths from the master node only', () => {
    const child = derivePath(root, 'm/0');
    expect(thrown(() => derivePath(child, 'm/1')).code).toBe(IdentityErrorCode.InvalidPath);
  });

  it('refuses public-only nodes for key pairs', () => {
    const publicOnly = seedToRoot(new Uint8Array(32)).wipePrivateData();
    expect(thrown(() => keyPairOf(publicOnly)).code).toBe(IdentityErrorCode.InvalidPath);
    expect(thrown(() => derivePath(publicOnly, "m/0'")).code).toBe(IdentityErrorCode.InvalidPath);
    expect(derivePath(publicOnly, 'm/0').privateKey).toBeNull();
  });

  it('refuses wallet indexes outside [0, 2^31)', () => {
    for (const index of [-1, 2 ** 31, 1.5, Number.NaN]) {
      expect(thrown(() => walletKeyPath(index)).code).toBe(IdentityErrorCode.InvalidPath);
    }
  });

  it('key pairs carry the 65-byte public key and an EIP-55 address', () => {
    const pair = deriveKeyPair(root, CHAT_KEY_PATH);
    expect(pair.privateKey).toHaveLength(32);
    expect(pair.publicKey).toHaveLength(65);
    expect(pair.publicKey[0]).toBe(4);
    expect(pair.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
  });
});

describe('seeds', () => {
  it.each([0, 15, 65, 128])('refuses a %i-byte seed', (length) => {
    expect(thrown(() => seedToRoot(new Uint8Array(length))).code).toBe(IdentityErrorCode.InvalidSeed);
  });

  it('accepts 16 to 64 bytes', () => {
    expect(seedToRoot(new Uint8Array(16)).depth).toBe(0);
    expect(seedToRoot(new Uint8Array(64)).depth).toBe(0);
  });
});
