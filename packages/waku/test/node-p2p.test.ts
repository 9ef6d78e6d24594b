import { bytesToHex, unixSeconds } from '@status-ts/core';
import { keccak256 } from '@status-ts/crypto';
import { rlpEncode } from '@status-ts/enr';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeEnvelopeList,
  decodeP2PRequestComplete,
  Envelope,
  encodeBatchAck,
  encodeMessageResponse,
  encodeP2PMessages,
  encodeP2PRequestComplete,
  linkInMemory,
  type P2PRequest,
  WakuCode,
  type WakuPeer,
} from '../src/index.js';
import { advance, KEY, makeEnvelope, Nodes, RawPeer, settle, TOPIC_A } from './helpers/nodes.js';

const nodes = new Nodes();
afterEach(() => nodes.stop());

describe('WakuNode P2P packets (WAKU-18, mailserver framing)', () => {
  it('takes P2P messages only from trusted peers, skips expiry/PoW checks, never relays them', async () => {
    const a = await nodes.node();
    const c = await nodes.node();
    await linkInMemory(a, c);
    const history = a.subscribe({ topics: [TOPIC_A], symKey: KEY });
    const liveOnly = a.subscribe({ topics: [TOPIC_A], symKey: KEY, allowP2P: false });
    const old = makeEnvelope(nodes.clock, { symKey: KEY, sentOffset: -3600, pow: 0 });
    const raw = new RawPeer(a);
    await raw.status({});
    await raw.send(WakuCode.P2PMessage, encodeP2PMessages([old]));
    await settle();
    expect(a.counters.dropped.untrustedP2P).toBe(1);
    expect(history.pending).toBe(0);
    a.markTrusted(raw.id);
    const got: Envelope[][] = [];
    a.on('p2p:envelopes', (_peer, envelopes) => got.push(envelopes));
    await raw.send(WakuCode.P2PMessage, encodeP2PMessages([old]));
    // go-ethereum Whisper sends a single envelope instead of a list.
    await raw.send(WakuCode.P2PMessage, old.raw);
    await settle();
    const message = await history.next();
    expect(message.p2p).toBe(true);
    expect(message.hashHex).toBe(old.hashHex);
    expect(history.pending).toBe(0); // the second copy is the same envelope: delivered once
    expect(liveOnly.pending).toBe(0);
    expect(got.map((g) => g.length)).toEqual([1, 1]);
    expect(a.counters.p2pEnvelopesReceived).toBe(2);
    await advance(nodes.clock, 1000);
    expect(c.poolSize).toBe(0);
    expect(a.poolSize).toBe(0);
  });

  it('surfaces P2P requests (envelope form decoded) and counts them when nobody listens', async () => {
    const a = await nodes.node();
    const raw = new RawPeer(a);
    await raw.status({});
    const request = makeEnvelope(nodes.clock, { ttl: 50 });
    await raw.send(WakuCode.P2PRequest, request.raw);
    await settle();
    expect(a.counters.dropped.unhandledP2PRequest).toBe(1);
    const seen: Array<[WakuPeer, P2PRequest]> = [];
    a.on('p2p:request', (peer, req) => seen.push([peer, req]));
    await raw.send(WakuCode.P2PRequest, request.raw);
    const struct = rlpEncode([new Uint8Array(32), 1, 2, 3, new Uint8Array(0), new Uint8Array(64), []]);
    await raw.send(WakuCode.P2PRequest, struct);
    await settle();
    expect(seen).toHaveLength(2);
    expect(bytesToHex(seen[0]![1].envelope!.hash)).toBe(request.hashHex);
    expect(bytesToHex(seen[0]![0].id)).toBe(bytesToHex(raw.id));
    expect(seen[1]![1].envelope).toBeUndefined();
    expect(seen[1]![1].payload).toEqual(struct);
  });

  it('sends requests (trusting the peer), P2P messages and request-complete packets', async () => {
    const a = await nodes.node();
    const raw = new RawPeer(a);
    await raw.status({});
    const request = makeEnvelope(nodes.clock, { ttl: 50 });
    expect(a.isTrusted(raw.id)).toBe(false);
    await a.sendP2PRequest(raw.id, request);
    expect(a.isTrusted(raw.id)).toBe(true);
    const history = [makeEnvelope(nodes.clock), makeEnvelope(nodes.clock)];
    await a.sendP2PMessages(raw.id, history);
    const requestId = request.hash;
    await a.sendP2PRequestComplete(raw.id, {
      requestId,
      lastEnvelopeHash: history[1]!.hash,
      cursor: new Uint8Array(36).fill(7),
    });
    await settle();
    expect(raw.of(WakuCode.P2PRequest)[0]!.payload).toEqual(request.raw);
    expect(decodeEnvelopeList(raw.of(WakuCode.P2PMessage)[0]!.payload).map((e) => e.hashHex)).toEqual(
      history.map((e) => e.hashHex),
    );
    const complete = decodeP2PRequestComplete(raw.of(WakuCode.P2PRequestComplete)[0]!.payload);
    expect(complete.requestId).toEqual(requestId);
    expect(complete.cursor).toEqual(new Uint8Array(36).fill(7));
    expect(a.counters.p2pEnvelopesSent).toBe(2);
    await expect(a.sendP2PMessages(new Uint8Array(64), history)).rejects.toMatchObject({
      code: 'ERR_WAKU_UNKNOWN_PEER',
    });
  });

  it('emits request-complete from trusted peers only', async () => {
    const a = await nodes.node();
    const raw = new RawPeer(a);
    await raw.status({});
    const payload = encodeP2PRequestComplete({
      requestId: new Uint8Array(32).fill(1),
      error: 'no such cursor',
    });
    await raw.send(WakuCode.P2PRequestComplete, payload);
    await settle();
    expect(a.counters.dropped.untrustedP2P).toBe(1);
    a.markTrusted(bytesToHex(raw.id));
    const completes: string[] = [];
    a.on('p2p:requestComplete', (_p, c) => completes.push(c.error ?? 'ok'));
    await raw.send(WakuCode.P2PRequestComplete, payload);
    await raw.send(WakuCode.P2PRequestComplete, rlpEncode(new Uint8Array(5)));
    await settle();
    expect(completes).toEqual(['no such cursor']);
    expect(a.counters.dropped.badPacket).toBe(1);
  });
});

describe('WakuNode confirmations (WAKU-16)', () => {
  it('reports sent, acknowledged and confirmed envelopes once per batch', async () => {
    const a = await nodes.node();
    const b = await nodes.node({ confirmations: true });
    await linkInMemory(a, b);
    const events: string[] = [];
    a.on('envelope:sent', () => events.push('sent'));
    a.on('batch:acknowledged', (ack) => events.push(`ack:${ack.envelopes}:${ack.errors.length}`));
    a.on('envelope:confirmed', () => events.push('confirmed'));
    const { hashHex } = await a.post({ topic: TOPIC_A, symKey: KEY, payload: Uint8Array.of(1) });
    await advance(nodes.clock, 600);
    expect(events).toEqual(['sent', 'ack:1:0', 'confirmed']);
    expect(b.counters.packetsSent).toBeGreaterThanOrEqual(3); // status + message response + batch ack
    expect(a.counters.dropped.unknownBatch).toBe(0);
    expect(hashHex).toHaveLength(64);
  });

  it('does not confirm envelopes the peer rejected, and ignores unknown batches and other versions', async () => {
    const a = await nodes.node();
    const raw = new RawPeer(a);
    await raw.status({ confirmationsEnabled: true });
    const confirmed: string[] = [];
    const acks: number[] = [];
    a.on('envelope:confirmed', (c) => confirmed.push(c.envelope.hashHex));
    a.on('batch:acknowledged', (ack) => acks.push(ack.errors.length));
    const e1 = makeEnvelope(nodes.clock);
    const e2 = makeEnvelope(nodes.clock);
    a.postEnvelope(e1);
    a.postEnvelope(e2);
    await advance(nodes.clock, 300);
    const [packet] = raw.of(WakuCode.Messages);
    const batchHash = keccak256(packet!.payload);
    await raw.send(WakuCode.MessageResponse, rlpEncode([2, [batchHash, []]])); // unknown version: ignored
    await raw.send(
      WakuCode.MessageResponse,
      encodeMessageResponse({ batchHash, errors: [{ hash: e2.hash, code: 21, description: 'x' }] }),
    );
    await raw.send(WakuCode.BatchAcknowledged, encodeBatchAck(batchHash));
    await raw.send(WakuCode.BatchAcknowledged, encodeBatchAck(new Uint8Array(32)));
    await settle();
    expect(acks).toEqual([1]);
    expect(confirmed).toEqual([e1.hashHex]);
    expect(a.counters.dropped.unknownBatch).toBe(1);
  });

  it('confirms the whole batch it received, with time-sync and other errors', async () => {
    const a = await nodes.node({ confirmations: true });
    const raw = new RawPeer(a);
    await raw.status({});
    const now = unixSeconds(nodes.clock);
    const good = makeEnvelope(nodes.clock);
    const future = Envelope.create({ expiry: now + 100, ttl: 10, topic: TOPIC_A, data: Uint8Array.of(1) });
    await raw.sendEnvelopes([good, future]);
    expect(raw.of(WakuCode.MessageResponse)).toHaveLength(1);
    expect(raw.of(WakuCode.BatchAcknowledged)).toHaveLength(1);
  });
});
