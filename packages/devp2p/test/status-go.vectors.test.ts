import { bytesToHex, hexToBytes } from '@status-ts/core';
import snappyjs from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { readVectors } from '../../../tools/vectors.js';
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  decodeHello,
  encodeHello,
  snappyCompress,
  snappyDecompress,
} from '../src/index.js';

// Wire data captured from a live statusd (status-go v0.79.11): its Hello and golang/snappy bodies.
const captured = readVectors('captured-status-go.json');

/** Every `<prefix>wire_snappy` with its `<prefix>payload_rlp` in the capture. */
function snappyBodies(): { path: string; wire: string; plain: string }[] {
  const out: { path: string; wire: string; plain: string }[] = [];
  const walk = (o: unknown, path: string) => {
    if (Array.isArray(o)) {
      for (const [i, v] of o.entries()) walk(v, `${path}[${i}]`);
    }
    if (!Array.isArray(o) && o && typeof o === 'object') {
      for (const [k, v] of Object.entries(o)) {
        if (k.endsWith('wire_snappy') && typeof v === 'string') {
          const plain = (o as Record<string, string>)[`${k.slice(0, -'wire_snappy'.length)}payload_rlp`]!;
          out.push({ path: `${path}.${k}`, wire: v, plain });
        }
        walk(v, `${path}.${k}`);
      }
    }
  };
  walk(captured.items, 'items');
  return out;
}

describe('statusd (status-go v0.79.11) captured wire data', () => {
  it('decodes the statusd Hello and re-encodes it byte for byte', () => {
    const item = captured.items.rlpx_hello;
    const payload = hexToBytes(item.payload_rlp);
    const hello = decodeHello(payload);
    expect(hello.protocolVersion).toBe(5);
    expect(hello.clientId).toBe(item.decoded.clientId);
    expect(hello.capabilities.map((c) => `${c.name}/${c.version}`)).toEqual(item.decoded.capabilities);
    expect(hello.listenPort).toBe(item.decoded.listenPort);
    expect(`0x${bytesToHex(hello.nodeId)}`).toBe(item.decoded.nodeId);
    expect(bytesToHex(encodeHello(hello))).toBe(bytesToHex(payload));
    const sent = hexToBytes(captured.items.capture_hello_sent.payload_rlp);
    expect(bytesToHex(encodeHello(decodeHello(sent)))).toBe(bytesToHex(sent));
  });

  it('inflates every golang/snappy body statusd sent or received, and our compression round-trips them', () => {
    const bodies = snappyBodies();
    expect(bodies.length).toBeGreaterThanOrEqual(20);
    for (const { path, wire, plain } of bodies) {
      const expected = hexToBytes(plain);
      expect(bytesToHex(snappyDecompress(hexToBytes(wire), DEFAULT_MAX_MESSAGE_SIZE)), path).toBe(
        bytesToHex(expected),
      );
      const ours = snappyCompress(expected);
      expect(bytesToHex(snappyDecompress(ours, DEFAULT_MAX_MESSAGE_SIZE)), path).toBe(bytesToHex(expected));
      expect(bytesToHex(snappyjs.uncompress(ours)), path).toBe(bytesToHex(expected));
    }
  });
});
