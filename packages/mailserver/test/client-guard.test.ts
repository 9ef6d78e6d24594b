import { ManualClock } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { newClientCounters } from '../src/client-counters.js';
import { MailserverGuard } from '../src/client-guard.js';
import { MAILSERVER_BYTES_BURST_SECONDS } from '../src/constants.js';
import { makeEnvelope, TOPIC_A } from './helpers/envelopes.js';

const S = 'aa'.repeat(32); // a watched mailserver
const P = 'bb'.repeat(32); // a peer only probed (asked by someone else on the node)
const envelope = () => makeEnvelope(1_700_000_000, TOPIC_A);
const L = envelope().raw.length;

/** A guard whose byte budget is `rate` bytes/s (burst: MAILSERVER_BYTES_BURST_SECONDS of it). */
function setup(rate = L, maxStrikes = 3) {
  const clock = new ManualClock(1_000_000);
  const counters = newClientCounters();
  const guard = new MailserverGuard({ clock, maxStrikes, maxBytesPerSecond: rate, counters });
  return { clock, counters, guard };
}

describe('MailserverGuard: envelopes', () => {
  it('accepts envelopes while the budget holds exactly their bytes, refuses the next one', () => {
    const { guard, counters } = setup(L);
    guard.watch(S);
    guard.open(S, '01', 100);
    const burst = Array.from({ length: MAILSERVER_BYTES_BURST_SECONDS + 1 }, envelope);
    const verdict = guard.envelopes(S, burst);
    expect(verdict).toMatchObject({ kind: 'checked', violation: 'overRate', struckOut: false });
    expect(verdict.kind === 'checked' && verdict.accepted).toEqual(burst.slice(0, -1));
    expect(counters.dropped.overRate).toBe(1);
    expect(guard.strikes(S)).toBe(1);
  });

  it('without a byte budget (0) takes any size and never asks to wait', () => {
    const { guard, counters } = setup(0);
    guard.watch(S);
    guard.open(S, '01', 10);
    const verdict = guard.envelopes(S, [envelope(), envelope()]);
    expect(verdict).toMatchObject({ kind: 'checked', struckOut: false });
    expect(verdict.kind === 'checked' && verdict.accepted.length).toBe(2);
    expect(guard.complete(S, '02', 1e9)).toEqual({ kind: 'unexpected' });
    expect(guard.complete(S, '01', 1e9)).toEqual({ kind: 'answer' });
    expect(guard.budgetWaitMs(S)).toBe(0);
    expect(counters.completesDropped.overRate).toBe(0);
  });

  it('refills the budget at maxBytesPerSecond, up to the burst', () => {
    const { guard, clock } = setup(1000);
    guard.watch(S);
    expect(guard.budgetWaitMs(S)).toBe(0); // full: nothing to wait for
    guard.open(S, '01', 1);
    guard.complete(S, '01', 8000); // the whole budget
    expect(guard.budgetWaitMs(S)).toBe(4000); // half of it back at 1000 B/s
    clock.advance(1500);
    expect(guard.budgetWaitMs(S)).toBe(2500);
    clock.advance(100_000);
    guard.open(S, '02', 1);
    guard.complete(S, '02', 4001); // capped at 8000: one byte short of half
    expect(guard.budgetWaitMs(S)).toBe(1);
  });

  it('knows nothing of a peer never asked nor watched', () => {
    const { guard } = setup(L);
    expect(guard.strikes(P)).toBe(0);
    expect(guard.misbehaved(P)).toBeUndefined();
    expect(guard.budgetWaitMs(P)).toBe(0);
    expect(guard.complete(P, '01', 10)).toEqual({ kind: 'ignored' });
    expect(() => guard.expire(P, '01', 10)).not.toThrow();
  });
});

describe('MailserverGuard: ask lifetime', () => {
  it('expire() shortens an ask to ttlMs from now, never lengthens it', () => {
    const { guard, clock } = setup(0);
    guard.watch(S);
    guard.open(S, 'long', 10);
    guard.open(S, 'short', 10, 50);
    guard.expire(S, 'long', 100);
    guard.expire(S, 'short', 100);
    clock.advance(49);
    expect(guard.envelopes(S, [envelope()])).toMatchObject({ kind: 'checked', struckOut: false });
    expect(guard.envelopes(S, [envelope()])).not.toHaveProperty('violation');
    clock.advance(1); // 'short' ends at 50 ms
    guard.envelopes(S, Array.from({ length: 10 }, envelope));
    clock.advance(49); // 99 ms: 'long' still open, and full (10 of 10)
    expect(guard.envelopes(S, [envelope()])).toMatchObject({ violation: 'overLimit' });
    clock.advance(1); // 100 ms: 'long' ends too
    expect(guard.envelopes(S, [envelope()])).toMatchObject({ violation: 'outsideRequest' });
  });

  it('a request-complete after its ask ended is no answer', () => {
    const { guard, clock, counters } = setup(0);
    guard.watch(S);
    guard.open(S, '01', 10);
    guard.expire(S, '01', 100);
    clock.advance(100);
    expect(guard.complete(S, '01', 10)).toEqual({ kind: 'unexpected' });
    expect(counters.completesUnexpected).toBe(1);
  });
});

describe('MailserverGuard: request-complete', () => {
  it('pays an answer from the budget and counts it for a watched mailserver only', () => {
    const { guard, counters } = setup(1000);
    guard.watch(S);
    guard.open(S, '01', 1);
    expect(guard.complete(S, '01', 2000)).toEqual({ kind: 'answer' });
    expect(guard.budgetWaitMs(S)).toBe(0); // 6000 left: more than half
    guard.open(S, '02', 1);
    expect(guard.complete(S, '02', 2001)).toEqual({ kind: 'answer' });
    expect(guard.budgetWaitMs(S)).toBe(1);
    expect(counters.completesReceived).toBe(2);
    guard.open(P, '03', 1);
    guard.open(P, '04', 1);
    expect(guard.complete(P, '03', 10)).toEqual({ kind: 'answer' });
    expect(guard.complete(P, '05', 10)).toEqual({ kind: 'ignored' });
    expect(counters).toMatchObject({ completesReceived: 2, completesUnexpected: 0 });
  });

  it('takes unexpected completes while the budget holds exactly their bytes, then strikes', () => {
    const { guard, counters } = setup(1000, 2);
    guard.watch(S);
    expect(guard.complete(S, 'x1', 4000)).toEqual({ kind: 'unexpected' });
    expect(guard.complete(S, 'x2', 4000)).toEqual({ kind: 'unexpected' }); // exactly what is left
    expect(guard.complete(S, 'x3', 1)).toEqual({ kind: 'overRate', struckOut: false });
    expect(guard.misbehaved(S)).toBeUndefined();
    expect(guard.complete(S, 'x4', 1)).toEqual({ kind: 'overRate', struckOut: true });
    expect(guard.misbehaved(S)).toBe('overRate');
    expect(counters).toMatchObject({
      completesReceived: 4,
      completesUnexpected: 2,
      completesDropped: { overRate: 2, misbehaving: 0 },
      strikes: 2,
      misbehaved: 1,
    });
  });

  it('refuses and counts every complete of a dropped mailserver, even one ending its ask', () => {
    const { guard, counters } = setup(0, 1);
    guard.watch(S);
    guard.open(S, '01', 1);
    guard.envelopes(S, [envelope(), envelope()]); // one over the limit: struck out
    expect(guard.misbehaved(S)).toBe('overLimit');
    expect(guard.complete(S, '01', 10)).toEqual({ kind: 'misbehaving' });
    expect(counters).toMatchObject({
      completesReceived: 1,
      completesDropped: { overRate: 0, misbehaving: 1 },
    });
  });
});

describe('MailserverGuard: probed peers', () => {
  it('forgets a probed peer once its last ask is answered, not before', () => {
    const { guard } = setup(1000);
    guard.open(P, '01', 1);
    guard.open(P, '02', 1);
    expect(guard.complete(P, '01', 8000)).toEqual({ kind: 'answer' });
    expect(guard.budgetWaitMs(P)).toBe(4000); // still asked: its budget is kept
    expect(guard.complete(P, '02', 0)).toEqual({ kind: 'answer' });
    expect(guard.budgetWaitMs(P)).toBe(0); // forgotten
  });

  it('forgets a probed peer that never answered when the next request is sent', () => {
    const { guard, clock } = setup(1000);
    guard.open(P, '01', 1);
    guard.open(P, '02', 1, 1000);
    guard.complete(P, '01', 8000);
    clock.advance(1000); // '02' ends unanswered; 1000 B refilled
    expect(guard.budgetWaitMs(P)).toBe(3000);
    guard.open(S, '03', 1);
    expect(guard.budgetWaitMs(P)).toBe(0);
  });
});
