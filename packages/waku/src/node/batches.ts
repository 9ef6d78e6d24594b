import { bytesToHex } from '@status-ts/core';
import type { PoolEntry } from './pool.js';

/** A Messages packet sent to a peer that confirms batches. */
export interface SentBatch {
  peerIdHex: string;
  /** Our own envelopes in it (they get `envelope:confirmed`). */
  local: PoolEntry[];
  count: number;
  sentAt: number;
  /** Confirmed already: status-go confirms each batch twice (Message Response, then Batch Ack). */
  settled: boolean;
}

/** Batches waiting for a peer's confirmation, forgotten after `ttlMs`. */
export class BatchTracker {
  readonly #batches = new Map<string, SentBatch>();

  constructor(private readonly ttlMs: number) {}

  record(peerIdHex: string, batchHash: Uint8Array, entries: readonly PoolEntry[], nowMs: number): void {
    this.#batches.set(bytesToHex(batchHash), {
      peerIdHex,
      local: entries.filter((e) => e.local),
      count: entries.length,
      sentAt: nowMs,
      settled: false,
    });
  }

  /** The batch a peer confirms: 'unknown' if we did not send it that batch, 'settled' if already confirmed. */
  settle(peerIdHex: string, batchHash: Uint8Array): SentBatch | 'unknown' | 'settled' {
    const batch = this.#batches.get(bytesToHex(batchHash));
    if (!batch || batch.peerIdHex !== peerIdHex) return 'unknown';
    if (batch.settled) return 'settled';
    batch.settled = true;
    return batch;
  }

  sweep(nowMs: number): void {
    const cutoff = nowMs - this.ttlMs;
    for (const [hash, batch] of this.#batches) if (batch.sentAt < cutoff) this.#batches.delete(hash);
  }

  clear(): void {
    this.#batches.clear();
  }
}
