import { ManualClock } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { exponentialBackoff } from '@status-ts/mvds';
import { describe, expect, it } from 'vitest';
import { createStatusNode, type DeliveryState, type StatusMessage } from '../src/index.js';
import { localNode, useNodes, waitFor } from './helpers.js';

const { started } = useNodes();

describe('1:1 chats over real sockets on 127.0.0.1', () => {
  it('both ways through MVDS and secure transport, with every delivery state reached', async () => {
    // The relayer confirms batches, as Status' mailservers do: that gives the `confirmed` state.
    const relayer = await started(
      localNode({
        role: 'relayer',
        waku: { confirmations: true },
      }),
    );
    const alice = await started(
      localNode({
        staticPeers: [relayer.enode!],
      }),
    );
    const bob = await started(
      localNode({
        staticPeers: [relayer.enode!],
      }),
    );
    await waitFor(
      () => relayer.waku.peers.filter((p) => p.ready).length === 2,
      'both mobile nodes connected',
    );
    const states = new Map<string, DeliveryState[]>();
    alice.on('delivery', ({ id, state }) => states.set(id, [...(states.get(id) ?? []), state]));
    const bobSaw: StatusMessage[] = [];
    bob.on('message', (m) => bobSaw.push(m));
    const aliceSaw: StatusMessage[] = [];
    alice.on('message', (m) => aliceSaw.push(m));
    await new Promise((resolve) => setTimeout(resolve, 400)); // topic interest reaches the relayer
    const dropped: string[] = [];
    for (const node of [alice, bob]) node.on('dropped', (d) => dropped.push(d.reason));

    const sent = await alice.sendDirectMessage(bob.identity.id, 'hello bob, just you');
    await waitFor(
      () => bobSaw.length === 1,
      'bob receiving the first message (DH header, partitioned topic)',
    );
    expect(bobSaw[0]).toMatchObject({
      id: sent.id,
      chatKind: 'one-to-one',
      chatId: alice.identity.id, // filed under the sender's key on Bob's side
      author: alice.identity.id,
      text: 'hello bob, just you',
      outgoing: false,
      protection: 'dh', // first contact: Alice knew no device of Bob's yet
    });
    expect(sent.chatId).toBe(bob.identity.id);
    await waitFor(() => alice.deliveryState(sent.id) === 'acknowledged', 'bob acknowledging through MVDS');
    expect(states.get(sent.id)).toEqual(['sending', 'sent', 'confirmed', 'acknowledged']);

    const reply = await bob.sendDirectMessage(alice.identity.publicKey, 'hi alice', { responseTo: sent.id });
    await waitFor(() => aliceSaw.some((m) => m.id === reply.id), 'alice receiving the reply');
    expect(aliceSaw.find((m) => m.id === reply.id)).toMatchObject({
      protection: 'ratchet', // Bob had Alice's bundle: X3DH and the Double Ratchet
      chatId: bob.identity.id,
      responseTo: sent.id,
    });
    expect(reply.clock).toBeGreaterThan(sent.clock);
    await waitFor(() => bob.deliveryState(reply.id) === 'acknowledged', 'alice acknowledging the reply');
    expect(dropped).toEqual([]);
    // The store has both messages in chat order on both sides, with Alice's delivery state.
    await Promise.all([alice.idle(), bob.idle()]);
    const aliceChat = await alice.chatMessages(bob.identity.id);
    expect(aliceChat.messages.map((m) => [m.id, m.outgoing, m.deliveryState])).toEqual([
      [sent.id, true, 'acknowledged'],
      [reply.id, false, undefined],
    ]);
    expect((await bob.chatMessages(alice.identity.id)).messages.map((m) => m.id)).toEqual([
      sent.id,
      reply.id,
    ]);
    // Each side's own messages are delivered to it too, once.
    expect(bobSaw.map((m) => [m.id, m.outgoing])).toEqual([
      [sent.id, false],
      [reply.id, true],
    ]);
  });
});

describe('a 1:1 message nobody acknowledges', () => {
  it('is resent by MVDS up to its limit, then reaches `failed`, in events and in the store', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const alice = await started(
      createStatusNode({
        discovery: false,
        listen: false,
        identity: { privateKey: generatePrivateKey() },
        clock,
        // Three sends, one epoch apart: the default backoff waits minutes between resends.
        mvds: { maxSends: 3, nextSendEpoch: exponentialBackoff({ baseEpochs: 1, maxEpochs: 1 }) },
      }),
    );
    const states: DeliveryState[] = [];
    const absent = createStatusNode({ discovery: false, identity: { privateKey: generatePrivateKey() } });
    const sent = await alice.sendDirectMessage(absent.identity.id, 'anyone there?');
    alice.on('delivery', ({ id, state }) => id === sent.id && states.push(state));
    for (let epoch = 0; epoch < 10 && !states.includes('failed'); epoch++) {
      clock.advance(300);
      await alice.mvds.idle();
    }
    expect(states).toEqual(['sent', 'failed']);
    expect(alice.mvds.stats.payloadsSent).toBe(3);
    await alice.idle();
    const [stored] = (await alice.chatMessages(absent.identity.id)).messages;
    expect(stored).toMatchObject({ id: sent.id, deliveryState: 'failed' });
  });
});
