import { bytesToHex, hexToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  accountFromSeed,
  CHAT_KEY_PATH,
  createAccount,
  deriveAccount,
  deriveKeyPair,
  derivePath,
  deriveWalletKey,
  IdentityErrorCode,
  isThreeWordName,
  keyPairOf,
  mnemonicToSeed,
  parsePublicKey,
  privateKeyToAddress,
  publicKeyToHex,
  seedToRoot,
  threeWordName,
  toChecksumAddress,
  validateMnemonic,
} from '../src/index.js';
import { loadVectors, thrown } from './load-vectors.js';

const statusGo = loadVectors('status-go.json');
/** The fixture lists only the first 9 hex digits of each public key, upper case. */
const hasPrefix = (key: Uint8Array, prefix: string) =>
  bytesToHex(key).startsWith(prefix.slice(2).toLowerCase());

describe('a real Status account (status-go old-mobile-user fixture)', () => {
  const fixture = statusGo.oldMobileUser.statusAccount;
  const account = deriveAccount(fixture.mnemonic);

  it('keyUid is sha256 of the master public key (the constant the test logs in with)', () => {
    expect(account.keyUid).toBe(fixture.keyUid);
  });

  it("chat key at m/43'/60'/1581'/0'/0: address, public key, three-word name", () => {
    expect(account.chatKey.address).toBe(toChecksumAddress(fixture.chatKey.address));
    expect(hasPrefix(account.chatKey.publicKey, fixture.chatKey.publicKeyPrefix)).toBe(true);
    expect(account.name).toBe(fixture.chatKey.name);
    expect(account.publicKey).toBe(publicKeyToHex(account.chatKey.publicKey));
    expect(parsePublicKey(account.compressedKey)).toEqual(account.chatKey.publicKey);
  });

  it("default wallet key at m/44'/60'/0'/0/0", () => {
    expect(account.walletKey.address).toBe(toChecksumAddress(fixture.walletKey.address));
    expect(account.address).toBe(account.walletKey.address);
    expect(hasPrefix(account.walletKey.publicKey, fixture.walletKey.publicKeyPrefix)).toBe(true);
  });

  it("the 'generated' wallet account (stored path m/44'/60'/0'/1) is wallet index 1", () => {
    const root = seedToRoot(mnemonicToSeed(fixture.mnemonic));
    const pair = deriveWalletKey(root, fixture.generatedWalletKey.walletIndex);
    expect(pair.address).toBe(toChecksumAddress(fixture.generatedWalletKey.address));
  });

  it("master, EIP-1581 root and wallet root are the nodes at m, the EIP-1581 root and m/44'/60'/0'/0", () => {
    const root = seedToRoot(mnemonicToSeed(fixture.mnemonic));
    expect(account.master).toEqual(keyPairOf(root));
    expect(account.eip1581Root).toEqual(deriveKeyPair(root, "m/43'/60'/1581'"));
    expect(account.walletRoot).toEqual(deriveKeyPair(root, "m/44'/60'/0'/0"));
    expect(account.chatKey).toEqual(deriveKeyPair(root, CHAT_KEY_PATH));
  });
});

describe('other status-go accounts', () => {
  it("seed account \"vocal blouse …\": m/44'/60'/0'/0/0 public key (asserted) and address", () => {
    const v = statusGo.oldMobileUser.seedAccount;
    const pair = deriveWalletKey(seedToRoot(mnemonicToSeed(v.mnemonic)), 0);
    expect(publicKeyToHex(pair.publicKey)).toBe(v.publicKey);
    expect(pair.address).toBe(toChecksumAddress(v.address));
  });

  it('imported private key: address', () => {
    const v = statusGo.oldMobileUser.keyAccount;
    expect(privateKeyToAddress(hexToBytes(v.privateKey))).toBe(toChecksumAddress(v.address));
  });
});

describe('deriveAccount / createAccount', () => {
  it('reads a phrase regardless of case and spacing', () => {
    const phrase = statusGo.oldMobileUser.statusAccount.mnemonic;
    const messy = `  ${phrase.toUpperCase().split(' ').join(' \t ')}\n`;
    expect(deriveAccount(messy).keyUid).toBe(deriveAccount(phrase).keyUid);
    expect(deriveAccount(messy).mnemonic).toBe(phrase);
  });

  it('a BIP39 passphrase gives other keys', () => {
    const phrase = statusGo.oldMobileUser.statusAccount.mnemonic;
    expect(deriveAccount(phrase, { passphrase: 'x' }).keyUid).not.toBe(deriveAccount(phrase).keyUid);
  });

  it('refuses invalid phrases with ERR_IDENTITY_INVALID_MNEMONIC', () => {
    const err = thrown(() =>
      deriveAccount('coin globe kit hamster notable proof orphan always mistake usual morning morning'),
    );
    expect(err.code).toBe(IdentityErrorCode.InvalidMnemonic);
  });

  it('createAccount makes a fresh 12-word account with consistent fields', () => {
    const a = createAccount();
    const b = createAccount();
    expect(a.mnemonic.split(' ')).toHaveLength(12);
    expect(validateMnemonic(a.mnemonic)).toBe(true);
    expect(a.keyUid).not.toBe(b.keyUid);
    expect(a.keyUid).toMatch(/^0x[0-9a-f]{64}$/);
    expect(isThreeWordName(a.name)).toBe(true);
    expect(a.name).toBe(threeWordName(a.chatKey.publicKey));
    expect(a.compressedKey).toMatch(/^zQ3sh/);
    expect(createAccount(24).mnemonic.split(' ')).toHaveLength(24);
    expect(accountFromSeed(mnemonicToSeed(a.mnemonic)).keyUid).toBe(a.keyUid);
  });

  it('derivePath and deriveAccount agree on the chat key', () => {
    const a = createAccount();
    const root = seedToRoot(mnemonicToSeed(a.mnemonic));
    expect(derivePath(root, CHAT_KEY_PATH).privateKey).toEqual(a.chatKey.privateKey);
  });
});
