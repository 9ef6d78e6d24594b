import { bytesToHex } from '@status-ts/core';
import { Enr, EnrError, rlpEncode, rlpRaw } from '@status-ts/enr';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  decodeDiscover,
  decodeDiscoverResponse,
  decodeRegister,
  decodeRegisterResponse,
  decodeRemoteIpResponse,
  encodeDiscoverResponse,
  encodeRegisterResponse,
  encodeRemoteIpResponse,
} from '../src/index.js';
import { failure } from './helpers/failure.js';
import { forgedEnrRlp, testEnr } from './helpers/fixtures.js';

const TOO_WIDE = 2n ** 64n;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('message decoder errors', () => {
  it('name the message and the field that failed', () => {
    const record = rlpRaw(testEnr().encode());
    const cases: Array<[(body: Uint8Array) => unknown, Parameters<typeof rlpEncode>[0], string]> = [
      [decodeRegister, 'x', 'malformed REGISTER: REGISTER must be a list, got a byte string'],
      [decodeRegister, ['t', record], 'malformed REGISTER: expected 3 fields, got 2'],
      [decodeRegister, [['t'], record, 1], 'malformed REGISTER: topic must be a byte string, got a list'],
      [decodeRegister, ['t', record, TOO_WIDE], 'malformed REGISTER: ttl is wider than 8 bytes'],
      [decodeRegisterResponse, [0], 'malformed REGISTER_RESPONSE: expected 2 fields, got 1'],
      [
        decodeRegisterResponse,
        [TOO_WIDE, ''],
        'malformed REGISTER_RESPONSE: REGISTER_RESPONSE status is wider than 8 bytes',
      ],
      [
        decodeRegisterResponse,
        [0, []],
        'malformed REGISTER_RESPONSE: message must be a byte string, got a list',
      ],
      [decodeDiscover, [1], 'malformed DISCOVER: expected 2 fields, got 1'],
      [decodeDiscover, [TOO_WIDE, 't'], 'malformed DISCOVER: limit is wider than 8 bytes'],
      [decodeDiscover, [1, ['t']], 'malformed DISCOVER: topic must be a byte string, got a list'],
      [decodeDiscoverResponse, [0, ''], 'malformed DISCOVER_RESPONSE: expected 3 fields, got 2'],
      [
        decodeDiscoverResponse,
        [TOO_WIDE, '', []],
        'malformed DISCOVER_RESPONSE: DISCOVER_RESPONSE status is wider than 8 bytes',
      ],
      [
        decodeDiscoverResponse,
        [0, [], []],
        'malformed DISCOVER_RESPONSE: message must be a byte string, got a list',
      ],
      [
        decodeDiscoverResponse,
        [0, '', 'x'],
        'malformed DISCOVER_RESPONSE: records must be a list, got a byte string',
      ],
      [decodeRemoteIpResponse, [0], 'malformed REMOTEIP_RESPONSE: expected 2 fields, got 1'],
      [
        decodeRemoteIpResponse,
        [TOO_WIDE, ''],
        'malformed REMOTEIP_RESPONSE: REMOTEIP_RESPONSE status is wider than 8 bytes',
      ],
      [decodeRemoteIpResponse, [0, []], 'malformed REMOTEIP_RESPONSE: ip must be a byte string, got a list'],
    ];
    for (const [decode, body, message] of cases) {
      const err = failure(() => decode(rlpEncode(body)));
      expect(err.code).toBe('ERR_RENDEZVOUS_MALFORMED');
      expect(err.message).toBe(message);
    }
  });

  it('keep the RLP error as the cause, and do not wrap their own errors again', () => {
    const wrapped = failure(() => decodeDiscover(rlpEncode([TOO_WIDE, 't'])));
    expect(wrapped.cause).toBeInstanceOf(EnrError);
    const own = failure(() => decodeDiscover(rlpEncode([1])));
    expect(own.cause).toBeUndefined();
  });

  it('keep the ENR error as the cause of an invalid record', () => {
    const err = failure(() => decodeRegister(rlpEncode(['t', rlpRaw(forgedEnrRlp(testEnr())), 1])));
    expect(err.code).toBe('ERR_RENDEZVOUS_INVALID_ENR');
    expect(err.cause).toBeInstanceOf(EnrError);
  });

  it('let an unexpected (non-ENR) error from the record decoder through unchanged', () => {
    const bug = new TypeError('decoder bug');
    vi.spyOn(Enr, 'decode').mockImplementation(() => {
      throw bug;
    });
    const record = rlpRaw(testEnr().encode());
    expect(() => decodeRegister(rlpEncode(['t', record, 1]))).toThrow(bug);
    expect(() => decodeDiscoverResponse(rlpEncode([0, '', [record]]))).toThrow(bug);
  });
});

describe('message codecs', () => {
  it('clamp uint64 statuses and limits above 2^53 to Number.MAX_SAFE_INTEGER', () => {
    const max = Number.MAX_SAFE_INTEGER;
    for (const value of [2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      expect(decodeRegisterResponse(rlpEncode([value, ''])).status).toBe(max);
      expect(decodeRemoteIpResponse(rlpEncode([value, ''])).status).toBe(max);
      expect(decodeDiscoverResponse(rlpEncode([value, '', []])).status).toBe(max);
      expect(decodeDiscover(rlpEncode([value, 't'])).limit).toBe(max);
    }
    expect(decodeDiscover(rlpEncode([2n ** 53n - 2n, 't'])).limit).toBe(max - 1);
    expect(decodeRegisterResponse(rlpEncode([0, ''])).status).toBe(0);
  });

  it('encode a missing message or ip as an empty string', () => {
    expect(bytesToHex(encodeRegisterResponse({ status: 0 }))).toBe('c28080');
    expect(bytesToHex(encodeRemoteIpResponse({ status: 0 }))).toBe('c28080');
    expect(bytesToHex(encodeDiscoverResponse({ status: 0 }))).toBe('c38080c0');
  });

  it('decode text leniently as UTF-8', () => {
    const body = rlpEncode([0, new Uint8Array([0x63, 0x61, 0x66, 0xc3, 0xa9, 0xff])]);
    expect(decodeRegisterResponse(body).message).toBe('caf\u00e9\ufffd');
  });

  it('count a record that is a byte string as invalid', () => {
    const good = rlpRaw(testEnr().encode());
    const decoded = decodeDiscoverResponse(rlpEncode([0, '', ['junk', good]]));
    expect(decoded.records).toHaveLength(1);
    expect(decoded.invalidRecords).toBe(1);
  });
});
