import { bytesToHex } from '@status-ts/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fastNode } from '../src/backend.js';
import { hmacSha512Noble, hmacSha512Node } from '../src/hashes.js';
import { cryptoBackends, hmacSha512, initFastCrypto } from '../src/index.js';
import { ascii, expectFastBackends, onPath, PATHS } from './helpers.js';

const hex = bytesToHex;
const filled = (byte: number, length: number): Uint8Array => new Uint8Array(length).fill(byte);
const counting = (length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => i + 1);

/** RFC 4231 section 4, HMAC-SHA-512 (test case 5 defines only the first 128 bits). */
const RFC_4231 = [
  {
    name: '4.2 short key',
    key: filled(0x0b, 20),
    data: ascii('Hi There'),
    mac: '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
  },
  {
    name: '4.3 key shorter than the output',
    key: ascii('Jefe'),
    data: ascii('what do ya want for nothing?'),
    mac: '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
  },
  {
    name: '4.4 combined length > block',
    key: filled(0xaa, 20),
    data: filled(0xdd, 50),
    mac: 'fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb',
  },
  {
    name: '4.5 25-byte key',
    key: counting(25),
    data: filled(0xcd, 50),
    mac: 'b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd',
  },
  {
    name: '4.6 truncated to 128 bits',
    key: filled(0x0c, 20),
    data: ascii('Test With Truncation'),
    mac: '415fad6271580a531d4179bc891d87a6',
  },
  {
    name: '4.7 key larger than the 128-byte block',
    key: filled(0xaa, 131),
    data: ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
    mac: '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598',
  },
  {
    name: '4.8 key and data larger than the block',
    key: filled(0xaa, 131),
    data: ascii(
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
    ),
    mac: 'e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58',
  },
];

beforeAll(async () => {
  await initFastCrypto();
  expectFastBackends();
  expect(cryptoBackends().hmacSha512).toBe('node');
});

describe.each(PATHS)('hmacSha512 on the %s path', (path) => {
  it.each(RFC_4231)('RFC 4231 $name', ({ key, data, mac }) =>
    onPath(path, () => {
      expect(hex(hmacSha512(key, data)).slice(0, mac.length)).toBe(mac);
    }),
  );

  it('MACs the concatenation of its parts (none, empty and split parts)', () =>
    onPath(path, () => {
      const { key, data, mac } = RFC_4231[1]!;
      expect(hex(hmacSha512(key, data.subarray(0, 5), new Uint8Array(0), data.subarray(5)))).toBe(mac);
      expect(hex(hmacSha512(key))).toBe(hex(hmacSha512(key, new Uint8Array(0))));
      expect(hmacSha512(key)).toHaveLength(64);
    }));
});

describe('hmacSha512 node:crypto path == noble path', () => {
  it('random keys (0-200 bytes, across the 128-byte block) and parts', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 4 }),
        (key, parts) => {
          expect(hex(hmacSha512Node(fastNode()!, key, parts))).toBe(hex(hmacSha512Noble(key, parts)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
