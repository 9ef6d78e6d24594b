import { describe, expect, it } from 'vitest';
import { exponentialBackoff, MvdsErrorCode, seededRandom, statusBackoff } from '../src/index.js';

describe('statusBackoff (status-go CalculateSendTime, MVDS-05)', () => {
  it('300 ms epochs: 2^(count-1) * 30 s * 3 epochs/s + jitter 0..29', () => {
    const noJitter = statusBackoff({ random: () => 0 });
    expect(noJitter(1, 100)).toBe(100 + 90);
    expect(noJitter(2, 100)).toBe(100 + 180);
    expect(noJitter(5, 0)).toBe(16 * 90);
    const maxJitter = statusBackoff({ random: () => 0.999999 });
    expect(maxJitter(1, 100)).toBe(100 + 90 + 29);
  });

  it('jitter stays within 0..jitterEpochs-1 and the ratio follows epochMs', () => {
    const f = statusBackoff({ random: seededRandom(7) });
    for (let i = 0; i < 500; i++) {
      const d = f(1, 0) - 90;
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(30);
    }
    expect(statusBackoff({ epochMs: 1000, random: () => 0 })(1, 0)).toBe(30);
    expect(statusBackoff({ epochMs: 100, intervalSeconds: 1, jitterEpochs: 0 })(3, 5)).toBe(5 + 4 * 10);
  });

  it('stays finite for huge send counts', () => {
    expect(Number.isFinite(statusBackoff({ random: () => 0 })(10_000, 0))).toBe(true);
  });
});

describe('exponentialBackoff (spec: grow to an upper bound, then start low again)', () => {
  it('doubles from base to max, then wraps', () => {
    const f = exponentialBackoff({ baseEpochs: 1, maxEpochs: 8 });
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => f(n, 10) - 10)).toEqual([1, 2, 4, 8, 1, 2, 4]);
    const g = exponentialBackoff({ baseEpochs: 3, maxEpochs: 20 });
    expect([1, 2, 3, 4].map((n) => g(n, 0))).toEqual([3, 6, 12, 3]);
  });

  it('defaults to 1..64 epochs and validates its options', () => {
    const f = exponentialBackoff();
    expect([1, 7, 8].map((n) => f(n, 0))).toEqual([1, 64, 1]);
    expect(() => exponentialBackoff({ baseEpochs: 0 })).toThrow(
      expect.objectContaining({ code: MvdsErrorCode.InvalidArgument }),
    );
    expect(() => exponentialBackoff({ baseEpochs: 4, maxEpochs: 2 })).toThrow();
    // Each message names the option that is wrong.
    expect(() => exponentialBackoff({ baseEpochs: 0 })).toThrow(
      'backoff: baseEpochs must be an integer >= 1, got 0',
    );
    expect(() => exponentialBackoff({ maxEpochs: 1.5 })).toThrow(
      'backoff: maxEpochs must be an integer, got 1.5',
    );
    expect(() => exponentialBackoff({ baseEpochs: 4, maxEpochs: 2 })).toThrow(
      'backoff: maxEpochs (2) is below baseEpochs (4)',
    );
  });

  it('reports the rejected options in the error details', () => {
    expect(() => exponentialBackoff({ baseEpochs: 4, maxEpochs: 3 })).toThrow(
      expect.objectContaining({
        code: MvdsErrorCode.InvalidArgument,
        details: { baseEpochs: 4, maxEpochs: 3 },
      }),
    );
  });

  it('accepts maxEpochs equal to baseEpochs: a constant delay', () => {
    const f = exponentialBackoff({ baseEpochs: 4, maxEpochs: 4 });
    expect([1, 2, 3].map((n) => f(n, 10) - 10)).toEqual([4, 4, 4]);
  });
});
