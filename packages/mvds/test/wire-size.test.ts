import { describe, expect, it } from 'vitest';
import { EMPTY_PAYLOAD, encodePayload, type MvdsMessage, messageSize } from '../src/index.js';
import { varintSize } from '../src/wire-size.js';

describe('wire sizes', () => {
  it('varintSize grows by one byte at each power of 128', () => {
    expect([0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152].map(varintSize)).toEqual([
      1, 1, 1, 2, 2, 3, 3, 4,
    ]);
  });

  it('messageSize counts a two-byte length from a 128-byte field on, as the encoder does', () => {
    for (const [length, expected] of [
      [127, 3 + 1 + 127],
      [128, 3 + 2 + 128],
    ] as const) {
      const m: MvdsMessage = { groupId: new Uint8Array(), timestamp: 0n, body: new Uint8Array(length) };
      expect(messageSize(m)).toBe(expected);
      // The enclosing record: 3-byte tag and a 2-byte length (both sizes are >= 128).
      expect(encodePayload({ ...EMPTY_PAYLOAD, messages: [m] }).length).toBe(3 + 2 + expected);
    }
  });
});
