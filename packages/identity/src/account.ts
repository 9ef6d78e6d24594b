import { bytesToHex } from '@status-ts/core';
import { sha256 } from '@status-ts/crypto';
import { threeWordName } from './alias/three-word-name.js';
import {
  CHAT_KEY_PATH,
  DEFAULT_WALLET_PATH,
  deriveKeyPair,
  EIP1581_ROOT_PATH,
  type HDKey,
  type KeyPair,
  keyPairOf,
  seedToRoot,
  WALLET_ROOT_PATH,
  walletKeyPath,
} from './hd.js';
import { publicKeyToMultibase } from './key-text.js';
import {
  generateMnemonic,
  type MnemonicOptions,
  type MnemonicWordCount,
  mnemonicToSeed,
  parseMnemonic,
} from './mnemonic.js';

/**
 * The keys Status derives when it creates or restores an account (status-go `api` paths: master, wallet
 * root, EIP-1581 root, chat key, default wallet), plus the names it shows for the chat key.
 */
export interface StatusKeys {
  /** 0x + sha256 of the master key's 65-byte public key: status-go's account id (`keyUid`). */
  keyUid: string;
  /** BIP32 master key `m`; its address is the account's `address` setting in status-go. */
  master: KeyPair;
  /** `m/43'/60'/1581'/0'/0`: the chat (Whisper/Waku identity) key. */
  chatKey: KeyPair;
  /** `m/43'/60'/1581'`: status-go stores its address as `eip1581-address`. */
  eip1581Root: KeyPair;
  /** `m/44'/60'/0'/0`: wallet accounts are its children. */
  walletRoot: KeyPair;
  /** `m/44'/60'/0'/0/0`: the first wallet account (Status' default wallet and dapps account). */
  walletKey: KeyPair;
  /** Address of the default wallet account (`walletKey.address`). */
  address: string;
  /** Chat key as `0x04…` hex, the form Status stores and exchanges. */
  publicKey: string;
  /** Chat key as compressed multibase base58btc, the `zQ3sh…` form Status displays. */
  compressedKey: string;
  /** Three-word name of the chat key. */
  name: string;
}

export interface StatusAccount extends StatusKeys {
  /** The normalized phrase the keys come from. */
  mnemonic: string;
}

export interface DeriveAccountOptions extends MnemonicOptions {
  /** BIP39 passphrase (Status uses none: ''). */
  passphrase?: string;
}

/** Status' keys from a BIP39 seed. */
export function accountFromSeed(seed: Uint8Array): StatusKeys {
  const root = seedToRoot(seed);
  const master = keyPairOf(root);
  const chatKey = deriveKeyPair(root, CHAT_KEY_PATH);
  const walletKey = deriveKeyPair(root, DEFAULT_WALLET_PATH);
  return {
    keyUid: `0x${bytesToHex(sha256(master.publicKey))}`,
    master,
    chatKey,
    eip1581Root: deriveKeyPair(root, EIP1581_ROOT_PATH),
    walletRoot: deriveKeyPair(root, WALLET_ROOT_PATH),
    walletKey,
    address: walletKey.address,
    publicKey: `0x${bytesToHex(chatKey.publicKey)}`,
    compressedKey: publicKeyToMultibase(chatKey.publicKey),
    name: threeWordName(chatKey.publicKey),
  };
}

/** Status' keys from a phrase (validated; PBKDF2 takes a few milliseconds). */
export function deriveAccount(mnemonic: string, options: DeriveAccountOptions = {}): StatusAccount {
  const normalized = parseMnemonic(mnemonic, options);
  const seed = mnemonicToSeed(normalized, options.passphrase ?? '');
  return { mnemonic: normalized, ...accountFromSeed(seed) };
}

/** A new account from a fresh phrase (12 words unless asked otherwise). */
export function createAccount(wordCount?: MnemonicWordCount): StatusAccount {
  return deriveAccount(generateMnemonic(wordCount));
}

/** Wallet account `index` (`m/44'/60'/0'/0/index`) from the master node of a seed. */
export function deriveWalletKey(root: HDKey, index: number): KeyPair {
  return deriveKeyPair(root, walletKeyPath(index));
}
