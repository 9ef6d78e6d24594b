import {
  entropyToMnemonic as scureEntropyToMnemonic,
  mnemonicToEntropy as scureMnemonicToEntropy,
  mnemonicToSeed as scureMnemonicToSeed,
  mnemonicToSeedSync as scureMnemonicToSeedSync,
} from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { randomBytes } from '@status-ts/crypto';
import { IdentityError, IdentityErrorCode } from './errors.js';

/** Word counts BIP39 allows; each 3 words carry 32 bits of entropy and 1 checksum bit. */
export const MNEMONIC_WORD_COUNTS = [12, 15, 18, 21, 24] as const;
export type MnemonicWordCount = (typeof MNEMONIC_WORD_COUNTS)[number];
/** Status creates 12-word phrases (status-go `defaultMnemonicLength`). */
export const DEFAULT_MNEMONIC_WORD_COUNT: MnemonicWordCount = 12;
/** Longest phrase text looked at; 24 English words need at most 215 characters, so this is generous. */
export const MAX_MNEMONIC_TEXT_LENGTH = 1024;

export interface MnemonicOptions {
  /** Overrides MAX_MNEMONIC_TEXT_LENGTH. */
  maxTextLength?: number;
}

const englishIndex = new Map(english.map((word, index) => [word, index]));

function invalid(message: string, details?: Record<string, unknown>, cause?: unknown): IdentityError {
  return new IdentityError(IdentityErrorCode.InvalidMnemonic, message, { details, cause });
}

/**
 * The canonical form of a typed phrase: NFKD (as BIP39 hashes it), lower case, words separated by one
 * space. Phrases that differ only in case or spacing are read as the same phrase (our choice: the word
 * list is lower case, so no valid phrase changes).
 */
export function normalizeMnemonic(phrase: string, options: MnemonicOptions = {}): string {
  if (typeof phrase !== 'string') throw invalid('mnemonic must be a string');
  const max = options.maxTextLength ?? MAX_MNEMONIC_TEXT_LENGTH;
  if (phrase.length > max) {
    throw invalid(`mnemonic text longer than ${max} characters`, { length: phrase.length, max });
  }
  const trimmed = phrase.normalize('NFKD').toLowerCase().trim();
  return trimmed === '' ? '' : trimmed.split(/\s+/).join(' ');
}

/**
 * Normalizes and checks a phrase against the English list and its checksum; returns the normalized
 * phrase or throws ERR_IDENTITY_INVALID_MNEMONIC. Messages never contain the words themselves.
 */
export function parseMnemonic(phrase: string, options: MnemonicOptions = {}): string {
  const normalized = normalizeMnemonic(phrase, options);
  const words = normalized === '' ? [] : normalized.split(' ');
  if (!(MNEMONIC_WORD_COUNTS as readonly number[]).includes(words.length)) {
    throw invalid(`mnemonic must have 12, 15, 18, 21 or 24 words, got ${words.length}`, {
      wordCount: words.length,
    });
  }
  const unknown = words.findIndex((word) => !englishIndex.has(word));
  if (unknown >= 0) {
    throw invalid(`word ${unknown + 1} is not in the BIP39 English word list`, { position: unknown + 1 });
  }
  try {
    scureMnemonicToEntropy(normalized, english);
  } catch (cause) {
    throw invalid('mnemonic checksum does not match', undefined, cause);
  }
  return normalized;
}

/** True when `phrase` (after normalization) is a valid English BIP39 phrase. Never throws. */
export function validateMnemonic(phrase: string, options: MnemonicOptions = {}): boolean {
  try {
    parseMnemonic(phrase, options);
    return true;
  } catch {
    return false;
  }
}

/** A fresh English phrase from the CSPRNG: 12 words (128 bits) unless asked otherwise. */
export function generateMnemonic(wordCount: MnemonicWordCount = DEFAULT_MNEMONIC_WORD_COUNT): string {
  if (!(MNEMONIC_WORD_COUNTS as readonly number[]).includes(wordCount)) {
    throw new IdentityError(IdentityErrorCode.InvalidEntropy, `unsupported word count ${wordCount}`, {
      details: { wordCount },
    });
  }
  return entropyToMnemonic(randomBytes((wordCount / 3) * 4));
}

/** The phrase encoding `entropy` (16, 20, 24, 28 or 32 bytes). */
export function entropyToMnemonic(entropy: Uint8Array): string {
  if (!(entropy instanceof Uint8Array) || ![16, 20, 24, 28, 32].includes(entropy.length)) {
    throw new IdentityError(IdentityErrorCode.InvalidEntropy, 'entropy must be 16, 20, 24, 28 or 32 bytes', {
      details: { length: entropy instanceof Uint8Array ? entropy.length : undefined },
    });
  }
  return scureEntropyToMnemonic(entropy, english);
}

/** The entropy a valid phrase encodes. */
export function mnemonicToEntropy(phrase: string, options: MnemonicOptions = {}): Uint8Array {
  return scureMnemonicToEntropy(parseMnemonic(phrase, options), english);
}

function checkPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string') throw invalid('passphrase must be a string');
  // BIP39 hashes the UTF-8 of the NFKD text: lone surrogates have no UTF-8 form.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(passphrase)) {
    throw invalid('passphrase is not well-formed Unicode');
  }
}

/**
 * BIP39 seed (64 bytes): PBKDF2-HMAC-SHA512, 2048 rounds, salt "mnemonic" + passphrase. The phrase is
 * validated first (status-go itself hashes whatever it is given; we refuse typos instead).
 */
export function mnemonicToSeed(phrase: string, passphrase = '', options: MnemonicOptions = {}): Uint8Array {
  const normalized = parseMnemonic(phrase, options);
  checkPassphrase(passphrase);
  return scureMnemonicToSeedSync(normalized, passphrase);
}

/** Like `mnemonicToSeed`, yielding to the event loop between PBKDF2 rounds. */
export async function mnemonicToSeedAsync(
  phrase: string,
  passphrase = '',
  options: MnemonicOptions = {},
): Promise<Uint8Array> {
  const normalized = parseMnemonic(phrase, options);
  checkPassphrase(passphrase);
  return scureMnemonicToSeed(normalized, passphrase);
}
