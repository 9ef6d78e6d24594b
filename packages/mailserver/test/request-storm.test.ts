import { equalBytes, ManualClock } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import { type Envelope, linkInMemory, type P2PRequestComplete, WakuNode } from '@status-ts/waku';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_PEER_REQUEST_BURST,
  DEFAULT_PEER_REQUEST_INTERVAL_MS,
  type EnvelopeStore,
  encodeMessagesRequest,
  type HistoryQuery,
  MailServer,
  type MailServerOptions,
  MemoryEnvelopeStore,
  splitIntoBatches,
} from '../src/index.js';
import { makeEnvelope, TOPIC_A } from './helpers/envelopes.js';
import { linkSlowReader, type SlowLink } from './helpers/slow-link.js';

const NOW = 1_750_000_000;
const WINDOW = { lower: NOW - 3600, upper: NOW, topics: [TOPIC_A] };
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Lets the server run until `predicate` holds (real time; the server's clock is manual). */
async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !predicate(); i++) await new Promise((r) => setTimeout(r, 1));
  if (!predicate()) throw new Error(`timed out waiting for ${what}`);
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

async function startNode(clock: ManualClock, options: { rateLimits?: false } = {}): Promise<WakuNode> {
  const node = new WakuNode({ clock, ...options });
  await node.start();
  cleanups.push(() => node.stop());
  return node;
}

/**
 * A mailserver on a manual clock holding `count` envelopes of the last hour on TOPIC_A. The node's own
 * packet rate limits are off: the mailserver's limits are what is under test.
 */
async function setup(
  options: Partial<MailServerOptions>,
  count = 3000,
  store: EnvelopeStore = new MemoryEnvelopeStore(),
) {
  const clock = new ManualClock(NOW * 1000);
  const server = await startNode(clock, { rateLimits: false });
  const mailserver = new MailServer({ store, ...options });
  mailserver.attach(server);
  cleanups.push(() => mailserver.stop());
  await mailserver.archive(
    Array.from({ length: count }, (_, i) => makeEnvelope(NOW - 3500 + i, TOPIC_A, 200)),
  );
  return { clock, server, mailserver };
}

/** A peer that reads everything, with what it received. */
async function honestPeer(clock: ManualClock, server: WakuNode) {
  const node = await startNode(clock);
  const link = await linkInMemory(server, node);
  const received = new Set<string>();
  const batches: number[] = [];
  node.on('p2p:envelopes', (_p, envelopes) => {
    batches.push(envelopes.length);
    for (const e of envelopes) received.add(e.hashHex);
  });
  const request = async (fields: { cursor?: Uint8Array } = {}): Promise<P2PRequestComplete> => {
    const id = randomBytes(32);
    const complete = new Promise<P2PRequestComplete>((resolve) => {
      const on = (_p: unknown, c: P2PRequestComplete) => {
        if (!equalBytes(c.requestId, id)) return;
        node.off('p2p:requestComplete', on);
        resolve(c);
      };
      node.on('p2p:requestComplete', on);
    });
    await node.sendP2PRequest(link.idA, encodeMessagesRequest(id, { ...WINDOW, ...fields }));
    let answer: P2PRequestComplete | undefined;
    void complete.then((c) => {
      answer = c;
    });
    await until(() => answer !== undefined, 'a request complete');
    return answer!;
  };
  return { node, link, received, batches, request };
}

/** A peer that stops reading right after the handshake, and sends requests. */
async function hostilePeer(
  clock: ManualClock,
  server: WakuNode,
): Promise<SlowLink & { flood(n: number): Promise<void> }> {
  const node = await startNode(clock);
  const link = await linkSlowReader(server, node, { bufferBytes: 2048 });
  cleanups.push(() => link.close());
  link.stall();
  const flood = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await node.sendP2PRequest(link.serverId, encodeMessagesRequest(randomBytes(32), WINDOW));
    }
  };
  return Object.assign(link, { flood });
}

describe('MailServer under a request storm', () => {
  it('refuses and counts requests of peers that never read, keeps bytes in flight bounded, and serves an honest peer meanwhile', async () => {
    const limits = {
      peerRequestIntervalMs: 1000,
      maxPeerRequestsInFlight: 1,
      maxRequestsInFlight: 16,
      maxPeerBytesInFlight: 16 * 1024,
      maxBytesInFlight: 64 * 1024,
      readSliceEnvelopes: 20,
      maxBatchBytes: 4096,
      sendTimeoutMs: 10_000,
    };
    const { clock, server, mailserver } = await setup(limits);
    const hostile = await Promise.all(Array.from({ length: 6 }, () => hostilePeer(clock, server)));
    let peak = 0;
    const sample = () => {
      peak = Math.max(peak, mailserver.load.bytesInFlight);
    };

    // Round 0: four requests each at one instant: one is served (and stalls), three are inside the interval.
    await Promise.all(hostile.map((h) => h.flood(4)));
    await until(() => mailserver.counters.requests === 24, 'round 0');
    await settle();
    sample();
    expect(mailserver.load.requestsInFlight).toBe(6);
    expect(mailserver.counters.limited.interval).toBe(18);
    // Rounds 1-2, a second apart: past the interval, but the stalled request is still in flight.
    for (let round = 1; round <= 2; round++) {
      clock.advance(1000);
      await Promise.all(hostile.map((h) => h.flood(4)));
      await until(() => mailserver.counters.requests === 24 * (round + 1), `round ${round}`);
      sample();
    }
    expect(mailserver.counters.limited.peerRequests).toBe(48);

    // The honest peer fetches its whole history (3 pages) during the storm.
    const honest = await honestPeer(clock, server);
    clock.advance(1000);
    let cursor: Uint8Array | undefined;
    let pages = 0;
    do {
      const complete = await honest.request(cursor ? { cursor } : {});
      sample();
      expect(complete.error).toBeUndefined();
      cursor = complete.cursor;
      pages++;
      clock.advance(1000);
      await Promise.all(hostile.map((h) => h.flood(1)));
    } while (cursor && cursor.length > 0);
    expect(pages).toBe(4); // 3 full pages, then an empty one after the last cursor
    expect(honest.received.size).toBe(3000);
    expect(mailserver.load.requestsInFlight).toBe(6); // the stalled ones

    // The stalled sends time out: those requests are dropped, and the peers' next ones refused unanswered.
    clock.advance(10_000);
    await until(() => mailserver.load.requestsInFlight === 0, 'send timeouts');
    expect(mailserver.counters.limited.sendTimeout).toBe(6);
    expect(mailserver.load.stalledPeers).toBe(6);
    expect(mailserver.load.bytesInFlight).toBe(0);
    const before = mailserver.counters.requests;
    await Promise.all(hostile.map((h) => h.flood(2)));
    await until(() => mailserver.counters.requests === before + 12, 'backlog round');
    const c = mailserver.counters;
    expect(c.limited.peerBacklog).toBe(12);
    expect(c.rejected.ERR_MAILSERVER_RATE_LIMITED).toBe(c.limited.interval);
    expect(c.rejected.ERR_MAILSERVER_BUSY).toBe(c.limited.peerRequests);
    expect(c.dropped.ERR_MAILSERVER_SLOW_PEER).toBe(6 + 12);

    // Memory: requests held at most the global bound, a stalled peer at most its own.
    expect(peak).toBeLessThanOrEqual(limits.maxBytesInFlight);
    expect(mailserver.load.peakBytesInFlight).toBeLessThanOrEqual(limits.maxBytesInFlight);
    expect(mailserver.load.stalledBytes).toBeLessThanOrEqual(6 * limits.maxPeerBytesInFlight);
    expect(mailserver.load.peakBytesInFlight).toBeGreaterThan(0);
  });

  it("maxRequestsInFlight: beyond it only a peer's first request in flight is admitted, so stalled peers never starve an honest one", async () => {
    const { clock, server, mailserver } = await setup(
      { maxRequestsInFlight: 2, maxPeerRequestsInFlight: 2, peerRequestIntervalMs: 0, sendTimeoutMs: 5000 },
      200,
    );
    const hostile = await Promise.all([hostilePeer(clock, server), hostilePeer(clock, server)]);
    await Promise.all(hostile.map((h) => h.flood(1)));
    await until(() => mailserver.load.requestsInFlight === 2, 'two stalled requests');
    await settle();
    const honest = await honestPeer(clock, server);
    // Two at once: the first is the peer's only request in flight (admitted past the full global cap), the
    // second is refused by it.
    const [first, second] = await Promise.all([honest.request(), honest.request()]);
    expect(first.error).toBeUndefined();
    expect(second.error).toMatch(/busy: too many requests in flight/);
    expect(mailserver.counters.limited.requests).toBe(1);
    expect(honest.received.size).toBe(200);
  });

  it('sendTimeoutMs: a send waiting longer drops the request; the peer is refused unanswered until it reads again', async () => {
    const { clock, server, mailserver } = await setup({ sendTimeoutMs: 3000, peerRequestIntervalMs: 0 }, 500);
    const [hostile] = await Promise.all([hostilePeer(clock, server)]);
    await hostile!.flood(1);
    await until(() => mailserver.load.requestsInFlight === 1, 'a stalled request');
    await settle();
    clock.advance(2999);
    await settle();
    expect(mailserver.load.requestsInFlight).toBe(1);
    clock.advance(1);
    await until(() => mailserver.load.requestsInFlight === 0, 'the send timeout');
    expect(mailserver.counters.limited.sendTimeout).toBe(1);
    expect(mailserver.counters.dropped.ERR_MAILSERVER_SLOW_PEER).toBe(1);
    expect(mailserver.load).toMatchObject({ stalledPeers: 1, bytesInFlight: 0 });
    expect(mailserver.load.stalledBytes).toBeGreaterThan(0);
    await hostile!.flood(1);
    await until(() => mailserver.counters.requests === 2, 'the next request');
    expect(mailserver.counters.limited.peerBacklog).toBe(1);
    expect(mailserver.load.requestsInFlight).toBe(0);
    // It reads again: the stalled send completes and its requests are served.
    hostile!.resume();
    await until(() => mailserver.load.stalledPeers === 0, 'the stalled send to complete');
    expect(mailserver.load.stalledBytes).toBe(0);
    const served = mailserver.counters.served;
    await hostile!.flood(1);
    await until(() => mailserver.counters.served === served + 1, 'a served request');
  });

  it('maxBytesInFlight: bytes held stay under the bound, a request over it at admission is refused, and waiting readers finish once memory frees', async () => {
    const size = makeEnvelope(NOW, TOPIC_A, 200).raw.length;
    const { clock, server, mailserver } = await setup(
      { maxBytesInFlight: 4 * size, maxBatchBytes: 1_000_000, readSliceEnvelopes: 20, sendTimeoutMs: 5000 },
      300,
    );
    // A peer that does not read holds exactly the bound: its batch of 4 waits in the transport.
    const hostile = await hostilePeer(clock, server);
    await hostile.flood(1);
    await until(
      () => hostile.buffered > 2048 && mailserver.load.bytesInFlight === 4 * size,
      'the bound held',
    );
    const honest = await honestPeer(clock, server);
    const refused = await honest.request();
    expect(refused.error).toMatch(/busy: too many bytes in flight/);
    expect(mailserver.counters.limited.bytes).toBe(1);
    // Once the stalled send times out, the bytes are the stalled peer's alone and the honest peer is served.
    clock.advance(5000);
    await until(() => mailserver.load.bytesInFlight === 0, 'the send timeout');
    clock.advance(DEFAULT_PEER_REQUEST_INTERVAL_MS);
    const served = await honest.request();
    expect(served.error).toBeUndefined();
    expect(honest.received.size).toBe(300);
    expect(mailserver.load.peakBytesInFlight).toBeLessThanOrEqual(4 * size);
  });

  it('maxPeerBytesInFlight: one peer holds at most its bound, and a request over it is refused', async () => {
    const size = makeEnvelope(NOW, TOPIC_A, 200).raw.length;
    const { clock, server, mailserver } = await setup(
      {
        maxPeerBytesInFlight: 3 * size,
        maxPeerRequestsInFlight: 2,
        peerRequestIntervalMs: 0,
        maxBatchBytes: 1_000_000,
        sendTimeoutMs: 5000,
      },
      300,
    );
    // An honest peer: its page of 300 goes out 3 envelopes at a time (batches sent early, under the bound).
    const honest = await honestPeer(clock, server);
    const complete = await honest.request();
    expect(complete.error).toBeUndefined();
    expect(honest.received.size).toBe(300);
    expect(Math.max(...honest.batches)).toBeLessThanOrEqual(3);
    expect(mailserver.load.peakBytesInFlight).toBeLessThanOrEqual(3 * size);
    // A peer that does not read: its first request holds the bound, its second is refused.
    const hostile = await hostilePeer(clock, server);
    await hostile.flood(1);
    await until(
      () => hostile.buffered > 2048 && mailserver.load.bytesInFlight === 3 * size,
      'the peer bound held',
    );
    await hostile.flood(1);
    await until(() => mailserver.counters.limited.peerBytes === 1, 'the refusal');
    expect(mailserver.load.peakBytesInFlight).toBeLessThanOrEqual(3 * size);
  });

  it('readSliceEnvelopes: a page is read in slices with a turn of the event loop between them, in the same batches', async () => {
    const limits: HistoryQuery['limit'][] = [];
    const inner = new MemoryEnvelopeStore();
    const store: EnvelopeStore = {
      put: (e, at) => inner.put(e, at),
      query: (q) => {
        limits.push(q.limit);
        return inner.query(q);
      },
      deleteOlderThan: (t) => inner.deleteOlderThan(t),
      count: () => inner.count(),
      close: () => inner.close(),
    };
    const { clock, server } = await setup({ readSliceEnvelopes: 100, maxBatchBytes: 5000 }, 1000, store);
    const honest = await honestPeer(clock, server);
    let turns = 0;
    let serving = true;
    const turn = () => {
      turns++;
      if (serving) setImmediate(turn);
    };
    setImmediate(turn);
    const complete = await honest.request();
    serving = false;
    expect(complete.error).toBeUndefined();
    expect(limits).toEqual(Array(10).fill(100));
    expect(turns).toBeGreaterThanOrEqual(9);
    // The batches are the ones of the whole page split at once (status-go's split).
    const page: Envelope[] = (await inner.query({ ...WINDOW, limit: 1000 })).envelopes;
    const expected = splitIntoBatches(page, { maxBatchBytes: 5000, limitReached: true, batch: true });
    expect(honest.batches).toEqual(expected.map((b) => b.length));
    expect(complete.cursor?.length).toBe(36);
  });

  it(`per-peer request rate by default: ${DEFAULT_PEER_REQUEST_BURST} requests at once, then one per ${DEFAULT_PEER_REQUEST_INTERVAL_MS} ms`, async () => {
    expect(DEFAULT_PEER_REQUEST_INTERVAL_MS).toBeGreaterThan(0);
    const { clock, server, mailserver } = await setup({}, 10);
    const honest = await honestPeer(clock, server);
    for (let i = 0; i < DEFAULT_PEER_REQUEST_BURST; i++)
      expect((await honest.request()).error).toBeUndefined();
    expect((await honest.request()).error).toMatch(/rate limit/);
    clock.advance(DEFAULT_PEER_REQUEST_INTERVAL_MS - 1);
    expect((await honest.request()).error).toMatch(/rate limit/);
    clock.advance(1);
    expect((await honest.request()).error).toBeUndefined();
    expect((await honest.request()).error).toMatch(/rate limit/);
    expect(mailserver.counters.limited.interval).toBe(3);
    expect(mailserver.counters.rejected.ERR_MAILSERVER_RATE_LIMITED).toBe(3);
  });

  it('peerRequestBurst: that many requests at once, then one per peerRequestIntervalMs', async () => {
    const { clock, server, mailserver } = await setup(
      { peerRequestIntervalMs: 1000, peerRequestBurst: 3 },
      10,
    );
    const honest = await honestPeer(clock, server);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await honest.request()).error);
    expect(answers).toEqual([undefined, undefined, undefined, expect.stringMatching(/rate limit/)]);
    clock.advance(999);
    expect((await honest.request()).error).toMatch(/rate limit/);
    clock.advance(1);
    expect((await honest.request()).error).toBeUndefined();
    // A quiet peer's budget fills up again, to the burst and no more.
    clock.advance(10_000);
    for (let i = 0; i < 3; i++) expect((await honest.request()).error).toBeUndefined();
    expect((await honest.request()).error).toMatch(/rate limit/);
    expect(mailserver.counters.limited.interval).toBe(3);
  });

  it('rejects invalid load options with ERR_MAILSERVER_INVALID_OPTIONS', () => {
    const store = new MemoryEnvelopeStore();
    const bad: Partial<MailServerOptions>[] = [
      { maxPeerRequestsInFlight: 0 },
      { maxPeerRequestsInFlight: 1.5 },
      { maxRequestsInFlight: 0 },
      { maxPeerBytesInFlight: 0 },
      { maxBytesInFlight: -1 },
      { readSliceEnvelopes: 0 },
      { sendTimeoutMs: 0 },
      { sendTimeoutMs: Number.NaN },
      { peerRequestIntervalMs: -1 },
      { peerRequestBurst: 0 },
      { peerRequestBurst: 2.5 },
    ];
    for (const options of bad) {
      expect(() => new MailServer({ store, ...options }), JSON.stringify(options)).toThrow(
        expect.objectContaining({ code: 'ERR_MAILSERVER_INVALID_OPTIONS' }),
      );
    }
  });
});
