import { ManualClock } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/node/rate-limiter.js';
import { TokenBucket } from '../src/node/token-bucket.js';

describe('TokenBucket', () => {
  it('holds one second of tokens, refills continuously, 0 means unlimited', () => {
    const b = new TokenBucket(10, 0);
    expect(b.take(10, 0)).toBe(true);
    expect(b.take(1, 0)).toBe(false);
    expect(b.take(1, 100)).toBe(true);
    expect(b.available(10_000)).toBe(10);
    b.charge(25, 10_000);
    expect(b.available(10_000)).toBe(-15);
    expect(new TokenBucket(0, 0).take(1e9, 0)).toBe(true);
  });
});

describe('RateLimiter', () => {
  it('limits bytes per peer, passing one oversized packet when the bucket is full', () => {
    const clock = new ManualClock(0);
    const r = new RateLimiter(
      { packetsPerPeer: 0, packetsPerIp: 0, bytesPerPeer: 100, bytesPerIp: 0, tolerance: 2 },
      clock,
    );
    r.add('p', undefined);
    expect(r.check('p', undefined, 150)).toBe('ok');
    expect(r.check('p', undefined, 10)).toBe('limited');
    expect(r.check('p', undefined, 10)).toBe('disconnect');
    clock.advance(20_000);
    expect(r.check('p', undefined, 10)).toBe('ok');
  });

  it('advertises its limits (topic limits are not enforced) and forgets peers', () => {
    const r = new RateLimiter({}, new ManualClock(0));
    expect(r.packetLimits).toEqual({ ip: 10, peerId: 5, topic: 0 });
    expect(r.bytesLimits).toEqual({ ip: 1048576, peerId: 1048576, topic: 0 });
    r.add('p', '1.2.3.4');
    r.remove('p', '1.2.3.4');
    // Unknown peers have no buckets: nothing to limit.
    expect(r.check('p', '1.2.3.4', 1)).toBe('ok');
  });

  it('resets strikes after the tolerance window and never drops whitelisted ids', () => {
    const clock = new ManualClock(0);
    const r = new RateLimiter(
      {
        packetsPerPeer: 1,
        packetsPerIp: 0,
        tolerance: 2,
        toleranceWindowMs: 1000,
        whitelistedPeerIds: ['AA'],
      },
      clock,
    );
    r.add('p', undefined);
    r.add('aa', undefined);
    expect(r.check('p', undefined, 1)).toBe('ok');
    expect(r.check('p', undefined, 1)).toBe('limited');
    clock.advance(1500);
    r.check('p', undefined, 1);
    expect(r.check('p', undefined, 1)).toBe('limited');
    for (let i = 0; i < 10; i++) expect(r.check('aa', undefined, 1)).toBe('ok');
  });
});
