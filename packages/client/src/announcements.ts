import { type Cancel, type Clock, equalBytes } from '@status-ts/core';
import { convertPublicKey } from '@status-ts/crypto';
import { type MessageSigner, oneToOneChatPeer, wrapApplicationMessage } from '@status-ts/payloads';
import { contactCodeTopic, type SecureTransport } from '@status-ts/secure-transport';
import type { Filter, ReceivedMessage, WakuNode } from '@status-ts/waku';
import type { MessageStore } from './store/message-store.js';

/** How often the node checks what is due (status-go's contact-code publisher ticks every 120 s). */
export const ANNOUNCE_CHECK_INTERVAL_MS = 120_000;
/** A contact hears our profile again after this long without one (the payloads spec: every 48 h). */
export const CONTACT_UPDATE_INTERVAL_MS = 48 * 60 * 60 * 1000;

export interface AnnouncementsContext {
  readonly clock: Clock;
  readonly store: MessageStore;
  readonly transport: SecureTransport;
  readonly waku: WakuNode;
  readonly signer: MessageSigner;
  /** Sends our ContactUpdate to these contacts and records when (`lastProfileSentAt`). */
  sendProfile(peers: readonly Uint8Array[]): Promise<void>;
  /** A contact's contact-code advertisement arrived; the bundle it carries is recorded. */
  onBundle(contact: string): void;
  onError(error: unknown): void;
}

/**
 * What a node tells the network about itself without being asked: its contact code (our bundle, in a
 * public message on our contact-code topic, every 6 h, ST-03) and its profile (a ContactUpdate to every
 * added contact that has not had one for 48 h). It also listens on each contact's contact-code topic so
 * their bundles reach secure transport, and a first message to them can start a ratchet session.
 */
export class Announcements {
  readonly #context: AnnouncementsContext;
  readonly #contactFilters = new Map<string, Filter>();
  #cancel: Cancel | undefined;
  #running: Promise<void> | undefined;

  constructor(context: AnnouncementsContext) {
    this.#context = context;
  }

  async start(): Promise<void> {
    for (const contact of await this.#context.store.listContacts()) {
      if (contact.added && !contact.blocked) this.watchContact(contact.key);
    }
    this.#cancel = this.#context.clock.setInterval(() => void this.check(), ANNOUNCE_CHECK_INTERVAL_MS);
    void this.check();
  }

  async stop(): Promise<void> {
    this.#cancel?.();
    this.#cancel = undefined;
    for (const filter of this.#contactFilters.values()) filter.close();
    this.#contactFilters.clear();
    await this.#running;
  }

  /** Publishes what is due now (one check at a time; a check while one runs joins it). */
  check(): Promise<void> {
    this.#running ??= this.#publishDue()
      .catch((error) => this.#context.onError(error))
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  /** Listens for the contact's contact code (its bundle), as status-go filters every contact's topic. */
  watchContact(contactId: string): void {
    if (this.#contactFilters.has(contactId)) return;
    const key = oneToOneChatPeer(contactId);
    const topic = contactCodeTopic(key);
    const filter = this.#context.waku.subscribe({ topics: [topic.topic], symKey: topic.symmetricKey });
    filter.on('message', (received) => void this.#receiveContactCode(contactId, key, received));
    this.#contactFilters.set(contactId, filter);
  }

  /** Stops listening for a contact's contact code (blocked, removed). */
  unwatchContact(contactId: string): void {
    this.#contactFilters.get(contactId)?.close();
    this.#contactFilters.delete(contactId);
  }

  async #publishDue(): Promise<void> {
    await this.#advertiseContactCode();
    await this.#resendProfiles();
  }

  async #advertiseContactCode(): Promise<void> {
    const { transport, waku, signer } = this.#context;
    // Push notifications are not offered, so the advertisement's own payload is empty (as status-go's is
    // without a push notification server); what matters is the bundle secure transport attaches.
    const wrapped = wrapApplicationMessage({
      type: 'CONTACT_CODE_ADVERTISEMENT',
      payload: new Uint8Array(0),
      signer,
    });
    const due = await transport.contactCodeAdvertisement(wrapped.bytes);
    if (!due) return;
    await waku.post({
      topic: due.topic.topic,
      symKey: due.topic.symmetricKey,
      payload: due.bytes,
      signingKey: signer.privateKey,
    });
  }

  async #resendProfiles(): Promise<void> {
    const { store, clock } = this.#context;
    const now = clock.now();
    const due = (await store.listContacts()).filter(
      (contact) =>
        contact.added && !contact.blocked && now - contact.lastProfileSentAt >= CONTACT_UPDATE_INTERVAL_MS,
    );
    if (due.length > 0) await this.#context.sendProfile(due.map((contact) => oneToOneChatPeer(contact.key)));
  }

  async #receiveContactCode(contactId: string, key: Uint8Array, received: ReceivedMessage): Promise<void> {
    // Only the contact itself advertises its code: an envelope signed by anyone else is ignored.
    if (!received.signer || !equalBytes(received.signer, key)) return;
    try {
      // Decrypting the (unencrypted) public message verifies and records the bundles it carries.
      await this.#context.transport.decrypt(convertPublicKey(key, 'compressed'), received.payload);
      this.#context.onBundle(contactId);
    } catch (error) {
      this.#context.onError(error);
    }
  }
}
