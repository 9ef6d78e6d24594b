import { utf8ToBytes } from '@status-ts/core';
import { DisconnectReason } from '@status-ts/devp2p';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_POOL_SHARE_PER_PEER,
  DEFAULT_MAX_TTL,
  type DropReason,
  decodeMessageResponse,
  ENVELOPE_ERROR_OTHER,
  type Envelope,
  linkInMemory,
  STATUS_MIN_POW,
  WakuCode,
  WakuNode,
  type WakuNodeOptions,
} from '../src/index.js';
import { code } from './helpers/errors.js';
import { advance, KEY, makeEnvelope, Nodes, RawPeer, settle, TOPIC_A } from './helpers/nodes.js';

const nodes = new Nodes();
afterEach(() => nodes.stop());

/** Every reason an incoming envelope can be refused for (packet-level reasons and evictions excluded). */
const ENVELOPE_REFUSALS: DropReason[] = [
  'lowPow',
  'tooLarge',
  'expired',
  'tooOld',
  'future',
  'interestMismatch',
  'duplicate',
  'poolFull',
  'ttlTooLong',
  'peerShare',
  'envelopeRateLimited',
];

function refused(node: WakuNode): number {
  const dropped = node.counters.dropped;
  return ENVELOPE_REFUSALS.reduce((sum, reason) => sum + dropped[reason], 0);
}

/** Cheap envelopes as the review's attacker sealed them: the default minimum PoW, tiny data. */
function junk(count: number, ttl: number): Envelope[] {
  return Array.from({ length: count }, () =>
    makeEnvelope(nodes.clock, { ttl, pow: STATUS_MIN_POW, dataLength: 16 }),
  );
}

describe('envelope pool exhaustion (issue 18, item 1)', () => {
  it('an attack of cheap long-TTL envelopes leaves the victim relaying honest traffic and posting its own', async () => {
    const caps: WakuNodeOptions = { maxPoolSize: 500, maxPoolBytes: 256 * 1024 };
    const victim = await nodes.node(caps);
    const neighbour = await nodes.node(caps);
    const honest = await nodes.node();
    await linkInMemory(victim, neighbour);
    await linkInMemory(honest, victim);
    const inbox = neighbour.subscribe({ topics: [TOPIC_A], symKey: KEY });
    const withinCaps = () => [victim, neighbour].every((n) => n.poolSize <= 500 && n.poolBytes <= 256 * 1024);

    // Ten attacker identities, each sending two packets: long-TTL envelopes (10^6 s, the review's) and
    // envelopes at the TTL cap, all sealed at the minimum PoW.
    const attackers: { peer: RawPeer; sent: Set<string> }[] = [];
    for (let i = 0; i < 10; i++) {
      const peer = new RawPeer(victim);
      await peer.status();
      const packets = [[...junk(20, 1_000_000), ...junk(40, DEFAULT_MAX_TTL)], junk(60, DEFAULT_MAX_TTL)];
      const sent = new Set(packets.flat().map((e) => e.hashHex));
      for (const packet of packets) await peer.sendEnvelopes(packet);
      attackers.push({ peer, sent });
      expect(withinCaps()).toBe(true);
    }
    await advance(nodes.clock, 900);
    expect(withinCaps()).toBe(true);

    // Each attacker holds at most its share of the victim's pool.
    const share = Math.floor(500 * DEFAULT_MAX_POOL_SHARE_PER_PEER);
    const held = victim.envelopes().map((e) => e.hashHex);
    for (const { sent } of attackers) {
      expect(held.filter((h) => sent.has(h)).length).toBeLessThanOrEqual(share);
    }

    // An honest peer's message enters the victim's pool and reaches the neighbour; the victim's own post
    // succeeds and is relayed too.
    const fromHonest = await honest.post({ topic: TOPIC_A, symKey: KEY, payload: utf8ToBytes('honest') });
    await advance(nodes.clock, 600);
    expect(victim.hasEnvelope(fromHonest.envelope)).toBe(true);
    const own = await victim.post({ topic: TOPIC_A, symKey: KEY, payload: utf8ToBytes('own') });
    expect(victim.hasEnvelope(own.envelope)).toBe(true);
    await advance(nodes.clock, 900);
    expect(withinCaps()).toBe(true);
    expect(inbox.pending).toBe(2);
    const received = new Set([(await inbox.next()).hashHex, (await inbox.next()).hashHex]);
    expect(received).toEqual(new Set([fromHonest.hashHex, own.hashHex]));

    // Every envelope the victim was sent either entered the pool or was refused under a counted reason;
    // the long-TTL ones all fell to the TTL cap, and making room was counted as evictions.
    const c = victim.counters;
    expect(c.envelopesReceived).toBe(c.envelopesAccepted + refused(victim));
    expect(c.dropped.ttlTooLong).toBe(200);
    expect(c.dropped.peerShare).toBeGreaterThan(0);
    expect(c.dropped.evicted).toBeGreaterThan(0);
    expect(neighbour.counters.envelopesReceived).toBe(
      neighbour.counters.envelopesAccepted + refused(neighbour),
    );
  });

  it('drops and counts envelopes whose TTL is above the cap, and reports them in confirmations', async () => {
    const node = await nodes.node({ confirmations: true });
    const raw = new RawPeer(node);
    await raw.status();
    const [tooLong] = junk(1, DEFAULT_MAX_TTL + 1);
    const [atCap] = junk(1, DEFAULT_MAX_TTL);
    await raw.sendEnvelopes([tooLong!, atCap!]);
    expect(node.counters.dropped.ttlTooLong).toBe(1);
    expect(node.hasEnvelope(atCap!)).toBe(true);
    expect(node.poolSize).toBe(1);
    const response = decodeMessageResponse(raw.of(WakuCode.MessageResponse).at(-1)!.payload)!;
    expect(response.errors).toEqual([
      { hash: tooLong!.hash, code: ENVELOPE_ERROR_OTHER, description: 'envelope TTL is above the maximum' },
    ]);
  });

  it('rejects our own posts above the TTL cap with ERR_WAKU_TTL_TOO_LONG, before sealing', async () => {
    const node = await nodes.node({ maxTtl: 60 });
    await expect(
      node.post({ topic: TOPIC_A, symKey: KEY, payload: new Uint8Array(1), ttl: 61 }),
    ).rejects.toMatchObject({ code: 'ERR_WAKU_TTL_TOO_LONG', details: { ttl: 61, maxTtl: 60 } });
    expect(code(() => node.postEnvelope(junk(1, 61)[0]!))).toBe('ERR_WAKU_TTL_TOO_LONG');
    const { envelope } = await node.post({
      topic: TOPIC_A,
      symKey: KEY,
      payload: new Uint8Array(1),
      ttl: 60,
    });
    expect(node.hasEnvelope(envelope)).toBe(true);
    const byDefault = await nodes.node();
    await expect(
      byDefault.post({ topic: TOPIC_A, symKey: KEY, payload: new Uint8Array(1), ttl: DEFAULT_MAX_TTL + 1 }),
    ).rejects.toMatchObject({ code: 'ERR_WAKU_TTL_TOO_LONG' });
    expect(node.counters.envelopesPosted).toBe(1);
  });

  it('validates maxTtl and maxPoolSharePerPeer', () => {
    expect(new WakuNode().options.maxTtl).toBe(DEFAULT_MAX_TTL);
    expect(new WakuNode().options.maxPoolSharePerPeer).toBe(DEFAULT_MAX_POOL_SHARE_PER_PEER);
    for (const maxTtl of [0, 1.5, 2 ** 32, Number.NaN]) {
      expect(code(() => new WakuNode({ maxTtl }))).toBe('ERR_WAKU_INVALID_OPTIONS');
    }
    // The default TTL of our posts must fit under the cap.
    expect(code(() => new WakuNode({ maxTtl: 50, ttl: 51 }))).toBe('ERR_WAKU_INVALID_OPTIONS');
    for (const share of [0, -0.5, 1.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(code(() => new WakuNode({ maxPoolSharePerPeer: share }))).toBe('ERR_WAKU_INVALID_OPTIONS');
    }
    expect(new WakuNode({ maxPoolSharePerPeer: 1 }).options.maxPoolSharePerPeer).toBe(1);
  });
});

describe('envelope rate limits (issue 18, item 1)', () => {
  it('drops the envelopes of a packet beyond envelopesPerPeer, strikes the peer, trusted peers included', async () => {
    const node = await nodes.node({ rateLimits: { envelopesPerPeer: 5, tolerance: 2 } });
    const raw = new RawPeer(node);
    await raw.status();
    await raw.sendEnvelopes(junk(8, 10));
    expect(node.poolSize).toBe(5);
    expect(node.counters.envelopesReceived).toBe(8);
    expect(node.counters.dropped.envelopeRateLimited).toBe(3);
    expect(raw.closed).toBe(false);
    // Second strike within the window: the tolerance of 2 is reached.
    await raw.sendEnvelopes(junk(2, 10));
    await settle();
    expect(node.counters.dropped.envelopeRateLimited).toBe(5);
    expect(node.counters.peers.rateLimitDisconnect).toBe(1);
    expect(raw.closeReason).toBe(DisconnectReason.SubprotocolError);

    const trusted = new RawPeer(node);
    node.markTrusted(trusted.id);
    await trusted.status();
    // Trusting a peer (a mailserver) for history does not let it flood the pool with relay traffic.
    await trusted.sendEnvelopes(junk(20, 10));
    expect(node.counters.dropped.envelopeRateLimited).toBe(20);
    expect(node.poolSize).toBe(10);
  });

  it('limits envelopes per IP across peers, refills over time, and 0 turns a limit off', async () => {
    const node = await nodes.node({
      rateLimits: { envelopesPerPeer: 0, envelopesPerIp: 6, tolerance: 100 },
    });
    const p1 = new RawPeer(node, 'waku', { remoteAddress: '10.0.0.1' });
    const p2 = new RawPeer(node, 'waku', { remoteAddress: '10.0.0.1' });
    await p1.status();
    await p2.status();
    await p1.sendEnvelopes(junk(4, 10));
    await p2.sendEnvelopes(junk(4, 10));
    expect(node.counters.dropped.envelopeRateLimited).toBe(2);
    await advance(nodes.clock, 1000);
    await p2.sendEnvelopes(junk(6, 10));
    expect(node.counters.dropped.envelopeRateLimited).toBe(2);
    expect(node.poolSize).toBe(12);
  });
});
