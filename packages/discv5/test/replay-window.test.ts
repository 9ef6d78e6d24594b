import { describe, expect, it } from 'vitest';
import { ReplayWindow } from '../src/session/replay-window.js';

describe('ReplayWindow', () => {
  it('remembers exactly `size` nonces, forgetting the oldest', () => {
    const w = new ReplayWindow(2);
    const n = (b: number) => new Uint8Array(12).fill(b);
    expect(w.accept(n(1))).toBe(true);
    expect(w.accept(n(2))).toBe(true);
    expect(w.accept(n(1))).toBe(false);
    expect(w.accept(n(3))).toBe(true);
    expect(w.accept(n(2))).toBe(false);
    expect(w.accept(n(1))).toBe(true);
  });
});
