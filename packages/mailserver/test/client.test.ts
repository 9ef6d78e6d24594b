import { getEventListeners } from 'node:events';
import { bytesToHex, ManualClock } from '@status-ts/core';
import { linkInMemory, type Topic, WakuNode, type WakuNodeOptions } from '@status-ts/waku';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MailClient,
  MailServer,
  MailserverError,
  MemoryEnvelopeStore,
  type ServedRequest,
} from '../src/index.js';
import { makeEnvelope, TOPIC_A, TOPIC_B } from './helpers/envelopes.js';

const nodes: WakuNode[] = [];
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});

async function node(options: WakuNodeOptions = {}): Promise<WakuNode> {
  const n = new WakuNode(options);
  await n.start();
  nodes.push(n);
  return n;
}

/** A mailserver node holding `count` envelopes on `topic`, sent in the last hour. */
async function mailserverNode(count: number, topic: Topic = TOPIC_A, options: WakuNodeOptions = {}) {
  const n = await node(options);
  const mailserver = new MailServer({ store: new MemoryEnvelopeStore() });
  closers.push(() => mailserver.stop());
  const now = Math.floor(Date.now() / 1000);
  await mailserver.archive(Array.from({ length: count }, (_, i) => makeEnvelope(now - 3600 + i, topic)));
  const served: ServedRequest[] = [];
  mailserver.on('served', (s) => served.push(s));
  return { node: n, mailserver, served };
}

function client(n: WakuNode, options: ConstructorParameters<typeof MailClient>[1] = {}): MailClient {
  const c = new MailClient(n, options);
  closers.push(() => c.close());
  return c;
}

function expectCode(err: unknown, code: string): void {
  expect(err).toBeInstanceOf(MailserverError);
  expect((err as MailserverError).code).toBe(code);
}

describe('MailClient over in-memory links', () => {
  it('retries a page that timed out and gets it on the retry', async () => {
    const ms = await mailserverNode(5);
    // The first request is lost (nobody serves it yet); the mailserver role starts right after it.
    const serverNode = ms.node;
    const attach = () => {
      serverNode.off('p2p:request', attach);
      setTimeout(() => ms.mailserver.attach(serverNode), 0);
    };
    serverNode.on('p2p:request', attach);
    const bob = await node();
    const link = await linkInMemory(bob, serverNode);
    // Timeouts leave a loaded machine room for the answering attempt.
    const c = client(bob, { timeoutMs: 600, retries: 2 });
    const retries: number[] = [];
    c.on('retry', (r) => {
      expectCode(r.error, 'ERR_MAILSERVER_TIMEOUT');
      retries.push(r.attempt);
    });
    const summary = await c.requestHistory({ mailservers: [link.idB], topics: [TOPIC_A] });
    expect(retries).toEqual([1]);
    expect(summary).toMatchObject({ retries: 1, failovers: 0, pages: 1, envelopes: 5, uniqueEnvelopes: 5 });
    expect(ms.served).toHaveLength(1);
  });

  it('gives up on a mailserver that never answers after its retries and fails over to the next', async () => {
    const silent = await node(); // no mailserver role: requests are dropped
    const ms = await mailserverNode(7);
    ms.mailserver.attach(ms.node);
    const bob = await node();
    const silentLink = await linkInMemory(bob, silent);
    const goodLink = await linkInMemory(bob, ms.node);
    const c = client(bob, { timeoutMs: 400, retries: 2 });
    const failovers: string[] = [];
    c.on('failover', (f) => {
      expectCode(f.error, 'ERR_MAILSERVER_TIMEOUT');
      failovers.push(f.from);
    });
    const summary = await c.requestHistory({
      mailservers: [silentLink.idB, goodLink.idB],
      topics: [TOPIC_A],
    });
    expect(failovers).toEqual([bytesToHex(silentLink.idB)]);
    expect(summary).toMatchObject({
      mailserver: bytesToHex(goodLink.idB),
      retries: 2,
      failovers: 1,
      envelopes: 7,
      uniqueEnvelopes: 7,
    });
    expect(silent.counters.dropped.unhandledP2PRequest).toBe(3);
  });

  it('fails with ERR_MAILSERVER_ALL_FAILED when no mailserver answers', async () => {
    const silent = await node();
    const bob = await node();
    const link = await linkInMemory(bob, silent);
    const c = client(bob, { timeoutMs: 50, retries: 0 });
    await expect(c.requestHistory({ mailservers: [link.idB], topics: [TOPIC_A] })).rejects.toSatisfy(
      (err) => err instanceof MailserverError && err.code === 'ERR_MAILSERVER_ALL_FAILED',
    );
  });

  it('names what is wrong with a request or option it refuses', async () => {
    const bob = await node();
    const c = client(bob);
    const refusal = (request: Parameters<MailClient['requestHistory']>[0]): Promise<MailserverError> =>
      c.requestHistory(request).then(
        () => {
          throw new Error('expected a refusal');
        },
        (e: unknown) => e as MailserverError,
      );
    const noServers = await refusal({ topics: [TOPIC_A] });
    expectCode(noServers, 'ERR_MAILSERVER_INVALID_OPTIONS');
    expect(noServers.message).toBe('no mailserver to ask: pass `mailservers` or call setMailservers() first');
    const peer = 'ab'.repeat(64);
    expect((await refusal({ mailservers: [peer], topics: [] })).message).toBe(
      'topics is empty: name at least one topic',
    );
    const reversed = await refusal({ mailservers: [peer], topics: [TOPIC_A], from: 200, to: 100 });
    expect(reversed.message).toBe('from (200) is after to (100)');
    expect(reversed.details).toEqual({ from: 200, to: 100 });
    expect(() => new MailClient(bob, { timeoutMs: 0 })).toThrow('timeoutMs must be > 0, got 0');
    expect(() => new MailClient(bob, { pageLimit: -5 })).toThrow('pageLimit must be > 0, got -5');
    expect(() => new MailClient(bob, { retries: -1 })).toThrow('retries must be >= 0, got -1');
  });

  it("an aborted request rejects with the signal's reason, releases its timer and listeners, and fails over nowhere", async () => {
    const silent = await node(); // no mailserver role: the request is never answered
    const ms = await mailserverNode(2);
    ms.mailserver.attach(ms.node);
    const bob = await node();
    const silentLink = await linkInMemory(bob, silent);
    const goodLink = await linkInMemory(bob, ms.node);
    const clock = new ManualClock(Date.now());
    const c = client(bob, { clock, minRequestIntervalMs: 0, timeoutMs: 60_000 });
    const failovers: string[] = [];
    c.on('failover', (f) => failovers.push(f.from));
    const arrived = new Promise((resolve) => silent.once('p2p:request', resolve));
    const controller = new AbortController();
    const request = {
      mailservers: [silentLink.idB, goodLink.idB],
      topics: [TOPIC_A],
      signal: controller.signal,
    };
    const pending = c.requestHistory(request);
    await arrived;
    expect(clock.pendingTimers).toBe(1); // the page timeout
    controller.abort();
    await expect(pending).rejects.toBe(controller.signal.reason);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.pendingTimers).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(failovers).toEqual([]);
    expect(ms.served).toHaveLength(0);
    // Nothing is left in flight: the same mailserver takes the next request; an aborted signal stops one
    // before it is sent.
    await expect(c.requestHistory({ ...request, force: true })).rejects.toBe(controller.signal.reason);
    const again = c.requestHistory({ mailservers: [goodLink.idB], topics: [TOPIC_A], force: true });
    expect((await again).envelopes).toBe(2);
  });

  it("resync({ signal }) rejects with the signal's reason", async () => {
    const silent = await node();
    const bob = await node();
    const link = await linkInMemory(bob, silent);
    const c = client(bob, { mailservers: [link.idB], minRequestIntervalMs: 0, timeoutMs: 60_000 });
    const arrived = new Promise((resolve) => silent.once('p2p:request', resolve));
    const controller = new AbortController();
    const resyncing = c.resync([TOPIC_A], { signal: controller.signal });
    await arrived;
    const reason = new Error('app went to background');
    controller.abort(reason);
    await expect(resyncing).rejects.toBe(reason);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('refuses the same topics again within 3 s unless forced, and allows them after', async () => {
    const ms = await mailserverNode(3);
    ms.mailserver.attach(ms.node);
    const bob = await node();
    const link = await linkInMemory(bob, ms.node);
    const clock = new ManualClock(Date.now());
    // Pacing waits on the clock, which only moves when told: off here, tested on its own.
    const c = client(bob, { clock, minRequestIntervalMs: 0 });
    const to = Math.floor(Date.now() / 1000);
    const request = { mailservers: [link.idB], topics: [TOPIC_A, TOPIC_B], to };
    expect((await c.requestHistory(request)).envelopes).toBe(3);

    // Same topic set in another order, 2.999 s later: refused before anything is sent.
    clock.advance(2_999);
    const reordered = { ...request, topics: [TOPIC_B, TOPIC_A] };
    await expect(c.requestHistory(reordered)).rejects.toSatisfy(
      (err) => err instanceof MailserverError && err.code === 'ERR_MAILSERVER_DUPLICATE_REQUEST',
    );
    expect(ms.served).toHaveLength(1);
    // A different topic set is not a duplicate; `force` sends the same one anyway.
    expect((await c.requestHistory({ ...request, topics: [TOPIC_A] })).envelopes).toBe(3);
    expect((await c.requestHistory({ ...reordered, force: true })).envelopes).toBe(3);
    expect(ms.served).toHaveLength(3);
    // 3 s after the forced request the guard has expired.
    clock.advance(3_000);
    expect((await c.requestHistory(request)).envelopes).toBe(3);
    expect(ms.served).toHaveLength(4);
  });

  it('serves a Whisper (shh/6) client: request envelope (shape b) end to end, into its filters', async () => {
    const ms = await mailserverNode(0, TOPIC_A, { protocols: ['waku', 'shh'] });
    ms.mailserver.attach(ms.node);
    const alice = await node({ protocols: ['shh'] });
    const bob = await node({ protocols: ['shh'] });
    await linkInMemory(alice, ms.node, { protocol: 'shh' });
    const symKey = new Uint8Array(32).fill(7);
    const topic = Uint8Array.of(1, 2, 3, 4);
    await alice.post({ topic, symKey, payload: new TextEncoder().encode('from the archive') });
    for (let i = 0; i < 200 && (await ms.mailserver.store.count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await ms.mailserver.store.count()).toBe(1);

    const link = await linkInMemory(bob, ms.node, { protocol: 'shh' });
    expect(bob.getPeer(link.idB)?.protocol).toBe('shh');
    const filter = bob.subscribe({ topics: [topic], symKey });
    const c = client(bob);
    const summary = await c.requestHistory({ mailservers: [link.idB], topics: [topic] });
    expect(summary).toMatchObject({ pages: 1, envelopes: 1, uniqueEnvelopes: 1 });
    expect(ms.served.map((s) => s.shape)).toEqual(['envelopeRlp']);
    const message = await filter.next();
    expect(new TextDecoder().decode(message.payload)).toBe('from the archive');
  });
});
