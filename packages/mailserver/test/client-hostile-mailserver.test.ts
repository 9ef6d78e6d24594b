import { bytesToHex, ManualClock } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import {
  buildEnvelopeData,
  Envelope,
  type Filter,
  linkInMemory,
  type P2PGate,
  WakuNode,
  type WakuPeer,
} from '@status-ts/waku';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAILSERVER_BYTES_PER_SECOND,
  DEFAULT_MAILSERVER_MAX_STRIKES,
  decodeMailRequest,
  MAILSERVER_BYTES_BURST_SECONDS,
  MailClient,
  type MailClientOptions,
  type MailRequest,
  type MailserverError,
  type MailserverMisbehavedEvent,
  mailserverProbe,
  mailserverSymKey,
} from '../src/index.js';
import { TOPIC_A } from './helpers/envelopes.js';
import { waitFor } from './helpers/network.js';

// A peer the client trusts as its mailserver and that abuses it: P2P envelopes nobody asked for, pages
// beyond the limit asked for, bytes beyond the client's budget. The client's clock is manual (no timeout
// fires unless a test moves it); the links are in memory. The app's filter on the topic shows what got
// through: only what the client accepted may reach it (the client is the node's P2P gate).

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function node(): Promise<WakuNode> {
  const n = new WakuNode();
  await n.start();
  cleanups.push(() => n.stop());
  return n;
}

type Answer = (peer: WakuPeer, request: MailRequest, index: number) => unknown;

/** A node that answers P2P requests as `answer` says (it plays the mailserver, honest or not). */
async function scriptedMailserver(answer: Answer) {
  const n = await node();
  const requests: MailRequest[] = [];
  n.on('p2p:request', (peer, p2p) => {
    const request = decodeMailRequest(p2p, { symKey: mailserverSymKey() });
    requests.push(request);
    void Promise.resolve(answer(peer, request, requests.length - 1)).catch(() => {});
  });
  return { node: n, requests };
}

/**
 * An honest mailserver: pages of at most the limit asked for, with a cursor (the offset, in 36 bytes) while
 * more remain. Scripted rather than the MailServer role so these tests pin the client alone.
 */
async function honestMailserver(count: number, size = 64) {
  const archive = envelopes(count, size);
  const served: number[] = [];
  const ms = await scriptedMailserver(async (peer, request) => {
    const offset = request.cursor.length > 0 ? request.cursor[0]! : 0;
    const page = archive.slice(offset, offset + request.limit);
    served.push(page.length);
    await ms.node.sendP2PMessages(peer.id, page);
    const next = offset + page.length;
    if (next >= archive.length) return ms.node.sendP2PRequestComplete(peer.id, { requestId: request.id });
    const cursor = new Uint8Array(36);
    cursor[0] = next;
    return ms.node.sendP2PRequestComplete(peer.id, { requestId: request.id, cursor });
  });
  return { ...ms, served };
}

/** The key of the app's chat: history envelopes are encrypted to it, so a filter can open them. */
const KEY = Uint8Array.from({ length: 32 }, (_, i) => 100 + i);

/** `count` envelopes on TOPIC_A the app can open, each about `size` bytes of data (no padding). */
const envelopes = (count: number, size = 64): Envelope[] => {
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const payload = randomBytes(Math.max(1, size - 32));
    const data = buildEnvelopeData({ payload, padding: new Uint8Array(0), symKey: KEY });
    return Envelope.create({ expiry: now - 50 + i, ttl: 10, topic: TOPIC_A, data });
  });
};

/** The app's filter on the history topic: `delivered()` counts the envelopes it received. */
function app(bob: WakuNode) {
  const filter: Filter = bob.subscribe({ topics: [TOPIC_A], symKey: KEY, queueLimit: 10_000 });
  const hashes = new Set<string>();
  filter.on('message', (m) => hashes.add(m.hashHex));
  return { hashes, delivered: () => hashes.size };
}

function client(bob: WakuNode, options: MailClientOptions = {}) {
  const clock = new ManualClock(Date.now());
  // Pacing under the advertised packet rate is tested elsewhere: off, so only the byte budget waits.
  const c = new MailClient(bob, { clock, minRequestIntervalMs: 0, ...options });
  cleanups.push(() => c.close());
  const misbehaved: MailserverMisbehavedEvent[] = [];
  c.on('mailserver:misbehaved', (e) => misbehaved.push(e));
  const failovers: MailserverError[] = [];
  c.on('failover', (f) => failovers.push(f.error));
  return { c, clock, misbehaved, failovers };
}

async function reply(n: WakuNode, peer: WakuPeer, request: MailRequest, batches: Envelope[][]) {
  for (const batch of batches) await n.sendP2PMessages(peer.id, batch);
  await n.sendP2PRequestComplete(peer.id, { requestId: request.id });
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('MailClient against a hostile trusted mailserver', () => {
  it('drops and counts envelopes sent outside any request; after maxStrikes the mailserver is untrusted, disconnected and reported', async () => {
    const hostile = await scriptedMailserver((peer, request) =>
      reply(hostile.node, peer, request, [envelopes(2)]),
    );
    const bob = await node();
    const link = await linkInMemory(bob, hostile.node);
    const id = bytesToHex(link.idB);
    const { c, misbehaved } = client(bob);
    const chat = app(bob);
    // An honest page first: from here on the client trusts the peer as its mailserver.
    expect((await c.requestHistory({ mailservers: [id], topics: [TOPIC_A] })).envelopes).toBe(2);
    expect(chat.delivered()).toBe(2);
    expect(bob.isTrusted(id)).toBe(true);

    // Three P2P packets of 4 envelopes that nobody asked for.
    for (let i = 0; i < DEFAULT_MAILSERVER_MAX_STRIKES; i++) {
      await hostile.node.sendP2PMessages(link.idA, envelopes(4));
    }
    await waitFor(() => misbehaved.length === 1, 5_000, 'the mailserver to be reported');
    expect(misbehaved).toEqual([{ mailserver: id, reason: 'outsideRequest', strikes: 3 }]);
    expect(c.counters.dropped.outsideRequest).toBe(12);
    expect(c.counters).toMatchObject({
      envelopesReceived: 14,
      envelopesAccepted: 2,
      strikes: 3,
      misbehaved: 1,
    });
    // The app never saw them: refused before any filter, and counted by the node too.
    expect(chat.delivered()).toBe(2);
    expect(bob.counters.dropped.p2pRefused).toBe(12);
    // Dropped: no longer trusted (the node refuses its P2P packets before any filter) and disconnected.
    expect(bob.isTrusted(id)).toBe(false);
    await waitFor(() => bob.getPeer(id) === undefined, 5_000, 'the disconnect');
    // The client does not ask it again: the request fails over (nowhere here) without sending anything.
    const again = await c
      .requestHistory({ mailservers: [id], topics: [TOPIC_A], force: true })
      .catch((e) => e);
    expect(again).toMatchObject({ code: 'ERR_MAILSERVER_ALL_FAILED' });
    expect((again as MailserverError).cause).toMatchObject({ code: 'ERR_MAILSERVER_MISBEHAVED' });
    expect(hostile.requests).toHaveLength(1);
  });

  it('keeps the page it asked for and drops the envelopes beyond its limit', async () => {
    const page = envelopes(8);
    // Asked for 3: sends 5 in one packet and 3 more in another, then completes.
    const hostile = await scriptedMailserver((peer, request) =>
      reply(hostile.node, peer, request, [page.slice(0, 5), page.slice(5)]),
    );
    const bob = await node();
    const link = await linkInMemory(bob, hostile.node);
    const { c, misbehaved } = client(bob);
    const chat = app(bob);
    const pages: number[] = [];
    c.on('page', (p) => pages.push(p.envelopes));
    const summary = await c.requestHistory({ mailservers: [link.idB], topics: [TOPIC_A], limit: 3 });
    expect(hostile.requests[0]!.limit).toBe(3);
    // The honest part (the first 3) is the page; the 5 beyond the limit are dropped, one strike per packet.
    expect(summary).toMatchObject({ pages: 1, envelopes: 3, uniqueEnvelopes: 3, failovers: 0 });
    expect(pages).toEqual([3]);
    // The app got the page and nothing beyond it.
    expect([...chat.hashes]).toEqual(page.slice(0, 3).map((e) => e.hashHex));
    expect(c.counters.dropped.overLimit).toBe(5);
    expect(c.counters).toMatchObject({
      envelopesReceived: 8,
      envelopesAccepted: 3,
      strikes: 2,
      misbehaved: 0,
    });
    expect(misbehaved).toEqual([]);
    expect(bob.isTrusted(link.idB)).toBe(true);
  });

  it('drops the bytes a mailserver sends above maxBytesPerSecond, and counts them', async () => {
    const maxBytesPerSecond = 1_000; // a burst of 8,000 bytes
    const big = envelopes(20, 900); // about 930 bytes each, 18.6 kB in all
    const hostile = await scriptedMailserver((peer, request) =>
      reply(hostile.node, peer, request, [big.slice(0, 10), big.slice(10)]),
    );
    const bob = await node();
    const link = await linkInMemory(bob, hostile.node);
    const { c, misbehaved } = client(bob, { maxBytesPerSecond });
    const chat = app(bob);
    const summary = await c.requestHistory({ mailservers: [link.idB], topics: [TOPIC_A] });
    const size = big[0]!.raw.length;
    const fits = Math.floor((maxBytesPerSecond * MAILSERVER_BYTES_BURST_SECONDS) / size);
    expect(summary.envelopes).toBe(fits);
    expect(c.counters.dropped.overRate).toBe(20 - fits);
    expect(chat.delivered()).toBe(fits);
    expect(c.counters.bytesReceived).toBe(20 * size);
    expect(c.counters).toMatchObject({ envelopesAccepted: fits, strikes: 2 });
    expect(misbehaved).toEqual([]);
  });

  it('after maxStrikes during a request, the page rejects with ERR_MAILSERVER_MISBEHAVED and the next mailserver serves the history', async () => {
    // Asked for 2: sends 2, then three more packets of 50 each.
    const hostile = await scriptedMailserver((peer, request) =>
      reply(hostile.node, peer, request, [envelopes(2), envelopes(50), envelopes(50), envelopes(50)]),
    );
    const honest = await honestMailserver(2);
    const bob = await node();
    const hostileLink = await linkInMemory(bob, hostile.node);
    const honestLink = await linkInMemory(bob, honest.node);
    const { c, misbehaved, failovers } = client(bob, { pageLimit: 2 });
    const chat = app(bob);
    const summary = await c.requestHistory({
      mailservers: [hostileLink.idB, honestLink.idB],
      topics: [TOPIC_A],
    });
    expect(failovers.map((e) => e.code)).toEqual(['ERR_MAILSERVER_MISBEHAVED']);
    expect(failovers[0]!.details).toMatchObject({ reason: 'overLimit', strikes: 3 });
    expect(misbehaved).toEqual([
      { mailserver: bytesToHex(hostileLink.idB), reason: 'overLimit', strikes: 3 },
    ]);
    expect(summary).toMatchObject({ mailserver: bytesToHex(honestLink.idB), failovers: 1, envelopes: 2 });
    expect(honest.served).toHaveLength(1);
    expect(c.counters.dropped.overLimit).toBe(150);
    // The 2 asked of each mailserver reached the app; the 150 beyond the limit did not.
    expect(chat.delivered()).toBe(4);
    expect(bob.isTrusted(hostileLink.idB)).toBe(false);
  });

  it('envelopes from a mailserver already dropped are refused again, and it is cut off again if trusted anew', async () => {
    const hostile = await scriptedMailserver(() => {});
    const bob = await node();
    const link = await linkInMemory(bob, hostile.node);
    const id = bytesToHex(link.idB);
    const { c, misbehaved } = client(bob, { mailservers: [id], maxStrikes: 1 });
    const chat = app(bob);
    expect(c.mailservers).toEqual([id]);
    bob.markTrusted(id); // e.g. the app trusts its mailserver itself
    await hostile.node.sendP2PMessages(link.idA, envelopes(1));
    await waitFor(() => misbehaved.length === 1, 5_000, 'the report');
    expect(c.mailservers).toEqual([]);
    // The app trusts it again and it reconnects: the next P2P packet is refused and it is cut off at once.
    const relink = await linkInMemory(bob, hostile.node, { idB: link.idB });
    bob.markTrusted(id);
    await hostile.node.sendP2PMessages(relink.idA, envelopes(3));
    await waitFor(() => c.counters.dropped.misbehaving === 3, 5_000, 'the refusal');
    expect(bob.isTrusted(id)).toBe(false);
    await waitFor(() => bob.getPeer(id) === undefined, 5_000, 'the disconnect');
    expect(misbehaved).toHaveLength(1);
    expect(c.counters.strikes).toBe(1);
    expect(chat.delivered()).toBe(0);
  });

  it('a late answer to a timed-out request and a probe answer are no strikes', async () => {
    let held: (() => Promise<void>) | undefined;
    const hostile = await scriptedMailserver(async (peer, request, index) => {
      if (index === 0) {
        // Slow: the first answer comes after the client timed out, just before the answer to the retry.
        held = () => reply(hostile.node, peer, request, [envelopes(2)]);
        return;
      }
      await held?.();
      held = undefined;
      await reply(hostile.node, peer, request, [envelopes(request.limit === 1 ? 1 : 2)]);
    });
    const bob = await node();
    const link = await linkInMemory(bob, hostile.node);
    const { c, clock } = client(bob, { timeoutMs: 1_000, pageLimit: 2 });
    const chat = app(bob);
    const done = c.requestHistory({ mailservers: [link.idB], topics: [TOPIC_A] });
    await waitFor(() => hostile.requests.length === 1, 5_000, 'the first request');
    clock.advance(1_000);
    // The late answer arrived while the retry was open: its envelopes count toward that page.
    expect(await done).toMatchObject({ retries: 1, pages: 1, envelopes: 4 });
    // A round-trip probe answered with one envelope (somebody posted on the probe topic).
    const probe = mailserverProbe(c, { clock });
    expect(await probe({ id: bytesToHex(link.idB) })).toBeGreaterThanOrEqual(0);
    await settle();
    expect(c.counters.strikes).toBe(0);
    expect(c.counters.dropped).toEqual({ outsideRequest: 0, overLimit: 0, overRate: 0, misbehaving: 0 });
    expect(c.counters.envelopesReceived).toBe(5);
    expect(chat.delivered()).toBe(5);
  });

  it('waits for its byte budget before asking for the next page, so an honest mailserver never exceeds it', async () => {
    const honest = await honestMailserver(7, 900);
    const bob = await node();
    const link = await linkInMemory(bob, honest.node);
    // A burst of 8,000 bytes; each page of 3 envelopes is about 2,800.
    const { c, clock } = client(bob, { maxBytesPerSecond: 1_000, pageLimit: 3 });
    const chat = app(bob);
    const done = c.requestHistory({ mailservers: [link.idB], topics: [TOPIC_A] });
    await waitFor(() => honest.served.length >= 2, 5_000, 'two pages');
    await settle();
    // 8,000 - 5,600 left: below half the burst, the third request waits for the budget to refill.
    expect(honest.served).toHaveLength(2);
    clock.advance(2_000);
    await waitFor(() => honest.served.length === 3, 5_000, 'the third page');
    const summary = await done;
    expect(summary).toMatchObject({ pages: 3, envelopes: 7 });
    expect(chat.delivered()).toBe(7);
    expect(c.counters.dropped.overRate).toBe(0);
    expect(c.counters.strikes).toBe(0);
  });

  it("several clients on one node compose their gates with the app's, and close() takes only its own away", async () => {
    const first = await scriptedMailserver((peer, request) =>
      reply(first.node, peer, request, [envelopes(2)]),
    );
    const second = await scriptedMailserver((peer, request) =>
      reply(second.node, peer, request, [envelopes(2)]),
    );
    const bob = await node();
    // The app's own gate, there before any client: it keeps seeing every packet.
    let appGateCalls = 0;
    const appGate: P2PGate = {
      envelopes: (_peer, list) => {
        appGateCalls++;
        return list;
      },
      complete: () => true,
    };
    bob.setP2PGate(appGate);
    const link1 = await linkInMemory(bob, first.node);
    const link2 = await linkInMemory(bob, second.node);
    const [id1, id2] = [bytesToHex(link1.idB), bytesToHex(link2.idB)];
    const c1 = client(bob, { mailservers: [id1] }).c;
    const c2 = client(bob, { mailservers: [id2] }).c;
    expect(bob.p2pGate).not.toBe(appGate);
    const chat = app(bob);
    expect((await c1.requestHistory({ topics: [TOPIC_A] })).envelopes).toBe(2);
    expect((await c2.requestHistory({ topics: [TOPIC_A] })).envelopes).toBe(2);
    expect(chat.delivered()).toBe(4);

    // Unasked: each client refuses what its own mailserver sends, whatever the other one thinks.
    await first.node.sendP2PMessages(link1.idA, envelopes(3));
    await second.node.sendP2PMessages(link2.idA, envelopes(1));
    await waitFor(
      () => c1.counters.dropped.outsideRequest === 3 && c2.counters.dropped.outsideRequest === 1,
      5_000,
      'both refusals',
    );
    expect(c2.counters.envelopesReceived).toBe(3);
    expect(chat.delivered()).toBe(4);

    // c1 gone: nobody polices the first mailserver any more; c2 still polices the second.
    c1.close();
    await first.node.sendP2PMessages(link1.idA, envelopes(2));
    await second.node.sendP2PMessages(link2.idA, envelopes(2));
    await waitFor(
      () => c2.counters.dropped.outsideRequest === 3 && chat.delivered() === 6,
      5_000,
      'the packets after close',
    );
    expect(c1.counters.envelopesReceived).toBe(5);
    c2.close();
    expect(bob.p2pGate).toBe(appGate);
    expect(appGateCalls).toBe(6);
  });

  it('validates maxStrikes and maxBytesPerSecond, and documents the defaults', async () => {
    const bob = await node();
    expect(DEFAULT_MAILSERVER_MAX_STRIKES).toBe(3);
    expect(DEFAULT_MAILSERVER_BYTES_PER_SECOND).toBe(8 * 1024 * 1024);
    for (const maxStrikes of [0, 1.5, Number.NaN]) {
      expect(() => new MailClient(bob, { maxStrikes })).toThrow(
        expect.objectContaining({ code: 'ERR_MAILSERVER_INVALID_OPTIONS' }),
      );
    }
    for (const maxBytesPerSecond of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new MailClient(bob, { maxBytesPerSecond })).toThrow(
        expect.objectContaining({ code: 'ERR_MAILSERVER_INVALID_OPTIONS' }),
      );
    }
    // 0 turns the byte budget off.
    new MailClient(bob, { maxBytesPerSecond: 0 }).close();
  });
});
