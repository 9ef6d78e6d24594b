import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import { openMailserverSqliteStore } from '@status-ts/mailserver/sqlite';
import { publicChat } from '@status-ts/waku';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createStatusNode,
  type DeliveryState,
  defineFleet,
  type StatusMessage,
  type StatusNode,
  type StatusNodeOptions,
} from '../src/index.js';
import { openNodeSqlite } from '../src/sqlite/index.js';
import { useNodes, waitFor, waitForArchived } from './helpers.js';

// The network, all on 127.0.0.1 and all found by discovery: a bootstrap node, three relayers, a
// mailserver archiving into SQLite, Alice, Bob and Carol on mobile nodes, and Alice's second device.
const dir = mkdtempSync(join(tmpdir(), 'client-network-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { running, started } = useNodes();

const QUICK = { fastPeriodMs: 300, slowPeriodMs: 1_000, backoffMinMs: 500 };
// Every node shares 127.0.0.1: per-IP limits would count the whole network as one peer (per-peer limits stay).
const ONE_HOST = { rateLimits: { packetsPerIp: 0, bytesPerIp: 0 } };
const MISSED = 50;

const hex = (node: StatusNode) => Buffer.from(node.server.id).toString('hex');
const texts = (messages: readonly { text: string }[]) => messages.map((m) => m.text);

function inbox(node: StatusNode): StatusMessage[] {
  const seen: StatusMessage[] = [];
  node.on('message', (message) => !message.outgoing && seen.push(message));
  return seen;
}

function statesOf(node: StatusNode): Map<string, DeliveryState[]> {
  const states = new Map<string, DeliveryState[]>();
  node.on('delivery', ({ id, state }) => states.set(id, [...(states.get(id) ?? []), state]));
  return states;
}

describe('a Status network on 127.0.0.1, every node found by discovery', () => {
  it('public, 1:1 (every delivery state) and group chats, 100 messages missed offline, a paired device', async () => {
    // The network: a bootstrap node and the fleet naming it, three relayers, a mailserver on SQLite.
    const boot = await started(
      createStatusNode({
        identity: { privateKey: generatePrivateKey() },
        bootstrap: true,
        discovery: false,
        waku: ONE_HOST,
      }),
    );
    const fleet = defineFleet({
      name: 'local',
      bootnodes: [boot.bootnode!.enr],
      rendezvous: boot.bootnode!.rendezvous,
    });
    const discovery = { fleet, timing: QUICK, useDiscoveredMailservers: true };
    const node = (options: StatusNodeOptions) => createStatusNode({ discovery, ...options, waku: ONE_HOST });
    const relayers = await Promise.all(
      [1, 2, 3].map(() => started(node({ identity: { privateKey: generatePrivateKey() }, role: 'relayer' }))),
    );
    const archive = openMailserverSqliteStore(join(dir, 'archive.db'));
    const mailserver = await started(
      node({ identity: { privateKey: generatePrivateKey() }, mailserver: { store: archive } }),
    );
    const aliceKey = generatePrivateKey();
    const bobKey = generatePrivateKey();
    const bobFile = join(dir, 'bob.db');
    const bobAtRest = randomBytes(32);
    let bobSqlite = openNodeSqlite(bobFile, { encryptionKey: bobAtRest });
    const bobNode = () =>
      node({
        identity: { privateKey: bobKey },
        installationId: 'bob-phone',
        ...bobSqlite.nodeOptions,
        discovery: { ...discovery, cache: bobSqlite.peerCache },
      });
    const alice = await started(node({ identity: { privateKey: aliceKey }, installationId: 'alice-phone' }));
    let bob = await started(bobNode());
    const carol = await started(node({ identity: { privateKey: generatePrivateKey() } }));
    const serviceIds = new Set([...relayers, mailserver, boot].map(hex));
    for (const mobile of [alice, bob, carol]) {
      await waitFor(
        () =>
          (mobile.peerPool?.topicStatus('whisper')?.connected ?? 0) >= 2 &&
          mobile.mailserverId === hex(mailserver),
        'a mobile node with 2–3 relayers and the mailserver',
        30_000,
      );
      const relays = mobile.peerPool!.peers('whisper').map((p) => p.id);
      expect(relays.length).toBeLessThanOrEqual(3);
      expect(relays.every((id) => serviceIds.has(id))).toBe(true);
    }

    // Public chat, both ways.
    const [atAlice, atBob, atCarol] = [inbox(alice), inbox(bob), inbox(carol)];
    for (const n of [alice, bob, carol]) n.joinPublicChat('network');
    await new Promise((resolve) => setTimeout(resolve, 600)); // topic interest reaches the relayers
    const hello = await alice.sendPublicMessage('network', 'hello network');
    await waitFor(() => [atBob, atCarol].every((box) => box.some((m) => m.id === hello.message.id)), 'hello');
    const reply = await bob.sendPublicMessage('network', 'hello alice', { responseTo: hello.message.id });
    await waitFor(() => atAlice.some((m) => m.id === reply.message.id), 'the public reply');
    expect(atAlice.find((m) => m.id === reply.message.id)).toMatchObject({
      author: bob.identity.id,
      chatKind: 'public',
      responseTo: hello.message.id,
    });

    // 1:1 both ways, every delivery state reached.
    const aliceStates = statesOf(alice);
    const bobStates = statesOf(bob);
    const toBob = await alice.sendDirectMessage(bob.identity.id, 'only for bob');
    await waitFor(() => atBob.some((m) => m.id === toBob.id), 'bob reads alice');
    const toAlice = await bob.sendDirectMessage(alice.identity.id, 'only for alice', {
      responseTo: toBob.id,
    });
    await waitFor(() => atAlice.some((m) => m.id === toAlice.id), 'alice reads bob');
    await waitFor(
      () =>
        aliceStates.get(toBob.id)?.at(-1) === 'acknowledged' &&
        bobStates.get(toAlice.id)?.at(-1) === 'acknowledged',
      'both acknowledged',
    );
    for (const states of [aliceStates.get(toBob.id), bobStates.get(toAlice.id)]) {
      expect(states).toEqual(['sending', 'sent', 'confirmed', 'acknowledged']);
    }

    // A group: Alice creates it with Bob, adds Carol, then removes her; Carol reads nothing after.
    const group = await alice.createGroupChat('three', [bob.identity.id]);
    await waitFor(() => bob.groupChats().some((g) => g.chatId === group.chatId), 'bob sees the group');
    await bob.joinGroupChat(group.chatId);
    await alice.addGroupMembers(group.chatId, [carol.identity.id]);
    await waitFor(() => carol.groupChats().some((g) => g.chatId === group.chatId), 'carol sees the group');
    await carol.joinGroupChat(group.chatId);
    await waitFor(
      () => alice.groupChats().find((g) => g.chatId === group.chatId)!.joined.length === 3,
      'alice sees all three joined',
    );
    const toGroup = await alice.sendGroupMessage(group.chatId, 'hello all three');
    await waitFor(
      () => [atBob, atCarol].every((box) => box.some((m) => m.id === toGroup.id)),
      'bob and carol read the group',
    );
    await alice.removeGroupMember(group.chatId, carol.identity.id);
    await waitFor(
      () => carol.groupChats().find((g) => g.chatId === group.chatId)!.members.length === 2,
      'carol learns she was removed',
    );
    const afterRemoval = await alice.sendGroupMessage(group.chatId, 'just the two of us');
    await waitFor(() => atBob.some((m) => m.id === afterRemoval.id), 'bob reads the group after the removal');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(atCarol.filter((m) => m.chatId === group.chatId).map((m) => m.id)).toEqual([toGroup.id]);

    // Bob goes offline; Alice sends 50 1:1 and 50 public messages; Bob, back from his SQLite file, gets all.
    await bob.stop();
    running.splice(running.indexOf(bob), 1);
    // His peer cache is in his file: the relayers and the mailserver of this run, dialed first next time.
    const cachedRelays = await bobSqlite.peerCache.list('whisper');
    expect(cachedRelays.length).toBeGreaterThanOrEqual(2);
    expect(cachedRelays.every((peer) => serviceIds.has(peer.id))).toBe(true);
    expect((await bobSqlite.peerCache.list('whispermail')).map((peer) => peer.id)).toEqual([hex(mailserver)]);
    await bobSqlite.close();
    const missed: string[] = [];
    for (let i = 1; i <= MISSED; i++) {
      missed.push((await alice.sendPublicMessage('network', `public ${i}`)).message.id);
      missed.push((await alice.sendDirectMessage(bob.identity.id, `direct ${i}`)).id);
    }
    await waitForArchived(mailserver, publicChat('network').topic, MISSED + 2, 30_000);
    bobSqlite = openNodeSqlite(bobFile, { encryptionKey: bobAtRest });
    bob = bobNode();
    const atBobBack = inbox(bob);
    await started(bob);
    bob.joinPublicChat('network'); // already rejoined from his store: a no-op
    await waitFor(
      () => missed.every((id) => atBobBack.some((m) => m.id === id)),
      'bob receives all 100 messages he missed',
      60_000,
    );
    await bob.idle();
    const received = atBobBack.filter((m) => missed.includes(m.id));
    expect(new Set(received.map((m) => m.id)).size).toBe(received.length); // none twice
    expect(received).toHaveLength(2 * MISSED);
    const inOrder = async (chatId: string, prefix: string) => {
      const stored = (await bob.chatMessages(chatId, { limit: 500 })).messages.filter((m) =>
        m.text.startsWith(prefix),
      );
      expect(texts(stored)).toEqual(Array.from({ length: MISSED }, (_, k) => `${prefix}${k + 1}`));
      expect(stored.every((m, k) => k === 0 || m.clock > stored[k - 1]!.clock)).toBe(true);
    };
    await inOrder('network', 'public ');
    await inOrder(alice.identity.id, 'direct ');

    // Alice's second device: same chat key, another installation; paired both ways, then synced.
    await alice.addContact(bob.identity.id, { nickname: 'Bob' });
    const laptop = await started(
      node({ identity: { privateKey: aliceKey }, installationId: 'alice-laptop' }),
    );
    await waitFor(
      () => (laptop.peerPool?.topicStatus('whisper')?.connected ?? 0) >= 2,
      'the laptop finds relayers',
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 600)); // its topic interest reaches the relayers
    const pair = async (from: StatusNode, to: StatusNode, name: string) => {
      const seen: string[] = [];
      to.on('installation', (installation) => installation.name === name && seen.push(installation.id));
      await from.advertiseDevice({ name, deviceType: 'desktop' });
      await waitFor(() => seen.includes(from.installationId), `${to.installationId} sees ${name}`, 15_000);
      await to.enableInstallation(from.installationId);
    };
    await pair(laptop, alice, 'Laptop');
    await pair(alice, laptop, 'Phone');
    expect(await alice.syncDevices()).toEqual({ publicChats: ['network'], contacts: [bob.identity.id] });
    await waitFor(() => laptop.publicChats.includes('network'), 'the laptop joins the synced chat', 15_000);
    const laptopMessages: StatusMessage[] = [];
    laptop.on('message', (m) => laptopMessages.push(m));
    const fromPhone = await alice.sendDirectMessage(bob.identity.id, 'sent from my phone');
    await waitFor(
      () => laptopMessages.some((m) => m.id === fromPhone.id),
      'the laptop shows the phone’s message',
      20_000,
    );
    expect(laptopMessages.find((m) => m.id === fromPhone.id)).toMatchObject({
      chatId: bob.identity.id,
      author: alice.identity.id,
      outgoing: true,
      text: 'sent from my phone',
    });
    await laptop.idle();
    const contacts = await laptop.contacts();
    expect(contacts.map((c) => [c.key, c.nickname, c.added])).toEqual([[bob.identity.id, 'Bob', true]]);
    const laptopChat = (await laptop.chatMessages(bob.identity.id)).messages;
    expect(laptopChat.map((m) => [m.id, m.outgoing])).toContainEqual([fromPhone.id, true]);
    // The group too: a message Alice sends there reaches her laptop, with the group's log.
    const toGroupAfterPairing = await alice.sendGroupMessage(group.chatId, 'from my phone, to the group');
    await waitFor(
      () => laptopMessages.some((m) => m.id === toGroupAfterPairing.id),
      'the laptop shows the group message',
      20_000,
    );
    expect(laptopMessages.find((m) => m.id === toGroupAfterPairing.id)).toMatchObject({
      chatId: group.chatId,
      chatKind: 'group',
      outgoing: true,
    });
    expect(
      laptop
        .groupChats()
        .find((g) => g.chatId === group.chatId)
        ?.members.slice()
        .sort(),
    ).toEqual([alice.identity.id, bob.identity.id].sort());

    await bob.stop();
    running.splice(running.indexOf(bob), 1);
    await bobSqlite.close();
    await mailserver.stop();
    running.splice(running.indexOf(mailserver), 1);
    await archive.close();
  }, 180_000);
});
