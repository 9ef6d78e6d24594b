import { ManualClock } from '@status-ts/core';
import type { Envelope } from '@status-ts/waku';
import { describe, expect, it } from 'vitest';
import { type LoadLimits, LoadTracker, RequestLease, StopSignal } from '../src/server-load.js';

const P = Uint8Array.of(1);
const Q = Uint8Array.of(2);

function tracker(limits: Partial<LoadLimits> = {}): LoadTracker {
  return new LoadTracker({
    peerRequestIntervalMs: 0,
    peerRequestBurst: 1,
    maxPeerRequestsInFlight: 10,
    maxRequestsInFlight: 100,
    maxPeerBytesInFlight: 1000,
    maxBytesInFlight: 1000,
    ...limits,
  });
}

function lease(t: LoadTracker, peer: Uint8Array, now = 0): RequestLease {
  const admitted = t.admit(peer, now);
  if (!(admitted instanceof RequestLease)) throw new Error(`refused: ${admitted}`);
  return admitted;
}

/** Envelopes of `sizes` bytes: the tracker only counts `raw`. */
const envs = (...sizes: number[]) => sizes.map((n) => ({ raw: new Uint8Array(n) }) as Envelope);

/** A pending send, settled by hand. */
function pendingSend() {
  let settle!: () => void;
  const promise = new Promise<void>((r) => {
    settle = r;
  });
  return { promise, settle };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

function watch<T>(p: Promise<T>) {
  const s: { done: boolean; value?: T } = { done: false };
  void p.then((value) => {
    s.done = true;
    s.value = value;
  });
  return s;
}

describe('StopSignal', () => {
  it('runs what is registered when fired, not what was unregistered', () => {
    const s = new StopSignal();
    const calls: string[] = [];
    s.add(() => calls.push('a'));
    const off = s.add(() => calls.push('b'));
    off();
    s.fire();
    expect(calls).toEqual(['a']);
  });

  it('runs a function added after firing in a microtask', async () => {
    const s = new StopSignal();
    s.fire();
    const calls: string[] = [];
    s.add(() => calls.push('late'))();
    expect(calls).toEqual([]);
    await Promise.resolve();
    expect(calls).toEqual(['late']);
  });
});

describe('RequestLease', () => {
  it('takes envelopes in order while they fit under the bounds', () => {
    const t = tracker({ maxBytesInFlight: 100 });
    const l = lease(t, P);
    expect(l.take(envs(40, 40, 40))).toBe(2);
    expect(l.held).toBe(80);
    expect(t.bytes).toBe(80);
    expect(t.peakBytes).toBe(80);
  });

  it('takes one envelope larger than the bounds only when nothing else is held', () => {
    const t = tracker({ maxBytesInFlight: 100 });
    const other = lease(t, Q);
    const l = lease(t, P);
    expect(l.take(envs(150, 10))).toBe(1);
    expect(l.held).toBe(150);
    expect(other.take(envs(150))).toBe(0);
    expect(other.held).toBe(0);
  });

  it('room is what the global bound leaves when it is the smaller', () => {
    const t = tracker({ maxBytesInFlight: 100 });
    lease(t, Q).take(envs(30));
    expect(lease(t, P).room()).toBe(70);
  });

  it("room is what the peer bound leaves, after the peer's held and stalled bytes", async () => {
    const t = tracker({ maxPeerBytesInFlight: 60 });
    const first = lease(t, P);
    const second = lease(t, P);
    first.take(envs(20));
    expect(second.room()).toBe(40);
    const send = pendingSend();
    first.stall(20, send.promise);
    expect(first.held).toBe(0);
    expect(t.stalledBytes).toBe(20);
    expect(t.stalledPeers).toBe(1);
    expect(second.room()).toBe(40);
    send.settle();
    await flush();
    expect(t.stalledBytes).toBe(0);
    expect(t.stalledPeers).toBe(0);
    expect(second.room()).toBe(60);
  });

  it('a lease alone is never blocked, whatever it needs', () => {
    const t = tracker({ maxBytesInFlight: 100, maxPeerBytesInFlight: 100 });
    expect(lease(t, P).blocked(5000)).toBeUndefined();
  });

  it('blocked names the global bound when it leaves less than need (exact boundary)', () => {
    const t = tracker({ maxBytesInFlight: 100 });
    lease(t, Q).take(envs(60));
    const l = lease(t, P);
    expect(l.blocked(40)).toBeUndefined();
    expect(l.blocked(41)).toBe('bytes');
  });

  it('blocked names the peer bound, counting stalled bytes (exact boundary)', () => {
    const t = tracker({ maxPeerBytesInFlight: 100 });
    const first = lease(t, P);
    const second = lease(t, P);
    first.take(envs(60));
    expect(second.blocked(40)).toBeUndefined();
    expect(second.blocked(41)).toBe('peerBytes');
    // Stalled bytes leave the global count but still fill the peer's bound: the peer is not alone.
    first.stall(60, pendingSend().promise);
    expect(t.bytes).toBe(0);
    expect(second.blocked(40)).toBeUndefined();
    expect(second.blocked(41)).toBe('peerBytes');
    expect(second.take(envs(150))).toBe(0);
  });

  it('release and stall move at most what the lease holds', () => {
    const t = tracker();
    const l = lease(t, P);
    l.take(envs(50));
    l.release(80);
    expect(l.held).toBe(0);
    expect(t.bytes).toBe(0);
    expect(t.peakBytes).toBe(50);
    l.take(envs(50));
    l.stall(80, pendingSend().promise);
    expect(t.stalledBytes).toBe(50);
    expect(t.bytes).toBe(0);
  });

  it('end releases what is held, once', () => {
    const t = tracker();
    const l = lease(t, P);
    lease(t, Q);
    l.take(envs(50));
    l.end();
    l.end();
    expect(t.requests).toBe(1);
    expect(t.bytes).toBe(0);
  });
});

describe('LoadTracker.admit', () => {
  it("the global cap refuses only a peer's further requests, at exactly maxRequestsInFlight", () => {
    const t = tracker({ maxRequestsInFlight: 2 });
    lease(t, P);
    lease(t, P);
    expect(t.admit(P, 0)).toBe('requests');
    expect(t.admit(Q, 0)).toBeInstanceOf(RequestLease);
  });

  it('a peer keeps its count of requests in flight when one of them ends', () => {
    const t = tracker({ maxPeerRequestsInFlight: 2 });
    const first = lease(t, P);
    lease(t, P);
    first.end();
    lease(t, P);
    expect(t.admit(P, 0)).toBe('peerRequests');
  });

  it('forgets a peer once it has no request and no stalled send', async () => {
    const t = tracker();
    const l = lease(t, P);
    expect(t.trackedPeers).toBe(1);
    l.end();
    expect(t.trackedPeers).toBe(0);
    const stalled = lease(t, P);
    stalled.take(envs(10));
    const send = pendingSend();
    stalled.stall(10, send.promise);
    stalled.end();
    expect(t.trackedPeers).toBe(1);
    expect(t.admit(P, 0)).toBe('peerBacklog');
    send.settle();
    await flush();
    expect(t.trackedPeers).toBe(0);
    expect(t.admit(P, 0)).toBeInstanceOf(RequestLease);
  });

  it('admits peerRequestBurst requests at once, then one per interval (exact boundary)', () => {
    const t = tracker({ peerRequestIntervalMs: 1000, peerRequestBurst: 2 });
    lease(t, P, 0);
    lease(t, P, 0);
    expect(t.admit(P, 0)).toBe('interval');
    expect(t.admit(P, 999)).toBe('interval');
    expect(t.admit(P, 1000)).toBeInstanceOf(RequestLease);
  });

  it('keeps no pacing entry when peerRequestIntervalMs is 0', () => {
    const t = tracker({ peerRequestIntervalMs: 0 });
    lease(t, P);
    lease(t, P);
    expect(t.pacedPeers).toBe(0);
  });

  it('past 10,000 paced peers, forgets those whose budget is full again and keeps the others', () => {
    const t = tracker({ peerRequestIntervalMs: 1000, maxRequestsInFlight: 100_000 });
    const id = (i: number) => Uint8Array.of(i >>> 16, (i >>> 8) & 0xff, i & 0xff);
    for (let i = 0; i < 9_999; i++) lease(t, id(i), 0);
    // At 1000 their budgets are full again (due exactly now), but 10,000 entries are not over the bound.
    lease(t, id(10_000), 1000);
    expect(t.pacedPeers).toBe(10_000);
    lease(t, id(10_001), 1000);
    expect(t.pacedPeers).toBe(2);
    expect(t.admit(id(10_000), 1000)).toBe('interval');
    expect(t.admit(id(0), 1000)).toBeInstanceOf(RequestLease);
  });
});

describe('LoadTracker.waitForRoom', () => {
  function blockedSetup() {
    const clock = new ManualClock(0);
    const t = tracker({ maxBytesInFlight: 100 });
    const other = lease(t, Q);
    other.take(envs(80));
    const l = lease(t, P);
    return { clock, t, other, l, stop: new StopSignal() };
  }

  it('resolves at once when the lease is not blocked', async () => {
    const clock = new ManualClock(0);
    const t = tracker();
    await expect(t.waitForRoom(lease(t, P), 50, clock, 1000, new StopSignal())).resolves.toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
  });

  it('waits until releases leave room for need, not before', async () => {
    const { clock, t, other, l, stop } = blockedSetup();
    const wait = watch(t.waitForRoom(l, 50, clock, 1000, stop));
    await flush();
    expect(wait.done).toBe(false);
    other.release(10);
    await flush();
    expect(wait.done).toBe(false);
    other.release(20);
    await flush();
    expect(wait).toEqual({ done: true, value: undefined });
    expect(clock.pendingTimers).toBe(0);
  });

  it('resolves with the bound in the way when timeoutMs passes first', async () => {
    const { clock, t, l, stop } = blockedSetup();
    const wait = watch(t.waitForRoom(l, 50, clock, 1000, stop));
    clock.advance(999);
    await flush();
    expect(wait.done).toBe(false);
    clock.advance(1);
    await flush();
    expect(wait).toEqual({ done: true, value: 'bytes' });
  });

  it('resolves stopped when the stop signal fires first, or has fired already', async () => {
    const { clock, t, l, stop } = blockedSetup();
    const wait = watch(t.waitForRoom(l, 50, clock, 1000, stop));
    stop.fire();
    await flush();
    expect(wait).toEqual({ done: true, value: 'stopped' });
    expect(clock.pendingTimers).toBe(0);
    await expect(t.waitForRoom(l, 50, clock, 1000, stop)).resolves.toBe('stopped');
  });
});
