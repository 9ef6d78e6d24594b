import type { Cancel, Clock } from '@status-ts/core';
import type { Envelope } from '@status-ts/waku';
import type { MailServerCounters } from './server-counters.js';
import { isTransientStoreError } from './store/transient.js';
import type { EnvelopeStore } from './store/types.js';

export interface ArchiveRetryLimits {
  maxEnvelopes: number;
  maxBytes: number;
  minDelayMs: number;
  maxDelayMs: number;
}

interface Batch {
  envelopes: Envelope[];
  /** Arrival time (ms) of the batch's first envelope. */
  at: number;
  bytes: number;
}

/** Most envelopes one retry writes in a transaction. */
const RETRY_CHUNK_ENVELOPES = 1000;

function bytesOf(envelopes: readonly Envelope[]): number {
  let n = 0;
  for (const e of envelopes) n += e.raw.length;
  return n;
}

/**
 * Writes what the server archives: everything that arrives in one turn of the event loop goes to the
 * store in one transaction (group commit), one transaction after the other. A write that fails for a
 * transient reason (see `isTransientStoreError`) keeps its envelopes in a bounded retry queue, tried again
 * after a delay that doubles up to a maximum, and at once when a later write succeeds; what does not fit
 * in the queue is dropped and counted.
 */
export class ArchiveWriter {
  readonly #store: EnvelopeStore;
  readonly #limits: ArchiveRetryLimits;
  readonly #counters: MailServerCounters;
  readonly #clock: () => Clock;
  readonly #archived: (envelopes: Envelope[]) => void;
  readonly #error: (error: Error) => void;
  #pending: { envelope: Envelope; at: number }[] = [];
  #flushScheduled = false;
  #writing: Promise<void> = Promise.resolve();
  readonly #retry: Batch[] = [];
  #retryEnvelopes = 0;
  #retryBytes = 0;
  #retryTimer: Cancel | undefined;
  #retryDelay: number;

  constructor(options: {
    store: EnvelopeStore;
    limits: ArchiveRetryLimits;
    counters: MailServerCounters;
    clock: () => Clock;
    archived: (envelopes: Envelope[]) => void;
    error: (error: Error) => void;
  }) {
    this.#store = options.store;
    this.#limits = options.limits;
    this.#counters = options.counters;
    this.#clock = options.clock;
    this.#archived = options.archived;
    this.#error = options.error;
    this.#retryDelay = options.limits.minDelayMs;
  }

  /** Envelopes waiting in the retry queue. */
  get pending(): number {
    return this.#retryEnvelopes;
  }

  get pendingBytes(): number {
    return this.#retryBytes;
  }

  add(envelope: Envelope, at: number): void {
    this.#pending.push({ envelope, at });
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#startFlush());
  }

  /** Resolves once every envelope added so far was written, or went to the retry queue, or was dropped. */
  async flush(): Promise<void> {
    this.#startFlush();
    await this.#writing;
  }

  /** Retries the queue at once (also what the timer does); resolves after that attempt. */
  async retryNow(): Promise<void> {
    this.#retryTimer?.();
    this.#retryTimer = undefined;
    this.#writing = this.#writing.then(() => this.#retryQueue());
    await this.#writing;
  }

  /** Flushes, tries the retry queue once more, and drops (counting) whatever is still in it. */
  async stop(): Promise<void> {
    await this.flush();
    if (this.#retryEnvelopes > 0) await this.retryNow();
    this.#retryTimer?.();
    this.#retryTimer = undefined;
    this.#counters.archiveDropped += this.#retryEnvelopes;
    this.#retry.length = 0;
    this.#retryEnvelopes = 0;
    this.#retryBytes = 0;
  }

  #startFlush(): void {
    this.#flushScheduled = false;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    const envelopes = batch.map((b) => b.envelope);
    const at = batch[0]!.at;
    this.#writing = this.#writing.then(() => this.#write(envelopes, at));
  }

  async #write(envelopes: Envelope[], at: number): Promise<void> {
    try {
      const added = await this.#store.put(envelopes, at);
      this.#stored(envelopes, added);
    } catch (err) {
      this.#failed({ envelopes, at, bytes: bytesOf(envelopes) }, err);
      return;
    }
    // The store works again: what waits for a retry goes now rather than after its delay.
    if (this.#retryEnvelopes > 0 && this.#retryTimer) {
      this.#retryTimer();
      this.#retryTimer = undefined;
      this.#writing = this.#writing.then(() => this.#retryQueue());
    }
  }

  #stored(envelopes: Envelope[], added: number): void {
    this.#counters.archived += added;
    this.#counters.duplicates += envelopes.length - added;
    this.#archived(envelopes);
  }

  #failed(batch: Batch, err: unknown): void {
    this.#error(err instanceof Error ? err : new Error(String(err)));
    if (!isTransientStoreError(err)) {
      this.#counters.archiveErrors += batch.envelopes.length;
      return;
    }
    this.#enqueue(batch);
    if (!this.#retryTimer) this.#schedule(this.#retryDelay);
  }

  /** Queues what fits under both caps, in order; the rest is dropped. */
  #enqueue(batch: Batch): void {
    const limits = this.#limits;
    let n = 0;
    let bytes = 0;
    while (
      n < batch.envelopes.length &&
      this.#retryEnvelopes + n < limits.maxEnvelopes &&
      this.#retryBytes + bytes + batch.envelopes[n]!.raw.length <= limits.maxBytes
    ) {
      bytes += batch.envelopes[n]!.raw.length;
      n++;
    }
    this.#counters.archiveDropped += batch.envelopes.length - n;
    if (n === 0) return;
    this.#retry.push({ envelopes: batch.envelopes.slice(0, n), at: batch.at, bytes });
    this.#retryEnvelopes += n;
    this.#retryBytes += bytes;
    this.#counters.archiveQueued += n;
  }

  #schedule(ms: number): void {
    if (this.#retryEnvelopes === 0) return;
    this.#retryTimer?.();
    this.#retryTimer = this.#clock().setTimeout(() => {
      this.#retryTimer = undefined;
      this.#writing = this.#writing.then(() => this.#retryQueue());
    }, ms);
  }

  /** Writes the queue in chunks, oldest first, until it is empty or a write fails. */
  async #retryQueue(): Promise<void> {
    while (this.#retry.length > 0) {
      let count = 0;
      let batches = 0;
      while (batches < this.#retry.length && count < RETRY_CHUNK_ENVELOPES) {
        count += this.#retry[batches]!.envelopes.length;
        batches++;
      }
      const chunk = this.#retry.slice(0, batches);
      const envelopes = chunk.flatMap((b) => b.envelopes);
      this.#counters.archiveRetries++;
      let added: number;
      try {
        added = await this.#store.put(envelopes, chunk[0]!.at);
      } catch (err) {
        if (isTransientStoreError(err)) {
          this.#retryDelay = Math.min(this.#retryDelay * 2, this.#limits.maxDelayMs);
          this.#schedule(this.#retryDelay);
          return;
        }
        this.#unqueue(chunk);
        this.#counters.archiveErrors += envelopes.length;
        this.#error(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      this.#unqueue(chunk);
      this.#retryDelay = this.#limits.minDelayMs;
      this.#stored(envelopes, added);
    }
  }

  #unqueue(chunk: Batch[]): void {
    this.#retry.splice(0, chunk.length);
    for (const b of chunk) {
      this.#retryEnvelopes -= b.envelopes.length;
      this.#retryBytes -= b.bytes;
    }
  }
}
