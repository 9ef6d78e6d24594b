import type { Clock } from '@status-ts/core';
import {
  type ApplicationMessage,
  type ContactUpdate,
  decodeContactUpdate,
  encodeContactUpdate,
  type MessageSigner,
  messageIdToHex,
  nextChatClock,
  oneToOneChatId,
  oneToOneChatPeer,
  wrapApplicationMessage,
} from '@status-ts/payloads';
import type { MessageStore } from './store/message-store.js';
import type { StoredContact } from './store/types.js';

export interface OwnProfileContext {
  readonly clock: Clock;
  readonly signer: MessageSigner;
  readonly store: MessageStore;
  /** Sends a control message privately (MVDS, secure transport, Waku), without delivery states. */
  sendPrivately(peers: readonly Uint8Array[], wrapper: Uint8Array, id: string): Promise<void>;
  /** Runs store work in the node's order. */
  persist(work: () => Promise<unknown>): void;
  contactChanged(contact: StoredContact): void;
  drop(reason: string, error: unknown, envelopeHash: string): void;
}

/** What we tell contacts about ourselves. */
export interface ProfileFields {
  ensName?: string;
  profileImage?: string;
}

/**
 * Our profile as contacts see it, and theirs as we see it: `ContactUpdate`s (clock, ENS name, profile
 * image) sent privately on adding a contact, on every change and every 48 h; received ones applied when
 * newer than the last.
 */
export class OwnProfile {
  readonly #context: OwnProfileContext;
  #fields: ProfileFields = {};
  #clock: number | undefined;

  constructor(context: OwnProfileContext) {
    this.#context = context;
  }

  /** Changes our profile and sends it to every added, unblocked contact. */
  async set(fields: ProfileFields): Promise<void> {
    this.#fields = { ...this.#fields, ...fields };
    const added = (await this.#context.store.listContacts()).filter((c) => c.added && !c.blocked);
    await this.send(added.map((c) => oneToOneChatPeer(c.key)));
  }

  /** Sends our profile to `peers` and records when (`lastProfileSentAt`, for the 48 h rule). */
  async send(peers: readonly Uint8Array[]): Promise<void> {
    if (peers.length === 0) return;
    const { clock, signer, store } = this.#context;
    this.#clock = nextChatClock(this.#clock, clock.now());
    const wrapped = wrapApplicationMessage({
      type: 'CONTACT_UPDATE',
      payload: encodeContactUpdate({
        clock: this.#clock,
        ensName: this.#fields.ensName ?? '',
        profileImage: this.#fields.profileImage ?? '',
      }),
      signer,
    });
    await this.#context.sendPrivately(peers, wrapped.bytes, messageIdToHex(wrapped.id));
    const now = clock.now();
    this.#context.persist(async () => {
      for (const peer of peers) {
        await store.upsertContact({ key: oneToOneChatId(peer), lastProfileSentAt: now });
      }
    });
  }

  /** A contact's ContactUpdate: applied (and reported) only when newer than the last one. */
  receive(wrapper: ApplicationMessage, sender: Uint8Array, envelopeHash: string): void {
    let update: ContactUpdate;
    try {
      update = decodeContactUpdate(wrapper.payload);
    } catch (error) {
      this.#context.drop('invalid contact update', error, envelopeHash);
      return;
    }
    const { store } = this.#context;
    const key = oneToOneChatId(wrapper.author ?? sender);
    this.#context.persist(async () => {
      const applied = await store.applyContactUpdate(key, {
        clock: update.clock,
        ensName: update.ensName,
        profileImage: update.profileImage,
      });
      const contact = await store.getContact(key);
      if (applied && contact) this.#context.contactChanged(contact);
    });
  }
}
