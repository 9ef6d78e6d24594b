import { getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import { formatLink } from '../src/entries.js';
import { base32Encode, DnsErrorCode, formatTreeUrl, isValidDomain, parseTreeUrl } from '../src/index.js';
import { thrown } from './helpers/fixtures.js';
import { testKey } from './helpers/keys.js';

const KEY = getPublicKey(testKey(7, 'url'), 'compressed');
const KEY_TEXT = base32Encode(KEY);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

describe('isValidDomain', () => {
  it('accepts 253 characters and refuses 254 and the empty name', () => {
    const labels = (last: number) => [...Array(3).fill('a'.repeat(63)), 'a'.repeat(last)].join('.');
    expect(labels(61).length).toBe(253);
    expect(isValidDomain(labels(61))).toBe(true);
    expect(isValidDomain(labels(62))).toBe(false);
    expect(isValidDomain('')).toBe(false);
    expect(isValidDomain('a')).toBe(true);
  });
});

describe('parseTreeUrl', () => {
  it('parses a URL and gives its canonical form', () => {
    const url = formatTreeUrl(KEY, 'nodes.example.org');
    expect(parseTreeUrl(url)).toEqual({ domain: 'nodes.example.org', publicKey: KEY, url });
    expect(formatLink(KEY, 'nodes.example.org')).toBe(url);
  });

  it('accepts a key whose last character has its unused bit set, as go-ethereum does', () => {
    const last = ALPHABET.indexOf(KEY_TEXT.at(-1)!);
    const loose = KEY_TEXT.slice(0, -1) + ALPHABET[last | 1];
    const parsed = parseTreeUrl(`enrtree://${loose}@example.org`);
    expect(parsed.publicKey).toEqual(KEY);
    expect(parsed.url).toBe(`enrtree://${KEY_TEXT}@example.org`);
  });

  it('requires the scheme, case-sensitively', () => {
    for (const url of [`ENRTREE://${KEY_TEXT}@example.org`, `${KEY_TEXT}@example.org`]) {
      expect(thrown(() => parseTreeUrl(url)).code).toBe(DnsErrorCode.InvalidUrl);
    }
  });

  it('rejects a URL without @ before decoding anything', () => {
    const err = thrown(() => parseTreeUrl(`enrtree://${KEY_TEXT}`));
    expect(err.code).toBe(DnsErrorCode.InvalidUrl);
    expect(err.details).toBeUndefined();
    expect(err.cause).toBeUndefined();
  });

  it('rejects an empty key as a key of 0 bytes', () => {
    const err = thrown(() => parseTreeUrl('enrtree://@example.org'));
    expect(err.code).toBe(DnsErrorCode.InvalidUrl);
    expect(err.details).toEqual({ length: 0 });
  });

  it('rejects a key that is not base32, keeping the cause', () => {
    const err = thrown(() => parseTreeUrl('enrtree://not-base32@example.org'));
    expect(err.code).toBe(DnsErrorCode.InvalidUrl);
    expect((err.cause as { code?: string } | undefined)?.code).toBe(DnsErrorCode.BadRecord);
  });

  it('rejects keys of the wrong length or off the curve', () => {
    const uncompressed = base32Encode(getPublicKey(testKey(7, 'url'), 'uncompressed'));
    const offCurve = new Uint8Array(33).fill(0xff);
    offCurve[0] = 2;
    for (const [text, length] of [
      [uncompressed, 65],
      [base32Encode(offCurve), 33],
    ] as const) {
      const err = thrown(() => parseTreeUrl(`enrtree://${text}@example.org`));
      expect(err.code).toBe(DnsErrorCode.InvalidUrl);
      expect(err.details).toEqual({ length });
    }
  });

  it('rejects an invalid domain with the domain in the details', () => {
    const err = thrown(() => parseTreeUrl(`enrtree://${KEY_TEXT}@bad domain`));
    expect(err.code).toBe(DnsErrorCode.InvalidUrl);
    expect(err.details).toEqual({ domain: 'bad domain' });
  });
});
