import { describe, expect, it } from 'vitest';
import { allocateEnvelopeBytes } from '../src/envelope/byte-slab.js';
import { sealEnvelopeSync } from '../src/index.js';

describe('envelope byte slabs (small sealed envelopes)', () => {
  it('hands out zeroed, aligned, non-overlapping carves; large requests get their own buffer', () => {
    const carves = Array.from({ length: 40 }, (_, i) => allocateEnvelopeBytes(100 + i * 20));
    for (const [i, bytes] of carves.entries()) {
      expect(bytes.length).toBe(100 + i * 20);
      expect(bytes.byteOffset % 8).toBe(0);
      expect(bytes.every((b) => b === 0)).toBe(true);
      bytes.fill(i + 1);
    }
    // Writing every carve left each one intact: no two overlap.
    for (const [i, bytes] of carves.entries()) expect(bytes.every((b) => b === i + 1)).toBe(true);
    const large = allocateEnvelopeBytes(5000);
    expect(large.byteOffset).toBe(0);
    expect(large.buffer.byteLength).toBe(5000);
  });

  it('a sealed envelope kept long is compacted into a buffer of its own, same bytes and hashes', () => {
    const { envelope } = sealEnvelopeSync(
      { expiry: 1_800_000_000, ttl: 10, topic: Uint8Array.of(1, 2, 3, 4), data: new Uint8Array(300).fill(5) },
      { pow: 0.002 },
    );
    const compact = envelope.compact();
    expect(compact.raw.byteOffset).toBe(0);
    expect(compact.raw.buffer.byteLength).toBe(compact.raw.length);
    expect(compact.raw).toEqual(envelope.raw);
    expect(compact.hash).toEqual(envelope.hash);
    expect(compact.pow()).toBe(envelope.pow());
  });

  it('carves up to 1024 bytes from the shared slab; 1025 bytes get their own buffer', () => {
    expect(allocateEnvelopeBytes(1024).buffer.byteLength).toBe(8192);
    const own = allocateEnvelopeBytes(1025);
    expect(own.buffer.byteLength).toBe(1025);
  });

  it('fills a slab to its last byte before starting the next one', () => {
    // Carve until a new slab starts, so the test knows how much of it is used.
    let previous = allocateEnvelopeBytes(1024);
    let fresh = allocateEnvelopeBytes(1024);
    for (let i = 0; i < 9 && fresh.buffer === previous.buffer; i++) {
      previous = fresh;
      fresh = allocateEnvelopeBytes(1024);
    }
    expect(fresh.byteOffset).toBe(0);
    for (let i = 1; i < 8; i++) {
      const next = allocateEnvelopeBytes(1024);
      expect(next.buffer).toBe(fresh.buffer);
      expect(next.byteOffset).toBe(i * 1024);
    }
    const overflow = allocateEnvelopeBytes(8);
    expect(overflow.buffer).not.toBe(fresh.buffer);
    expect(overflow.byteOffset).toBe(0);
  });
});
