import type { CapabilityMessage } from './capability.js';

/**
 * An unbounded FIFO of messages with one async consumer. The producer learns the queue length from
 * `push` (to stop reading the socket when a consumer lags) and gets `onDrain` when it falls back.
 */
export class MessageQueue implements AsyncIterable<CapabilityMessage> {
  #items: (CapabilityMessage | undefined)[] = [];
  #head = 0;
  #waiter: ((result: IteratorResult<CapabilityMessage>) => void) | undefined;
  #ended = false;
  #iterating = false;
  readonly #lowWater: number;
  readonly #onDrain: () => void;

  constructor(lowWater: number, onDrain: () => void) {
    this.#lowWater = lowWater;
    this.#onDrain = onDrain;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  get iterating(): boolean {
    return this.#iterating;
  }

  /** Adds a message; returns the queue length after it. */
  push(message: CapabilityMessage): number {
    if (this.#ended) return 0;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter({ value: message, done: false });
      return 0;
    }
    this.#items.push(message);
    return this.length;
  }

  /** No more messages: a waiting consumer finishes once the queue is empty. */
  end(): void {
    this.#ended = true;
    // A consumer only waits on an empty queue (push hands messages straight to it), and never once ended.
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter({ value: undefined, done: true });
    }
  }

  #shift(): CapabilityMessage | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator,BlockStatement: when to compact only decides how soon consumed slots are freed; order, length and drains are the same
    if (this.#head > 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    if (this.length === this.#lowWater) this.#onDrain();
    return item;
  }

  [Symbol.asyncIterator](): AsyncIterator<CapabilityMessage> {
    this.#iterating = true;
    const finish = (): IteratorResult<CapabilityMessage> => {
      this.#iterating = false;
      this.#ended = true;
      this.#items = [];
      this.#head = 0;
      return { value: undefined, done: true };
    };
    return {
      next: (): Promise<IteratorResult<CapabilityMessage>> => {
        const item = this.#shift();
        if (item) return Promise.resolve({ value: item, done: false });
        if (this.#ended) return Promise.resolve(finish());
        return new Promise((resolve) => {
          this.#waiter = (result) => {
            if (result.done) finish();
            resolve(result);
          };
        });
      },
      return: (): Promise<IteratorResult<CapabilityMessage>> => {
        const waiter = this.#waiter;
        this.#waiter = undefined;
        const done = finish();
        waiter?.(done);
        return Promise.resolve(done);
      },
    };
  }
}
