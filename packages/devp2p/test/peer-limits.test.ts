import { describe, expect, it } from 'vitest';
import { DEFAULT_PEER_LIMITS, resolveLimits } from '../src/index.js';

describe('resolveLimits', () => {
  it('applies the given fields and keeps the defaults of the rest', () => {
    const limits = resolveLimits({ maxHelloSize: 512, readTimeoutMs: undefined, receiveQueueLimit: 8 });
    expect(limits).toEqual({ ...DEFAULT_PEER_LIMITS, maxHelloSize: 512, receiveQueueLimit: 8 });
    expect(resolveLimits()).toEqual(DEFAULT_PEER_LIMITS);
  });
});
