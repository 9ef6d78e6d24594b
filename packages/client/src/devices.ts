import { type Clock, equalBytes } from '@status-ts/core';
import { convertPublicKey } from '@status-ts/crypto';
import {
  type ApplicationMessage,
  decodePairInstallation,
  decodeSyncInstallationContact,
  decodeSyncInstallationPublicChat,
  encodePairInstallation,
  encodeSyncInstallationContact,
  encodeSyncInstallationPublicChat,
  type MessageSigner,
  messageIdToHex,
  nextChatClock,
  type PairInstallation,
  publicChatId,
  type SyncInstallationContact,
  validatePairInstallation,
  validateSyncInstallationContact,
  wrapApplicationMessage,
} from '@status-ts/payloads';
import type { SecureTransport } from '@status-ts/secure-transport';
import type { WakuNode } from '@status-ts/waku';
import { contactsToSync, syncContactMessage, syncedContactChange } from './device-sync.js';
import { ClientError, ClientErrorCode } from './errors.js';
import type { NodeIdentity } from './identity.js';
import { postToOwnDevices } from './pair-message.js';
import type { MessageStore } from './store/message-store.js';
import type { StoredContact, StoredInstallation } from './store/types.js';

/** What a device says about itself when it pairs (status-go's InstallationMetadata). */
export interface DeviceMetadata {
  /** The name the user gave the device. */
  readonly name: string;
  /** e.g. `ios`, `android`, `desktop`. */
  readonly deviceType: string;
}

/** An installation (device) of our own account, this one included. */
export interface OwnInstallation extends StoredInstallation {
  /** True for the device this node runs on (always enabled). */
  readonly self: boolean;
}

/** What `syncDevices` sent to our paired devices. */
export interface DeviceSyncSummary {
  /** Public chat names, one SYNC_INSTALLATION_PUBLIC_CHAT each. */
  readonly publicChats: readonly string[];
  /** Contact ids (`0x04…`), one SYNC_INSTALLATION_CONTACT each. */
  readonly contacts: readonly string[];
}

/** What the devices of our account need from the node. */
export interface DevicesContext {
  readonly identity: NodeIdentity;
  readonly signer: MessageSigner;
  readonly transport: SecureTransport;
  readonly waku: WakuNode;
  readonly store: MessageStore;
  readonly clock: Clock;
  /** status-go's sendPrivate to our own key: MVDS, then secure transport to our enabled devices. */
  sendToSelf(wrapper: Uint8Array, id: string): Promise<void>;
  /** Listens on the negotiated topic our devices share. */
  listenToSelf(): void;
  /** Public chats joined right now. */
  joinedPublicChats(): readonly string[];
  joinPublicChat(name: string): void;
  /** Runs store work after what the node queued (so the node's `idle()` covers it). */
  persist(work: () => Promise<unknown>): void;
  /** One of our installations appeared, or its name, type or enabled flag changed. */
  installation(installation: OwnInstallation): void;
  /** A synced contact was applied. */
  contact(contact: StoredContact): void;
  /** A sync the node started by itself (a chat joined, a contact added, a copy of our message) failed. */
  syncError(error: unknown): void;
  drop(reason: string, error: unknown, envelopeHash: string): void;
}

// Messages that only our own devices may send us (status-go: "not coming from us, ignoring").
const OWN_ONLY: ReadonlySet<string> = new Set([
  'PAIR_INSTALLATION',
  'SYNC_INSTALLATION',
  'SYNC_INSTALLATION_CONTACT',
  'SYNC_INSTALLATION_ACCOUNT',
  'SYNC_INSTALLATION_PUBLIC_CHAT',
]);

/**
 * The devices of our account, as status-go v0.62.0 pairs them (messenger.go, encryption/multidevice): a
 * device announces itself with PAIR_INSTALLATION (its name and type, DH-encrypted to our own key); secure
 * transport records our other devices disabled until the user enables them; once one is enabled, our 1:1
 * messages are copied to our own key (sendToPairedDevices) and `sync` sends every added contact and joined
 * public chat. Received pairing and sync messages must come from our key; beyond PAIR_INSTALLATION,
 * nothing from a device of ours that is not enabled here applies (status-go applies anything signed by
 * our key: enabling is the user's approval, so we ask for it on both sides).
 */
export class Devices {
  readonly #ctx: DevicesContext;
  /** Our identity as secure transport keys it (33-byte compressed). */
  readonly #self: Uint8Array;
  /** Our other installations' enabled flag as secure transport has it, read synchronously on receipt. */
  readonly #enabled = new Map<string, boolean>();
  /** What listeners last heard of each installation (name, type, enabled), so only changes are events. */
  readonly #announced = new Map<string, string>();
  #clock: number | undefined;
  /** Set while a synced public chat is joined, so that join is not synced back. */
  #applying = false;
  #listening = false;

  constructor(context: DevicesContext) {
    this.#ctx = context;
    this.#self = convertPublicKey(context.identity.publicKey, 'compressed');
  }

  /** Loads what secure transport knows of our devices; listens on their shared topic if there are any. */
  async start(): Promise<void> {
    this.#listening = false;
    this.#enabled.clear();
    for (const installation of await this.list()) {
      if (!installation.self) this.#enabled.set(installation.id, installation.enabled);
      this.#announced.set(installation.id, announcement(installation));
    }
    if (this.#enabled.size > 0) this.#listen();
  }

  /** True when another device of ours is enabled: status-go's hasPairedDevices. */
  get paired(): boolean {
    return [...this.#enabled.values()].some(Boolean);
  }

  /** Our installations, this one first, then by id: enabled flag from secure transport, metadata stored. */
  async list(): Promise<OwnInstallation[]> {
    const own = this.#ctx.transport.installationId;
    const known = new Map((await this.#ctx.transport.installations(this.#self)).map((i) => [i.id, i]));
    const stored = new Map((await this.#ctx.store.listInstallations()).map((i) => [i.id, i]));
    const ids = [...new Set([...known.keys(), ...stored.keys()])].filter((id) => id !== own).sort();
    return [own, ...ids].map((id) => {
      const device = known.get(id);
      const record = stored.get(id);
      return {
        id,
        name: record?.name ?? '',
        deviceType: record?.deviceType ?? '',
        enabled: id === own || device?.enabled === true,
        lastSeen: Math.max(device?.lastSeen ?? 0, record?.lastSeen ?? 0),
        self: id === own,
      };
    });
  }

  /**
   * Enables (or disables) one of our other devices: secure transport encrypts to it (and lists it in our
   * bundle, so contacts write to it too), and what it sends us applies. ERR_CLIENT_UNKNOWN_INSTALLATION
   * for a device we never heard of.
   */
  async setEnabled(id: string, enabled: boolean): Promise<OwnInstallation> {
    if (id === this.#ctx.transport.installationId) {
      throw new ClientError(ClientErrorCode.InvalidOptions, 'this device is always enabled');
    }
    const known = (await this.#ctx.transport.installations(this.#self)).some((i) => i.id === id);
    if (!known) {
      throw new ClientError(ClientErrorCode.UnknownInstallation, `no installation ${JSON.stringify(id)}`);
    }
    await this.#ctx.transport.setInstallationEnabled(this.#self, id, enabled);
    await this.#ctx.store.upsertInstallation({ id, enabled });
    this.#enabled.set(id, enabled);
    if (enabled) this.#listen();
    await this.#announce();
    return (await this.list()).find((i) => i.id === id)!;
  }

  /**
   * status-go's SendPairInstallation: stores this device's name and type and sends them to our other
   * devices (a bare wrapper, DH-encrypted to our key, our bundle attached). Returns the envelope hash.
   */
  async advertise(metadata?: DeviceMetadata): Promise<string> {
    const own = this.#ctx.transport.installationId;
    const stored = await this.#ctx.store.getInstallation(own);
    const name = metadata?.name ?? stored?.name ?? '';
    const deviceType = metadata?.deviceType ?? stored?.deviceType ?? '';
    let payload: Uint8Array;
    try {
      payload = encodePairInstallation({ clock: this.#nextClock(), installationId: own, deviceType, name });
    } catch (cause) {
      throw new ClientError(ClientErrorCode.InvalidOptions, 'a device needs a name and a device type', {
        cause,
      });
    }
    await this.#ctx.store.upsertInstallation({ id: own, name, deviceType, enabled: true });
    const wrapped = wrapApplicationMessage({ type: 'PAIR_INSTALLATION', payload, signer: this.#ctx.signer });
    this.#listen(); // their answers (and syncs) may come on the topic our devices share
    return postToOwnDevices(this.#ctx.identity, this.#ctx.transport, this.#ctx.waku, wrapped.bytes);
  }

  /**
   * status-go's SyncDevices: every joined public chat, then every added contact, each in its own message
   * to our enabled devices. Nothing is sent without one.
   */
  async sync(): Promise<DeviceSyncSummary> {
    if (!this.paired) return { publicChats: [], contacts: [] };
    const chats = new Set(this.#ctx.joinedPublicChats());
    for (const chat of await this.#ctx.store.listChats()) if (chat.kind === 'public') chats.add(chat.id);
    for (const name of chats) await this.#sendPublicChat(name);
    const contacts = contactsToSync(await this.#ctx.store.listContacts(), this.#ctx.identity.id);
    for (const contact of contacts) await this.#sendContact(contact);
    return { publicChats: [...chats], contacts: contacts.map((c) => c.key) };
  }

  /**
   * status-go's sendToPairedDevices: a copy of one of our 1:1 wrappers to our enabled devices. The message
   * already went to its recipient, so a failure here is a `sync:error`, not the send's.
   */
  async copy(wrapper: Uint8Array, id: string): Promise<void> {
    if (!this.paired) return;
    try {
      await this.#ctx.sendToSelf(wrapper, id);
    } catch (error) {
      this.#ctx.syncError(error);
    }
  }

  /** A public chat joined here: our paired devices join it too (status-go syncs a new public chat). */
  publicChatJoined(name: string): void {
    if (this.#applying || !this.paired) return;
    this.#sendPublicChat(name).catch((error: unknown) => this.#ctx.syncError(error));
  }

  /** A contact added here (or renamed): our paired devices get it (status-go syncs on save). */
  contactAdded(contact: StoredContact): void {
    if (!this.paired || contactsToSync([contact], this.#ctx.identity.id).length === 0) return;
    this.#sendContact(contact).catch((error: unknown) => this.#ctx.syncError(error));
  }

  /**
   * A private wrapper, before the 1:1 path sees it: true when it was ours to take (pairing and sync
   * messages, anything from a device of ours that is not enabled, our own copies coming back).
   */
  receive(
    wrapper: ApplicationMessage,
    sender: Uint8Array,
    installationId: string,
    envelopeTimeMs: number,
    envelopeHash: string,
  ): boolean {
    const self = this.#ctx.identity.publicKey;
    const fromUs = equalBytes(sender, self) && equalBytes(wrapper.author ?? sender, self);
    if (!fromUs) {
      if (!OWN_ONLY.has(wrapper.type)) return false;
      this.#ctx.drop(`a ${wrapper.type} message not from us`, undefined, envelopeHash);
      return true;
    }
    if (installationId === this.#ctx.transport.installationId) return true; // our own post, back to us
    if (wrapper.type === 'PAIR_INSTALLATION') {
      this.#receivePair(wrapper, installationId, envelopeTimeMs, envelopeHash);
      return true;
    }
    // Its bundle may have told secure transport of a device of ours we have not announced yet.
    this.#ctx.persist(() => this.#announce());
    if (this.#enabled.get(installationId) !== true) {
      this.#ctx.drop(
        `a ${wrapper.type} message from a device of ours that is not enabled`,
        undefined,
        envelopeHash,
      );
      return true;
    }
    switch (wrapper.type) {
      case 'SYNC_INSTALLATION_CONTACT':
        this.#receiveContact(wrapper, envelopeHash);
        return true;
      case 'SYNC_INSTALLATION_PUBLIC_CHAT':
        this.#receivePublicChat(wrapper, envelopeHash);
        return true;
      case 'CONTACT_UPDATE':
        // Our own profile, sent by status-go's SyncDevices: we are not our own contact.
        this.#ctx.drop('our own contact update, from another device of ours', undefined, envelopeHash);
        return true;
      default:
        return false; // our chat messages and reactions: the 1:1 path shows them as ours
    }
  }

  #receivePair(
    wrapper: ApplicationMessage,
    installationId: string,
    envelopeTimeMs: number,
    envelopeHash: string,
  ): void {
    let pair: PairInstallation;
    try {
      pair = decodePairInstallation(wrapper.payload);
      validatePairInstallation(pair, envelopeTimeMs);
    } catch (error) {
      this.#ctx.drop('invalid PAIR_INSTALLATION', error, envelopeHash);
      return;
    }
    // status-go records the metadata of whichever installation the message names; we only take a
    // device's word about itself.
    if (pair.installationId !== installationId) {
      this.#ctx.drop('a PAIR_INSTALLATION about another device', undefined, envelopeHash);
      return;
    }
    this.#ctx.persist(async () => {
      try {
        await this.#ctx.store.upsertInstallation({
          id: pair.installationId,
          name: pair.name,
          deviceType: pair.deviceType,
          lastSeen: this.#ctx.clock.now(),
        });
      } catch (error) {
        this.#ctx.drop('a PAIR_INSTALLATION the store refused', error, envelopeHash);
        return;
      }
      this.#listen();
      await this.#announce();
    });
  }

  #receiveContact(wrapper: ApplicationMessage, envelopeHash: string): void {
    let message: SyncInstallationContact;
    try {
      message = decodeSyncInstallationContact(wrapper.payload);
      validateSyncInstallationContact(message);
    } catch (error) {
      this.#ctx.drop('invalid SYNC_INSTALLATION_CONTACT', error, envelopeHash);
      return;
    }
    if (message.id === this.#ctx.identity.id) {
      this.#ctx.drop('a synced contact that is us', undefined, envelopeHash);
      return;
    }
    this.#ctx.persist(async () => {
      const change = syncedContactChange(message, await this.#ctx.store.getContact(message.id));
      if (!change) return;
      let contact: StoredContact;
      try {
        contact = await this.#ctx.store.upsertContact(change);
      } catch (error) {
        this.#ctx.drop('a synced contact the store refused', error, envelopeHash);
        return;
      }
      this.#ctx.contact(contact);
    });
  }

  #receivePublicChat(wrapper: ApplicationMessage, envelopeHash: string): void {
    let name: string;
    try {
      name = publicChatId(decodeSyncInstallationPublicChat(wrapper.payload).id);
    } catch (error) {
      this.#ctx.drop('invalid SYNC_INSTALLATION_PUBLIC_CHAT', error, envelopeHash);
      return;
    }
    this.#ctx.persist(async () => {
      // status-go joins only a chat it does not have: one left on this device stays left.
      if (this.#ctx.joinedPublicChats().includes(name) || (await this.#ctx.store.getChat(name))) return;
      this.#applying = true;
      try {
        this.#ctx.joinPublicChat(name);
      } catch (error) {
        this.#ctx.drop('a synced public chat we could not join', error, envelopeHash);
      } finally {
        this.#applying = false;
      }
    });
  }

  async #sendPublicChat(name: string): Promise<void> {
    const payload = encodeSyncInstallationPublicChat({ clock: this.#nextClock(), id: name });
    await this.#sendOwn('SYNC_INSTALLATION_PUBLIC_CHAT', payload);
  }

  async #sendContact(contact: StoredContact): Promise<void> {
    const payload = encodeSyncInstallationContact(syncContactMessage(contact, this.#nextClock()));
    await this.#sendOwn('SYNC_INSTALLATION_CONTACT', payload);
  }

  async #sendOwn(
    type: 'SYNC_INSTALLATION_CONTACT' | 'SYNC_INSTALLATION_PUBLIC_CHAT',
    payload: Uint8Array,
  ): Promise<void> {
    const wrapped = wrapApplicationMessage({ type, payload, signer: this.#ctx.signer });
    await this.#ctx.sendToSelf(wrapped.bytes, messageIdToHex(wrapped.id));
  }

  /** Emits `installation` for every device of ours that is new or changed, and refreshes the flags. */
  async #announce(): Promise<void> {
    for (const installation of await this.list()) {
      if (!installation.self) this.#enabled.set(installation.id, installation.enabled);
      const seen = announcement(installation);
      if (this.#announced.get(installation.id) === seen) continue;
      this.#announced.set(installation.id, seen);
      this.#ctx.installation(installation);
    }
    if (this.#enabled.size > 0) this.#listen();
  }

  /** status-go takes pairing and sync clocks from our own (hidden) 1:1 chat: one Lamport clock here. */
  #nextClock(): number {
    this.#clock = nextChatClock(this.#clock, this.#ctx.clock.now());
    return this.#clock;
  }

  #listen(): void {
    if (this.#listening) return;
    this.#listening = true;
    this.#ctx.listenToSelf();
  }
}

/** What makes an installation worth an event (not `lastSeen`, which moves with every message). */
function announcement(installation: OwnInstallation): string {
  return JSON.stringify([installation.name, installation.deviceType, installation.enabled]);
}
