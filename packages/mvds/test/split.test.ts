import { describe, expect, it } from 'vitest';
import { EMPTY_PAYLOAD, encodePayload, MvdsError, MvdsErrorCode, splitPayload } from '../src/index.js';

const id = (n: number): Uint8Array => new Uint8Array(32).fill(n);

describe('splitPayload (MVDS-07)', () => {
  it('returns the payload whole when it fits, nothing for an empty one', () => {
    const p = { ...EMPTY_PAYLOAD, acks: [id(1), id(2)] };
    expect(splitPayload(p, 1000)).toEqual([p]);
    expect(splitPayload(EMPTY_PAYLOAD, 1000)).toEqual([]);
  });

  it('cuts at the byte limit: 36-byte ack records, 100 bytes -> two per part', () => {
    const p = { ...EMPTY_PAYLOAD, acks: [id(1), id(2), id(3), id(4), id(5)] };
    const parts = splitPayload(p, 100);
    expect(parts.map((x) => x.acks.length)).toEqual([2, 2, 1]);
    for (const part of parts) expect(encodePayload(part).length).toBeLessThanOrEqual(100);
    expect(splitPayload(p, 108).map((x) => x.acks.length)).toEqual([3, 2]);
  });

  it('cuts at the record limit', () => {
    const p = { ...EMPTY_PAYLOAD, offers: [id(1), id(2), id(3)] };
    expect(splitPayload(p, 10_000, 2).map((x) => x.offers.length)).toEqual([2, 1]);
  });

  it('refuses a single record larger than the limit, and a record limit below 1', () => {
    const big = { groupId: id(1), timestamp: 1n, body: new Uint8Array(500) };
    // 3-byte tag + 2-byte length + 3 + 33 (group id) + 3 + 1 (timestamp) + 3 + 2 + 500 (body) = 550
    expect(() => splitPayload({ ...EMPTY_PAYLOAD, messages: [big] }, 400)).toThrow(
      expect.objectContaining({ code: MvdsErrorCode.MessageTooLarge, details: { size: 550, limit: 400 } }),
    );
    expect(() => splitPayload(EMPTY_PAYLOAD, 400, 0)).toThrow(MvdsError);
  });
});
