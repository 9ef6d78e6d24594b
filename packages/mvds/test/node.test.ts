import { bytesToHex, hexToBytes, utf8ToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  createMemoryStores,
  DEFAULT_MAX_SENDS,
  type DeliveredMessage,
  EMPTY_PAYLOAD,
  encodePayload,
  type GiveUpEvent,
  MvdsErrorCode,
  MvdsNode,
  messageId,
} from '../src/index.js';
import { GROUP, newClock, peerId, RecordingTransport, testNode } from './helpers/nodes.js';
import { example } from './helpers/vectors.js';

const text = (s: string): Uint8Array => utf8ToBytes(s);

function collect(node: MvdsNode): DeliveredMessage[] {
  const out: DeliveredMessage[] = [];
  node.on('message', (m) => out.push(m));
  return out;
}

describe('MvdsNode batch mode (MESSAGE -> ACK)', () => {
  it('sends at the next epoch, delivers once, acks, and forgets the message when acked', async () => {
    const clock = newClock();
    const a = testNode(1, clock);
    const b = testNode(2, clock);
    await a.node.addPeer(GROUP, b.id);
    const acked: string[] = [];
    a.node.on('acked', (e) => acked.push(bytesToHex(e.messageId)));
    const got = collect(b.node);

    const id = await a.node.send(GROUP, text('hello'));
    expect(a.transport.sent).toHaveLength(0); // nothing leaves before the epoch
    await a.node.tick();
    const [out] = a.transport.take();
    expect(out!.peer).toEqual(b.id);
    expect(out!.payload.messages).toHaveLength(1);
    const m = out!.payload.messages[0]!;
    expect(m.timestamp).toBe(1_600_000_000n); // Unix seconds of the clock, as status-go
    expect(messageId(m)).toEqual(id);

    const result = await b.node.receive(a.id, out!.bytes);
    expect(result).toEqual({ mvds: true, delivered: [expect.objectContaining({ id, peer: a.id })] });
    expect(got.map((d) => new TextDecoder().decode(d.body))).toEqual(['hello']);

    await b.node.tick();
    const [ack] = b.transport.take();
    expect(ack!.payload).toEqual({ ...EMPTY_PAYLOAD, acks: [id] });
    await a.node.receive(b.id, ack!.bytes);
    expect(acked).toEqual([bytesToHex(id)]);
    expect(await a.node.pendingRecords()).toBe(0);
    await a.node.tick();
    expect(a.transport.sent).toHaveLength(0);
  });

  it('acks every copy of a duplicate but delivers it once', async () => {
    const clock = newClock();
    const a = testNode(1, clock);
    const b = testNode(2, clock);
    await a.node.addPeer(GROUP, b.id);
    const got = collect(b.node);
    await a.node.send(GROUP, text('x'));
    await a.node.tick();
    const [out] = a.transport.take();
    await b.node.receive(a.id, out!.bytes);
    expect(await b.node.receive(a.id, out!.bytes)).toEqual({ mvds: true, delivered: [] });
    await b.node.tick();
    expect(b.transport.take().map((s) => s.payload.acks.length)).toEqual([1]); // one ack per epoch
    await b.node.receive(a.id, out!.bytes);
    await b.node.tick();
    expect(b.transport.take().map((s) => s.payload.acks.length)).toEqual([1]); // acked again
    expect(got).toHaveLength(1);
    expect(b.node.stats).toMatchObject({ delivered: 1, duplicates: 2 });
  });

  it('retransmits on the backoff schedule until acked', async () => {
    const clock = newClock();
    const a = testNode(1, clock); // delays 1, 2, 4, 8, 1, ...
    const b = peerId(2);
    await a.node.addPeer(GROUP, b);
    await a.node.send(GROUP, text('again'));
    const sentAt: number[] = [];
    for (let i = 0; i < 20; i++) {
      await a.node.tick();
      if (a.transport.take().length > 0) sentAt.push(a.node.epoch);
    }
    expect(sentAt).toEqual([1, 2, 4, 8, 16, 17, 19]);
  });

  it('gives up after maxSends and tells the application, with the message', async () => {
    const clock = newClock();
    const a = testNode(1, clock, { maxSends: 3 });
    const b = peerId(2);
    await a.node.addPeer(GROUP, b);
    const gaveUp: GiveUpEvent[] = [];
    a.node.on('give-up', (e) => gaveUp.push(e));
    const id = await a.node.send(GROUP, text('lost'));
    let sends = 0;
    for (let i = 0; i < 30; i++) {
      await a.node.tick();
      sends += a.transport.take().length;
    }
    expect(sends).toBe(3);
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toMatchObject({
      peer: b,
      messageId: id,
      type: 'message',
      sendCount: 3,
      groupId: GROUP,
    });
    expect(gaveUp[0]!.message?.body).toEqual(text('lost'));
    expect(await a.node.pendingRecords()).toBe(0);
    expect(a.node.stats.givenUp).toBe(1);
  });

  it('needs a group with peers', async () => {
    const a = testNode(1, newClock());
    await expect(a.node.send(GROUP, text('nobody'))).rejects.toMatchObject({
      code: MvdsErrorCode.UnknownGroup,
    });
  });
});

describe('MvdsNode interactive mode (OFFER -> REQUEST -> MESSAGE -> ACK)', () => {
  it('runs the four steps, one epoch each', async () => {
    const clock = newClock();
    const a = testNode(1, clock, { mode: 'interactive' });
    const b = testNode(2, clock, { mode: 'interactive' });
    await a.node.addPeer(GROUP, b.id);
    const got = collect(b.node);
    const id = await a.node.send(GROUP, text('hi'));

    await a.node.tick();
    const [offer] = a.transport.take();
    expect(offer!.payload).toEqual({ ...EMPTY_PAYLOAD, offers: [id] });
    await b.node.receive(a.id, offer!.bytes);
    await b.node.tick();
    const [request] = b.transport.take();
    expect(request!.payload).toEqual({ ...EMPTY_PAYLOAD, requests: [id] });
    await a.node.receive(b.id, request!.bytes);
    await a.node.tick();
    const [message] = a.transport.take();
    expect(message!.payload.messages.map(messageId)).toEqual([id]);
    await b.node.receive(a.id, message!.bytes);
    expect(got).toHaveLength(1);
    await b.node.tick();
    const [ack] = b.transport.take();
    expect(ack!.payload).toEqual({ ...EMPTY_PAYLOAD, acks: [id] });
    await a.node.receive(b.id, ack!.bytes);
    expect(await a.node.pendingRecords()).toBe(0);
    expect(await b.node.pendingRecords()).toBe(0);
  });

  it('acks an offer of a message it already holds instead of requesting it', async () => {
    const clock = newClock();
    const b = testNode(2, clock);
    const a = peerId(1);
    const m = { groupId: GROUP, timestamp: 5n, body: text('known') };
    const id = messageId(m);
    await b.node.receive(a, encodePayload({ ...EMPTY_PAYLOAD, messages: [m] }));
    await b.node.tick();
    b.transport.take();
    await b.node.receive(a, encodePayload({ ...EMPTY_PAYLOAD, offers: [id] }));
    await b.node.tick();
    expect(b.transport.take().map((s) => s.payload)).toEqual([{ ...EMPTY_PAYLOAD, acks: [id] }]);
    expect(await b.node.pendingRecords()).toBe(0);
  });

  it('answers requests only for known messages and only to members of the message`s group', async () => {
    const clock = newClock();
    const a = testNode(1, clock, { mode: 'interactive' });
    const member = peerId(2);
    const stranger = peerId(3);
    await a.node.addPeer(GROUP, member);
    const id = await a.node.send(GROUP, text('private'));
    await a.node.receive(stranger, encodePayload({ ...EMPTY_PAYLOAD, requests: [id] }));
    await a.node.receive(member, encodePayload({ ...EMPTY_PAYLOAD, requests: [new Uint8Array(32)] }));
    await a.node.tick();
    const sent = a.transport.take();
    expect(sent.map((s) => bytesToHex(s.peer))).toEqual([bytesToHex(member)]);
    expect(sent[0]!.payload).toEqual({ ...EMPTY_PAYLOAD, offers: [id] });
  });

  it('mixes modes: a batch node can offer one message interactively', async () => {
    const clock = newClock();
    const a = testNode(1, clock);
    await a.node.addPeer(GROUP, peerId(2));
    const offered = await a.node.send(GROUP, text('o'), { mode: 'interactive' });
    const pushed = await a.node.send(GROUP, text('m'));
    await a.node.tick();
    const [out] = a.transport.take();
    expect(out!.payload.offers).toEqual([offered]);
    expect(out!.payload.messages.map(messageId)).toEqual([pushed]);
  });
});

describe('MvdsNode payload assembly', () => {
  it('piggy-backs acks, offers, requests and messages on one payload per peer per epoch', async () => {
    const clock = newClock();
    const a = testNode(1, clock);
    const b = peerId(2);
    await a.node.addPeer(GROUP, b);
    const incoming = { groupId: GROUP, timestamp: 1n, body: text('from b') };
    const otherId = new Uint8Array(32).fill(0xee);
    await a.node.receive(b, encodePayload({ ...EMPTY_PAYLOAD, offers: [otherId], messages: [incoming] }));
    const own1 = await a.node.send(GROUP, text('one'));
    const own2 = await a.node.send(GROUP, text('two'), { mode: 'interactive' });
    await a.node.tick();
    const sent = a.transport.take();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.payload.acks).toEqual([messageId(incoming)]);
    expect(sent[0]!.payload.requests).toEqual([otherId]);
    expect(sent[0]!.payload.offers).toEqual([own2]);
    expect(sent[0]!.payload.messages.map(messageId)).toEqual([own1]);
  });

  it('splits a payload that exceeds the transport`s maximum size (MVDS-07)', async () => {
    const clock = newClock();
    const transport = new RecordingTransport();
    transport.maxPayloadSize = 300;
    const node = new MvdsNode({ transport, clock, epochMs: 100 });
    await node.addPeer(GROUP, peerId(2));
    for (let i = 0; i < 10; i++) await node.send(GROUP, new Uint8Array(100).fill(i));
    await node.tick();
    const sent = transport.take();
    expect(sent.length).toBeGreaterThan(1);
    for (const s of sent) expect(s.bytes.length).toBeLessThanOrEqual(300);
    expect(sent.flatMap((s) => s.payload.messages)).toHaveLength(10);
  });

  it('refuses a message that cannot fit in one payload', async () => {
    const clock = newClock();
    const a = testNode(1, clock, { maxOutgoingPayloadSize: 200 });
    expect(() => a.node.send(GROUP, new Uint8Array(200))).toThrow(
      expect.objectContaining({ code: MvdsErrorCode.MessageTooLarge }),
    );
    // 200-byte limit: 3+2 (field) + 3+1+32 (group) + 3+5 (timestamp) + 3+2+n (body) -> n = 146 fits.
    await expect(a.node.send(GROUP, new Uint8Array(146))).rejects.toMatchObject({
      code: MvdsErrorCode.UnknownGroup,
    });
    expect(() => a.node.send(GROUP, new Uint8Array(147))).toThrow();
  });

  it('handles at most maxDuePerEpoch records per epoch, the rest the epoch after', async () => {
    const clock = newClock();
    const a = testNode(1, clock, { maxDuePerEpoch: 3 });
    await a.node.addPeer(GROUP, peerId(2));
    for (let i = 0; i < 5; i++) await a.node.send(GROUP, new Uint8Array([i]));
    await a.node.tick();
    expect(a.transport.take()[0]!.payload.messages).toHaveLength(3);
    await a.node.tick();
    // the 2 left over plus the first of the 3 retransmissions (due again after 1 epoch) are capped at 3
    expect(a.transport.take()[0]!.payload.messages).toHaveLength(3);
  });
});

describe('MvdsNode receiving', () => {
  it('reports invalid bytes without throwing, and tells non-MVDS bytes apart', async () => {
    const clock = newClock();
    const a = testNode(1, clock, { maxPayloadSize: 100 });
    const invalid: string[] = [];
    a.node.on('payload:invalid', (e) => invalid.push(e.error.code));
    expect(await a.node.receive(peerId(2), new Uint8Array([0xca, 0xb8, 0x02, 0x05]))).toMatchObject({
      mvds: false,
      error: { code: MvdsErrorCode.BadPayload },
    });
    expect((await a.node.receive(peerId(2), new Uint8Array(101))).mvds).toBe(false);
    expect(invalid).toEqual([MvdsErrorCode.BadPayload, MvdsErrorCode.PayloadTooLarge]);
    // A bare ApplicationMetadataMessage (vector body) decodes as an empty Payload: not MVDS, not an error.
    expect(a.node.stats.invalidPayloads).toBe(2);
    const b = testNode(2, clock);
    expect(await b.node.receive(peerId(1), hexToBytes(example.body))).toEqual({ mvds: false });
    expect(await b.node.receive(peerId(1), new Uint8Array())).toEqual({ mvds: false });
    expect(b.node.stats.invalidPayloads).toBe(0);
  });

  it('validates peer and group ids', () => {
    const a = testNode(1, newClock());
    expect(() => a.node.receive(new Uint8Array(), new Uint8Array())).toThrow(
      expect.objectContaining({ code: MvdsErrorCode.InvalidArgument }),
    );
    expect(() => a.node.addPeer(new Uint8Array(65), peerId(2))).toThrow(
      expect.objectContaining({ code: MvdsErrorCode.InvalidArgument }),
    );
    expect(() => a.node.addPeer(GROUP, new Uint8Array(129))).toThrow();
  });

  it('keeps delivering when a listener throws, reporting the failure', async () => {
    const clock = newClock();
    const b = testNode(2, clock);
    const errors: unknown[] = [];
    b.node.on('error', (e) => errors.push(e));
    const seen: number[] = [];
    b.node.on('message', (m) => {
      seen.push(m.body[0]!);
      if (m.body[0] === 1) throw new Error('app bug');
    });
    const messages = [1, 2].map((n) => ({ groupId: GROUP, timestamp: 1n, body: new Uint8Array([n]) }));
    await b.node.receive(peerId(1), encodePayload({ ...EMPTY_PAYLOAD, messages }));
    expect(seen).toEqual([1, 2]);
    expect(errors).toHaveLength(1);
  });

  it('relays: offers a received group message to the group`s other peers', async () => {
    const clock = newClock();
    const b = testNode(2, clock, { relay: true });
    const a = peerId(1);
    const c = peerId(3);
    await b.node.addPeer(GROUP, a);
    await b.node.addPeer(GROUP, c);
    const m = { groupId: GROUP, timestamp: 9n, body: text('pass it on') };
    await b.node.receive(a, encodePayload({ ...EMPTY_PAYLOAD, messages: [m] }));
    await b.node.tick();
    const sent = b.transport.take();
    const toC = sent.find((s) => bytesToHex(s.peer) === bytesToHex(c))!;
    expect(toC.payload.offers).toEqual([messageId(m)]);
    await b.node.receive(c, encodePayload({ ...EMPTY_PAYLOAD, requests: [messageId(m)] }));
    await b.node.tick();
    const answer = b.transport.take().find((s) => bytesToHex(s.peer) === bytesToHex(c))!;
    expect(answer.payload.messages).toEqual([m]);
  });
});

describe('MvdsNode lifecycle and membership', () => {
  it('ticks every epochMs on the clock, persists the epoch, and releases its timer on stop', async () => {
    const clock = newClock();
    const stores = createMemoryStores();
    const a = testNode(1, clock, { stores });
    await a.node.start();
    clock.advance(1000);
    await a.node.idle();
    expect(a.node.epoch).toBe(10);
    await a.node.stop();
    expect(clock.pendingTimers).toBe(0);
    expect(await stores.syncState.loadEpoch()).toBe(10);
    const again = testNode(1, clock, { stores });
    await again.node.start();
    expect(again.node.epoch).toBe(10);
    await again.node.stop();
  });

  it('removePeer forgets that peer`s pending records of the group', async () => {
    const clock = newClock();
    const a = testNode(1, clock);
    await a.node.addPeer(GROUP, peerId(2));
    await a.node.addPeer(GROUP, peerId(3));
    await a.node.send(GROUP, text('m'));
    expect(await a.node.pendingRecords()).toBe(2);
    await a.node.removePeer(GROUP, peerId(2));
    expect(await a.node.pendingRecords()).toBe(1);
    expect((await a.node.peers(GROUP)).map(bytesToHex)).toEqual([bytesToHex(peerId(3))]);
  });

  it('peerOnline makes a returning peer`s records due at the next epoch', async () => {
    const clock = newClock();
    const a = testNode(1, clock, { nextSendEpoch: (_count, epoch) => epoch + 1000 });
    const b = peerId(2);
    await a.node.addPeer(GROUP, b);
    await a.node.send(GROUP, text('m'));
    await a.node.tick();
    expect(a.transport.take()).toHaveLength(1);
    await a.node.tick();
    expect(a.transport.take()).toHaveLength(0);
    await a.node.peerOnline(b);
    await a.node.tick();
    expect(a.transport.take()).toHaveLength(1);
  });

  it('survives a failing transport send and retries later', async () => {
    const clock = newClock();
    const a = testNode(1, clock);
    const errors: unknown[] = [];
    a.node.on('error', (e) => errors.push(e));
    await a.node.addPeer(GROUP, peerId(2));
    await a.node.send(GROUP, text('m'));
    a.transport.failNext = true;
    await a.node.tick();
    expect(errors).toHaveLength(1);
    await a.node.tick();
    expect(a.transport.take()).toHaveLength(1);
  });

  it('runs with Status defaults: batch, 300 ms epochs, status-go backoff, 14 sends', async () => {
    const clock = newClock();
    const transport = new RecordingTransport();
    const node = new MvdsNode({ transport, clock });
    expect([node.mode, node.epochMs, node.maxSends]).toEqual(['batch', 300, DEFAULT_MAX_SENDS]);
    expect(DEFAULT_MAX_SENDS).toBe(14);
    await node.addPeer(GROUP, peerId(2));
    await node.send(GROUP, text('m'));
    const sentAt: number[] = [];
    for (let i = 0; i < 130; i++) {
      await node.tick();
      if (transport.take().length > 0) sentAt.push(node.epoch);
    }
    // First send at the next epoch, the retry 2^0 * 30 s * 3 epochs/s + 0..29 epochs later.
    expect(sentAt).toHaveLength(2);
    expect(sentAt[0]).toBe(1);
    expect(sentAt[1]! - 1).toBeGreaterThanOrEqual(90);
    expect(sentAt[1]! - 1).toBeLessThan(120);
  });

  it('gives up after the default 14 sends', async () => {
    const clock = newClock();
    const a = testNode(1, clock, { maxSends: undefined, nextSendEpoch: (_n, epoch) => epoch + 1 });
    await a.node.addPeer(GROUP, peerId(2));
    await a.node.send(GROUP, text('m'));
    let sends = 0;
    let gaveUpAt = 0;
    a.node.on('give-up', () => {
      gaveUpAt = a.node.epoch;
    });
    for (let i = 0; i < 20; i++) {
      await a.node.tick();
      sends += a.transport.take().length;
    }
    expect(sends).toBe(14);
    expect(gaveUpAt).toBe(15);
  });

  it('limits records per outgoing payload (maxRecordsPerPayload)', async () => {
    const clock = newClock();
    const a = testNode(1, clock, { maxRecordsPerPayload: 2 });
    await a.node.addPeer(GROUP, peerId(2));
    for (let i = 0; i < 5; i++) await a.node.send(GROUP, new Uint8Array([i]));
    await a.node.tick();
    expect(a.transport.take().map((s) => s.payload.messages.length)).toEqual([2, 2, 1]);
    // and the same limit applies to what it accepts
    const messages = [1, 2, 3].map((n) => ({ groupId: GROUP, timestamp: 1n, body: new Uint8Array([n]) }));
    const result = await a.node.receive(peerId(2), encodePayload({ ...EMPTY_PAYLOAD, messages }));
    expect(result).toMatchObject({ mvds: false, error: { code: MvdsErrorCode.TooManyRecords } });
  });

  it('validates its options', () => {
    const transport = new RecordingTransport();
    expect(() => new MvdsNode({ transport, epochMs: 0 })).toThrow(
      expect.objectContaining({ code: MvdsErrorCode.InvalidArgument }),
    );
    expect(() => new MvdsNode({ transport, maxSends: 0 })).toThrow();
    expect(() => new MvdsNode({ transport, maxPayloadSize: -1 })).toThrow();
  });
});
