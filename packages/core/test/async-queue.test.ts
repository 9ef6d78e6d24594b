import { describe, expect, it } from 'vitest';
import { AsyncQueue } from '../src/index.js';

async function take<T>(iterable: AsyncIterable<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  if (count === 0) return out;
  for await (const value of iterable) {
    out.push(value);
    if (out.length === count) break;
  }
  return out;
}

describe('AsyncQueue', () => {
  it('delivers pushed values in order, before and after the consumer waits', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.push(2);
    const taken = take(queue, 3);
    setTimeout(() => queue.push(3), 5);
    expect(await taken).toEqual([1, 2, 3]);
  });

  it('end() finishes the consumer after what is queued and refuses later pushes', async () => {
    const queue = new AsyncQueue<string>();
    queue.push('a');
    queue.end();
    expect(queue.push('b')).toBe(false);
    expect(queue.closed).toBe(true);
    const all: string[] = [];
    for await (const value of queue) all.push(value);
    expect(all).toEqual(['a']);
  });

  it('fail() makes the consumer throw, drops the queue and releases waiting writers', async () => {
    const queue = new AsyncQueue<number>();
    const written = queue.pushAndWait(1);
    queue.fail(new Error('reset'));
    await expect(written).resolves.toBeUndefined();
    expect(queue.size).toBe(0);
    await expect(take(queue, 1)).rejects.toThrow('reset');
    await expect(queue.pushAndWait(2)).rejects.toThrow('reset');
  });

  it('pushAndWait resolves only when the consumer takes the value', async () => {
    const queue = new AsyncQueue<number>();
    let taken = false;
    const written = queue.pushAndWait(7).then(() => {
      taken = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(taken).toBe(false);
    expect(await take(queue, 1)).toEqual([7]);
    await written;
    expect(taken).toBe(true);
    queue.end();
    await expect(queue.pushAndWait(8, () => new Error('write after end'))).rejects.toThrow('write after end');
  });

  it('iterate(signal) stops quietly on abort and leaves queued values for a later consumer', async () => {
    const queue = new AsyncQueue<number>();
    const controller = new AbortController();
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const value of queue.iterate(controller.signal)) seen.push(value);
    })();
    queue.push(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await consumer;
    queue.push(2);
    expect(seen).toEqual([1]);
    expect(await take(queue, 1)).toEqual([2]);
  });
});
