import { describe, expect, it } from 'vitest';
import { goParsesFloat64, isGoBlank, isGoUuid } from '../src/go-text.js';

// Expected results are those of Go 1.13+ (status-go v0.62.0 declares go 1.13): strings.TrimSpace,
// github.com/google/uuid Parse and strconv.ParseFloat(s, 64), as documented by Go.

describe('isGoBlank (len(strings.TrimSpace(s)) == 0)', () => {
  it('is true for the empty string and Go white space, including U+0085 which JS trim() keeps', () => {
    for (const s of [
      '',
      ' ',
      '\t\n\v\f\r ',
      '\u0085',
      '\u00a0',
      '\u1680',
      '\u2000\u200a',
      '\u2028\u2029',
      '\u202f\u205f\u3000',
    ]) {
      expect(isGoBlank(s), JSON.stringify(s)).toBe(true);
    }
  });

  it('is false for anything else, including U+FEFF which JS trim() removes', () => {
    for (const s of ['a', ' a ', '\ufeff', '\u200b', '\u180e', '0']) {
      expect(isGoBlank(s), JSON.stringify(s)).toBe(false);
    }
  });
});

describe('isGoUuid (uuid.Parse)', () => {
  const canonical = '123e4567-e89b-12d3-a456-426614174000';

  it('accepts the four forms by length, hex in any case, without checking version or variant', () => {
    for (const s of [
      canonical,
      canonical.toUpperCase(),
      `{${canonical}}`,
      `(${canonical})`, // the 38-byte form's first and last bytes are not looked at
      `urn:uuid:${canonical}`,
      `URN:UUID:${canonical}`,
      canonical.replaceAll('-', ''),
      '00000000-0000-0000-0000-000000000000',
    ]) {
      expect(isGoUuid(s), s).toBe(true);
    }
  });

  it('refuses other lengths, misplaced dashes, non-hex digits and a wrong urn prefix', () => {
    for (const s of [
      '',
      canonical.slice(1),
      `${canonical}0`,
      '123e4567e-89b-12d3-a456-426614174000',
      '123e4567-e89b-12d3-a456-42661417400g',
      `urn:uuix:${canonical}`,
      `{${canonical.slice(0, 35)}é}`, // 39 UTF-8 bytes
      'g'.repeat(32),
    ]) {
      expect(isGoUuid(s), s).toBe(false);
    }
  });
});

describe('goParsesFloat64 (strconv.ParseFloat(s, 64) without error)', () => {
  it('accepts Go float syntax: decimal, hex with p exponent, underscores between digits, inf and nan', () => {
    for (const s of [
      '0',
      '00',
      '1',
      '-1.5',
      '+1.5',
      '.5',
      '5.',
      '1e10',
      '1E+10',
      '1e-10',
      '0.000001',
      '0x1p-2',
      '0X1P+2',
      '0x1.8p1',
      '0x.8p1',
      '0xABCp0',
      '1_000',
      '1_000.000_1',
      '1e0_1',
      '0x_1p0',
      'inf',
      '+Inf',
      '-INFINITY',
      'NaN',
      '1e-400', // underflows to 0 without error
      '0e99999',
      '0x0p99999',
      '1.7976931348623157e308',
      '1.7976931348623158e308', // rounds down to the largest double
      '0x1.fffffffffffffp1023',
      '0x1.fffffffffffff7p1023',
    ]) {
      expect(goParsesFloat64(s), s).toBe(true);
    }
  });

  it('refuses anything else and overflows (ErrRange)', () => {
    for (const s of [
      '',
      ' 1',
      '1 ',
      '1.2.3',
      '1e',
      '1e+',
      'e5',
      '.',
      '+',
      '-',
      '0x',
      '0x1',
      '0x1.8',
      '0xp1',
      '0b101',
      '1_',
      '_1',
      '1__0',
      '1_.5',
      '1._5',
      '1_e5',
      '1e1_',
      '+nan',
      'nan1',
      'infin',
      '1,5',
      '1.5f',
      '\u0661',
      '１',
      '1e400',
      '-1e400',
      '1e10000',
      '1.7976931348623159e308',
      '0x1p1024',
      '0x2p1023',
      '0x1.fffffffffffff8p1023', // halfway, ties to even: 2^1024
    ]) {
      expect(goParsesFloat64(s), s).toBe(false);
    }
  });

  it('saturates the decimal exponent at 10000 as Go does', () => {
    // 1 followed by 100000 zeros, times 10^-100000, is 1; Go stops reading the exponent at 10000 and
    // gets 10^90000, which overflows.
    expect(goParsesFloat64(`1${'0'.repeat(100_000)}e-100000`)).toBe(false);
    expect(goParsesFloat64(`1${'0'.repeat(100_000)}e-20000`)).toBe(false);
    expect(goParsesFloat64(`1${'0'.repeat(300)}e-20000`)).toBe(true);
    expect(goParsesFloat64(`0.${'0'.repeat(100_000)}1e100000`)).toBe(true);
  });
});
