import { concatBytes, utf8ToBytes } from '@status-ts/core';
import { rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import { CURSOR_LENGTH, decodeP2PRequestComplete, encodeP2PRequestComplete } from '../src/index.js';
import { code } from './helpers/errors.js';
import { rootMessage, thrown } from './helpers/thrown.js';

const ID = new Uint8Array(32).fill(7);
const PREFIX = utf8ToBytes('ERROR=');

describe('P2P Request Complete (code 125) encoding', () => {
  it('rejects a last envelope hash that is not 32 bytes', () => {
    expect(
      code(() => encodeP2PRequestComplete({ requestId: ID, lastEnvelopeHash: new Uint8Array(31) })),
    ).toBe('ERR_WAKU_BAD_PACKET');
  });

  it('treats an empty cursor as absent', () => {
    const last = new Uint8Array(32).fill(9);
    const encoded = encodeP2PRequestComplete({
      requestId: ID,
      lastEnvelopeHash: last,
      cursor: new Uint8Array(0),
    });
    expect(encoded).toEqual(rlpEncode(concatBytes(ID, last)));
  });
});

describe('P2P Request Complete (code 125) decoding', () => {
  it('keeps the RLP error as the cause of a malformed payload', () => {
    const err = thrown(() => decodeP2PRequestComplete(Uint8Array.of(0xb8)));
    expect(err.code).toBe('ERR_WAKU_BAD_PACKET');
    expect(err.cause?.code).toBe('ERR_RLP_TRUNCATED');
  });

  it('reads "ERROR=" || id with an empty message (38 bytes, the shortest failure)', () => {
    const decoded = decodeP2PRequestComplete(rlpEncode(concatBytes(PREFIX, ID)));
    expect(decoded).toEqual({ requestId: ID, error: '' });
  });

  it('reads a 32..37-byte body starting with "ERROR=" as a plain request id', () => {
    for (const length of [32, 37]) {
      const body = concatBytes(PREFIX, new Uint8Array(length - PREFIX.length).fill(1));
      expect(decodeP2PRequestComplete(rlpEncode(body))).toEqual({ requestId: body.subarray(0, 32) });
    }
  });

  it('replaces an error message that is not UTF-8', () => {
    const body = concatBytes(PREFIX, ID, Uint8Array.of(0xff, 0xfe));
    expect(decodeP2PRequestComplete(rlpEncode(body))).toEqual({
      requestId: ID,
      error: 'unreadable error message',
    });
  });

  it('reads id || hash || cursor', () => {
    const last = new Uint8Array(32).fill(2);
    const cursor = new Uint8Array(CURSOR_LENGTH).fill(3);
    expect(decodeP2PRequestComplete(rlpEncode(concatBytes(ID, last, cursor)))).toEqual({
      requestId: ID,
      lastEnvelopeHash: last,
      cursor,
    });
  });
});

describe('P2P Request Complete errors name the bad field', () => {
  it('names the payload when it is not a byte string', () => {
    expect(rootMessage(() => decodeP2PRequestComplete(rlpEncode([1])))).toMatch(/^request complete payload /);
  });
});
