import { describe, expect, it } from 'vitest';
import { SlicedQueue } from '../src/index.js';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // burn CPU: a task of the burst
  }
}

describe('SlicedQueue', () => {
  it('runs tasks in order and lets a timer run in the middle of a long burst', async () => {
    const queue = new SlicedQueue({ sliceMs: 5 });
    const order: string[] = [];
    setTimeout(() => order.push('timer'), 0);
    for (let i = 0; i < 20; i++) {
      queue.push(() => {
        busy(2);
        order.push(`task ${i}`);
      });
    }
    await queue.idle();
    const tasks = order.filter((entry) => entry !== 'timer');
    expect(tasks).toEqual(Array.from({ length: 20 }, (_, i) => `task ${i}`));
    const timerAt = order.indexOf('timer');
    // 40 ms of work in 5 ms slices: the timer ran before the burst was over (without slicing it runs last).
    expect(timerAt).toBeGreaterThan(-1);
    expect(timerAt).toBeLessThan(order.length - 1);
  });

  it('without a slice limit the same burst keeps the timer waiting to the end (what slicing fixes)', async () => {
    const queue = new SlicedQueue({ sliceMs: Number.POSITIVE_INFINITY });
    const order: string[] = [];
    setTimeout(() => order.push('timer'), 0);
    for (let i = 0; i < 10; i++) queue.push(() => void busy(2));
    queue.push(() => void order.push('burst done'));
    await queue.idle();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(order).toEqual(['burst done', 'timer']);
  });

  it('reports a failing task and goes on with the next ones', async () => {
    const errors: unknown[] = [];
    const queue = new SlicedQueue({ onError: (error) => errors.push(error) });
    const done: number[] = [];
    queue.push(() => void done.push(1));
    queue.push(async () => {
      throw new Error('bad envelope');
    });
    queue.push(() => void done.push(3));
    await queue.idle();
    expect(done).toEqual([1, 3]);
    expect(errors).toEqual([new Error('bad envelope')]);
  });
});
