/** Bytes queued by the handshake until the raw connection's sink pulls them. */
export class OutboundQueue {
  readonly #items: Uint8Array[] = [];
  #wake: (() => void) | undefined;
  #closed = false;

  push(bytes: Uint8Array): void {
    if (this.#closed) return;
    this.#items.push(bytes);
    this.#notify();
  }

  /** No more handshake bytes: `drain()` finishes once the queue is empty. */
  close(): void {
    this.#closed = true;
    this.#notify();
  }

  async *drain(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const next = this.#items.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
