import { describe, expect, it } from 'vitest';
import { IpRateLimiter } from '../src/index.js';

describe('IpRateLimiter', () => {
  it('clear forgets every bucket, refilling an emptied one', () => {
    const limiter = new IpRateLimiter({ packetsPerSecond: 1, burst: 1, maxTrackedIps: 4, now: () => 0 });
    expect(limiter.allow('10.0.0.1')).toBe(true);
    expect(limiter.allow('10.0.0.1')).toBe(false);
    limiter.clear();
    expect(limiter.trackedIps).toBe(0);
    expect(limiter.allow('10.0.0.1')).toBe(true);
  });
});
