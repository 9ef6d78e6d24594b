import { getPublicKey } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { describe, expect, it, vi } from 'vitest';
import {
  assertRootSigned,
  base32Encode,
  DnsErrorCode,
  entryHash,
  formatRoot,
  formatZoneFile,
  hashMatches,
  isValidHash,
  parseEntry,
  parseRoot,
  signRoot,
} from '../src/index.js';
import { thrown } from './helpers/fixtures.js';
import { testKey } from './helpers/keys.js';

const E = entryHash('e');
const L = entryHash('l');
const ROOT = formatRoot(signRoot({ eRoot: E, lRoot: L, seq: 3 }, testKey(1, 'root')));

describe('hashes', () => {
  it('accepts child hashes of 12 to 32 bytes', () => {
    const ofBytes = (n: number) => base32Encode(new Uint8Array(n).fill(7));
    expect([11, 12, 32, 33].map((n) => isValidHash(ofBytes(n)))).toEqual([false, true, true, false]);
  });

  it('matches no text for a hash that does not decode', () => {
    expect(hashMatches('!'.repeat(26), 'e')).toBe(false);
    expect(hashMatches(E, 'e')).toBe(true);
    expect(hashMatches(L, 'e')).toBe(false);
  });
});

describe('parseRoot', () => {
  it('parses a root record', () => {
    const root = parseRoot(ROOT);
    expect(root).toMatchObject({ kind: 'root', eRoot: E, lRoot: L, seq: 3 });
    expect(signRoot({ eRoot: E, lRoot: L, seq: 3 }, testKey(1, 'root'))).toEqual(root);
  });

  it('rejects text before or after the record', () => {
    for (const text of [`x${ROOT}`, ` ${ROOT}`, `${ROOT} x`]) {
      const err = thrown(() => parseRoot(text));
      expect(err.code).toBe(DnsErrorCode.BadRecord);
      expect(err.details).toEqual({ text: text.slice(0, 120) });
    }
  });

  it('puts at most 120 characters of a bad root in the details', () => {
    const text = `enrtree-root:v2 ${'x'.repeat(200)}`;
    expect(thrown(() => parseRoot(text)).details).toEqual({ text: text.slice(0, 120) });
  });

  it('rejects an invalid e or l child hash', () => {
    for (const text of [ROOT.replace(`e=${E}`, 'e=AAA'), ROOT.replace(`l=${L}`, 'l=AAA')]) {
      expect(thrown(() => parseRoot(text)).code).toBe(DnsErrorCode.BadRecord);
    }
  });

  it('rejects a seq beyond the safe integers', () => {
    const seq = '9007199254740993';
    const err = thrown(() => parseRoot(ROOT.replace('seq=3', `seq=${seq}`)));
    expect(err.code).toBe(DnsErrorCode.BadRecord);
    expect(err.details).toEqual({ seq });
    expect(parseRoot(ROOT.replace('seq=3', 'seq=9007199254740991')).seq).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rejects a signature that is not base64url, keeping the cause', () => {
    const err = thrown(() => parseRoot(`${ROOT.slice(0, ROOT.indexOf(' sig=') + 5)}a+b/`));
    expect(err.code).toBe(DnsErrorCode.BadSignature);
    expect(err.cause).toBeDefined();
  });
});

describe('assertRootSigned', () => {
  it('names the domain and seq of a root signed by another key', () => {
    const other = getPublicKey(testKey(2, 'root'), 'compressed');
    const err = thrown(() => assertRootSigned(parseRoot(ROOT), other, 'example.org'));
    expect(err.code).toBe(DnsErrorCode.BadSignature);
    expect(err.details).toEqual({ domain: 'example.org', seq: 3 });
    assertRootSigned(parseRoot(ROOT), getPublicKey(testKey(1, 'root')), 'example.org');
  });
});

describe('parseEntry', () => {
  it('names the bad child of a branch', () => {
    const err = thrown(() => parseEntry(`enrtree-branch:${E},AAA`));
    expect(err.code).toBe(DnsErrorCode.BadRecord);
    expect(err.details).toEqual({ child: 'AAA' });
  });

  it('gives the ENR error code of a leaf that does not decode', () => {
    const err = thrown(() => parseEntry('enr:-AAA'));
    expect(err.code).toBe(DnsErrorCode.BadRecord);
    expect(typeof err.details?.enrCode).toBe('string');
    expect(err.details?.enrCode).toBe((err.cause as { code: string }).code);
  });

  it('lets an error that is not an ENR error through unchanged (a bug is not a bad record)', () => {
    const bug = new TypeError('decoder bug');
    const spy = vi.spyOn(Enr, 'decodeText').mockImplementation(() => {
      throw bug;
    });
    try {
      expect(() => parseEntry('enr:-AAA')).toThrow(bug);
    } finally {
      spy.mockRestore();
    }
  });

  it('keeps the first 40 characters of an unknown entry', () => {
    const text = `v=spf1 ${'x'.repeat(60)}`;
    const err = thrown(() => parseEntry(text));
    expect(err.code).toBe(DnsErrorCode.UnknownEntry);
    expect(err.details).toEqual({ text: text.slice(0, 40) });
  });
});

describe('formatZoneFile', () => {
  it('names the record that cannot be written', () => {
    const err = thrown(() => formatZoneFile('example.org', ROOT, new Map([[E, 'say "hi"']])));
    expect(err.code).toBe(DnsErrorCode.InvalidInput);
    expect(err.details).toEqual({ name: E });
  });
});
