import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import {
  encodePairInstallation,
  encodeSyncInstallationContact,
  encodeSyncInstallationPublicChat,
  messageSigner,
  wrapApplicationMessage,
} from '@status-ts/payloads';
import { SecureTransport } from '@status-ts/secure-transport';
import type { WakuNode } from '@status-ts/waku';
import { describe, expect, it } from 'vitest';
import { Devices, type DevicesContext } from '../src/devices.js';
import { resolveIdentity } from '../src/identity.js';
import {
  createStatusNode,
  MemoryMessageStore,
  type OwnInstallation,
  type StatusMessage,
  type StatusNode,
  type StoredContact,
} from '../src/index.js';
import { localNode, useNodes, waitFor } from './helpers.js';

const { started } = useNodes();

function idOf(privateKey: Uint8Array): string {
  return resolveIdentity({ privateKey }).id;
}

/** A relayer, Bob, and Alice's first device (`alice-phone`). */
async function network(aliceKey: Uint8Array) {
  const relayer = await started(localNode({ role: 'relayer' }));
  const peer = { discovery: false as const, staticPeers: [relayer.enode!] };
  const phone = await started(
    createStatusNode({ ...peer, identity: { privateKey: aliceKey }, installationId: 'alice-phone' }),
  );
  const bob = await started(createStatusNode({ ...peer, identity: { privateKey: generatePrivateKey() } }));
  const addDevice = async (installationId: string) => {
    const node = await started(
      createStatusNode({ ...peer, identity: { privateKey: aliceKey }, installationId }),
    );
    await waitFor(() => node.waku.peers.some((p) => p.ready), `${installationId} connected`);
    await new Promise((resolve) => setTimeout(resolve, 400)); // its topic interest reaches the relayer
    return node;
  };
  await waitFor(() => relayer.waku.peers.filter((p) => p.ready).length === 2, 'phone and bob connected');
  await new Promise((resolve) => setTimeout(resolve, 400));
  return { relayer, phone, bob, addDevice };
}

function collect<T>(node: StatusNode, event: 'installation' | 'contact' | 'message'): T[] {
  const seen: T[] = [];
  node.on(event, (value: unknown) => seen.push(value as T));
  return seen;
}

/** `a` announces itself to `b`, which sees it (name and type) and enables it. */
async function pairOneWay(
  a: StatusNode,
  b: StatusNode,
  metadata: { name: string; deviceType: string },
): Promise<OwnInstallation> {
  const seen = collect<OwnInstallation>(b, 'installation');
  await a.advertiseDevice(metadata);
  await waitFor(
    () => seen.some((i) => i.id === a.installationId && i.name === metadata.name),
    `${b.installationId} learning ${a.installationId}`,
  );
  expect(seen.find((i) => i.id === a.installationId && i.name === metadata.name)).toEqual({
    id: a.installationId,
    ...metadata,
    enabled: false, // our own new devices wait for the user's approval
    lastSeen: expect.any(Number),
    self: false,
  });
  return b.enableInstallation(a.installationId);
}

describe('pairing our own devices over real sockets on 127.0.0.1', () => {
  it('a second device gets the contacts and public chats, our sent messages, and replies to us', async () => {
    const aliceKey = generatePrivateKey();
    const aliceId = idOf(aliceKey);
    const { phone, bob, addDevice } = await network(aliceKey);
    const carolId = idOf(generatePrivateKey());
    const daveId = idOf(generatePrivateKey());

    // The phone's life before the laptop: contacts (one blocked), a public chat, a chat with Bob.
    await phone.addContact(bob.identity.id, { nickname: 'Bobby' });
    await phone.addContact(carolId, { nickname: 'Carol' });
    await phone.addContact(daveId);
    await phone.blockContact(daveId);
    phone.joinPublicChat('status-ts-devices');
    const bobSaw = collect<StatusMessage>(bob, 'message');
    const early = await phone.sendDirectMessage(bob.identity.id, 'before the laptop');
    await waitFor(() => bobSaw.some((m) => m.id === early.id), 'bob receiving the early message');
    expect(await phone.syncDevices()).toEqual({ publicChats: [], contacts: [] }); // nothing paired yet

    // The laptop: same chat key, another installation id. Each side enables the other.
    const laptop = await addDevice('alice-laptop');
    const enabled = await pairOneWay(laptop, phone, { name: 'Laptop', deviceType: 'desktop' });
    expect(enabled).toMatchObject({ id: 'alice-laptop', name: 'Laptop', enabled: true, self: false });
    await pairOneWay(phone, laptop, { name: 'Phone', deviceType: 'ios' });
    expect(await laptop.installations()).toEqual([
      { id: 'alice-laptop', name: 'Laptop', deviceType: 'desktop', enabled: true, lastSeen: 0, self: true },
      {
        id: 'alice-phone',
        name: 'Phone',
        deviceType: 'ios',
        enabled: true,
        lastSeen: expect.any(Number),
        self: false,
      },
    ]);

    // SyncDevices: one message per public chat and per added contact; the blocked one stays behind.
    const laptopContacts = collect<StoredContact>(laptop, 'contact');
    const summary = await phone.syncDevices();
    expect(summary).toEqual({
      publicChats: ['status-ts-devices'],
      contacts: [bob.identity.id, carolId].sort(),
    });
    await waitFor(
      () => laptopContacts.length === 2 && laptop.publicChats.includes('status-ts-devices'),
      'the laptop applying the sync',
    );
    await laptop.idle();
    const pick = (c: StoredContact) => ({
      key: c.key,
      added: c.added,
      blocked: c.blocked,
      nickname: c.nickname,
    });
    expect((await laptop.contacts()).map(pick)).toEqual(
      [
        { key: bob.identity.id, added: true, blocked: false, nickname: 'Bobby' },
        { key: carolId, added: true, blocked: false, nickname: 'Carol' },
      ].sort((a, b) => a.key.localeCompare(b.key)),
    );
    expect(await laptop.store.getContact(daveId)).toBeUndefined();
    expect(laptop.publicChats).toEqual(['status-ts-devices']);
    expect(await laptop.store.getChat('status-ts-devices')).toMatchObject({ kind: 'public', active: true });
    // Messages sent before pairing are not synced (status-go v0.62.0 does not either).
    expect(await laptop.store.getMessage(early.id)).toBeUndefined();

    // From now on what the phone sends Bob is copied to the laptop, filed under Bob, as ours.
    const laptopSaw = collect<StatusMessage>(laptop, 'message');
    const phoneSaw = collect<StatusMessage>(phone, 'message');
    const fromPhone = await phone.sendDirectMessage(bob.identity.id, 'sent from the phone');
    await waitFor(
      () => laptopSaw.some((m) => m.id === fromPhone.id),
      'the laptop seeing the phone’s message',
    );
    await waitFor(() => bobSaw.some((m) => m.id === fromPhone.id), 'bob receiving it');
    expect(laptopSaw.find((m) => m.id === fromPhone.id)).toMatchObject({
      chatId: bob.identity.id,
      chatKind: 'one-to-one',
      author: aliceId,
      text: 'sent from the phone',
      outgoing: true,
    });
    await laptop.idle();
    expect(await laptop.store.getMessage(fromPhone.id)).toMatchObject({
      chatId: bob.identity.id,
      author: aliceId,
      text: 'sent from the phone',
      outgoing: true,
      deliveryState: 'sent',
    });
    expect(await laptop.store.getChat(bob.identity.id)).toMatchObject({ kind: 'one-to-one', unreadCount: 0 });

    // Bob learned the laptop from the phone's bundle: his reply reaches both devices.
    const reply = await bob.sendDirectMessage(aliceId, 'hello both of you', { responseTo: fromPhone.id });
    await waitFor(
      () => laptopSaw.some((m) => m.id === reply.id) && phoneSaw.some((m) => m.id === reply.id),
      'the reply on both devices',
    );
    for (const saw of [laptopSaw, phoneSaw]) {
      expect(saw.find((m) => m.id === reply.id)).toMatchObject({
        chatId: bob.identity.id,
        author: bob.identity.id,
        text: 'hello both of you',
        responseTo: fromPhone.id,
        outgoing: false,
      });
    }

    // And the other way: the laptop writes, the phone sees it as ours.
    const fromLaptop = await laptop.sendDirectMessage(bob.identity.id, 'sent from the laptop');
    await waitFor(
      () => phoneSaw.some((m) => m.id === fromLaptop.id),
      'the phone seeing the laptop’s message',
    );
    await waitFor(() => bobSaw.some((m) => m.id === fromLaptop.id), 'bob receiving it');
    expect(phoneSaw.find((m) => m.id === fromLaptop.id)).toMatchObject({
      chatId: bob.identity.id,
      author: aliceId,
      text: 'sent from the laptop',
      outgoing: true,
    });

    // Changes sync as they happen: a chat joined and a contact added on the phone.
    const eveId = idOf(generatePrivateKey());
    phone.joinPublicChat('status-ts-later');
    await phone.addContact(eveId, { nickname: 'Eve' });
    await waitFor(
      () => laptop.publicChats.includes('status-ts-later') && laptopContacts.some((c) => c.key === eveId),
      'the laptop following the phone',
    );
    expect(laptopContacts.find((c) => c.key === eveId)).toMatchObject({ added: true, nickname: 'Eve' });
    expect(laptop.publicChats.sort()).toEqual(['status-ts-devices', 'status-ts-later']);
  });

  it('ignores what a device of ours sends until it is enabled here', async () => {
    const aliceKey = generatePrivateKey();
    const { phone, bob, addDevice } = await network(aliceKey);
    await phone.addContact(bob.identity.id, { nickname: 'Bobby' });
    phone.joinPublicChat('status-ts-devices');

    const laptop = await addDevice('alice-laptop');
    await pairOneWay(laptop, phone, { name: 'Laptop', deviceType: 'desktop' });
    // The laptop hears of the phone but does not enable it.
    const laptopSees = collect<OwnInstallation>(laptop, 'installation');
    await phone.advertiseDevice({ name: 'Phone', deviceType: 'ios' });
    await waitFor(() => laptopSees.some((i) => i.id === 'alice-phone'), 'the laptop learning the phone');
    expect(laptopSees.find((i) => i.id === 'alice-phone')).toMatchObject({ name: 'Phone', enabled: false });

    const dropped: string[] = [];
    laptop.on('dropped', (d) => dropped.push(d.reason));
    const laptopSaw = collect<StatusMessage>(laptop, 'message');
    expect(await phone.syncDevices()).toEqual({
      publicChats: ['status-ts-devices'],
      contacts: [bob.identity.id],
    });
    const sent = await phone.sendDirectMessage(bob.identity.id, 'not for the laptop yet');
    const notEnabled = (type: string) => `a ${type} message from a device of ours that is not enabled`;
    await waitFor(
      () =>
        dropped.includes(notEnabled('SYNC_INSTALLATION_PUBLIC_CHAT')) &&
        dropped.includes(notEnabled('SYNC_INSTALLATION_CONTACT')) &&
        dropped.includes(notEnabled('CHAT_MESSAGE')),
      'the laptop dropping the phone’s messages',
    );
    await laptop.idle();
    expect(await laptop.contacts()).toEqual([]);
    expect(laptop.publicChats).toEqual([]);
    expect(await laptop.store.getMessage(sent.id)).toBeUndefined();
    expect(laptopSaw).toEqual([]);

    // Enabled, the next sync applies.
    await laptop.enableInstallation('alice-phone');
    const laptopContacts = collect<StoredContact>(laptop, 'contact');
    await phone.syncDevices();
    await waitFor(
      () => laptop.publicChats.includes('status-ts-devices') && laptopContacts.length === 1,
      'the sync after enabling',
    );
    await laptop.idle();
    const contacts = await laptop.contacts();
    expect(contacts.map((c) => [c.key, c.added, c.nickname])).toEqual([[bob.identity.id, true, 'Bobby']]);
  });
});

describe('the device gate (what our own devices may change)', () => {
  const aliceKey = generatePrivateKey();
  const alice = resolveIdentity({ privateKey: aliceKey });
  const signer = messageSigner(aliceKey);
  const now = 1_700_000_000_000;

  async function gate() {
    const transport = new SecureTransport({ identityKey: aliceKey, installationId: 'phone', now: () => now });
    // The laptop's bundle, as its messages carry it: recorded disabled (one of our own).
    const laptop = new SecureTransport({ identityKey: aliceKey, installationId: 'laptop', now: () => now });
    await transport.addBundle(await laptop.bundle());
    const store = new MemoryMessageStore({ now: () => now });
    const dropped: string[] = [];
    const events: OwnInstallation[] = [];
    const joined: string[] = [];
    let queue: Promise<unknown> = Promise.resolve();
    const context: DevicesContext = {
      identity: alice,
      signer,
      transport,
      waku: {} as WakuNode,
      store,
      clock: { now: () => now } as DevicesContext['clock'],
      sendToSelf: async () => {},
      listenToSelf: () => {},
      joinedPublicChats: () => joined,
      joinPublicChat: (name) => joined.push(name),
      persist: (work) => {
        queue = queue.then(work);
      },
      installation: (i) => events.push(i),
      contact: () => {},
      syncError: () => {},
      drop: (reason) => dropped.push(reason),
    };
    const devices = new Devices(context);
    await devices.start();
    return { devices, store, dropped, events, joined, idle: () => queue };
  }

  const wrap = (
    type: Parameters<typeof wrapApplicationMessage>[0]['type'],
    payload: Uint8Array,
    key = aliceKey,
  ) => wrapApplicationMessage({ type, payload, signer: messageSigner(key) });
  const bobKey = generatePrivateKey();
  const bobId = idOf(bobKey);
  const contactSync = (clock: number, tags: string[] = []) =>
    encodeSyncInstallationContact({
      clock,
      id: bobId,
      profileImage: '',
      ensName: 'bob.stateofus.eth',
      lastUpdated: 0,
      systemTags: tags,
      localNickname: 'Bobby',
    });

  it('drops pairing and sync messages that are not from our key', async () => {
    const { devices, dropped } = await gate();
    const bob = getPublicKey(bobKey, 'uncompressed');
    const wrapper = wrap(
      'SYNC_INSTALLATION_PUBLIC_CHAT',
      encodeSyncInstallationPublicChat({ clock: 1, id: 'x' }),
      bobKey,
    );
    expect(devices.receive(wrapper, bob, 'bob-device', now, '0xaa')).toBe(true);
    expect(dropped).toEqual(['a SYNC_INSTALLATION_PUBLIC_CHAT message not from us']);
    // Signed by Bob but carried in an envelope of ours: still not from us.
    expect(devices.receive(wrapper, alice.publicKey, 'laptop', now, '0xab')).toBe(true);
    expect(dropped).toHaveLength(2);
    // A chat message from Bob is not the gate's business.
    expect(
      devices.receive(wrap('CHAT_MESSAGE', new Uint8Array(), bobKey), bob, 'bob-device', now, '0xac'),
    ).toBe(false);
  });

  it('takes a device’s PAIR_INSTALLATION about itself even before it is enabled, and nothing else', async () => {
    const { devices, store, dropped, events, joined, idle } = await gate();
    const pair = (installationId: string, clock = now) =>
      wrap(
        'PAIR_INSTALLATION',
        encodePairInstallation({ clock, installationId, deviceType: 'desktop', name: 'Laptop' }),
      );
    expect(devices.receive(pair('laptop'), alice.publicKey, 'laptop', now, '0x01')).toBe(true);
    await idle();
    expect(await store.getInstallation('laptop')).toEqual({
      id: 'laptop',
      name: 'Laptop',
      deviceType: 'desktop',
      enabled: false,
      lastSeen: now,
    });
    expect(events).toEqual([
      { id: 'laptop', name: 'Laptop', deviceType: 'desktop', enabled: false, lastSeen: now, self: false },
    ]);
    // About another device, or with a clock 2 minutes ahead of the envelope: dropped.
    devices.receive(pair('tablet'), alice.publicKey, 'laptop', now, '0x02');
    devices.receive(pair('laptop', now + 121_000), alice.publicKey, 'laptop', now, '0x03');
    expect(dropped).toEqual(['a PAIR_INSTALLATION about another device', 'invalid PAIR_INSTALLATION']);

    // Not enabled: its syncs and chat messages are dropped.
    const chat = wrap(
      'SYNC_INSTALLATION_PUBLIC_CHAT',
      encodeSyncInstallationPublicChat({ clock: now, id: 'news' }),
    );
    expect(devices.receive(chat, alice.publicKey, 'laptop', now, '0x04')).toBe(true);
    expect(
      devices.receive(wrap('CHAT_MESSAGE', new Uint8Array()), alice.publicKey, 'laptop', now, '0x05'),
    ).toBe(true);
    await idle();
    expect(dropped.slice(2)).toEqual([
      'a SYNC_INSTALLATION_PUBLIC_CHAT message from a device of ours that is not enabled',
      'a CHAT_MESSAGE message from a device of ours that is not enabled',
    ]);
    expect(joined).toEqual([]);

    // Enabled: the chat is joined, our chat messages go on to the 1:1 path, our own posts are ignored.
    expect(await devices.setEnabled('laptop', true)).toMatchObject({ id: 'laptop', enabled: true });
    expect(devices.paired).toBe(true);
    expect(devices.receive(chat, alice.publicKey, 'laptop', now, '0x06')).toBe(true);
    await idle();
    expect(joined).toEqual(['news']);
    expect(
      devices.receive(wrap('CHAT_MESSAGE', new Uint8Array()), alice.publicKey, 'laptop', now, '0x07'),
    ).toBe(false);
    // Our own post coming back (a DH message to our key opens here too): taken, nothing applied.
    const other = wrap(
      'SYNC_INSTALLATION_PUBLIC_CHAT',
      encodeSyncInstallationPublicChat({ clock: now, id: 'other' }),
    );
    expect(devices.receive(other, alice.publicKey, 'phone', now, '0x08')).toBe(true);
    await idle();
    expect(joined).toEqual(['news']);
    await expect(devices.setEnabled('tablet', true)).rejects.toMatchObject({
      code: 'ERR_CLIENT_UNKNOWN_INSTALLATION',
    });
    await expect(devices.setEnabled('phone', false)).rejects.toMatchObject({
      code: 'ERR_CLIENT_INVALID_OPTIONS',
    });
  });

  it('applies a synced contact only when newer, and a blocked tag blocks', async () => {
    const { devices, store, idle } = await gate();
    await devices.setEnabled('laptop', true);
    devices.receive(
      wrap('SYNC_INSTALLATION_CONTACT', contactSync(now)),
      alice.publicKey,
      'laptop',
      now,
      '0x1',
    );
    await idle();
    expect(await store.getContact(bobId)).toMatchObject({
      added: true,
      blocked: false,
      nickname: 'Bobby',
      ensName: 'bob.stateofus.eth',
      lastUpdateClock: now,
    });
    // Older than what we have: ignored (status-go compares with the contact's last update clock).
    devices.receive(
      wrap('SYNC_INSTALLATION_CONTACT', contactSync(now - 1, [':contact/blocked'])),
      alice.publicKey,
      'laptop',
      now,
      '0x2',
    );
    await idle();
    expect(await store.getContact(bobId)).toMatchObject({ added: true, blocked: false });
    devices.receive(
      wrap('SYNC_INSTALLATION_CONTACT', contactSync(now + 1, [':contact/blocked'])),
      alice.publicKey,
      'laptop',
      now,
      '0x3',
    );
    await idle();
    expect(await store.getContact(bobId)).toMatchObject({
      added: false,
      blocked: true,
      lastUpdateClock: now + 1,
    });
  });
});
