import { bytesToHex, hexToBytes } from '@status-ts/core';
import { CryptoError, getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import { Enr, EnrErrorCode, enodeFromEnr, enrFromEnode, formatEnode, parseEnode } from '../src/index.js';
import { errorOf } from './error-of.js';

const key = hexToBytes('b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291');
const publicKey = getPublicKey(key, 'raw');
const keyHex = bytesToHex(publicKey);
const url = (rest: string) => `enode://${keyHex}@${rest}`;

describe('enode URL parsing: host and port structure', () => {
  it('needs a ":" right after the IPv6 bracket', () => {
    expect(errorOf(() => parseEnode(url('[::1]x30303'))).code).toBe(EnrErrorCode.EnodeInvalidPort);
    expect(parseEnode(url('[::1]:30303')).tcp).toBe(30303);
  });

  it('rejects a host without a port', () => {
    expect(errorOf(() => parseEnode(url('30303'))).code).toBe(EnrErrorCode.EnodeInvalidPort);
    expect(errorOf(() => parseEnode(url('?:1'))).code).toBe(EnrErrorCode.EnodeInvalidPort);
  });

  it('rejects an unbracketed IPv6 host without details', () => {
    const err = errorOf(() => parseEnode(url('::1:30303')));
    expect(err.code).toBe(EnrErrorCode.EnodeInvalid);
    expect(err.details).toStrictEqual({});
  });

  it('names the bad port or discport text', () => {
    const port = errorOf(() => parseEnode(url('1.2.3.4:abc')));
    expect(port.code).toBe(EnrErrorCode.EnodeInvalidPort);
    expect(port.details).toStrictEqual({ port: 'abc' });
    const disc = errorOf(() => parseEnode(url('1.2.3.4:30303?discport=x')));
    expect(disc.code).toBe(EnrErrorCode.EnodeInvalidPort);
    expect(disc.details).toStrictEqual({ discport: 'x' });
  });

  it('takes the first discport, an empty one meaning the tcp port', () => {
    expect(parseEnode(url('1.2.3.4:30303?discport=30301')).udp).toBe(30301);
    expect(parseEnode(url('1.2.3.4:30303?discport&discport=30301')).udp).toBe(30303);
    expect(parseEnode(url('1.2.3.4:30303?discport=&discport=30301')).udp).toBe(30303);
    expect(parseEnode(url('1.2.3.4:30303?x=1&discport=30301')).udp).toBe(30301);
    expect(parseEnode(url('1.2.3.4:30303?discports=1&xdiscport=2')).udp).toBe(30303);
  });

  it('names the host of an invalid address', () => {
    const v6 = errorOf(() => parseEnode(url('[zz]:1')));
    expect(v6.code).toBe(EnrErrorCode.EnodeInvalid);
    expect(v6.details).toStrictEqual({ host: 'zz' });
    const v4 = errorOf(() => parseEnode(url('1.2.3.999:1')));
    expect(v4.code).toBe(EnrErrorCode.EnodeInvalid);
    expect(v4.details).toStrictEqual({ host: '1.2.3.999' });
  });

  it('takes DNS names that start with digits or have one-letter labels only when allowed', () => {
    for (const host of ['1host.example', 'a.b', 'node.x.example']) {
      const err = errorOf(() => parseEnode(url(`${host}:30303`)));
      expect(err.code).toBe(EnrErrorCode.EnodeHostname);
      expect(err.details).toStrictEqual({ host });
      expect(parseEnode(url(`${host}:30303`), { allowHostname: true }).hostname).toBe(host);
    }
  });
});

describe('enode URL parsing: public key', () => {
  it('reports the length of a key-only URL that is too short', () => {
    const err = errorOf(() => parseEnode('enode://abcd'));
    expect(err.code).toBe(EnrErrorCode.EnodeInvalidPublicKey);
    expect(err.details).toStrictEqual({ length: 4 });
  });

  it('rejects an odd number of hex characters', () => {
    const err = errorOf(() => parseEnode(`enode://${keyHex.slice(1)}@1.2.3.4:1`));
    expect(err.code).toBe(EnrErrorCode.EnodeInvalidPublicKey);
  });

  it('keeps the curve error of a point off the curve as the cause', () => {
    const err = errorOf(() => parseEnode(`enode://${'ff'.repeat(64)}@1.2.3.4:1`));
    expect(err.code).toBe(EnrErrorCode.EnodeInvalidPublicKey);
    expect(err.cause).toBeInstanceOf(CryptoError);
  });
});

describe('enode URL formatting', () => {
  it('checks both ports at their bounds', () => {
    expect(formatEnode({ publicKey, ip: '1.2.3.4', tcp: 0, udp: 65535 })).toBe(
      `enode://${keyHex}@1.2.3.4:0?discport=65535`,
    );
    for (const bad of [-1, 1.5, 65536]) {
      expect(errorOf(() => formatEnode({ publicKey, ip: '1.2.3.4', tcp: bad })).code).toBe(
        EnrErrorCode.EnodeInvalidPort,
      );
      expect(errorOf(() => formatEnode({ publicKey, ip: '1.2.3.4', udp: bad })).code).toBe(
        EnrErrorCode.EnodeInvalidPort,
      );
    }
  });

  it('names an invalid ip or hostname', () => {
    const ip = errorOf(() => formatEnode({ publicKey, ip: 'nope' }));
    expect(ip.code).toBe(EnrErrorCode.EnodeInvalid);
    expect(ip.details).toStrictEqual({ ip: 'nope' });
    const host = errorOf(() => formatEnode({ publicKey, hostname: 'bad_host' }));
    expect(host.code).toBe(EnrErrorCode.EnodeInvalid);
    expect(host.details).toStrictEqual({ hostname: 'bad_host' });
  });

  it('rejects a public key that is not bytes with a typed error', () => {
    const err = errorOf(() => formatEnode({ publicKey: undefined as unknown as Uint8Array }));
    expect(err.code).toBe(EnrErrorCode.EnodeInvalidPublicKey);
  });
});

describe('enode URL of a record', () => {
  it('uses tcp6, else tcp, for an IPv6-only record', () => {
    const tcp6 = Enr.create({ privateKey: key, ip6: '::1', tcp6: 30304 });
    expect(enodeFromEnr(tcp6)).toBe(`enode://${keyHex}@[::1]:30304?discport=0`);
    const tcp = Enr.create({ privateKey: key, ip6: '::1', tcp: 30303, udp: 30303 });
    expect(enodeFromEnr(tcp)).toBe(`enode://${keyHex}@[::1]:30303`);
  });

  it('needs an address, not only a port', () => {
    const portOnly = Enr.create({ privateKey: key, tcp: 30303 });
    expect(errorOf(() => enodeFromEnr(portOnly)).code).toBe(EnrErrorCode.EnodeMissingAddress);
  });

  it('builds a record without an address from a key-only URL', () => {
    const enr = enrFromEnode(`enode://${keyHex}`, key);
    expect(enr.keys()).toEqual(['id', 'secp256k1']);
  });
});
