import { bytesToHex, hexToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  entropyToMnemonic,
  mnemonicToEntropy,
  mnemonicToSeed,
  mnemonicToSeedAsync,
  seedToRoot,
  validateMnemonic,
} from '../src/index.js';
import { loadVectors } from './load-vectors.js';

// trezor/python-mnemonic vectors.json: the 24 English vectors, passphrase "TREZOR".
const bip39 = loadVectors<{ passphrase: string; english: [string, string, string, string][] }>(
  'bip39-english.json',
);

describe('BIP39 English vectors (trezor/python-mnemonic)', () => {
  it('has all 24 vectors', () => {
    expect(bip39.english).toHaveLength(24);
    expect(bip39.passphrase).toBe('TREZOR');
  });

  for (const [entropy, mnemonic, seed, xprv] of bip39.english) {
    const label = `${mnemonic.split(' ').length} words, entropy ${entropy.slice(0, 8)}…`;
    it(`${label}: entropy <-> mnemonic`, () => {
      expect(entropyToMnemonic(hexToBytes(entropy))).toBe(mnemonic);
      expect(bytesToHex(mnemonicToEntropy(mnemonic))).toBe(entropy);
      expect(validateMnemonic(mnemonic)).toBe(true);
    });
    it(`${label}: mnemonic + passphrase -> seed -> BIP32 root`, () => {
      const derived = mnemonicToSeed(mnemonic, bip39.passphrase);
      expect(bytesToHex(derived)).toBe(seed);
      expect(seedToRoot(derived).privateExtendedKey).toBe(xprv);
    });
  }

  it('async seed derivation gives the same seed', async () => {
    const [, mnemonic, seed] = bip39.english[0]!;
    expect(bytesToHex(await mnemonicToSeedAsync(mnemonic, bip39.passphrase))).toBe(seed);
  });
});
