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

  it('is full only with a whole second of tokens', () => {
    const b = new TokenBucket(10, 0);
    expect(b.full(0)).toBe(true);
    b.take(1, 0);
    expect(b.full(0)).toBe(false);
    expect(b.full(99)).toBe(false);
    expect(b.full(100)).toBe(true);
  });

  it('neither refills nor drains on a clock read earlier than the last one, and refills from the latest', () => {
    const b = new TokenBucket(10, 1000);
    b.take(10, 1000);
    expect(b.available(500)).toBe(0);
    expect(b.available(1100)).toBeCloseTo(1);
    expect(b.available(900)).toBeCloseTo(1);
    expect(b.available(1200)).toBeCloseTo(2);
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

describe('RateLimiter peers and addresses', () => {
  const clock = () => new ManualClock(0);
  const perPeer = { packetsPerPeer: 1, packetsPerIp: 0, bytesPerPeer: 0, bytesPerIp: 0, tolerance: 100 };
  const perIp = { packetsPerPeer: 0, packetsPerIp: 1, bytesPerPeer: 0, bytesPerIp: 0, tolerance: 100 };

  it('keeps the buckets of a peer added twice until its last removal', () => {
    const r = new RateLimiter(perPeer, clock());
    r.add('p', undefined);
    expect(r.check('p', undefined, 1)).toBe('ok');
    r.add('p', undefined); // a second session: same buckets, not refilled
    expect(r.check('p', undefined, 1)).toBe('limited');
    r.remove('p', undefined);
    expect(r.check('p', undefined, 1)).toBe('limited');
    r.remove('p', undefined);
    expect(r.check('p', undefined, 1)).toBe('ok'); // forgotten: nothing to limit
  });

  it('forgets the strikes of a removed peer', () => {
    const r = new RateLimiter({ ...perPeer, tolerance: 2 }, clock());
    r.add('p', undefined);
    r.check('p', undefined, 1);
    expect(r.check('p', undefined, 1)).toBe('limited');
    r.remove('p', undefined);
    r.add('p', undefined);
    r.check('p', undefined, 1);
    expect(r.check('p', undefined, 1)).toBe('limited'); // first strike again, not the second
  });

  it('shares the buckets of an address among its peers and drops them with the last one', () => {
    const r = new RateLimiter(perIp, clock());
    r.add('p1', '10.0.0.1');
    expect(r.check('p1', '10.0.0.1', 1)).toBe('ok');
    r.add('p2', '10.0.0.1'); // joins the spent bucket
    expect(r.check('p2', '10.0.0.1', 1)).toBe('limited');
    r.remove('p1', '10.0.0.1');
    expect(r.check('p2', '10.0.0.1', 1)).toBe('limited');
    r.remove('p2', '10.0.0.1');
    r.add('p3', '10.0.0.1'); // fresh buckets for the address
    expect(r.check('p3', '10.0.0.1', 1)).toBe('ok');
  });

  it('never limits a whitelisted address, nor an address it does not know', () => {
    const r = new RateLimiter({ ...perIp, whitelistedIps: ['10.0.0.9'] }, clock());
    r.add('w', '10.0.0.9');
    for (let i = 0; i < 5; i++) expect(r.check('w', '10.0.0.9', 1)).toBe('ok');
    r.add('p', undefined);
    for (let i = 0; i < 5; i++) expect(r.check('p', '10.0.0.7', 1)).toBe('ok');
  });

  it('whitelists peer ids given as bytes or as hex of any case', () => {
    const id = new Uint8Array(64).fill(0xab);
    const hex = 'ab'.repeat(64);
    const r = new RateLimiter({ ...perPeer, whitelistedPeerIds: [id, 'CD'.repeat(64)] }, clock());
    for (const peer of [hex, 'cd'.repeat(64)]) {
      r.add(peer, undefined);
      for (let i = 0; i < 3; i++) expect(r.check(peer, undefined, 1)).toBe('ok');
    }
  });

  it('passes an oversized packet only when the bytes bucket is full, and a packet of exactly the rate when it has the tokens', () => {
    const c = clock();
    const r = new RateLimiter(
      { packetsPerPeer: 0, packetsPerIp: 0, bytesPerPeer: 100, bytesPerIp: 0, tolerance: 100 },
      c,
    );
    r.add('p', undefined);
    expect(r.check('p', undefined, 100)).toBe('ok');
    c.advance(990);
    expect(r.check('p', undefined, 100)).toBe('limited'); // 99 tokens
    expect(r.check('p', undefined, 150)).toBe('limited');
    c.advance(1000);
    expect(r.check('p', undefined, 150)).toBe('ok'); // full: passes, into debt
    c.advance(1000);
    expect(r.check('p', undefined, 60)).toBe('limited'); // 100 - 150 + 100 = 50 tokens after 1 s
  });
});

describe('RateLimiter strikes', () => {
  const limiter = (tolerance: number, c: ManualClock) => {
    const r = new RateLimiter(
      {
        packetsPerPeer: 1,
        packetsPerIp: 0,
        bytesPerPeer: 0,
        bytesPerIp: 0,
        tolerance,
        toleranceWindowMs: 1000,
      },
      c,
    );
    r.add('p', undefined);
    r.check('p', undefined, 1); // spends the one token
    return r;
  };

  it('disconnects on the first excess with a tolerance of 1', () => {
    const r = limiter(1, new ManualClock(0));
    expect(r.check('p', undefined, 1)).toBe('disconnect');
  });

  it('never disconnects with a tolerance of 0', () => {
    const r = limiter(0, new ManualClock(0));
    for (let i = 0; i < 5; i++) expect(r.check('p', undefined, 1)).toBe('limited');
  });

  it('counts a strike at exactly the window end in the same window, one later in a new one', () => {
    const c = new ManualClock(0);
    const r = limiter(2, c);
    expect(r.check('p', undefined, 1)).toBe('limited'); // strike 1 at t=0
    c.advance(1000);
    // 1 token refilled: spend it, then the excess at t=1000 is strike 2 of the same window.
    expect(r.check('p', undefined, 1)).toBe('ok');
    expect(r.check('p', undefined, 1)).toBe('disconnect');
    const r2 = limiter(2, c);
    expect(r2.check('p', undefined, 1)).toBe('limited');
    c.advance(1001);
    r2.check('p', undefined, 1);
    expect(r2.check('p', undefined, 1)).toBe('limited'); // window restarted
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
    // An address or a peer it does not know has no buckets: nothing to limit.
    expect(r.takeEnvelopes('x', '10.0.0.2', 50)).toEqual({ allowed: 50, verdict: 'ok' });
  });

  it('spares whitelisted peer ids from the envelope limits', () => {
    const r = new RateLimiter(
      { envelopesPerPeer: 5, envelopesPerIp: 0, whitelistedPeerIds: ['aa'] },
      new ManualClock(0),
    );
    r.add('aa', '10.0.0.1');
    expect(r.takeEnvelopes('aa', '10.0.0.1', 100)).toEqual({ allowed: 100, verdict: 'ok' });
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
    expect(code(() => new RateLimiter({ tolerance: -1 }, clock))).toBe('ERR_WAKU_INVALID_OPTIONS');
    expect(code(() => new RateLimiter({ tolerance: 0 }, clock))).toBe('no error');
    expect(code(() => new RateLimiter({ toleranceWindowMs: -1 }, clock))).toBe('ERR_WAKU_INVALID_OPTIONS');
    expect(code(() => new WakuNode({ rateLimits: { envelopesPerPeer: -5 } }))).toBe(
      'ERR_WAKU_INVALID_OPTIONS',
    );
    expect(code(() => new RateLimiter({ envelopesPerPeer: 0, envelopesPerIp: 0 }, clock))).toBe('no error');
  });
});
