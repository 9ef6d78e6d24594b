import { ManualClock } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENVELOPE_LIMIT_PER_IP, DEFAULT_ENVELOPE_LIMIT_PER_PEER, WakuNode } from '../src/index.js';
import { RateLimiter } from '../src/node/rate-limiter.js';
import { TokenBucket } from '../src/node/token-bucket.js';
import { code } from './helpers/errors.js';

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

describe('RateLimiter envelope limits', () => {
  it('passes the envelopes of a packet up to envelopesPerPeer, strikes the peer for the excess', () => {
    const clock = new ManualClock(0);
    const r = new RateLimiter({ envelopesPerPeer: 10, envelopesPerIp: 0, tolerance: 2 }, clock);
    r.add('p', undefined);
    expect(r.takeEnvelopes('p', undefined, 4)).toEqual({ allowed: 4, verdict: 'ok' });
    expect(r.takeEnvelopes('p', undefined, 15)).toEqual({ allowed: 6, verdict: 'limited' });
    // A second strike within the window reaches the tolerance (strikes are shared with packets).
    expect(r.takeEnvelopes('p', undefined, 1).verdict).toBe('disconnect');
    clock.advance(20_000);
    expect(r.takeEnvelopes('p', undefined, 10)).toEqual({ allowed: 10, verdict: 'ok' });
  });

  it('shares envelopesPerIp across the peers of an address and spares whitelisted ones', () => {
    const clock = new ManualClock(0);
    const r = new RateLimiter(
      { envelopesPerPeer: 0, envelopesPerIp: 10, tolerance: 100, whitelistedIps: ['10.0.0.9'] },
      clock,
    );
    r.add('p1', '10.0.0.1');
    r.add('p2', '10.0.0.1');
    r.add('w', '10.0.0.9');
    expect(r.takeEnvelopes('p1', '10.0.0.1', 7)).toEqual({ allowed: 7, verdict: 'ok' });
    expect(r.takeEnvelopes('p2', '10.0.0.1', 7)).toEqual({ allowed: 3, verdict: 'limited' });
    expect(r.takeEnvelopes('w', '10.0.0.9', 1000)).toEqual({ allowed: 1000, verdict: 'ok' });
    clock.advance(500);
    expect(r.takeEnvelopes('p2', '10.0.0.1', 7)).toEqual({ allowed: 5, verdict: 'limited' });
  });

  it(`defaults to ${DEFAULT_ENVELOPE_LIMIT_PER_PEER}/s per peer and ${DEFAULT_ENVELOPE_LIMIT_PER_IP}/s per IP`, () => {
    const r = new RateLimiter({ tolerance: 100 }, new ManualClock(0));
    r.add('p', '10.0.0.1');
    expect(r.takeEnvelopes('p', '10.0.0.1', DEFAULT_ENVELOPE_LIMIT_PER_PEER + 1)).toEqual({
      allowed: DEFAULT_ENVELOPE_LIMIT_PER_PEER,
      verdict: 'limited',
    });
    expect(DEFAULT_ENVELOPE_LIMIT_PER_IP).toBeGreaterThanOrEqual(DEFAULT_ENVELOPE_LIMIT_PER_PEER);
  });

  it('validates every limit: finite numbers >= 0, integers for the tolerance', () => {
    const clock = new ManualClock(0);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      for (const key of ['envelopesPerPeer', 'envelopesPerIp', 'packetsPerPeer', 'bytesPerIp'] as const) {
        expect(code(() => new RateLimiter({ [key]: bad }, clock))).toBe('ERR_WAKU_INVALID_OPTIONS');
      }
    }
    expect(code(() => new RateLimiter({ tolerance: 1.5 }, clock))).toBe('ERR_WAKU_INVALID_OPTIONS');
    expect(code(() => new RateLimiter({ toleranceWindowMs: -1 }, clock))).toBe('ERR_WAKU_INVALID_OPTIONS');
    expect(code(() => new WakuNode({ rateLimits: { envelopesPerPeer: -5 } }))).toBe(
      'ERR_WAKU_INVALID_OPTIONS',
    );
    expect(code(() => new RateLimiter({ envelopesPerPeer: 0, envelopesPerIp: 0 }, clock))).toBe('no error');
  });
});
