interface Queued<T> {
  value: T;
  taken: (() => void) | undefined;
}

/**
 * A single-consumer async queue: producers `push`, one consumer iterates (`for await`, or `iterate(signal)`).
 * `end()` finishes the consumer after what is queued; `fail(error)` makes it throw at its next pull and
 * drops what is queued. Used wherever bytes or messages cross from callbacks into an async iterable
 * (in-memory streams and networks, handshake output, discovery results).
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  #items: Queued<T>[] = [];
  #waiter: (() => void) | undefined;
  #ended = false;
  #error: Error | undefined;

  /** Items waiting for the consumer. */
  get size(): number {
    return this.#items.length;
  }

  /** True once `end()` or `fail()` was called: later pushes are refused. */
  get closed(): boolean {
    return this.#ended || this.#error !== undefined;
  }

  /** Queues `value`; false (nothing queued) once the queue is closed. */
  push(value: T): boolean {
    if (this.closed) return false;
    this.#items.push({ value, taken: undefined });
    this.#wake();
    return true;
  }

  /**
   * Queues `value` and resolves when the consumer takes it (back-pressure for a writer), or when the queue
   * fails. Rejects with the failure, or with `whenClosed()`'s error, if the queue is already closed.
   */
  pushAndWait(value: T, whenClosed: () => Error = () => new Error('queue closed')): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended) return Promise.reject(whenClosed());
    return new Promise<void>((taken) => {
      this.#items.push({ value, taken });
      this.#wake();
    });
  }

  end(): void {
    this.#ended = true;
    this.#wake();
  }

  fail(error: Error): void {
    if (this.#error) return;
    this.#error = error;
    for (const item of this.#items) item.taken?.();
    this.#items = [];
    this.#wake();
  }

  [Symbol.asyncIterator](): AsyncGenerator<T> {
    return this.iterate();
  }

  /** The consumer's view; an abort of `signal` ends the iteration quietly (queued items stay). */
  async *iterate(signal?: AbortSignal): AsyncGenerator<T> {
    const onAbort = (): void => this.#wake();
    signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (this.#error) throw this.#error;
        if (signal?.aborted) return;
        const next = this.#items.shift();
        if (next) {
          next.taken?.();
          yield next.value;
          continue;
        }
        if (this.#ended) return;
        await new Promise<void>((resolve) => {
          this.#waiter = resolve;
        });
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }
}
