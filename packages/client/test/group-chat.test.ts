import { describe, expect, it } from 'vitest';
import type { StatusMessage, StatusNode } from '../src/index.js';
import { localNode, useNodes, waitFor } from './helpers.js';

const { started } = useNodes();

function inbox(node: StatusNode): StatusMessage[] {
  const seen: StatusMessage[] = [];
  node.on('message', (message) => {
    if (!message.outgoing) seen.push(message);
  });
  return seen;
}

describe('private group chats over real sockets on 127.0.0.1', () => {
  it('three members: created, joined, messages both ways; a removed member reads nothing after', async () => {
    const relayer = await started(localNode({ role: 'relayer' }));
    const member = () =>
      started(
        localNode({
          staticPeers: [relayer.enode!],
        }),
      );
    const [alice, bob, carol] = await Promise.all([member(), member(), member()]);
    await waitFor(() => relayer.waku.peers.length === 3, 'three mobile nodes connected');
    const [aliceIn, bobIn, carolIn] = [inbox(alice!), inbox(bob!), inbox(carol!)];
    const dropped: string[] = [];
    for (const node of [alice!, bob!, carol!]) node.on('dropped', (d) => dropped.push(d.reason));
    const storeErrors: unknown[] = [];
    for (const node of [alice!, bob!, carol!]) node.on('store:error', (e) => storeErrors.push(e));
    await new Promise((resolve) => setTimeout(resolve, 400)); // topic interest reaches the relayer

    const group = await alice!.createGroupChat('friends', [bob!.identity.id, carol!.identity.publicKey]);
    expect(group).toMatchObject({
      name: 'friends',
      admins: [alice!.identity.id],
      joined: [alice!.identity.id],
    });
    expect(group.chatId.endsWith(`-${alice!.identity.id}`)).toBe(true);
    await waitFor(() => bob!.groupChats().length === 1 && carol!.groupChats().length === 1, 'the invitation');
    await bob!.joinGroupChat(group.chatId);
    await carol!.joinGroupChat(group.chatId);
    await waitFor(() => alice!.groupChats()[0]!.joined.length === 3, 'alice seeing both join');

    const hello = await alice!.sendGroupMessage(group.chatId, 'hello group');
    await waitFor(() => bobIn.length === 1 && carolIn.length === 1, 'bob and carol reading alice');
    for (const received of [bobIn[0]!, carolIn[0]!]) {
      expect(received).toMatchObject({
        id: hello.id,
        chatKind: 'group',
        chatId: group.chatId,
        author: alice!.identity.id,
        text: 'hello group',
      });
    }
    const fromBob = await bob!.sendGroupMessage(group.chatId, 'hi all', { responseTo: hello.id });
    await waitFor(() => aliceIn.length === 1 && carolIn.length === 2, 'alice and carol reading bob');
    expect(aliceIn[0]).toMatchObject({ id: fromBob.id, author: bob!.identity.id, responseTo: hello.id });

    const after = await alice!.removeGroupMember(group.chatId, carol!.identity.id);
    expect(after.members).toEqual([alice!.identity.id, bob!.identity.id]);
    await waitFor(() => carol!.groupChats()[0]!.members.length === 2, 'carol learning she was removed');
    await waitFor(() => bob!.groupChats()[0]!.members.length === 2, 'bob learning carol left');
    const secret = await alice!.sendGroupMessage(group.chatId, 'only bob now');
    await waitFor(() => bobIn.some((m) => m.id === secret.id), 'bob reading after the removal');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // give a stray copy time to reach carol
    expect(carolIn.map((m) => m.text)).toEqual(['hello group', 'hi all']);
    expect(dropped).toEqual([]);
    expect(storeErrors).toEqual([]);

    // The group is in each member's store, with its event log.
    await alice!.idle();
    const stored = await alice!.store.getChat(group.chatId);
    expect(stored).toMatchObject({ kind: 'group', name: 'friends' });
    expect(stored!.membershipEvents.length).toBe(5); // created, added, 2 joined, removed
  });

  it('refuses changes the group rules do not allow, with a typed error', async () => {
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
    const group = await alice.createGroupChat('rules', [bob.identity.id]);
    await waitFor(() => bob.groupChats().length === 1, 'the invitation');
    // Bob is a member, not an admin: he may not add members, and may not write before joining.
    await expect(bob.addGroupMembers(group.chatId, [relayer.identity.id])).rejects.toMatchObject({
      code: 'ERR_CLIENT_INVALID_OPTIONS',
    });
    await expect(bob.sendGroupMessage(group.chatId, 'too early')).rejects.toMatchObject({
      code: 'ERR_CLIENT_UNKNOWN_CHAT',
    });
  });
});
