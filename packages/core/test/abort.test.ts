import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  abortReason,
  anySignal,
  ManualClock,
  raceSignal,
  sleep,
  throwIfAborted,
  timeoutSignal,
} from '../src/index.js';

describe('abort helpers', () => {
  it('times out with a typed reason on the given clock', () => {
    const clock = new ManualClock();
    const { signal } = timeoutSignal(100, clock);
    clock.advance(99);
    expect(signal.aborted).toBe(false);
    clock.advance(1);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(() => throwIfAborted(signal)).toThrow(expect.objectContaining({ code: 'ERR_TIMEOUT' }));
  });

  it('cancel releases the timer', () => {
    const clock = new ManualClock();
    const { signal, cancel } = timeoutSignal(100, clock);
    cancel();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(1000);
    expect(signal.aborted).toBe(false);
  });

  it('anySignal follows the first abort', () => {
    const a = new AbortController();
    const b = new AbortController();
    const both = anySignal([a.signal, undefined, b.signal]);
    expect(both.aborted).toBe(false);
    b.abort(new Error('b'));
    expect(both.aborted).toBe(true);
    expect((both.reason as Error).message).toBe('b');
    const already = anySignal([AbortSignal.abort(new Error('x'))]);
    expect(already.aborted).toBe(true);
  });

  it('anySignal leaves no listener behind on a long-lived source signal', () => {
    const lifetime = new AbortController();
    for (let i = 0; i < 1000; i++) anySignal([lifetime.signal, new AbortController().signal]);
    expect(getEventListeners(lifetime.signal, 'abort')).toHaveLength(0);
    const combined = anySignal([lifetime.signal]);
    lifetime.abort(new Error('stopped'));
    expect((combined.reason as Error).message).toBe('stopped');
  });

  it('raceSignal rejects on abort and passes results through', async () => {
    await expect(raceSignal(Promise.resolve(7), undefined)).resolves.toBe(7);
    const controller = new AbortController();
    const pending = raceSignal(new Promise(() => {}), controller.signal);
    controller.abort();
    await expect(pending).rejects.toBe(controller.signal.reason);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects with the reason given to abort(), as is', async () => {
    const reason = new Error('user left the chat');
    const controller = new AbortController();
    const pending = raceSignal(new Promise(() => {}), controller.signal);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(() => throwIfAborted(controller.signal)).toThrow(reason);
    const notAnError = new AbortController();
    notAnError.abort('bye');
    await expect(raceSignal(Promise.resolve(1), notAnError.signal)).rejects.toBe('bye');
  });

  it('an abort with no reason at all (old polyfills) still rejects with an AbortError', () => {
    const bare = { aborted: true, reason: undefined } as unknown as AbortSignal;
    const reason = abortReason(bare);
    expect(reason).toBeInstanceOf(Error);
    expect(reason).toMatchObject({ name: 'AbortError' });
    expect(() => throwIfAborted(bare)).toThrow(expect.objectContaining({ name: 'AbortError' }));
  });

  it('sleep waits on the clock and stops early when aborted', async () => {
    const clock = new ManualClock();
    let done = false;
    const p = sleep(50, { clock }).then(() => {
      done = true;
    });
    clock.advance(50);
    await p;
    expect(done).toBe(true);
    const controller = new AbortController();
    const q = sleep(50, { clock, signal: controller.signal });
    controller.abort();
    await expect(q).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.pendingTimers).toBe(0);
  });
});
