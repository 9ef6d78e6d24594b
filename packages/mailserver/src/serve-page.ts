import { yieldToEventLoop } from '@status-ts/core';
import type { Envelope } from '@status-ts/waku';
import { cursorOf, dbKeyOf } from './key.js';
import { envelopeBytes, type RequestLease } from './server-load.js';
import type { EnvelopeStore, HistoryQuery } from './store/types.js';

export interface PageJob {
  store: EnvelopeStore;
  query: HistoryQuery;
  /** Envelopes the page may hold. */
  pageLimit: number;
  /** The request's Batch flag: without it every envelope is its own P2P message. */
  batch: boolean;
  maxBatchBytes: number;
  maxResponseBytes: number;
  readSliceEnvelopes: number;
  lease: RequestLease;
  /** Sends one P2P Message batch; releases its bytes from the lease, or throws (timeout, peer gone). */
  send(batch: Envelope[]): Promise<void>;
  /** Waits until the lease may take `need` more bytes; throws when that takes too long. */
  waitForRoom(need: number): Promise<void>;
}

export interface ServedPage {
  envelopes: number;
  batches: number;
  last: Envelope | undefined;
  /** Where the next page starts: set when the page is full or was cut at `maxResponseBytes`. */
  cursor: Uint8Array | undefined;
}

/**
 * Reads one history page from the store `readSliceEnvelopes` at a time, with a turn of the event loop
 * between slices, and sends it as it goes: at most one slice and one batch of the request are in memory,
 * within the lease's byte bounds. Batches are split as status-go does (MAIL-06, see `splitIntoBatches`):
 * envelopes join a batch while its RLP stays under `maxBatchBytes`, and the envelope that fills the page
 * goes alone. Only when memory is short is a batch sent before it is full.
 */
export async function servePage(job: PageJob): Promise<ServedPage> {
  const { lease } = job;
  let cursor = job.query.cursor;
  let remaining = job.pageLimit;
  let responseBytes = 0;
  let count = 0;
  let batches = 0;
  let last: Envelope | undefined;
  let next: Uint8Array | undefined;
  let bundle: Envelope[] = [];
  let bundleBytes = 0;
  let need = 1;

  const sendBundle = async () => {
    if (bundle.length === 0) return;
    const b = bundle;
    bundle = [];
    bundleBytes = 0;
    await job.send(b);
    batches++;
  };

  read: while (remaining > 0) {
    if (lease.blocked(need)) {
      // What this request holds goes out first, so a request waiting for memory holds none.
      await sendBundle();
      await job.waitForRoom(need);
    }
    const want = Math.min(job.readSliceEnvelopes, remaining);
    const slice = await job.store.query({ ...job.query, limit: want, ...(cursor ? { cursor } : {}) });
    const envelopes = slice.envelopes;
    const taken = lease.take(envelopes);
    if (taken === 0) {
      if (envelopes.length === 0) break;
      need = envelopes[0]!.raw.length;
      continue;
    }
    need = 1;
    for (let i = 0; i < taken; i++) {
      const envelope = envelopes[i]!;
      const size = envelope.raw.length;
      if (responseBytes + size > job.maxResponseBytes && count > 0) {
        // Total response size: the page ends here, with a cursor to the rest.
        lease.release(envelopeBytes(envelopes.slice(i, taken)));
        next = cursorOf(dbKeyOf(last!));
        break read;
      }
      responseBytes += size;
      remaining--;
      count++;
      last = envelope;
      if (!job.batch) {
        bundle.push(envelope);
        await sendBundle();
        continue;
      }
      const limitReached = remaining === 0;
      if (!limitReached && bundleBytes + size < job.maxBatchBytes) {
        bundle.push(envelope);
        bundleBytes += size;
        continue;
      }
      await sendBundle();
      bundle = [envelope];
      bundleBytes = size;
    }
    if (taken < envelopes.length) {
      // Memory was short: the rest of the slice is read again later.
      cursor = cursorOf(dbKeyOf(envelopes[taken - 1]!));
    } else if (envelopes.length < want || !slice.cursor) {
      break;
    } else {
      cursor = slice.cursor;
      if (remaining === 0) next = slice.cursor;
    }
    if (remaining > 0) await yieldToEventLoop();
  }
  await sendBundle();
  return { envelopes: count, batches, last, cursor: next };
}
