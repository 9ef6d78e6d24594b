import { describe, expect, it } from 'vitest';
import { memoize } from '../src/memo.js';

describe('memoize', () => {
  it('computes once per key, keeps at most `limit` keys and drops the oldest first', () => {
    const calls: string[] = [];
    const upper = memoize((key) => {
      calls.push(key);
      return key.toUpperCase();
    }, 2);
    expect([upper('a'), upper('a'), upper('b'), upper('a')]).toEqual(['A', 'A', 'B', 'A']);
    expect(calls).toEqual(['a', 'b']);
    upper('c'); // evicts 'a', the oldest
    upper('b');
    upper('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('remembers an undefined result too', () => {
    let calls = 0;
    const nothing = memoize(() => {
      calls++;
      return undefined;
    });
    nothing('x');
    nothing('x');
    expect(calls).toBe(1);
  });
});
