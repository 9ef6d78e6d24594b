import { bytesToHex, utf8ToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { createMemoryStores, type DeliveredMessage } from '../src/index.js';
import { GROUP, newClock, testNode } from './helpers/nodes.js';

// `receive(peer, bytes, { accept })`: the application stores new messages before MVDS records them as
// delivered and acknowledges them, so a crash in between loses nothing (the sender sends again).
describe('MvdsNode.receive with accept', () => {
  async function sentPayload() {
    const clock = newClock();
    const a = testNode(1, clock);
    const stores = createMemoryStores();
    const b = { ...testNode(2, clock, { stores }), stores };
    await a.node.addPeer(GROUP, b.id);
    const id = await a.node.send(GROUP, utf8ToBytes('keep me'));
    await a.node.tick();
    const [out] = a.transport.take();
    return { a, b, id, bytes: out!.bytes };
  }

  it('hands new messages to accept, then records them and acks; a copy later is a duplicate', async () => {
    const { a, b, id, bytes } = await sentPayload();
    const accepted: DeliveredMessage[][] = [];
    let deliveredWhileAccepting: boolean | undefined;
    const result = await b.node.receive(a.id, bytes, {
      accept: async (messages) => {
        accepted.push([...messages]);
        deliveredWhileAccepting = await b.stores.delivered.has(id);
      },
    });
    expect(accepted.map((batch) => batch.map((m) => new TextDecoder().decode(m.body)))).toEqual([
      ['keep me'],
    ]);
    expect(deliveredWhileAccepting).toBe(false);
    expect(await b.stores.delivered.has(id)).toBe(true);
    expect(result).toEqual({ mvds: true, delivered: [expect.objectContaining({ id })] });
    await b.node.tick();
    expect(b.transport.take().flatMap((s) => s.payload.acks.map(bytesToHex))).toEqual([bytesToHex(id)]);

    const again: DeliveredMessage[][] = [];
    await b.node.receive(a.id, bytes, { accept: async (messages) => void again.push([...messages]) });
    expect(again).toEqual([]);
  });

  it('when accept rejects, nothing is recorded or acked, and the resent message is accepted again', async () => {
    const { a, b, id, bytes } = await sentPayload();
    const failure = new Error('disk full');
    await expect(
      b.node.receive(a.id, bytes, {
        accept: async () => {
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
    expect(await b.stores.delivered.has(id)).toBe(false);
    await b.node.tick();
    expect(b.transport.take().flatMap((s) => s.payload.acks)).toEqual([]);

    const accepted: string[] = [];
    await b.node.receive(a.id, bytes, {
      accept: async (messages) => void accepted.push(...messages.map((m) => bytesToHex(m.id))),
    });
    expect(accepted).toEqual([bytesToHex(id)]);
    expect(await b.stores.delivered.has(id)).toBe(true);
  });
});

describe('MvdsNode.outgoing', () => {
  it('lists our messages each peer has not acknowledged, with their bodies, until they are acked', async () => {
    const clock = newClock();
    const a = testNode(1, clock);
    const b = testNode(2, clock);
    const c = testNode(3, clock);
    await a.node.addPeer(GROUP, b.id);
    await a.node.addPeer(GROUP, c.id);
    const id = await a.node.send(GROUP, utf8ToBytes('to both'));
    const listed = await a.node.outgoing();
    expect(
      listed.map((m) => [bytesToHex(m.peer), bytesToHex(m.id), new TextDecoder().decode(m.body)]).sort(),
    ).toEqual([b.id, c.id].map((peer) => [bytesToHex(peer), bytesToHex(id), 'to both']).sort());
    await a.node.tick();
    const toB = a.transport.take().find((s) => bytesToHex(s.peer) === bytesToHex(b.id))!;
    await b.node.receive(a.id, toB.bytes);
    await b.node.tick();
    const [ack] = b.transport.take();
    await a.node.receive(b.id, ack!.bytes);
    expect((await a.node.outgoing()).map((m) => bytesToHex(m.peer))).toEqual([bytesToHex(c.id)]);
  });
});
