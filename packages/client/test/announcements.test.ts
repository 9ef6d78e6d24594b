import { ManualClock } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { oneToOneChatId } from '@status-ts/payloads';
import { describe, expect, it } from 'vitest';
import { ANNOUNCE_CHECK_INTERVAL_MS, CONTACT_UPDATE_INTERVAL_MS, createStatusNode } from '../src/index.js';
import { localNode, useNodes, waitFor } from './helpers.js';

const { started } = useNodes();

const HOUR = 60 * 60 * 1000;

describe('what a node announces by itself', () => {
  it('resends our profile to contacts that have not had it for 48 h, and only to those', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const node = await started(
      createStatusNode({
        discovery: false,
        listen: false,
        identity: { privateKey: generatePrivateKey() },
        clock,
      }),
    );
    const contact = (lastProfileSentAt: number, extra: { blocked?: boolean; added?: boolean } = {}) =>
      node.store.upsertContact({
        key: oneToOneChatId(getPublicKey(generatePrivateKey())),
        added: extra.added ?? true,
        blocked: extra.blocked ?? false,
        lastProfileSentAt,
      });
    const now = clock.now();
    const due = await contact(now - CONTACT_UPDATE_INTERVAL_MS);
    const never = await contact(0);
    const recent = await contact(now - 47 * HOUR);
    const blocked = await contact(0, { blocked: true, added: false });
    const notAdded = await contact(0, { added: false });

    await node.announce();
    await node.idle();
    const sentAt = async (key: string) => (await node.store.getContact(key))!.lastProfileSentAt;
    expect(await sentAt(due.key)).toBe(now);
    expect(await sentAt(never.key)).toBe(now);
    expect(await sentAt(recent.key)).toBe(now - 47 * HOUR);
    expect(await sentAt(blocked.key)).toBe(0);
    expect(await sentAt(notAdded.key)).toBe(0);

    // The node checks by itself every 2 minutes: a contact that falls due is served at the next check.
    const lapsed = await contact(clock.now() - CONTACT_UPDATE_INTERVAL_MS);
    clock.advance(ANNOUNCE_CHECK_INTERVAL_MS);
    await node.announce(); // joins the check the tick started, if it still runs
    await node.idle();
    expect(await sentAt(lapsed.key)).toBe(clock.now());
    expect(ANNOUNCE_CHECK_INTERVAL_MS).toBe(120_000);
    expect(CONTACT_UPDATE_INTERVAL_MS).toBe(48 * HOUR);
  });

  it('publishes our contact code on start; a contact listening records our bundle from it', async () => {
    const relayer = await started(localNode({ role: 'relayer' }));
    const alice = await started(
      localNode({
        staticPeers: [relayer.enode!],
      }),
    );
    const bobKey = generatePrivateKey();
    const bobId = oneToOneChatId(getPublicKey(bobKey));
    await alice.waitForPeers();
    await alice.addContact(bobId);
    const codes: string[] = [];
    alice.on('contact:code', ({ contact }) => codes.push(contact));
    expect(await alice.transport.installations(getPublicKey(bobKey, 'compressed'))).toEqual([]);

    const bob = createStatusNode({
      discovery: false,
      identity: { privateKey: bobKey },
      installationId: 'bob-phone',
      staticPeers: [relayer.enode!],
    });
    await started(bob);
    await waitFor(() => codes.includes(bobId), 'alice receives bob’s contact code', 15_000);
    const known = await alice.transport.installations(getPublicKey(bobKey, 'compressed'));
    expect(known.map((installation) => installation.id)).toEqual(['bob-phone']);
    // Within 6 h the contact code is not published again.
    const posted = bob.waku.counters.envelopesPosted;
    await bob.announce();
    expect(bob.waku.counters.envelopesPosted).toBe(posted);
  });
});
