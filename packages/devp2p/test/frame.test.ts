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

/** A frame built by hand from the same keys as pair(): lets a test declare sizes the encoder never writes. */
function handMadeFrame(size: number, body: Uint8Array) {
  const aes = createAesCtr(keccak256(Uint8Array.of(1)), new Uint8Array(16));
  const mac = new RlpxMac(createKeccak256().update(Uint8Array.of(3)), keccak256(Uint8Array.of(2)));
  const header = new Uint8Array(16);
  header.set([size >>> 16, (size >>> 8) & 0xff, size & 0xff, 0xc2, 0x80, 0x80]);
  const headerCt = aes.update(header);
  const bodyCt = aes.update(body);
  return {
    header: Uint8Array.from([...headerCt, ...mac.header(headerCt)]),
    body: bodyCt,
    mac: mac.frame(bodyCt),
  };
}

describe('RLPx frame sizes and message ids at their boundaries', () => {
  it('messageCodeLength: 1 byte below 0x80, then 2, 3, 4 and 5 bytes at each power of 256', () => {
    const cases: [number, number][] = [
      [0, 1],
      [0x7f, 1],
      [0x80, 2],
      [0xff, 2],
      [0x100, 3],
      [0xffff, 3],
      [0x1_00_00, 4],
      [0xff_ff_ff, 4],
      [0x1_00_00_00, 5],
    ];
    for (const [code, length] of cases) expect(messageCodeLength(code), code.toString(16)).toBe(length);
  });

  it('writes each message id as canonical RLP that splitFrame reads back', () => {
    const { encoder, decoder } = pair();
    const q = new ByteQueue();
    for (const code of [0, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x1_00_00, 0xff_ff_ff, 0x1_00_00_00]) {
      q.push(encoder.encode(code, Uint8Array.of(0xaa)));
      const frame = decoder.read(q)!;
      expect(frame.length).toBe(messageCodeLength(code) + 1);
      expect(splitFrame(frame)).toEqual({ code, payload: Uint8Array.of(0xaa) });
    }
  });

  it('splitFrame accepts a 4-byte id and an id 0 followed by a zero byte of payload', () => {
    expect(splitFrame(Uint8Array.of(0x84, 1, 2, 3, 4, 9))).toEqual({
      code: 0x01020304,
      payload: Uint8Array.of(9),
    });
    expect(splitFrame(Uint8Array.of(0x80, 0x00, 5))).toEqual({ code: 0, payload: Uint8Array.of(0, 5) });
  });

  it('puts the size and limit in FrameTooLarge details, on both sides', () => {
    const { encoder, decoder } = pair(1024);
    expect(() => encoder.encode(1, new Uint8Array(MAX_UINT24))).toThrow(
      expect.objectContaining({ details: { size: MAX_UINT24 + 1, limit: MAX_UINT24 } }),
    );
    const q = new ByteQueue();
    q.push(encoder.encode(0x10, new Uint8Array(1024)).subarray(0, 32));
    expect(() => decoder.read(q)).toThrow(expect.objectContaining({ details: { size: 1025, limit: 1024 } }));
  });

  it('encodes a frame of exactly 2^24 - 1 bytes', () => {
    const { encoder } = pair();
    const frame = encoder.encode(1, new Uint8Array(MAX_UINT24 - 1));
    expect(frame.length).toBe(32 + MAX_UINT24 + 1 + 16);
  });

  it('round-trips messages above the 256 KiB scratch buffer, before and after small ones', () => {
    const { encoder, decoder } = pair(1 << 20);
    const q = new ByteQueue();
    for (const size of [10, 300_000, 20, 256 * 1024 - 17, 40]) {
      const payload = randomBytes(size);
      q.push(encoder.encode(3, payload));
      expect(bytesToHex(splitFrame(decoder.read(q)!).payload)).toBe(bytesToHex(payload));
    }
  });

  it('pendingSize: 32 for a header, then the padded body and its MAC', () => {
    const { encoder, decoder } = pair();
    expect(decoder.pendingSize).toBe(32);
    const frame = encoder.encode(1, new Uint8Array(19)); // 20 bytes, padded to 32
    const q = new ByteQueue();
    q.push(frame.subarray(0, 40));
    expect(decoder.read(q)).toBeUndefined();
    expect(decoder.pendingSize).toBe(48);
    q.push(frame.subarray(40));
    expect(decoder.read(q)?.length).toBe(20);
    expect(decoder.pendingSize).toBe(32);
  });

  it('reads a frame that declares 0 bytes: a header, then just the frame MAC', () => {
    const { decoder } = pair();
    const empty = handMadeFrame(0, new Uint8Array(0));
    const q = new ByteQueue();
    q.push(empty.header);
    expect(decoder.read(q)).toBeUndefined();
    expect(decoder.pendingSize).toBe(16);
    q.push(empty.mac);
    expect(decoder.read(q)?.length).toBe(0);
    expect(q.length).toBe(0);
  });
});

describe('RlpxMac', () => {
  it('digest() is the running keccak256 state', () => {
    const mac = new RlpxMac(createKeccak256().update(Uint8Array.of(3)), keccak256(Uint8Array.of(2)));
    expect(bytesToHex(mac.digest())).toBe(bytesToHex(keccak256(Uint8Array.of(3))));
  });
});
