import { describe, expect, it } from 'vitest';
import type { CapabilityMessage } from '../src/p2p/capability.js';
import { MessageQueue } from '../src/p2p/message-queue.js';

const msg = (code: number): CapabilityMessage => ({ code, payload: Uint8Array.of(code & 0xff) });

function queue(lowWater = 0) {
  const drains: number[] = [];
  const q = new MessageQueue(lowWater, () => drains.push(q.length));
  return { q, drains };
}

describe('MessageQueue', () => {
  it('counts queued messages and reports the length after each push', () => {
    const { q } = queue();
    expect(q.length).toBe(0);
    expect(q.iterating).toBe(false);
    expect(q.push(msg(1))).toBe(1);
    expect(q.push(msg(2))).toBe(2);
    expect(q.length).toBe(2);
  });

  it('delivers in order and calls onDrain once when the length falls to the low-water mark', async () => {
    const { q, drains } = queue(2);
    for (let i = 0; i < 5; i++) q.push(msg(i));
    const it = q[Symbol.asyncIterator]();
    expect(q.iterating).toBe(true);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push(((await it.next()).value as CapabilityMessage).code);
      expect(q.length).toBe(4 - i);
    }
    expect(codes).toEqual([0, 1, 2, 3, 4]);
    expect(drains).toEqual([2]);
  });

  it('does not call onDrain for a read from an empty queue', async () => {
    const { q, drains } = queue(0);
    const it = q[Symbol.asyncIterator]();
    const pending = it.next();
    expect(drains).toEqual([]);
    expect(q.length).toBe(0);
    q.push(msg(7));
    expect(await pending).toEqual({ value: msg(7), done: false });
    expect(q.length).toBe(0);
  });

  it('hands a message straight to a waiting consumer (push returns 0)', async () => {
    const { q } = queue();
    const it = q[Symbol.asyncIterator]();
    const pending = it.next();
    expect(q.push(msg(1))).toBe(0);
    expect(await pending).toEqual({ value: msg(1), done: false });
    // The next one is queued again: nobody waits.
    expect(q.push(msg(2))).toBe(1);
    expect(q.iterating).toBe(true);
  });

  it('keeps order and length across many messages (the backing array is compacted)', async () => {
    const { q, drains } = queue(1000);
    const n = 5000;
    for (let i = 0; i < n; i++) q.push(msg(i));
    const it = q[Symbol.asyncIterator]();
    let left = n;
    for (let i = 0; i < n; i++) {
      // Halfway, one more arrives behind the rest.
      if (i === 2500) expect(q.push(msg(n))).toBe(++left);
      const r = await it.next();
      expect((r.value as CapabilityMessage).code).toBe(i);
      expect(q.length).toBe(--left);
    }
    q.end();
    expect(((await it.next()).value as CapabilityMessage).code).toBe(n);
    expect(drains).toEqual([1000]);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('end: delivers what is queued, drops later pushes, then finishes', async () => {
    const { q } = queue();
    q.push(msg(1));
    q.end();
    expect(q.push(msg(2))).toBe(0);
    q.end();
    const seen: number[] = [];
    for await (const m of q) seen.push(m.code);
    expect(seen).toEqual([1]);
    expect(q.iterating).toBe(false);
  });

  it('end finishes a waiting consumer', async () => {
    const { q } = queue();
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const m of q) seen.push(m.code);
    })();
    q.push(msg(1));
    await Promise.resolve();
    expect(q.iterating).toBe(true);
    q.end();
    await consumer;
    expect(seen).toEqual([1]);
    expect(q.iterating).toBe(false);
    expect(q.push(msg(2))).toBe(0);
    expect(q.length).toBe(0);
  });

  it('a consumer that stops early drops the rest and later pushes', async () => {
    const { q } = queue();
    for (let i = 0; i < 3; i++) q.push(msg(i));
    for await (const m of q) {
      expect(m.code).toBe(0);
      break;
    }
    expect(q.iterating).toBe(false);
    expect(q.length).toBe(0);
    expect(q.push(msg(9))).toBe(0);
    expect(q.length).toBe(0);
  });

  it('return() finishes a pending next() and works with nothing pending', async () => {
    const { q } = queue();
    const it = q[Symbol.asyncIterator]();
    const pending = it.next();
    expect(await it.return?.()).toEqual({ value: undefined, done: true });
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(q.iterating).toBe(false);

    const other = queue().q;
    const it2 = other[Symbol.asyncIterator]();
    expect(await it2.return?.()).toEqual({ value: undefined, done: true });
    expect(await it2.next()).toEqual({ value: undefined, done: true });
  });
});
