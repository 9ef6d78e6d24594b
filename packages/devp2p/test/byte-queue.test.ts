import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../src/index.js';

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

describe('ByteQueue', () => {
  it('returns a view into the first chunk when it holds exactly the bytes asked for', () => {
    const q = new ByteQueue();
    const chunk = bytes(1, 2, 3, 4);
    q.push(chunk);
    const view = q.peek(4);
    expect(view.buffer).toBe(chunk.buffer);
    expect([...view]).toEqual([1, 2, 3, 4]);
  });

  it('copies across chunk borders from the read position inside the first chunk', () => {
    const q = new ByteQueue();
    q.push(bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    q.push(bytes(10, 11, 12));
    q.skip(5);
    expect([...q.peek(6)]).toEqual([5, 6, 7, 8, 9, 10]);
    expect([...q.read(8)]).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(q.length).toBe(0);
  });

  it('moves past a chunk consumed exactly to its end, so the next chunk is read as a view', () => {
    const q = new ByteQueue();
    q.push(bytes(1, 2, 3, 4));
    expect([...q.read(4)]).toEqual([1, 2, 3, 4]);
    const next = bytes(5, 6, 7, 8, 9, 10, 11, 12);
    q.push(next);
    expect(q.peek(8).buffer).toBe(next.buffer);
    expect(q.retainedChunks).toBe(1);
  });

  it('drops every chunk once all bytes are read', () => {
    const q = new ByteQueue();
    for (let i = 0; i < 5; i++) q.push(bytes(i, i));
    q.read(9);
    expect(q.retainedChunks).toBe(5);
    q.read(1);
    expect(q.retainedChunks).toBe(0);
    expect(q.peekByte()).toBe(-1);
  });

  it('drops consumed chunks once more than 32 of them make up more than half the list', () => {
    // 70 one-byte chunks: the first compaction comes after 36 reads (36 > 32 and 72 > 70).
    const q = new ByteQueue();
    for (let i = 0; i < 70; i++) q.push(bytes(i));
    const retained: number[] = [];
    for (let i = 0; i < 70; i++) {
      expect(q.read(1)[0]).toBe(i);
      retained.push(q.retainedChunks);
    }
    expect(retained.slice(0, 35)).toEqual(Array(35).fill(70));
    expect(retained[35]).toBe(34); // after the 36th read
    expect(retained.slice(36, 68)).toEqual(Array(32).fill(34));
    expect(retained[68]).toBe(1); // 33 more consumed of 34
    expect(retained[69]).toBe(0);
  });

  it('needs more than 32 consumed chunks before compacting a short list', () => {
    const q = new ByteQueue();
    for (let i = 0; i < 40; i++) q.push(bytes(i));
    q.read(32);
    expect(q.retainedChunks).toBe(40);
    q.read(1);
    expect(q.retainedChunks).toBe(7);
    expect([...q.read(7)]).toEqual([33, 34, 35, 36, 37, 38, 39]);
  });

  it('ignores empty chunks in the byte count', () => {
    const q = new ByteQueue();
    q.push(new Uint8Array(0));
    q.push(bytes(7));
    expect(q.length).toBe(1);
    expect(q.retainedChunks).toBe(1);
    expect(q.peekByte(0)).toBe(7);
  });

  it('clear() forgets all bytes and accepts new ones', () => {
    const q = new ByteQueue();
    q.push(bytes(1, 2, 3));
    q.skip(1);
    q.clear();
    expect(q.length).toBe(0);
    expect(q.retainedChunks).toBe(0);
    q.push(bytes(9, 8));
    expect([...q.read(2)]).toEqual([9, 8]);
  });
});
