import { describe, expect, it } from 'vitest';
import { fullBloom } from '../src/envelope/bloom.js';
import {
  FULL_INTEREST,
  type Interest,
  interestFromBloom,
  interestFromTopics,
  sameInterest,
} from '../src/node/interest.js';

const bloom = (byte: number, at = 0): Interest => {
  const b = new Uint8Array(64);
  b[at] = byte;
  return { kind: 'bloom', bloom: b };
};
const topics = (...hex: string[]): Interest => ({ kind: 'topics', topics: new Set(hex) });

describe('interestFromBloom', () => {
  it('reads an all-ones or zero-length bloom as full interest, anything else as a bloom', () => {
    expect(interestFromBloom(fullBloom())).toBe(FULL_INTEREST);
    expect(interestFromBloom(new Uint8Array(0))).toBe(FULL_INTEREST);
    expect(interestFromBloom(new Uint8Array(64)).kind).toBe('bloom');
  });

  it('keeps its own copy of the bloom', () => {
    const b = new Uint8Array(64);
    b[3] = 1;
    const interest = interestFromBloom(b);
    b[3] = 0xff;
    expect(interest.kind === 'bloom' && interest.bloom[3]).toBe(1);
  });
});

describe('sameInterest', () => {
  it('full equals full only', () => {
    expect(sameInterest(FULL_INTEREST, { kind: 'full' })).toBe(true);
    expect(sameInterest(FULL_INTEREST, bloom(0))).toBe(false);
    expect(sameInterest(FULL_INTEREST, topics())).toBe(false);
  });

  it('compares blooms byte for byte, up to the last byte', () => {
    expect(sameInterest(bloom(1), bloom(1))).toBe(true);
    expect(sameInterest(bloom(1, 63), bloom(1, 63))).toBe(true);
    expect(sameInterest(bloom(1), bloom(2))).toBe(false);
    expect(sameInterest(bloom(0), bloom(1, 63))).toBe(false);
    expect(sameInterest(bloom(0), FULL_INTEREST)).toBe(false);
    expect(sameInterest(bloom(0), topics())).toBe(false);
  });

  it('compares topic sets whatever their order; a subset or a different topic is not the same', () => {
    expect(sameInterest(topics('aa', 'bb'), topics('bb', 'aa'))).toBe(true);
    expect(sameInterest(topics(), topics())).toBe(true);
    expect(sameInterest(topics('aa'), topics('aa', 'bb'))).toBe(false);
    expect(sameInterest(topics('aa', 'bb'), topics('aa'))).toBe(false);
    expect(sameInterest(topics('aa'), topics('bb'))).toBe(false);
    expect(sameInterest(topics('aa'), FULL_INTEREST)).toBe(false);
    expect(sameInterest(interestFromTopics([Uint8Array.of(1, 2, 3, 4)]), topics('01020304'))).toBe(true);
  });
});
