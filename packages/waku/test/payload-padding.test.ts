import { describe, expect, it, vi } from 'vitest';
import { encodePayload, paddingLength } from '../src/payload/payload.js';

/** randomBytes answers from `queue` first, so a test can play a broken RNG. */
const rng = vi.hoisted(() => ({ queue: [] as Uint8Array[], calls: 0 }));

vi.mock('@status-ts/crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('@status-ts/crypto')>();
  return {
    ...real,
    randomBytes: (length: number) => {
      rng.calls++;
      return rng.queue.shift() ?? real.randomBytes(length);
    },
  };
});

function padOf(payloadLength: number, draws: Uint8Array[]): { padding: Uint8Array; calls: number } {
  rng.queue = draws;
  rng.calls = 0;
  const out = encodePayload({ payload: new Uint8Array(payloadLength) });
  return { padding: out.subarray(2 + payloadLength), calls: rng.calls };
}

describe('random padding (status-go rejects an all-zero pad longer than 3 bytes)', () => {
  it('draws again when a pad of 4 bytes comes out all zero, and keeps one with any non-zero byte', () => {
    expect(paddingLength(250, false)).toBe(4);
    const { padding, calls } = padOf(250, [new Uint8Array(4), Uint8Array.of(0, 0, 0, 1)]);
    expect(padding).toEqual(Uint8Array.of(0, 0, 0, 1));
    expect(calls).toBe(2);
  });

  it('keeps an all-zero pad of 3 bytes (too short to tell a broken RNG)', () => {
    expect(paddingLength(251, false)).toBe(3);
    const { padding, calls } = padOf(251, [new Uint8Array(3)]);
    expect(padding).toEqual(new Uint8Array(3));
    expect(calls).toBe(1);
  });
});
