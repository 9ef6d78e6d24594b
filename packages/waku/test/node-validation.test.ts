import { bytesToHex } from '@status-ts/core';
import { rlpEncode } from '@status-ts/enr';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeMessageResponse,
  ENVELOPE_ERROR_OTHER,
  ENVELOPE_ERROR_TIME_SYNC,
  Envelope,
  encodeEnvelopeList,
  WakuCode,
} from '../src/index.js';
import { advance, KEY, makeEnvelope, Nodes, RawPeer, settle, TOPIC_A, TOPIC_B } from './helpers/nodes.js';

const nodes = new Nodes();
afterEach(() => nodes.stop());

async function confirmingNode(options = {}) {
  const node = await nodes.node({ confirmations: true, ...options });
  const raw = new RawPeer(node);
  await raw.status();
  return { node, raw };
}

/** Most valuable first: a full pool then refuses the later ones instead of evicting for them. */
function byPowDescending(envelopes: Envelope[]): Envelope[] {
  return [...envelopes].sort((x, y) => y.pow() - x.pow());
}

function lastResponse(raw: RawPeer) {
  const responses = raw.of(WakuCode.MessageResponse);
  return decodeMessageResponse(responses.at(-1)!.payload)!;
}

describe('WakuNode envelope validation (WAKU-12)', () => {
  it('rejects envelopes sent beyond the sync allowance as time-sync errors (code 1)', async () => {
    const { node, raw } = await confirmingNode();
    const e = makeEnvelope(nodes.clock, { sentOffset: 11 });
    await raw.sendEnvelopes([e]);
    expect(node.counters.dropped.future).toBe(1);
    expect(lastResponse(raw).errors).toEqual([
      { hash: e.hash, code: ENVELOPE_ERROR_TIME_SYNC, description: 'envelope from future' },
    ]);
  });

  it('accepts envelopes from the near future with the PoW divisor stretched by sent - now + 1', async () => {
    const { node, raw } = await confirmingNode({ minPow: 0 });
    const e = makeEnvelope(nodes.clock, { sentOffset: 10, ttl: 10 });
    await raw.sendEnvelopes([e]);
    expect(node.poolSize).toBe(1);
    expect(lastResponse(raw).errors).toEqual([]);
    // The relay keeps the adjusted PoW: TTL 10 + (10 + 1).
    expect(node.hasEnvelope(e)).toBe(true);
    expect(e.pow(11)).toBeLessThan(e.pow());
  });

  it('drops recently expired envelopes silently and reports very old ones as time-sync errors', async () => {
    const { node, raw } = await confirmingNode();
    const recent = makeEnvelope(nodes.clock, { sentOffset: -25, ttl: 10 }); // expired 15 s ago (<= 2 * 10)
    const old = makeEnvelope(nodes.clock, { sentOffset: -40, ttl: 10 }); // expired 30 s ago
    await raw.sendEnvelopes([recent, old]);
    expect(node.counters.dropped.expired).toBe(1);
    expect(node.counters.dropped.tooOld).toBe(1);
    expect(lastResponse(raw).errors).toEqual([
      { hash: old.hash, code: ENVELOPE_ERROR_TIME_SYNC, description: 'very old envelope' },
    ]);
    expect(raw.closed).toBe(false); // time-sync errors never disconnect
  });

  it('rejects envelopes over maxMessageSize (20 + len(data)) without dropping the peer', async () => {
    const { node, raw } = await confirmingNode({ maxMessageSize: 100 });
    const ok = makeEnvelope(nodes.clock, { dataLength: 80 });
    const big = makeEnvelope(nodes.clock, { dataLength: 81 });
    await raw.sendEnvelopes([ok, big]);
    expect(node.counters.dropped.tooLarge).toBe(1);
    expect(node.poolSize).toBe(1);
    expect(lastResponse(raw).errors.map((x) => [bytesToHex(x.hash), x.code])).toEqual([
      [big.hashHex, ENVELOPE_ERROR_OTHER],
    ]);
    expect(raw.closed).toBe(false);
  });

  it('rejects low PoW, and tolerates the previous requirement for the sync allowance after a raise', async () => {
    const { node, raw } = await confirmingNode({ minPow: 0.001 });
    // 1e6 is out of reach of any nonce found at target 0.001 (it would need ~2^34 attempts).
    node.setMinPow(1e6);
    await settle();
    expect(raw.of(WakuCode.StatusUpdate)).toHaveLength(1);
    await raw.sendEnvelopes([makeEnvelope(nodes.clock, { pow: 0.001 })]);
    expect(node.poolSize).toBe(1); // the previous requirement is tolerated for the sync allowance
    await advance(nodes.clock, 10_000, 1000);
    await raw.sendEnvelopes([makeEnvelope(nodes.clock, { pow: 0.001 })]);
    expect(node.poolSize).toBe(1);
    expect(node.counters.dropped.lowPow).toBe(1);
    expect(lastResponse(raw).errors[0]!.code).toBe(ENVELOPE_ERROR_OTHER);
  });

  it('rejects topics outside its interest (topic-interest mode follows the filters)', async () => {
    const { node, raw } = await confirmingNode({ interest: 'topics' });
    node.subscribe({ topics: [TOPIC_A], symKey: KEY });
    await settle();
    await raw.sendEnvelopes([
      makeEnvelope(nodes.clock, { topic: TOPIC_A }),
      makeEnvelope(nodes.clock, { topic: TOPIC_B }),
    ]);
    expect(node.poolSize).toBe(1);
    expect(node.counters.dropped.interestMismatch).toBe(1);
  });

  it('tolerates the previous interest for the sync allowance after a change', async () => {
    const { node, raw } = await confirmingNode({ interest: 'topics' });
    const filter = node.subscribe({ topics: [TOPIC_A], symKey: KEY });
    await settle();
    node.unsubscribe(filter);
    await settle();
    expect(node.interest).toEqual({ kind: 'topics', topics: new Set() });
    await raw.sendEnvelopes([makeEnvelope(nodes.clock, { topic: TOPIC_A })]);
    expect(node.poolSize).toBe(1);
    await advance(nodes.clock, 10_000, 1000);
    await raw.sendEnvelopes([makeEnvelope(nodes.clock, { topic: TOPIC_A })]);
    expect(node.counters.dropped.interestMismatch).toBe(1);
  });

  it('counts duplicates and adds each envelope once', async () => {
    const { node, raw } = await confirmingNode();
    const e = makeEnvelope(nodes.clock);
    await raw.sendEnvelopes([e, e]);
    await raw.sendEnvelopes([e]);
    expect(node.poolSize).toBe(1);
    expect(node.counters.dropped.duplicate).toBe(2);
    expect(node.counters.envelopesReceived).toBe(3);
  });

  it('drops a malformed Messages packet without confirming it and keeps the peer', async () => {
    const { node, raw } = await confirmingNode();
    await raw.send(WakuCode.Messages, rlpEncode([[1, 2, 3]]));
    await settle();
    expect(node.counters.dropped.badPacket).toBe(1);
    expect(raw.of(WakuCode.MessageResponse)).toHaveLength(0);
    expect(raw.closed).toBe(false);
  });

  it('disconnects a peer sending a packet over maxPacketSize', async () => {
    const { node, raw } = await confirmingNode({ maxPacketSize: 2000 });
    const e = makeEnvelope(nodes.clock, { dataLength: 2000 });
    await raw.send(WakuCode.Messages, encodeEnvelopeList([e]));
    await settle();
    expect(node.counters.dropped.oversizePacket).toBe(1);
    expect(node.counters.peers.oversizeDisconnect).toBe(1);
    expect(raw.closed).toBe(true);
  });

  it('refuses envelopes beyond maxPoolBytes and keeps compact copies, not packet views', async () => {
    const { node, raw } = await confirmingNode({ maxPoolBytes: 300, maxPoolSharePerPeer: 1 });
    // The second is worth no more than the first (a more valuable one would evict it: pool.test.ts).
    const [a, b] = byPowDescending([
      makeEnvelope(nodes.clock, { dataLength: 200 }),
      makeEnvelope(nodes.clock, { dataLength: 200 }),
    ]);
    await raw.sendEnvelopes([a!, b!]);
    expect(node.poolSize).toBe(1);
    expect(node.poolBytes).toBe(a!.raw.length);
    expect(node.counters.dropped.poolFull).toBe(1);
    const [pooled] = node.envelopes();
    expect(pooled!.raw.buffer.byteLength).toBe(pooled!.raw.length);
  });

  it('refuses the pool when full and reports it', async () => {
    const { node, raw } = await confirmingNode({ maxPoolSize: 2, maxPoolSharePerPeer: 1 });
    await raw.sendEnvelopes(
      byPowDescending([makeEnvelope(nodes.clock), makeEnvelope(nodes.clock), makeEnvelope(nodes.clock)]),
    );
    expect(node.poolSize).toBe(2);
    expect(node.counters.dropped.poolFull).toBe(1);
  });

  it('validates our own posts: PoW, size and expiry', async () => {
    const node = await nodes.node({ minPow: 1 });
    await expect(
      node.post({ topic: TOPIC_A, symKey: KEY, payload: new Uint8Array(1), powTarget: 0.01 }),
    ).rejects.toMatchObject({
      code: 'ERR_WAKU_LOW_POW',
    });
    const small = await nodes.node({ maxMessageSize: 50 });
    expect(() => small.postEnvelope(makeEnvelope(nodes.clock, { dataLength: 31 }))).toThrow(
      expect.objectContaining({ code: 'ERR_WAKU_TOO_LARGE' }),
    );
    const expired = Envelope.create({ expiry: 1, ttl: 1, topic: TOPIC_A, data: new Uint8Array(1) });
    expect(() => small.postEnvelope(expired)).toThrow(expect.objectContaining({ code: 'ERR_WAKU_EXPIRED' }));
    const future = makeEnvelope(nodes.clock, { sentOffset: 60, dataLength: 1 });
    expect(() => small.postEnvelope(future)).toThrow(
      expect.objectContaining({
        code: 'ERR_WAKU_FUTURE',
        details: expect.objectContaining({ reason: 'future' }),
      }),
    );
    // Posting the same envelope twice is not an error: it is already queued.
    const once = makeEnvelope(nodes.clock, { dataLength: 1 });
    small.postEnvelope(once);
    small.postEnvelope(once);
    expect(small.poolSize).toBe(1);
  });
});
