import { describe, expect, it } from 'vitest';
import {
  compareDistance,
  Discv5ErrorCode,
  logDistance,
  lookupDistances,
  widerDistances,
} from '../src/index.js';

const id = (first: number, last = 0) => {
  const out = new Uint8Array(32);
  out[0] = first;
  out[31] = last;
  return out;
};

describe('logDistance', () => {
  it('rejects ids of unequal length', () => {
    expect(() => logDistance(new Uint8Array(32), new Uint8Array(31))).toThrow(
      expect.objectContaining({ code: Discv5ErrorCode.InvalidArgument }),
    );
  });
});

describe('compareDistance', () => {
  it('compares only as many bytes as the target has', () => {
    const target = new Uint8Array(2);
    expect(compareDistance(target, new Uint8Array([0, 1, 9]), new Uint8Array([0, 1, 0]))).toBe(0);
  });
});

describe('lookupDistances', () => {
  it('stops at `count` distances', () => {
    expect(lookupDistances(id(0, 0), id(0, 8), 2)).toEqual([4, 5]);
    expect(lookupDistances(id(0, 0), id(0, 8))).toEqual([4, 5, 3]);
  });

  it('asks for distance 256 but never beyond', () => {
    expect(lookupDistances(id(0x40), id(0))).toEqual([255, 256, 254]);
  });

  it('lists every distance up to 256 when count exceeds them', () => {
    const out = lookupDistances(id(0), id(0), 300);
    expect(out).toHaveLength(257);
    expect(out.at(-1)).toBe(256);
  });
});

describe('widerDistances', () => {
  it('asks for nothing when count is not positive', () => {
    expect(widerDistances([100, 101, 99], 0)).toEqual([]);
    expect(widerDistances([100, 101, 99], -2)).toEqual([]);
  });
});
