import { afterEach, describe, expect, it, vi } from 'vitest';
import { Envelope, nonceBytes8 } from '../src/envelope/envelope.js';
import {
  advanceNonce8,
  powTargetBits,
  sealEnvelope,
  sealEnvelopeSync,
  sealSize,
  writeNonce8,
} from '../src/envelope/pow.js';
import { WakuErrorCode } from '../src/errors.js';
import { code } from './helpers/errors.js';

const fields = {
  expiry: 1_800_000_000,
  ttl: 50,
  topic: Uint8Array.of(1, 2, 3, 4),
  data: Uint8Array.of(9, 8, 7),
};
/** A target no search reaches within a test's attempts. */
const UNREACHABLE = 1e12;

interface LowPow {
  code: string;
  message: string;
  details: { targetBits: number; bestBits: number; attempts: number };
}

function syncFailure(fn: () => unknown): LowPow {
  try {
    fn();
  } catch (err) {
    return err as LowPow;
  }
  throw new Error('expected an error');
}

async function asyncFailure(promise: Promise<unknown>): Promise<LowPow> {
  return promise.then(
    () => {
      throw new Error('expected an error');
    },
    (err) => err as LowPow,
  );
}

/** The pow module evaluated against a stubbed `performance` (it picks its clock once, at load). */
async function loadPowWithClock(performanceStub: unknown, yieldSpy?: () => Promise<void>) {
  vi.resetModules();
  vi.stubGlobal('performance', performanceStub);
  if (yieldSpy) {
    vi.doMock('@status-ts/core', async (importOriginal) => ({
      ...(await importOriginal<typeof import('@status-ts/core')>()),
      yieldToEventLoop: yieldSpy,
    }));
  }
  // The stub stays until afterEach: the module reads `performance.now` on every call.
  return import('../src/envelope/pow.js');
}

/** A performance stub whose clock advances by `step` ms on every read. */
function steppingClock(step: number) {
  let t = 0;
  const clock = {
    reads: 0,
    now: () => {
      clock.reads++;
      t += step;
      return t;
    },
  };
  return clock;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.doUnmock('@status-ts/core');
  vi.resetModules();
});

describe('powTargetBits', () => {
  it('is ceil(log2(pow * size * ttl)), at least 1, and 1 for non-finite products', () => {
    expect(powTargetBits(1, 4, 1)).toBe(2);
    expect(powTargetBits(1, 5, 1)).toBe(3);
    expect(powTargetBits(1, 2, 1)).toBe(1);
    expect(powTargetBits(0.001, 1, 1)).toBe(1);
    expect(powTargetBits(0, 100, 100)).toBe(1);
    expect(powTargetBits(Number.NaN, 100, 100)).toBe(1);
    expect(powTargetBits(Number.POSITIVE_INFINITY, 100, 100)).toBe(1);
  });
});

describe('writeNonce8', () => {
  it('writes nonces below 2^53 as 8 big-endian bytes, high word included', () => {
    const out = new Uint8Array(8);
    for (const nonce of [0, 0x80, 0xffffffff, 2 ** 32 + 5, 0x0102030405060, 2 ** 53 - 1]) {
      writeNonce8(out, nonce);
      expect(out).toEqual(nonceBytes8(BigInt(nonce)));
    }
  });
});

describe('advanceNonce8', () => {
  it('turns the bytes of nonce - 1 into those of nonce, across every byte carry and above 2^32', () => {
    const out = new Uint8Array(8);
    for (const first of [0, 0xfff0, 0xfffff0, 2 ** 32 - 300, 2 ** 40 - 300, 2 ** 53 - 600]) {
      writeNonce8(out, first);
      const last = Math.min(first + 70_000, 2 ** 53 - 1);
      for (let nonce = first + 1; nonce <= last; nonce++) {
        advanceNonce8(out, nonce);
        // Checking every nonce would dominate the test; the carries and a sample are enough.
        if ((nonce & 0xff) === 0 || (nonce & 0xff) === 1 || nonce % 997 === 0) {
          expect(out).toEqual(nonceBytes8(BigInt(nonce)));
        }
      }
      expect(out).toEqual(nonceBytes8(BigInt(last)));
    }
  });
});

describe('sealEnvelope options and results', () => {
  it('rejects a pow that is not a finite number >= 0', async () => {
    for (const pow of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number]) {
      expect(code(() => sealEnvelopeSync(fields, { pow }))).toBe(WakuErrorCode.InvalidOptions);
      expect((await asyncFailure(sealEnvelope(fields, { pow }))).code).toBe(WakuErrorCode.InvalidOptions);
    }
  });

  it('pow 0 skips the search: nonce 0, no attempts, target 0 (sync and async)', async () => {
    for (const r of [sealEnvelopeSync(fields, { pow: 0 }), await sealEnvelope(fields, { pow: 0 })]) {
      expect(r.attempts).toBe(0);
      expect(r.targetBits).toBe(0);
      expect(r.envelope.nonce).toBe(0n);
      expect(r.envelope.raw).toEqual(Envelope.create(fields).raw);
    }
  });

  it('reports the best bits seen (-1 before any attempt) with the attempts and target', async () => {
    const none = syncFailure(() => sealEnvelopeSync(fields, { pow: UNREACHABLE, maxAttempts: 0 }));
    expect(none.code).toBe(WakuErrorCode.LowPow);
    expect(none.details).toEqual({ targetBits: none.details.targetBits, bestBits: -1, attempts: 0 });
    let best = -1;
    for (let n = 0n; n < 300n; n++)
      best = Math.max(best, Envelope.create({ ...fields, nonce: n }).leadingZeroBits);
    const some = syncFailure(() => sealEnvelopeSync(fields, { pow: UNREACHABLE, maxAttempts: 300 }));
    expect(some.details.bestBits).toBe(best);
    expect(some.details.attempts).toBe(300);
    const asyncSome = await asyncFailure(
      sealEnvelope(fields, { pow: UNREACHABLE, maxAttempts: 300, timeMs: 500 }),
    );
    expect(asyncSome.details).toEqual(some.details);
    expect(asyncSome.message).toMatch(/300 attempts exhausted/);
  });

  it('targets the larger of 20 + len(data) and the nonce-less RLP length', () => {
    // Short data: 20 + len is larger; data of 300 bytes with 4-byte integers: the RLP is larger.
    for (const f of [
      { ...fields, ttl: 1, data: new Uint8Array(10) },
      { ...fields, ttl: 0x1000000, data: new Uint8Array(300) },
    ]) {
      const env = Envelope.create(f);
      const big = sealSize(env);
      const small = Math.min(env.size, env.rlpWithoutNonceLength);
      expect(small).toBeLessThan(big);
      // A pow whose target differs between the two sizes.
      const pow = 2 ** 10 / ((big + small) / 2) / f.ttl;
      const err = syncFailure(() => sealEnvelopeSync(f, { pow, maxAttempts: 0 }));
      expect(err.details.targetBits).toBe(11);
      expect(powTargetBits(pow, small, f.ttl)).toBe(10);
    }
  });

  it('the found envelope keeps its PoW hash when the next seal reuses the search buffers', () => {
    const a = sealEnvelopeSync(fields, { pow: 0.5 }).envelope;
    const hashA = Envelope.decode(a.raw.slice()).powHash;
    sealEnvelopeSync({ ...fields, data: Uint8Array.of(1) }, { pow: 0.5 });
    sealEnvelopeSync({ ...fields, data: Uint8Array.of(2) }, { pow: 0.5 });
    expect(a.powHash).toEqual(hashA);
  });

  it("a sealed envelope's topic is the one in its bytes and ignores later changes to the caller's topic", () => {
    for (const expiry of [0, 0x7f, 0x80, 0xffff, 0xffffffff]) {
      for (const ttl of [1, 0x80, 0x10000]) {
        const callerTopic = Uint8Array.of(0xa1, 0xb2, 0xc3, 0xd4);
        const { envelope } = sealEnvelopeSync({ ...fields, expiry, ttl, topic: callerTopic }, { pow: 0.5 });
        callerTopic.fill(0);
        expect(envelope.topic).toEqual(Uint8Array.of(0xa1, 0xb2, 0xc3, 0xd4));
        expect(Envelope.decode(envelope.raw.slice()).topic).toEqual(envelope.topic);
      }
    }
  });
});

describe('seal time budget (stubbed clock)', () => {
  it('uses performance.now when present', async () => {
    const clock = steppingClock(1);
    const pow = await loadPowWithClock(clock);
    // deadline = 1 + 1; the first check after 256 attempts reads 2.
    const err = syncFailure(() =>
      pow.sealEnvelopeSync(fields, { pow: UNREACHABLE, timeMs: 1, maxAttempts: 256 * 40 }),
    );
    expect(err.code).toBe(WakuErrorCode.LowPow);
    expect(err.details.attempts).toBe(256);
    expect(clock.reads).toBe(2);
  });

  it('falls back to Date.now without performance or without performance.now', async () => {
    for (const stub of [undefined, {}]) {
      const pow = await loadPowWithClock(stub);
      const err = syncFailure(() =>
        pow.sealEnvelopeSync(fields, { pow: UNREACHABLE, timeMs: 0, maxAttempts: 256 * 40 }),
      );
      expect(err.details.attempts).toBe(256);
    }
  });

  it('stops when the clock reaches the deadline exactly (sync and async)', async () => {
    let pow = await loadPowWithClock(steppingClock(1));
    // Sync: deadline = 1 + 1, first check reads 2.
    const sync = syncFailure(() =>
      pow.sealEnvelopeSync(fields, { pow: UNREACHABLE, timeMs: 1, maxAttempts: 2560 }),
    );
    expect(sync.details.attempts).toBe(256);
    expect(sync.message).toMatch(/time budget/);
    pow = await loadPowWithClock(steppingClock(1));
    // Async: deadline = 1 + 2, slice start 2, first check reads 3.
    const late = await asyncFailure(
      pow.sealEnvelope(fields, { pow: UNREACHABLE, timeMs: 2, maxAttempts: 2560 }),
    );
    expect(late.details.attempts).toBe(256);
    expect(late.message).toMatch(/time budget/);
  });

  it('the async seal defaults to a 5 s budget', async () => {
    const pow = await loadPowWithClock(steppingClock(2500), async () => {});
    // deadline = 2500 + 5000, slice start 5000, first check reads 7500.
    const err = await asyncFailure(pow.sealEnvelope(fields, { pow: UNREACHABLE, maxAttempts: 2560 }));
    expect(err.details.attempts).toBe(256);
    expect(err.message).toMatch(/time budget/);
  });

  it('yields to the event loop once every 8 ms of searching', async () => {
    const yields = vi.fn(async () => {});
    const pow = await loadPowWithClock(steppingClock(1), yields);
    // One clock read per slice of 256 attempts: a yield after every 8 slices, none after the last.
    const err = await asyncFailure(
      pow.sealEnvelope(fields, { pow: UNREACHABLE, timeMs: 200, maxAttempts: 256 * 72 }),
    );
    expect(err.details.attempts).toBe(256 * 72);
    expect(yields).toHaveBeenCalledTimes(8);
  });
});
