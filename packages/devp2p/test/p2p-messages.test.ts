import { bytesToHex, hexToBytes } from '@status-ts/core';
import { rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  ByteQueue,
  DEFAULT_MAX_HELLO_SIZE,
  Devp2pErrorCode,
  DisconnectReason,
  decodeDisconnect,
  decodeHello,
  disconnectReasonName,
  encodeDisconnect,
  encodeHello,
  matchCapabilities,
  validateCapability,
} from '../src/index.js';

describe('capability negotiation (RLPX-12)', () => {
  const cap = (name: string, version: number, length: number) => ({ name, version, length });

  it('gives shh 0x10-0x8f and waku 0x90-0x10f when both are shared', () => {
    const shared = matchCapabilities(
      [cap('waku', 1, 128), cap('shh', 6, 128)],
      [
        { name: 'shh', version: 6 },
        { name: 'waku', version: 1 },
        { name: 'eth', version: 66 },
      ],
    );
    expect(shared.map((s) => [s.name, s.version, s.offset])).toEqual([
      ['shh', 6, 0x10],
      ['waku', 1, 0x90],
    ]);
  });

  it('picks the highest common version per name and sorts names case-sensitively', () => {
    const shared = matchCapabilities(
      [cap('b', 1, 2), cap('b', 2, 3), cap('b', 3, 4), cap('B', 1, 5), cap('a', 1, 1)],
      [
        { name: 'b', version: 1 },
        { name: 'b', version: 2 },
        { name: 'B', version: 1 },
        { name: 'a', version: 9 },
      ],
    );
    expect(shared.map((s) => [s.name, s.version, s.offset, s.length])).toEqual([
      ['B', 1, 0x10, 5],
      ['b', 2, 0x15, 3],
    ]);
  });

  it('validates names (1-8 printable ASCII), versions and lengths', () => {
    for (const bad of [
      cap('', 1, 1),
      cap('ninechars', 1, 1),
      cap('sp ace', 1, 1),
      cap('ok', -1, 1),
      cap('ok', 1, 0),
    ]) {
      expect(() => validateCapability(bad)).toThrow(
        expect.objectContaining({ code: Devp2pErrorCode.InvalidOptions }),
      );
    }
    expect(() => validateCapability(cap('waku', 1, 128))).not.toThrow();
  });
});

describe('Hello and Disconnect', () => {
  const nodeId = new Uint8Array(64).fill(9);

  it('round-trips Hello', () => {
    const hello = {
      protocolVersion: 5,
      clientId: 'status-ts/test',
      capabilities: [{ name: 'waku', version: 1 }],
      listenPort: 30303,
      nodeId,
    };
    expect(decodeHello(encodeHello(hello))).toEqual(hello);
  });

  it('rejects a Hello above maxHelloSize (default 2048) and malformed ones', () => {
    const big = encodeHello({
      protocolVersion: 5,
      clientId: 'x'.repeat(3000),
      capabilities: [],
      listenPort: 0,
      nodeId,
    });
    expect(() => decodeHello(big)).toThrow(expect.objectContaining({ code: Devp2pErrorCode.BadHello }));
    expect(big.length).toBeGreaterThan(DEFAULT_MAX_HELLO_SIZE);
    expect(decodeHello(big, 4096).clientId.length).toBe(3000);
    const small = encodeHello({ protocolVersion: 5, clientId: 'x', capabilities: [], listenPort: 0, nodeId });
    expect(() => decodeHello(small, small.length - 1)).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.BadHello }),
    );
    for (const bad of [
      rlpEncode([5, 'x', [], 0]), // too few fields
      rlpEncode([5, 'x', 'notalist', 0, nodeId]),
      rlpEncode([5, 'x', [['eth']], 0, nodeId]),
      rlpEncode([[5], 'x', [], 0, nodeId]),
      hexToBytes('c5'),
    ]) {
      expect(() => decodeHello(bad)).toThrow(expect.objectContaining({ code: Devp2pErrorCode.BadHello }));
    }
  });

  it('encodes Disconnect as [reason] and accepts the forms clients send', () => {
    expect(bytesToHex(encodeDisconnect(DisconnectReason.TooManyPeers))).toBe('c104');
    expect(bytesToHex(encodeDisconnect(DisconnectReason.DisconnectRequested))).toBe('c180');
    expect(decodeDisconnect(hexToBytes('c104'))).toBe(4);
    expect(decodeDisconnect(hexToBytes('08'))).toBe(8); // bare reason (ethereumjs)
    expect(decodeDisconnect(hexToBytes('c0'))).toBe(0);
    expect(decodeDisconnect(hexToBytes('80'))).toBe(0);
    expect(decodeDisconnect(hexToBytes('c110'))).toBe(0x10);
    expect(decodeDisconnect(hexToBytes('81ff'))).toBe(0xff);
    expect(decodeDisconnect(hexToBytes('c3820102'))).toBeUndefined();
    expect(decodeDisconnect(hexToBytes('b8'))).toBeUndefined();
  });

  it('names every standard reason', () => {
    for (const code of Object.values(DisconnectReason))
      expect(disconnectReasonName(code)).not.toMatch(/unknown/);
    expect(Object.values(DisconnectReason)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x10]);
    expect(disconnectReasonName(0x33)).toBe('unknown reason 0x33');
  });
});

describe('ByteQueue', () => {
  it('reads across chunk borders without losing or duplicating bytes', () => {
    const q = new ByteQueue();
    const data = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    for (let i = 0; i < data.length; i += 7) q.push(data.subarray(i, i + 7));
    expect(q.length).toBe(1000);
    expect(q.peekByte(8)).toBe(8);
    const first = q.read(10);
    expect([...first]).toEqual([...data.subarray(0, 10)]);
    expect(q.peek(3)).toEqual(data.subarray(10, 13));
    q.skip(500);
    expect(bytesToHex(q.read(490))).toBe(bytesToHex(data.subarray(510)));
    expect(q.length).toBe(0);
    expect(q.peekByte(0)).toBe(-1);
  });

  it('returns a view, not a copy, when one chunk holds the bytes', () => {
    const q = new ByteQueue();
    const chunk = new Uint8Array(100);
    q.push(chunk);
    expect(q.peek(50).buffer).toBe(chunk.buffer);
  });
});
