import { type Clock, systemClock } from './clock.js';
import { CoreErrorCode, StatusTsError } from './errors.js';

/** A signal that aborts after `ms` on `clock`, with a typed ERR_TIMEOUT reason, plus its cancel. */
export function timeoutSignal(
  ms: number,
  clock: Clock = systemClock,
): { signal: AbortSignal; cancel: () => void } {
  const controller = new AbortController();
  const cancel = clock.setTimeout(() => {
    controller.abort(
      new StatusTsError(CoreErrorCode.Timeout, `timed out after ${ms} ms`, { details: { ms } }),
    );
  }, ms);
  return { signal: controller.signal, cancel };
}

/** A signal that aborts when any of `signals` does (undefined entries are skipped). */
export function anySignal(signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  // AbortSignal.any tracks its sources weakly: a long-lived signal (a node's lifetime) combined once per
  // request would otherwise keep one listener per request until it aborts.
  const platformAny = (AbortSignal as { any?: (signals: AbortSignal[]) => AbortSignal }).any;
  if (typeof platformAny === 'function') return platformAny.call(AbortSignal, present);
  const controller = new AbortController();
  const listeners = new Map<AbortSignal, () => void>();
  const onAbort = (source: AbortSignal) => {
    for (const [s, listener] of listeners) s.removeEventListener('abort', listener);
    controller.abort(source.reason);
  };
  for (const s of present) {
    if (s.aborted) {
      onAbort(s);
      break;
    }
    const listener = () => onAbort(s);
    listeners.set(s, listener);
    s.addEventListener('abort', listener, { once: true });
  }
  return controller.signal;
}

/**
 * What an aborted operation rejects with: the signal's own reason, as the platform (`fetch`,
 * `AbortSignal.throwIfAborted`) and js-libp2p do. `controller.abort()` sets a `DOMException` named
 * `AbortError`; a `timeoutSignal` sets a typed ERR_TIMEOUT. Signals from older polyfills may carry no
 * reason, so those get an `AbortError` too.
 */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? newAbortError();
}

function newAbortError(): Error {
  const message = 'This operation was aborted';
  // DOMException is global in Node and browsers; some React Native runtimes lack it.
  if (typeof DOMException === 'function') return new DOMException(message, 'AbortError');
  const err = new Error(message);
  err.name = 'AbortError';
  return err;
}

/** Throws the signal's reason (see `abortReason`) when the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/**
 * Resolves or rejects with `promise`, or rejects with the signal's reason as soon as it aborts.
 * The underlying work is not cancelled: callers that own it should also listen to the signal.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  // Rejected, never thrown: callers that do not await at once still get a promise.
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Waits `ms` on `clock`; rejects early when `signal` aborts. */
export function sleep(ms: number, options: { clock?: Clock; signal?: AbortSignal } = {}): Promise<void> {
  const clock = options.clock ?? systemClock;
  let cancel: (() => void) | undefined;
  const done = new Promise<void>((resolve) => {
    cancel = clock.setTimeout(resolve, ms);
  });
  return raceSignal(done, options.signal).finally(() => cancel?.());
}
