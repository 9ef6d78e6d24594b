import { describe, expect, it } from 'vitest';
import type { StatusReaction } from '../src/index.js';
import { localNode, useNodes, waitFor } from './helpers.js';

const { started } = useNodes();

describe('emoji reactions over real sockets on 127.0.0.1', () => {
  it('in a public chat, a 1:1 chat and a group: added and taken back, with status-go reaction ids', async () => {
    const relayer = await started(localNode({ role: 'relayer' }));
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
    await waitFor(() => relayer.waku.peers.length === 2, 'connected');
    const aliceGot: StatusReaction[] = [];
    alice.on('reaction', (r) => !r.outgoing && aliceGot.push(r));
    const dropped: string[] = [];
    for (const node of [alice, bob]) node.on('dropped', (d) => dropped.push(d.reason));
    const storeErrors: unknown[] = [];
    for (const node of [alice, bob]) node.on('store:error', (e) => storeErrors.push(e));
    alice.joinPublicChat('reactions');
    bob.joinPublicChat('reactions');
    await new Promise((resolve) => setTimeout(resolve, 400));

    // Public chat.
    const posted = await alice.sendPublicMessage('reactions', 'react to me');
    const thumbs = await bob.react(posted.message, 'THUMBS_UP');
    await waitFor(() => aliceGot.length === 1, 'the public reaction');
    expect(aliceGot[0]).toMatchObject({
      id: thumbs.id,
      chatKind: 'public',
      chatId: 'reactions',
      messageId: posted.message.id,
      emoji: 'THUMBS_UP',
      author: bob.identity.id,
      retracted: false,
    });
    const retracted = await bob.react(posted.message, 'THUMBS_UP', { retract: true });
    await waitFor(() => aliceGot.length === 2, 'the retraction');
    expect(retracted.id).toBe(thumbs.id); // a reaction and its retraction share the id
    expect(aliceGot[1]).toMatchObject({ id: thumbs.id, retracted: true });
    expect(aliceGot[1]!.clock).toBeGreaterThan(aliceGot[0]!.clock);
    await alice.idle();
    expect(await alice.store.reactions(posted.message.id)).toEqual([]); // retracted: no current reaction

    // 1:1.
    const direct = await alice.sendDirectMessage(bob.identity.id, 'a private one');
    await waitFor(() => alice.deliveryState(direct.id) === 'acknowledged', 'bob reading it');
    const love = await bob.react(
      { id: direct.id, chatId: alice.identity.id, chatKind: 'one-to-one' },
      'LOVE',
    );
    await waitFor(() => aliceGot.length === 3, 'the 1:1 reaction');
    expect(aliceGot[2]).toMatchObject({
      id: love.id,
      chatKind: 'one-to-one',
      chatId: bob.identity.id,
      emoji: 'LOVE',
    });

    // Group.
    const group = await alice.createGroupChat('reacting', [bob.identity.id]);
    await waitFor(() => bob.groupChats().length === 1, 'the invitation');
    await bob.joinGroupChat(group.chatId);
    await waitFor(() => alice.groupChats()[0]!.joined.length === 2, 'bob joined');
    const inGroup = await alice.sendGroupMessage(group.chatId, 'group post');
    const laugh = await bob.react({ id: inGroup.id, chatId: group.chatId, chatKind: 'group' }, 'LAUGH');
    await waitFor(() => aliceGot.length === 4, 'the group reaction');
    expect(aliceGot[3]).toMatchObject({
      id: laugh.id,
      chatKind: 'group',
      chatId: group.chatId,
      emoji: 'LAUGH',
    });
    await alice.idle();
    expect((await alice.store.reactions(inGroup.id)).map((r) => r.emoji)).toEqual(['LAUGH']);
    expect(dropped).toEqual([]);
    expect(storeErrors).toEqual([]);
  });
});
