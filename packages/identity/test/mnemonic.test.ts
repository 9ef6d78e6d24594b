import { wordlist } from '@scure/bip39/wordlists/english.js';
import { bytesToHex, isStatusTsError } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MNEMONIC_WORD_COUNT,
  entropyToMnemonic,
  generateMnemonic,
  IdentityError,
  IdentityErrorCode,
  MAX_MNEMONIC_TEXT_LENGTH,
  MNEMONIC_WORD_COUNTS,
  mnemonicToEntropy,
  mnemonicToSeed,
  normalizeMnemonic,
  parseMnemonic,
  validateMnemonic,
} from '../src/index.js';
import { thrown } from './load-vectors.js';

const ABOUT = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

describe('generateMnemonic', () => {
  it('makes 12 valid words by default, as Status does', () => {
    expect(DEFAULT_MNEMONIC_WORD_COUNT).toBe(12);
    const phrase = generateMnemonic();
    expect(phrase.split(' ')).toHaveLength(12);
    expect(validateMnemonic(phrase)).toBe(true);
    expect(generateMnemonic()).not.toBe(phrase);
  });

  it.each(MNEMONIC_WORD_COUNTS)('makes valid %i-word phrases', (count) => {
    const phrase = generateMnemonic(count);
    expect(phrase.split(' ')).toHaveLength(count);
    expect(mnemonicToEntropy(phrase)).toHaveLength((count / 3) * 4);
  });

  it('refuses other word counts', () => {
    expect(thrown(() => generateMnemonic(13 as 12)).code).toBe(IdentityErrorCode.InvalidEntropy);
  });
});

describe('parseMnemonic', () => {
  it('normalizes case and whitespace', () => {
    expect(normalizeMnemonic(`\t ${ABOUT.toUpperCase().replaceAll(' ', '   ')} \n`)).toBe(ABOUT);
    expect(parseMnemonic(ABOUT.replace('about', 'About'))).toBe(ABOUT);
    expect(normalizeMnemonic('   ')).toBe('');
  });

  it.each([
    ['empty', ''],
    ['11 words', ABOUT.split(' ').slice(1).join(' ')],
    ['13 words', `${ABOUT} abandon`],
  ])('refuses a wrong word count (%s)', (_, phrase) => {
    const err = thrown(() => parseMnemonic(phrase));
    expect(err).toBeInstanceOf(IdentityError);
    expect(err.code).toBe(IdentityErrorCode.InvalidMnemonic);
    expect(err.details.wordCount).toBe(phrase === '' ? 0 : phrase.split(' ').length);
  });

  it('names the position of an unknown word without echoing it', () => {
    const err = thrown(() => parseMnemonic(ABOUT.replace('about', 'secretword')));
    expect(err.code).toBe(IdentityErrorCode.InvalidMnemonic);
    expect(err.details.position).toBe(12);
    expect(err.message).not.toContain('secretword');
  });

  it('refuses a bad checksum', () => {
    const err = thrown(() => parseMnemonic(ABOUT.replace('about', 'abandon')));
    expect(err.code).toBe(IdentityErrorCode.InvalidMnemonic);
    expect(err.message).toMatch(/checksum/);
  });

  it(`refuses text longer than MAX_MNEMONIC_TEXT_LENGTH (${MAX_MNEMONIC_TEXT_LENGTH}), overridable`, () => {
    const long = `${ABOUT}${' '.repeat(MAX_MNEMONIC_TEXT_LENGTH - ABOUT.length + 1)}`;
    expect(thrown(() => parseMnemonic(long)).details).toMatchObject({ max: MAX_MNEMONIC_TEXT_LENGTH });
    expect(parseMnemonic(long.slice(0, MAX_MNEMONIC_TEXT_LENGTH))).toBe(ABOUT);
    expect(parseMnemonic(long, { maxTextLength: 2048 })).toBe(ABOUT);
    expect(thrown(() => parseMnemonic(ABOUT, { maxTextLength: 50 })).code).toBe(
      IdentityErrorCode.InvalidMnemonic,
    );
  });

  it('refuses non-strings', () => {
    expect(thrown(() => parseMnemonic(42 as unknown as string)).code).toBe(IdentityErrorCode.InvalidMnemonic);
    expect(validateMnemonic(null as unknown as string)).toBe(false);
  });
});

describe('entropy and seeds', () => {
  it.each([0, 15, 17, 33])('refuses %i bytes of entropy', (length) => {
    expect(thrown(() => entropyToMnemonic(new Uint8Array(length))).code).toBe(
      IdentityErrorCode.InvalidEntropy,
    );
  });

  it('refuses a passphrase that has no UTF-8 form (lone surrogate)', () => {
    expect(thrown(() => mnemonicToSeed(ABOUT, 'a\uD800b')).code).toBe(IdentityErrorCode.InvalidMnemonic);
    expect(mnemonicToSeed(ABOUT, '\uD83D\uDE00')).toHaveLength(64);
  });

  it('NFKD-normalizes the passphrase (BIP39): composed and decomposed forms give one seed', () => {
    expect(bytesToHex(mnemonicToSeed(ABOUT, '\u00e9'))).toBe(bytesToHex(mnemonicToSeed(ABOUT, 'e\u0301')));
  });
});

describe('properties', () => {
  it('entropy -> mnemonic -> entropy round trips (1,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 20, 24, 28, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        (entropy) => {
          const phrase = entropyToMnemonic(entropy);
          expect(validateMnemonic(phrase)).toBe(true);
          expect(mnemonicToEntropy(phrase)).toEqual(entropy);
        },
      ),
      { numRuns: 1000 },
    );
  });

  // Each seed costs 2,048 rounds of PBKDF2-HMAC-SHA512 (~20 ms in pure JS here), so this property runs 50 times.
  it('a phrase retyped with other case and spacing gives the same seed (50 runs: PBKDF2-2048 is slow)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.array(fc.constantFrom(' ', '  ', '\t', '\n'), { minLength: 11, maxLength: 11 }),
        fc.boolean(),
        (entropy, gaps, upper) => {
          const words = entropyToMnemonic(entropy).split(' ');
          const retyped = words.map((w, i) => (upper ? w.toUpperCase() : w) + (gaps[i] ?? '')).join('');
          expect(mnemonicToSeed(retyped)).toEqual(mnemonicToSeed(words.join(' ')));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('random text throws only IdentityError (1,000 runs)', () => {
    const word = fc.constantFrom(...wordlist.slice(0, 64), 'zzz', 'Abandon', '');
    const phrase = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.array(word, { maxLength: 30 }).map((w) => w.join(' ')),
    );
    fc.assert(
      fc.property(phrase, (text) => {
        try {
          parseMnemonic(text);
        } catch (err) {
          expect(isStatusTsError(err, IdentityErrorCode.InvalidMnemonic)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
