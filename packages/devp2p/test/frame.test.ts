import { bytesToHex } from '@status-ts/core';
import { createAesCtr, createKeccak256, keccak256, randomBytes } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  ByteQueue,
  Devp2pErrorCode,
  FrameDecoder,
  FrameEncoder,
  MAX_UINT24,
  messageCodeLength,
  RlpxMac,
  splitFrame,
} from '../src/index.js';

function pair(maxFrameSize?: number) {
  const aes = keccak256(Uint8Array.of(1));
  const mac = keccak256(Uint8Array.of(2));
  const seed = Uint8Array.of(3);
  const iv = new Uint8Array(16);
  const encoder = new FrameEncoder(createAesCtr(aes, iv), new RlpxMac(createKeccak256().update(seed), mac));
  const decoder = new FrameDecoder(
    createAesCtr(aes, iv),
    new RlpxMac(createKeccak256().update(seed), mac),
    maxFrameSize,
  );
  return { encoder, decoder };
}

describe('RLPx frames', () => {
  it('round-trips messages of many sizes and codes, split at arbitrary points', () => {
    const { encoder, decoder } = pair();
    const messages = [0, 1, 15, 16, 17, 100, 1000, 70_000].map((size, i) => ({
      code: [0, 1, 0x10, 0x7f, 0x80, 0x90, 0x10f, 0xffff][i]!,
      payload: randomBytes(size),
    }));
    const wire = messages.map((m) => encoder.encode(m.code, m.payload));
    const all = new Uint8Array(wire.reduce((n, w) => n + w.length, 0));
    let o = 0;
    for (const w of wire) {
      all.set(w, o);
      o += w.length;
    }
    const q = new ByteQueue();
    const out: { code: number; payload: Uint8Array }[] = [];
    for (let i = 0; i < all.length; ) {
      const step = 1 + Math.floor(Math.random() * 3000);
      q.push(all.subarray(i, i + step));
      i += step;
      for (let f = decoder.read(q); f; f = decoder.read(q)) out.push(splitFrame(f));
    }
    expect(out.map((m) => m.code)).toEqual(messages.map((m) => m.code));
    for (const [i, m] of out.entries()) expect(bytesToHex(m.payload)).toBe(bytesToHex(messages[i]!.payload));
    expect(q.length).toBe(0);
  });

  it('pads bodies to 16 bytes: 32 + ceil16(size) + 16 bytes on the wire', () => {
    const { encoder } = pair();
    expect(encoder.encode(1, new Uint8Array(0)).length).toBe(32 + 16 + 16);
    expect(encoder.encode(1, new Uint8Array(15)).length).toBe(32 + 16 + 16);
    expect(encoder.encode(1, new Uint8Array(16)).length).toBe(32 + 32 + 16);
  });

  it('rejects a flipped header MAC, header ciphertext or frame MAC with ERR_RLPX_BAD_MAC', () => {
    for (const at of [3, 20, 40, 70]) {
      const { encoder, decoder } = pair();
      const frame = encoder.encode(0x10, randomBytes(20));
      frame[at]! ^= 1;
      const q = new ByteQueue();
      q.push(frame);
      expect(() => decoder.read(q)).toThrow(expect.objectContaining({ code: Devp2pErrorCode.BadMac }));
    }
  });

  it('rejects a frame above maxFrameSize after the header, before buffering the body', () => {
    const { encoder, decoder } = pair(1024);
    const q = new ByteQueue();
    q.push(encoder.encode(0x10, new Uint8Array(1023)));
    expect(decoder.read(q)).toBeDefined();
    const big = encoder.encode(0x10, new Uint8Array(1024)); // 1025 with the code byte
    q.push(big.subarray(0, 32));
    expect(() => decoder.read(q)).toThrow(expect.objectContaining({ code: Devp2pErrorCode.FrameTooLarge }));
  });

  it('refuses to encode a frame above 2^24 - 1 bytes', () => {
    const { encoder } = pair();
    expect(() => encoder.encode(1, new Uint8Array(MAX_UINT24))).toThrow(
      expect.objectContaining({ code: Devp2pErrorCode.FrameTooLarge }),
    );
  });

  it('splits message ids as canonical RLP integers', () => {
    expect(splitFrame(Uint8Array.of(0x80, 9)).code).toBe(0);
    expect(splitFrame(Uint8Array.of(0x10)).code).toBe(0x10);
    expect(splitFrame(Uint8Array.of(0x81, 0x80, 1, 2))).toMatchObject({ code: 0x80 });
    expect(splitFrame(Uint8Array.of(0x82, 0x01, 0x0f)).code).toBe(0x10f);
    for (const bad of [
      [],
      [0x00],
      [0x81, 0x05],
      [0x82, 0x00, 0x90],
      [0x85, 1, 2, 3, 4, 5],
      [0xc0],
      [0x82, 1],
    ]) {
      expect(() => splitFrame(Uint8Array.from(bad))).toThrow(
        expect.objectContaining({ code: Devp2pErrorCode.BadFrame }),
      );
    }
    expect(messageCodeLength(0x80)).toBe(2);
  });
});
