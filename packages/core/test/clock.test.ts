import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock, unixSeconds } from '../src/index.js';

describe('ManualClock', () => {
  it('runs timeouts in due order only when time advances', () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 20);
    clock.setTimeout(() => fired.push('a'), 10);
    clock.setTimeout(() => fired.push('c'), 20);
    clock.advance(9);
    expect(fired).toEqual([]);
    clock.advance(11);
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(1020);
    expect(clock.pendingTimers).toBe(0);
  });

  it('repeats intervals and cancels them', () => {
    const clock = new ManualClock();
    let ticks = 0;
    const cancel = clock.setInterval(() => ticks++, 100);
    clock.advance(350);
    expect(ticks).toBe(3);
    cancel();
    clock.advance(1000);
    expect(ticks).toBe(3);
    expect(clock.pendingTimers).toBe(0);
  });

  it('sees the time of the timer being run and timers scheduled from callbacks', () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    clock.setTimeout(() => {
      seen.push(clock.now());
      clock.setTimeout(() => seen.push(clock.now()), 5);
    }, 10);
    clock.advance(100);
    expect(seen).toEqual([10, 15]);
    expect(() => clock.set(50)).toThrow(RangeError);
  });

  it('gives unix seconds', () => {
    expect(unixSeconds(new ManualClock(1_600_000_000_999))).toBe(1_600_000_000);
  });
});

describe('systemClock', () => {
  it('fires a real timeout and cancels another', async () => {
    let cancelledFired = false;
    const cancel = systemClock.setTimeout(() => {
      cancelledFired = true;
    }, 5);
    cancel();
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 10));
    expect(cancelledFired).toBe(false);
    expect(Math.abs(systemClock.now() - Date.now())).toBeLessThan(50);
  });
});
