import { bytesToHex, hexToBytes } from '@status-ts/core';
import { convertPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WALLET_PATH,
  derivePath,
  deriveWalletKey,
  mnemonicToSeed,
  seedToRoot,
  walletKeyPath,
} from '../src/index.js';
import { loadVectors } from './load-vectors.js';

interface Bip32Vector {
  name: string;
  seed: string;
  chains: { path: string; xpub: string; xprv: string }[];
}
const bip32 = loadVectors<{ vectors: Bip32Vector[] }>('bip32.json');
const statusGo = loadVectors('status-go.json');

describe('BIP32 test vectors 1 and 2 (bitcoin/bips bip-0032.mediawiki)', () => {
  for (const vector of bip32.vectors) {
    const root = seedToRoot(hexToBytes(vector.seed));
    for (const chain of vector.chains) {
      it(`${vector.name}, chain ${chain.path}`, () => {
        const node = derivePath(root, chain.path);
        expect(node.privateExtendedKey).toBe(chain.xprv);
        expect(node.publicExtendedKey).toBe(chain.xpub);
      });
    }
  }
});

describe('status-go extkeys tests', () => {
  it('TestHDWalletCompatibility: m/44\'/60\'/0\'/0/i of "abandon … about" + "TREZOR"', () => {
    const v = statusGo.hdWalletCompatibility;
    const root = seedToRoot(mnemonicToSeed(v.mnemonic, v.passphrase));
    for (const key of v.keys) {
      const pair = deriveWalletKey(root, key.index);
      expect(pair.address).toBe(key.address);
      expect(`0x${bytesToHex(pair.privateKey)}`).toBe(key.privateKey);
      expect(`0x${bytesToHex(convertPublicKey(pair.publicKey, 'compressed'))}`).toBe(key.compressedPublicKey);
    }
  });

  it('TestPrivateKeyDataWithLeadingZeros: a 31-byte intermediate key is padded, not shifted', () => {
    const v = statusGo.leadingZeros;
    const root = seedToRoot(mnemonicToSeed(v.mnemonic, v.passphrase));
    expect(v.path).toBe(DEFAULT_WALLET_PATH);
    expect(deriveWalletKey(root, 0).address).toBe(v.address);
  });

  it('wallet paths', () => {
    expect(walletKeyPath(0)).toBe("m/44'/60'/0'/0/0");
    expect(walletKeyPath(7)).toBe("m/44'/60'/0'/0/7");
  });
});
