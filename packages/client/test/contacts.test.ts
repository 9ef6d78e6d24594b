import { describe, expect, it } from 'vitest';
import type { StatusMessage, StoredContact } from '../src/index.js';
import { localNode, useNodes, waitFor } from './helpers.js';

const { started } = useNodes();

describe('contacts over real sockets on 127.0.0.1', () => {
  it('adding sends our profile, a profile change reaches added contacts, a blocked contact is not heard', async () => {
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
    const bobLearned: StoredContact[] = [];
    bob.on('contact', (c) => bobLearned.push(c));

    await alice.setProfile({ ensName: 'alice.stateofus.eth' }); // no contacts yet: nothing sent
    const added = await alice.addContact(bob.identity.id, { nickname: 'Bobby' });
    expect(added).toMatchObject({ key: bob.identity.id, added: true, blocked: false, nickname: 'Bobby' });
    await waitFor(() => bobLearned.length === 1, 'bob receiving alice’s profile');
    expect(bobLearned[0]).toMatchObject({ key: alice.identity.id, ensName: 'alice.stateofus.eth' });

    await alice.setProfile({ ensName: 'alice2.stateofus.eth' });
    await waitFor(() => bobLearned.length === 2, 'the changed profile');
    expect(bobLearned[1]!.ensName).toBe('alice2.stateofus.eth');
    expect(bobLearned[1]!.lastUpdateClock).toBeGreaterThan(bobLearned[0]!.lastUpdateClock);
    await alice.idle();
    expect((await alice.store.getContact(bob.identity.id))!.lastProfileSentAt).toBeGreaterThan(0);

    // Bob blocks Alice: her next message is dropped, not shown and not stored.
    await bob.blockContact(alice.identity.id);
    const bobSaw: StatusMessage[] = [];
    bob.on('message', (m) => !m.outgoing && bobSaw.push(m));
    const dropped: string[] = [];
    bob.on('dropped', (d) => dropped.push(d.reason));
    const blocked = await alice.sendDirectMessage(bob.identity.id, 'can you hear me?');
    await waitFor(() => dropped.includes('a message from a blocked contact'), 'the blocked message dropped');
    expect(bobSaw).toEqual([]);
    expect(await bob.store.hasMessage(blocked.id)).toBe(false);
    // Unblocked, he hears her again.
    await bob.unblockContact(alice.identity.id);
    await alice.sendDirectMessage(bob.identity.id, 'and now?');
    await waitFor(() => bobSaw.length === 1, 'the message after unblocking');
    expect(bobSaw[0]!.text).toBe('and now?');
    expect((await bob.contacts()).find((c) => c.key === alice.identity.id)).toMatchObject({ blocked: false });
  });
});
