import { bytesToHex } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { newRequestId } from '../src/node/request-id.js';

describe('newRequestId', () => {
  it('is 8 random bytes that never start with 0x00 (peers that echo ids as numbers drop leading zeros)', () => {
    // 5,000 draws: with plain random bytes about 20 would start with 0x00 (none at all: odds of 3 in a billion).
    const ids = Array.from({ length: 5_000 }, () => newRequestId());
    expect(ids.every((id) => id.length === 8 && id[0] !== 0)).toBe(true);
    expect(new Set(ids.map((id) => id[0])).size).toBe(255);
    expect(new Set(ids.map((id) => bytesToHex(id))).size).toBe(5_000);
  });
});
