/** A macrotask later: lets timers and I/O run (setImmediate in Node, a 0 ms timer elsewhere). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now();

/**
 * Runs tasks one after another, in the order pushed, and yields to the event loop whenever the tasks since
 * the last yield took longer than `sliceMs`: a burst of work (a history page of a thousand messages) then
 * leaves sockets and timers room to run instead of blocking them until it is all done. A failing task is
 * reported to `onError` and does not stop the ones after it.
 */
export class SlicedQueue {
  readonly #sliceMs: number;
  readonly #onError: (error: unknown) => void;
  #tail: Promise<void> = Promise.resolve();
  #sliceStart = now();

  constructor(options: { sliceMs?: number; onError?: (error: unknown) => void } = {}) {
    this.#sliceMs = options.sliceMs ?? 10;
    this.#onError = options.onError ?? (() => {});
  }

  push(task: () => Promise<void> | void): void {
    this.#tail = this.#tail.then(async () => {
      if (now() - this.#sliceStart > this.#sliceMs) {
        await yieldToEventLoop();
        this.#sliceStart = now();
      }
      try {
        await task();
      } catch (error) {
        this.#onError(error);
      }
    });
  }

  /** Resolves once every task pushed so far has run. */
  idle(): Promise<void> {
    return this.#tail;
  }
}
