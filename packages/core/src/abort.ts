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
  const controller = new AbortController();
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  const onAbort = (source: AbortSignal) => {
    for (const s of present) s.removeEventListener('abort', listeners.get(s)!);
    controller.abort(source.reason);
  };
  const listeners = new Map<AbortSignal, () => void>();
  for (const s of present) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    const listener = () => onAbort(s);
    listeners.set(s, listener);
    s.addEventListener('abort', listener, { once: true });
  }
  return controller.signal;
}

/** The signal's reason as a typed error: a StatusTsError reason as is, anything else as ERR_ABORTED. */
export function abortError(signal: AbortSignal): StatusTsError {
  if (signal.reason instanceof StatusTsError) return signal.reason;
  return new StatusTsError(CoreErrorCode.Aborted, 'operation aborted', { cause: signal.reason });
}

/** Throws `abortError(signal)` when the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/**
 * Resolves or rejects with `promise`, or rejects with the signal's reason as soon as it aborts.
 * The underlying work is not cancelled: callers that own it should also listen to the signal.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
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
