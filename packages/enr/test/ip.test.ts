import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../src/index.js';

describe('IPv4', () => {
  it('parses strict dotted decimal', () => {
    expect(parseIPv4('127.0.0.1')).toEqual(Uint8Array.of(127, 0, 0, 1));
    expect(parseIPv4('255.255.255.255')).toEqual(Uint8Array.of(255, 255, 255, 255));
    for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.4 ', '', 'a.b.c.d', '1..2.3']) {
      expect(parseIPv4(bad)).toBeUndefined();
    }
    expect(formatIPv4(Uint8Array.of(10, 0, 0, 255))).toBe('10.0.0.255');
  });
});

describe('IPv6', () => {
  it('formats as RFC 5952 (and go-ethereum) print it', () => {
    const cases: Array<[string, string]> = [
      ['0:0:0:0:0:0:0:0', '::'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['2001:db8:3c4d:15:0:0:abcd:ef12', '2001:db8:3c4d:15::abcd:ef12'],
      ['2001:0db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // leftmost of equal runs
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group stays
      ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::'], // longest run wins
      ['1:0:0:0:0:0:0:0', '1::'],
      ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
      ['FE80::A', 'fe80::a'],
    ];
    for (const [input, want] of cases) expect(formatIPv6(parseIPv6(input)!)).toBe(want);
  });

  it('rejects malformed text', () => {
    for (const bad of [
      '',
      ':',
      ':::',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      '12345::',
      'g::',
      '::1%eth0',
      '1.2.3.4::',
      '::1.2.3',
      ':1::',
      '1:2:3:4:5:6:7::8',
    ]) {
      expect(parseIPv6(bad), bad).toBeUndefined();
    }
    expect(parseIPv6('1:2:3:4:5:6:1.2.3.4')).toEqual(
      Uint8Array.of(0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4),
    );
  });

  it('format -> parse round trip, and Node agrees the text is IPv6', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = formatIPv6(bytes);
        expect(isIP(text)).toBe(6);
        expect(parseIPv6(text)).toEqual(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with Node on random strings', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f:.]{0,20}$/), (text) => {
        expect(parseIPv6(text) !== undefined).toBe(isIP(text) === 6);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('IPv6 edge forms', () => {
  it('parses :: at either end to the exact bytes', () => {
    expect(parseIPv6('::1')).toEqual(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
    expect(parseIPv6('1:2:3:4:5:6:7::')).toEqual(
      Uint8Array.of(0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0),
    );
    expect(parseIPv6('1:2:3:4:5:6:7:8::')).toBeUndefined();
  });

  it('takes a dotted IPv4 part only at the very end', () => {
    expect(parseIPv6('::1.2.3.4:5')).toBeUndefined();
    expect(parseIPv6('::5:1.2.3.4')).toEqual(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4));
  });

  it('prints the dotted form only for ::ffff:0:0/96', () => {
    for (const text of ['::fffe:102:304', '::feff:102:304', '1::ffff:102:304', '::1:ffff:102:304']) {
      expect(formatIPv6(parseIPv6(text)!)).toBe(text);
    }
    expect(formatIPv6(parseIPv6('::ffff:1.2.3.4')!)).toBe('::ffff:1.2.3.4');
  });

  it('never prints a buffer shorter than 16 bytes as IPv4-mapped', () => {
    const short = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff);
    expect(formatIPv6(short)).toBe('::ffff:0:0');
  });
});
