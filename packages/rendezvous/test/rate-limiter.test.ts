import { ManualClock } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { PeerRateLimiter } from '../src/index.js';

describe('PeerRateLimiter.prune', () => {
  it('forgets a peer exactly when its bucket has refilled, not before', () => {
    const clock = new ManualClock(10_000);
    const limiter = new PeerRateLimiter(clock, { burst: 2, perSecond: 1 });
    expect(limiter.take('a')).toBe(true);
    clock.advance(999);
    limiter.prune();
    expect(limiter.trackedPeers).toBe(1);
    clock.advance(1);
    limiter.prune();
    expect(limiter.trackedPeers).toBe(0);
  });
});
