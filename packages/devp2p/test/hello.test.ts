import { bytesToHex, concatBytes, hexToBytes } from '@status-ts/core';
import { rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import { Devp2pErrorCode, decodeHello, encodeHello } from '../src/index.js';

const nodeId = new Uint8Array(64).fill(9);
const hello = { protocolVersion: 5, clientId: 'x', capabilities: [], listenPort: 0, nodeId };

function badHello(payload: Uint8Array, causeMentions: string): void {
  let error: unknown;
  try {
    decodeHello(payload);
  } catch (e) {
    error = e;
  }
  expect(error).toMatchObject({ code: Devp2pErrorCode.BadHello });
  // The cause names the field, for the operator reading the log.
  expect(String((error as { cause?: Error }).cause?.message)).toContain(causeMentions);
}

describe('decodeHello', () => {
  it('accepts a Hello of exactly maxSize bytes and reports size and limit above it', () => {
    const payload = encodeHello(hello);
    expect(decodeHello(payload, payload.length).clientId).toBe('x');
    expect(() => decodeHello(payload, payload.length - 1)).toThrow(
      expect.objectContaining({
        code: Devp2pErrorCode.BadHello,
        details: { size: payload.length, limit: payload.length - 1 },
      }),
    );
  });

  it('ignores bytes after the Hello list (EIP-8)', () => {
    const payload = concatBytes(encodeHello(hello), hexToBytes('0102'));
    expect(decodeHello(payload).nodeId).toEqual(nodeId);
  });

  it('refuses a Hello of more than 4096 RLP items, whatever maxSize allows', () => {
    const many = Array.from({ length: 1400 }, () => ['a', 1]);
    const payload = rlpEncode([5, 'x', many, 0, nodeId]);
    expect(() => decodeHello(payload, 1 << 20)).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.BadHello }),
    );
    const fewer = rlpEncode([5, 'x', many.slice(0, 1300), 0, nodeId]);
    expect(decodeHello(fewer, 1 << 20).capabilities.length).toBe(1300);
  });

  it('keeps the malformed field in the cause of ERR_P2P_BAD_HELLO', () => {
    badHello(rlpEncode([5, 'x', [], 0]), 'Hello');
    badHello(rlpEncode([5, 'x', 'notalist', 0, nodeId]), 'capabilities');
    badHello(rlpEncode([5, 'x', ['waku'], 0, nodeId]), 'capability');
    badHello(rlpEncode([5, 'x', [[['w'], 1]], 0, nodeId]), 'capability name');
    badHello(rlpEncode([5, 'x', [['waku', [1]]], 0, nodeId]), 'capability version');
    badHello(rlpEncode([[5], 'x', [], 0, nodeId]), 'protocol version');
    badHello(rlpEncode([5, ['x'], [], 0, nodeId]), 'client id');
    badHello(rlpEncode([5, 'x', [], [0], nodeId]), 'listen port');
    badHello(rlpEncode([5, 'x', [], 0, [nodeId]]), 'node id');
  });

  it('decodes a client id that is not UTF-8 with replacement characters', () => {
    const payload = rlpEncode([5, hexToBytes('61ff62'), [], 0, nodeId]);
    expect(decodeHello(payload).clientId).toBe('a\ufffdb');
  });

  it('returns a node id that does not alias the payload', () => {
    const payload = encodeHello(hello);
    const decoded = decodeHello(payload);
    payload.fill(0);
    expect(bytesToHex(decoded.nodeId)).toBe('09'.repeat(64));
  });
});
