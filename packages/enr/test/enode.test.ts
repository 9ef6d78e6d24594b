import { bytesToHex, hexToBytes, StatusTsError } from '@status-ts/core';
import { getPublicKey, keccak256 } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readVectors } from '../../../tools/vectors.js';
import {
  Enr,
  enodeFromEnr,
  enrFromEnode,
  formatEnode,
  formatIPv6,
  type NodeAddress,
  parseEnode,
  parseNodeUrl,
} from '../src/index.js';
import { errorOf } from './error-of.js';

const vectors = readVectors('enr.json');
interface UrlCase {
  input: string;
  want_error?: string;
  want?: { pubkey: string; ip: string | null; hostname?: string; tcp: number; udp: number };
}
const urlCases: UrlCase[] = vectors.geth_cases.enode_url_cases.cases;

const key = hexToBytes('b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291');
const keyHex = bytesToHex(getPublicKey(key, 'raw'));

/** go-ethereum error texts mapped to our codes. */
const codeFor: Record<string, string> = {
  'invalid port': 'ERR_ENODE_INVALID_PORT',
  'invalid discport in query': 'ERR_ENODE_INVALID_PORT',
  "missing 'enr:' prefix for base64-encoded record": 'ERR_ENR_MISSING_PREFIX',
  'invalid public key (wrong length, want 128 hex chars)': 'ERR_ENODE_INVALID_PUBLIC_KEY',
};

function expectAddress(node: NodeAddress, want: NonNullable<UrlCase['want']>): void {
  expect(bytesToHex(node.publicKey)).toBe(want.pubkey);
  expect(node.nodeId).toEqual(keccak256(hexToBytes(want.pubkey)));
  expect(node.ip).toBe(want.ip ?? undefined);
  expect(node.tcp).toBe(want.tcp);
  expect(node.udp).toBe(want.udp);
}

describe('go-ethereum urlv4_test parseNodeTests (ENR-06)', () => {
  it('has the 15 enode URL cases', () => {
    expect(urlCases.length).toBe(15);
  });

  /** Where our message says more than go-ethereum's: the input, and what ours starts with. */
  const clearerMessages: Record<string, string> = {
    'enode://01010101': 'missing the address part (@host:port) after the public key',
  };

  it.each(urlCases)('$input', (c) => {
    if (c.want_error !== undefined) {
      const err = errorOf(() => parseNodeUrl(c.input));
      expect(err.code).toBe(codeFor[c.want_error]);
      const clearer = clearerMessages[c.input];
      if (clearer === undefined) expect(err.message).toBe(c.want_error);
      else expect(err.message.startsWith(clearer)).toBe(true);
      return;
    }
    const want = c.want!;
    if (want.hostname !== undefined) {
      // DNS names are refused by default and accepted on request.
      expect(errorOf(() => parseNodeUrl(c.input)).code).toBe('ERR_ENODE_HOSTNAME');
      const node = parseEnode(c.input, { allowHostname: true });
      expectAddress(node, want);
      expect(node.hostname).toBe(want.hostname);
      expect(formatEnode(node)).toBe(c.input);
      return;
    }
    const node = parseNodeUrl(c.input);
    expectAddress(node, want);
    // TestNodeString: formatting gives back the very same URL.
    expect(formatEnode(node)).toBe(c.input);
  });

  it('the enr: form goes through record decoding (parseNodeTests[0..3])', () => {
    const c = vectors.geth_cases.valid_seq99;
    const node = parseNodeUrl(c.input);
    expect(node.ip).toBe('127.0.0.1');
    expect(node.udp).toBe(30303);
    expect(node.tcp).toBe(0);
    expect(bytesToHex(node.nodeId)).toBe(c.node_id_computed);
    expect(errorOf(() => parseNodeUrl(vectors.geth_cases.invalid_signature.input)).code).toBe(
      'ERR_ENR_BAD_SIGNATURE',
    );
    expect(errorOf(() => parseNodeUrl('enr:x')).code).toBe('ERR_ENR_INVALID_BASE64');
  });
});

describe('parseEnode details', () => {
  const base = `enode://${keyHex}`;

  it('says the address part is missing when a short key has no @host:port', () => {
    const err = errorOf(() => parseEnode('enode://abcdef'));
    expect(err.code).toBe('ERR_ENODE_INVALID_PUBLIC_KEY');
    expect(err.message).toBe(
      'missing the address part (@host:port) after the public key; a key-only enode URL needs the whole 128-hex-character key, got 6 characters',
    );
    // With an address, a short key is a key problem and says so.
    expect(errorOf(() => parseEnode('enode://abcdef@1.2.3.4:30303')).message).toBe(
      'invalid public key (wrong length, want 128 hex chars)',
    );
    // The whole key alone is still the valid incomplete form.
    expect(parseEnode(base)).toMatchObject({ ip: undefined, tcp: 0 });
  });

  it('port 0, leading zeros, discport handling', () => {
    expect(parseEnode(`${base}@1.2.3.4:0`)).toMatchObject({ ip: '1.2.3.4', tcp: 0, udp: 0 });
    expect(parseEnode(`${base}@1.2.3.4:030303`)).toMatchObject({ tcp: 30303, udp: 30303 });
    expect(parseEnode(`${base}@1.2.3.4:1?discport=0`)).toMatchObject({ tcp: 1, udp: 0 });
    expect(parseEnode(`${base}@1.2.3.4:1?discport=`)).toMatchObject({ tcp: 1, udp: 1 });
    expect(parseEnode(`${base}@1.2.3.4:1?x=y&discport=7&discport=8`)).toMatchObject({ tcp: 1, udp: 7 });
    expect(formatEnode({ publicKey: getPublicKey(key), ip: '1.2.3.4', tcp: 1, udp: 0 })).toBe(
      `${base}@1.2.3.4:1?discport=0`,
    );
  });

  it('IPv6 forms', () => {
    expect(parseEnode(`${base}@[::ffff:10.0.0.1]:5`).ip).toBe('10.0.0.1'); // IPv4-mapped, as geth's To4()
    expect(parseEnode(`${base}@[2001:DB8:0:0:0:0:0:1]:5`).ip).toBe('2001:db8::1');
    expect(formatEnode({ publicKey: getPublicKey(key), ip: '2001:DB8:0::1', tcp: 5 })).toBe(
      `${base}@[2001:db8::1]:5`,
    );
  });

  const rejected: Array<[string, string]> = [
    [`${base}@1.2.3.4`, 'ERR_ENODE_INVALID_PORT'],
    [`${base}@1.2.3.4:65536`, 'ERR_ENODE_INVALID_PORT'],
    [`${base}@1.2.3.4:-1`, 'ERR_ENODE_INVALID_PORT'],
    [`${base}@1.2.3.4:+1`, 'ERR_ENODE_INVALID_PORT'],
    [`${base}@1.2.3.4:1?discport=70000`, 'ERR_ENODE_INVALID_PORT'],
    [`${base}@[::1]`, 'ERR_ENODE_INVALID_PORT'],
    [`${base}@::1:30303`, 'ERR_ENODE_INVALID'],
    [`${base}@[zz::1]:1`, 'ERR_ENODE_INVALID'],
    [`${base}@[::1:1`, 'ERR_ENODE_INVALID'],
    [`${base}@1.2.3.256:1`, 'ERR_ENODE_INVALID'],
    [`${base}@01.2.3.4:1`, 'ERR_ENODE_INVALID'],
    [`${base}@:1`, 'ERR_ENODE_INVALID'],
    [`${base}@1.2.3.4:1/path`, 'ERR_ENODE_INVALID'],
    [`${base}@1.2.3.4:1#frag`, 'ERR_ENODE_INVALID'],
    [`${base}@bad_host!:1`, 'ERR_ENODE_INVALID'],
    [`${base}@boot.status.im:30303`, 'ERR_ENODE_HOSTNAME'],
    [`enode://${'00'.repeat(64)}@1.2.3.4:1`, 'ERR_ENODE_INVALID_PUBLIC_KEY'], // not on the curve
    [`enode://${keyHex.slice(1)}x@1.2.3.4:1`, 'ERR_ENODE_INVALID_PUBLIC_KEY'],
    [`enode://${keyHex}0@1.2.3.4:1`, 'ERR_ENODE_INVALID_PUBLIC_KEY'],
    [`enode://@1.2.3.4:1`, 'ERR_ENODE_INVALID_PUBLIC_KEY'],
    ['enode://', 'ERR_ENODE_INVALID'],
    [`ENODE://${keyHex}@1.2.3.4:1`, 'ERR_ENODE_INVALID'],
  ];
  it.each(rejected)('%s -> %s', (url, code) => {
    expect(errorOf(() => parseEnode(url)).code).toBe(code);
  });

  it('formatEnode validates its input', () => {
    const publicKey = getPublicKey(key);
    expect(errorOf(() => formatEnode({ publicKey: new Uint8Array(64) })).code).toBe(
      'ERR_ENODE_INVALID_PUBLIC_KEY',
    );
    expect(errorOf(() => formatEnode({ publicKey, ip: 'nope', tcp: 1 })).code).toBe('ERR_ENODE_INVALID');
    expect(errorOf(() => formatEnode({ publicKey, ip: '1.2.3.4', tcp: 70_000 })).code).toBe(
      'ERR_ENODE_INVALID_PORT',
    );
    expect(formatEnode({ publicKey: getPublicKey(key, 'compressed') })).toBe(base);
  });
});

describe('enode <-> ENR', () => {
  it('enodeFromEnr needs ip and tcp; udp becomes discport', () => {
    const spec = Enr.decodeText(vectors.spec_example.text); // ip + udp, no tcp
    expect(errorOf(() => enodeFromEnr(spec)).code).toBe('ERR_ENODE_MISSING_ADDRESS');
    const enr = Enr.create({ privateKey: key, ip: '10.1.2.3', tcp: 30303, udp: 30301 });
    expect(enodeFromEnr(enr)).toBe(`enode://${keyHex}@10.1.2.3:30303?discport=30301`);
    const same = Enr.create({ privateKey: key, ip: '10.1.2.3', tcp: 30303, udp: 30303 });
    expect(enodeFromEnr(same)).toBe(`enode://${keyHex}@10.1.2.3:30303`);
    const v6 = Enr.create({ privateKey: key, ip6: '::1', tcp6: 443, tcp: 1 });
    expect(enodeFromEnr(v6)).toBe(`enode://${keyHex}@[::1]:443?discport=0`);
    expect(errorOf(() => enodeFromEnr(Enr.create({ privateKey: key, ip6: '::1' }))).code).toBe(
      'ERR_ENODE_MISSING_ADDRESS',
    );
  });

  it('enrFromEnode signs a record for the URL when given its key', () => {
    const url = `enode://${keyHex}@10.1.2.3:30303?discport=30301`;
    const enr = enrFromEnode(url, key, { seq: 5 });
    expect(enr.seq).toBe(5n);
    expect(enodeFromEnr(enr)).toBe(url);
    expect(enr.toNodeAddress()).toEqual(parseEnode(url));
    const v6 = enrFromEnode(`enode://${keyHex}@[2001:db8::7]:0`, key);
    expect(v6.ip6).toBe('2001:db8::7');
    expect(v6.has('tcp')).toBe(false);
    expect(v6.has('udp')).toBe(false);
    expect(enrFromEnode(`enode://${keyHex}`, key).has('ip')).toBe(false);
    const other = hexToBytes('45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8');
    expect(errorOf(() => enrFromEnode(url, other)).code).toBe('ERR_ENR_KEY_MISMATCH');
  });
});

describe('properties', () => {
  const publicKey = getPublicKey(key, 'raw');
  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
  const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(formatIPv6);
  const port = fc.integer({ min: 0, max: 65_535 });

  it('format -> parse round trip', () => {
    fc.assert(
      fc.property(fc.oneof(ipv4, ipv6), port, port, (ip, tcp, udp) => {
        const url = formatEnode({ publicKey, ip, tcp, udp });
        const node = parseEnode(url);
        expect(node.tcp).toBe(tcp);
        expect(node.udp).toBe(udp);
        expect(formatEnode(node)).toBe(url);
      }),
      { numRuns: 1000 },
    );
  });

  it('random and mutated URLs: only typed errors', () => {
    const valid = `enode://${keyHex}@[2001:db8::1]:30303?discport=30301`;
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.nat(),
        fc.string({ maxLength: 3 }),
        (junk, at, insert) => {
          const i = at % valid.length;
          for (const input of [junk, `enode://${junk}`, valid.slice(0, i) + insert + valid.slice(i + 1)]) {
            try {
              parseNodeUrl(input, { allowHostname: at % 2 === 0 });
            } catch (err) {
              expect(err).toBeInstanceOf(StatusTsError);
              expect(typeof (err as StatusTsError).code).toBe('string');
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
