import { bytesToUtf8, utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeEnvelopeList, linkInMemory, WakuCode } from '../src/index.js';
import { advance, KEY, makeEnvelope, Nodes, RawPeer, settle, TOPIC_A, TOPIC_B } from './helpers/nodes.js';

const nodes = new Nodes();
afterEach(() => nodes.stop());

describe('WakuNode relay over in-memory links', () => {
  it('delivers a posted message to a filter of the peer on the next relay tick, signer recovered', async () => {
    const a = await nodes.node();
    const b = await nodes.node();
    await linkInMemory(a, b);
    const filter = b.subscribe({ topics: [TOPIC_A], symKey: KEY });
    const sender = generatePrivateKey();
    const { hashHex } = await a.post({
      topic: TOPIC_A,
      symKey: KEY,
      payload: utf8ToBytes('hi'),
      signingKey: sender,
    });
    await settle();
    expect(filter.pending).toBe(0); // batched: nothing before the 300 ms tick
    await advance(nodes.clock, 300);
    const message = await filter.next();
    expect(bytesToUtf8(message.payload)).toBe('hi');
    expect(message.hashHex).toBe(hashHex);
    expect(message.signer).toEqual(getPublicKey(sender));
    expect(message.ttl).toBe(10);
    expect(message.pow).toBeGreaterThanOrEqual(0.002);
    expect(message.p2p).toBe(false);
    expect(b.counters.envelopesAccepted).toBe(1);
  });

  it('delivers our own posts to our own filters, asymmetric messages only to the right key', async () => {
    const a = await nodes.node();
    const recipient = generatePrivateKey();
    const mine = a.subscribe({ topics: [TOPIC_A], privateKey: recipient });
    const other = a.subscribe({ topics: [TOPIC_A], privateKey: generatePrivateKey() });
    await a.post({ topic: TOPIC_A, publicKey: getPublicKey(recipient), payload: utf8ToBytes('to you') });
    expect(bytesToUtf8((await mine.next()).payload)).toBe('to you');
    expect(mine.pending).toBe(0);
    expect(other.pending).toBe(0);
    expect(a.counters.decryptFailures).toBe(1);
  });

  it('relays along a chain, never back to the sender, and delivers once', async () => {
    const [a, b, c] = [await nodes.node(), await nodes.node(), await nodes.node()];
    await linkInMemory(a, b);
    await linkInMemory(b, c);
    const filter = c.subscribe({ topics: [TOPIC_A], symKey: KEY });
    await a.post({ topic: TOPIC_A, symKey: KEY, payload: utf8ToBytes('x') });
    await advance(nodes.clock, 1000);
    expect(filter.pending).toBe(1);
    expect(b.counters.envelopesAccepted).toBe(1);
    expect(c.counters.envelopesAccepted).toBe(1);
    // A never hears its envelope back: B knows A has it.
    expect(a.counters.envelopesReceived).toBe(0);
    expect(b.counters.dropped.duplicate).toBe(0);
  });

  it('deduplicates by hash in a triangle and counts the duplicates', async () => {
    const [a, b, c] = [await nodes.node(), await nodes.node(), await nodes.node()];
    await linkInMemory(a, b);
    await linkInMemory(b, c);
    await linkInMemory(a, c);
    const filter = c.subscribe({ topics: [TOPIC_A], symKey: KEY });
    const seen: string[] = [];
    filter.on('message', (m) => seen.push(m.hashHex));
    const e = makeEnvelope(nodes.clock, { symKey: KEY });
    a.postEnvelope(e);
    await advance(nodes.clock, 1500);
    expect(seen).toEqual([e.hashHex]);
    expect(c.poolSize).toBe(1);
    const dups = a.counters.dropped.duplicate + b.counters.dropped.duplicate + c.counters.dropped.duplicate;
    expect(dups).toBeGreaterThan(0);
  });

  it('batches every envelope of a tick into one Messages packet, split at maxOutgoingPacketSize', async () => {
    const a = await nodes.node({ maxOutgoingPacketSize: 1000 });
    const raw = new RawPeer(a);
    await raw.status();
    for (let i = 0; i < 10; i++) a.postEnvelope(makeEnvelope(nodes.clock, { dataLength: 200 }));
    await settle();
    expect(raw.of(WakuCode.Messages)).toHaveLength(0);
    await advance(nodes.clock, 300);
    const packets = raw.of(WakuCode.Messages);
    const counts = packets.map((p) => decodeEnvelopeList(p.payload).length);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(10);
    expect(packets.length).toBeGreaterThan(1);
    for (const p of packets) expect(p.payload.length).toBeLessThanOrEqual(1000);
  });

  it('sends the whole pool to a new peer and nothing twice', async () => {
    const a = await nodes.node();
    a.postEnvelope(makeEnvelope(nodes.clock));
    a.postEnvelope(makeEnvelope(nodes.clock, { topic: TOPIC_B }));
    const raw = new RawPeer(a);
    await raw.status();
    await advance(nodes.clock, 900);
    const envelopes = raw.of(WakuCode.Messages).flatMap((p) => decodeEnvelopeList(p.payload));
    expect(envelopes).toHaveLength(2);
  });

  it('expires envelopes from the pool and reports our own', async () => {
    const a = await nodes.node();
    const expired: string[] = [];
    a.on('envelope:expired', (e) => expired.push(e.hashHex));
    const e = makeEnvelope(nodes.clock, { ttl: 5 });
    a.postEnvelope(e);
    expect(a.poolSize).toBe(1);
    await advance(nodes.clock, 5000, 500);
    expect(a.poolSize).toBe(1); // expiry == now is still alive (status-go drops expiry < now)
    await advance(nodes.clock, 2000, 500);
    expect(a.poolSize).toBe(0);
    expect(expired).toEqual([e.hashHex]);
    expect(a.counters.envelopesExpired).toBe(1);
  });

  it('does not relay an envelope that expired while queued', async () => {
    const a = await nodes.node({ transmissionCycleMs: 5000, expirationCycleMs: 60_000 });
    const raw = new RawPeer(a);
    await raw.status();
    a.postEnvelope(makeEnvelope(nodes.clock, { ttl: 2 }));
    await advance(nodes.clock, 5000, 1000);
    expect(raw.of(WakuCode.Messages)).toHaveLength(0);
    expect(a.counters.dropped.expiredBeforeRelay).toBe(1);
  });

  it('stop() disconnects peers and releases every timer', async () => {
    const a = await nodes.node();
    const b = await nodes.node();
    const link = await linkInMemory(a, b);
    a.setMinPow(0.01); // arms a tolerance timer
    await a.stop();
    expect(link.streamA.closed).toBe(true);
    expect(link.streamA.closeReason).toBe(0x08);
    await b.stop();
    expect(nodes.clock.pendingTimers).toBe(0);
    await expect(a.post({ topic: TOPIC_A, symKey: KEY, payload: new Uint8Array(1) })).rejects.toMatchObject({
      code: 'ERR_WAKU_NOT_RUNNING',
    });
  });
});
