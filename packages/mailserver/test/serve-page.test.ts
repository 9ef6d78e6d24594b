import type { Envelope } from '@status-ts/waku';
import { describe, expect, it } from 'vitest';
import { MemoryEnvelopeStore } from '../src/index.js';
import { cursorOf, dbKeyOf } from '../src/key.js';
import { type PageJob, servePage } from '../src/serve-page.js';
import { envelopeBytes, type LoadLimits, LoadTracker, type RequestLease } from '../src/server-load.js';
import type { HistoryPage, HistoryQuery } from '../src/store/types.js';
import { makeEnvelope, TOPIC_A } from './helpers/envelopes.js';

const NOW = 1_750_000_000;

/** `n` envelopes of one size, oldest first (distinct sent times, so key order is creation order). */
function envelopes(n: number): Envelope[] {
  const list = Array.from({ length: n }, (_, i) => makeEnvelope(NOW - 100 + i, TOPIC_A, 64));
  expect(new Set(list.map((e) => e.raw.length)).size).toBe(1);
  return list;
}

const cursorAfter = (e: Envelope) => cursorOf(dbKeyOf(e));

interface Setup {
  stored: Envelope[];
  job?: Partial<PageJob>;
  limits?: Partial<LoadLimits>;
  /** Answers the store queries in place of the memory store (`read` asks it). */
  query?: (q: HistoryQuery, read: (q: HistoryQuery) => Promise<HistoryPage>) => Promise<HistoryPage>;
  before?: (tracker: LoadTracker) => void;
}

/** Serves one page of `stored`; records each batch sent and what the lease held when it was sent. */
async function serve({ stored, job = {}, limits = {}, query, before }: Setup) {
  const memory = new MemoryEnvelopeStore();
  await memory.put(stored);
  if (query) {
    const read = memory.query.bind(memory);
    memory.query = (q) => query(q, read);
  }
  const tracker = new LoadTracker({
    peerRequestIntervalMs: 0,
    peerRequestBurst: 1,
    maxPeerRequestsInFlight: 10,
    maxRequestsInFlight: 10,
    maxPeerBytesInFlight: 1_000_000,
    maxBytesInFlight: 1_000_000,
    ...limits,
  });
  before?.(tracker);
  const lease = tracker.admit(Uint8Array.of(1), 0) as RequestLease;
  const sent: Envelope[][] = [];
  const heldAtSend: number[] = [];
  const page = await servePage({
    store: memory,
    query: { lower: 0, upper: NOW, limit: 1 },
    pageLimit: 100,
    batch: true,
    maxBatchBytes: 1_000_000,
    maxResponseBytes: 1_000_000,
    readSliceEnvelopes: 100,
    lease,
    send: async (batch) => {
      sent.push(batch);
      heldAtSend.push(lease.held);
      lease.release(envelopeBytes(batch));
    },
    waitForRoom: async () => {},
    ...job,
  });
  return { page, sent, heldAtSend, lease, tracker };
}

describe('servePage', () => {
  it('an envelope joins a batch only while the batch stays under maxBatchBytes', async () => {
    const stored = envelopes(4);
    const size = stored[0]!.raw.length;
    const under = await serve({ stored, job: { maxBatchBytes: 2 * size + 1 } });
    expect(under.sent.map((b) => b.length)).toEqual([2, 2]);
    expect(under.page.batches).toBe(2);
    // A batch that would reach maxBatchBytes exactly is not joined.
    const exact = await serve({ stored, job: { maxBatchBytes: 2 * size } });
    expect(exact.sent.map((b) => b.length)).toEqual([1, 1, 1, 1]);
    expect(exact.page.batches).toBe(4);
  });

  it('cuts the response at maxResponseBytes (inclusive) with the cursor of the last envelope served', async () => {
    const stored = envelopes(5);
    const size = stored[0]!.raw.length;
    const { page, sent, heldAtSend, lease } = await serve({ stored, job: { maxResponseBytes: 2 * size } });
    expect(page.envelopes).toBe(2);
    expect(sent.flat()).toEqual(stored.slice(0, 2));
    expect(page.cursor).toEqual(cursorAfter(stored[1]!));
    // The envelopes read past the cut were released before the last batch went out.
    expect(heldAtSend).toEqual([2 * size]);
    expect(lease.held).toBe(0);
  });

  it('serves the first envelope even when it alone is over maxResponseBytes', async () => {
    const stored = envelopes(2);
    const { page, sent } = await serve({ stored, job: { maxResponseBytes: 10 } });
    expect(page.envelopes).toBe(1);
    expect(sent.flat()).toEqual(stored.slice(0, 1));
    expect(page.cursor).toEqual(cursorAfter(stored[0]!));
  });

  it('waits for room when the next envelope does not fit, then serves it', async () => {
    const stored = envelopes(2);
    const size = stored[0]!.raw.length;
    const needs: number[] = [];
    let other: RequestLease | undefined;
    const { page, sent } = await serve({
      stored,
      // Another request holds one envelope's bytes: some room is left, not enough for an envelope.
      limits: { maxBytesInFlight: size + size / 2 },
      before: (tracker) => {
        other = tracker.admit(Uint8Array.of(2), 0) as RequestLease;
        other.take(stored.slice(0, 1));
      },
      job: {
        waitForRoom: async (need) => {
          needs.push(need);
          other?.end();
        },
      },
    });
    // Once for the other request's bytes, once for its own batch (sent before waiting).
    expect(needs).toEqual([size, size]);
    expect(page.envelopes).toBe(2);
    expect(sent.flat()).toEqual(stored);
  });

  it('a slice without a cursor ends the page even when full', async () => {
    const stored = envelopes(5);
    let queries = 0;
    const { page, sent } = await serve({
      stored,
      job: { pageLimit: 10, readSliceEnvelopes: 2 },
      query: async (q, read) => {
        queries++;
        return { envelopes: (await read(q)).envelopes };
      },
    });
    expect(queries).toBe(1);
    expect(page.envelopes).toBe(2);
    expect(sent.flat()).toEqual(stored.slice(0, 2));
    expect(page.cursor).toBeUndefined();
  });

  it('a short slice ends the page even when the store gives a cursor with it', async () => {
    const stored = envelopes(3);
    let queries = 0;
    const { page } = await serve({
      stored,
      job: { pageLimit: 10, readSliceEnvelopes: 2 },
      query: async (q, read) => {
        queries++;
        const slice = await read(q);
        const last = slice.envelopes.at(-1);
        return { envelopes: slice.envelopes, ...(last ? { cursor: cursorAfter(last) } : {}) };
      },
    });
    expect(page.envelopes).toBe(3);
    expect(queries).toBe(2);
  });

  it('a page that runs out of envelopes has no cursor; a full one has the last slice cursor', async () => {
    const stored = envelopes(4);
    const short = await serve({ stored: stored.slice(0, 3), job: { pageLimit: 10, readSliceEnvelopes: 2 } });
    expect(short.page.envelopes).toBe(3);
    expect(short.page.cursor).toBeUndefined();
    const full = await serve({ stored, job: { pageLimit: 2, readSliceEnvelopes: 2 } });
    expect(full.page.envelopes).toBe(2);
    expect(full.page.cursor).toEqual(cursorAfter(stored[1]!));
  });

  it('turns the event loop between slices', async () => {
    const stored = envelopes(6);
    let queries = 0;
    let queriesAtFirstTurn = -1;
    setImmediate(() => {
      queriesAtFirstTurn = queries;
    });
    const { page } = await serve({
      stored,
      job: { pageLimit: 6, readSliceEnvelopes: 2 },
      query: (q, read) => {
        queries++;
        return read(q);
      },
    });
    expect(page.envelopes).toBe(6);
    expect(queriesAtFirstTurn).toBe(1);
  });
});
