import { bytesToHex, equalBytes, hexToBytes, SlicedQueue } from '@status-ts/core';
import { convertPublicKey } from '@status-ts/crypto';
import {
  type DeliveredMessage,
  decodePayload,
  MvdsNode,
  type MvdsNodeOptions,
  type MvdsTransport,
  messageId as mvdsMessageId,
  oneToOneGroupId,
} from '@status-ts/mvds';
import {
  type ApplicationMessage,
  type ChatMessage,
  decodeChatMessage,
  decodeEmojiReaction,
  type EmojiReaction,
  type EmojiReactionType,
  encodeEmojiReaction,
  messageIdToHex,
  newChatMessage,
  nextChatClock,
  oneToOneChatId,
  oneToOneChatPeer,
  receivedChatId,
  unwrapApplicationMessage,
  validateEmojiReaction,
  validateReceivedChatMessage,
  wrapApplicationMessage,
  wrapChatMessage,
} from '@status-ts/payloads';
import {
  negotiatedTopic,
  partitionedTopic,
  type SecureTransport,
  type SendTopic,
} from '@status-ts/secure-transport';
import type { Envelope, Filter, ReceivedMessage, WakuNode } from '@status-ts/waku';
import type { ChatContext } from './chat-context.js';
import { ClientError, ClientErrorCode } from './errors.js';
import type { ChatKind, DeliveryState, StatusMessage } from './events.js';
import { memoize } from './memo.js';
import { type StatusReaction, toStatusReaction } from './reactions.js';

/** What the 1:1 chats need from the node. */
export interface DirectChatsContext extends ChatContext {
  readonly waku: WakuNode;
  readonly transport: SecureTransport;
  readonly mvds?: Omit<MvdsNodeOptions, 'transport' | 'clock'>;
  /** An envelope that came from a mailserver's history (a P2P message from a trusted peer). */
  fromHistory?(envelopeHash: string): void;
  /** Resolves once what was delivered so far is written to the store. */
  stored(): Promise<void>;
  /** A private wrapper of another kind than CHAT_MESSAGE (group updates), already verified. */
  onPrivateWrapper?(
    wrapper: ApplicationMessage,
    sender: Uint8Array,
    envelopeTimeMs: number,
    envelopeHash: string,
    protection: StatusMessage['protection'],
  ): void;
  /** A CONTACT_UPDATE received privately, already verified. */
  onContactUpdate?(wrapper: ApplicationMessage, sender: Uint8Array, envelopeHash: string): void;
  /**
   * Our devices (pairing and sync): sees every private wrapper first, with the sender's installation id;
   * true when it took it, false to go on as usual.
   */
  fromOwnDevice?(
    wrapper: ApplicationMessage,
    sender: Uint8Array,
    installationId: string,
    envelopeTimeMs: number,
    envelopeHash: string,
  ): boolean;
  /** Copies one of our 1:1 wrappers to our other devices, if any are paired (status-go sendToPairedDevices). */
  copyToOwnDevices?(wrapper: Uint8Array, id: string): Promise<void>;
  delivery(id: string, state: DeliveryState): void;
}

// Delivery states only move forward; `failed` (MVDS gave up) is final unless an ack still arrives.
const RANK: Record<DeliveryState, number> = { sending: 0, sent: 1, confirmed: 2, failed: 3, acknowledged: 4 };

/**
 * 1:1 chats as Status runs them: a ChatMessage wrapped and signed, carried by MVDS (batch mode, resent
 * until acknowledged), each MVDS payload encrypted by secure transport (X3DH + Double Ratchet, or a DH
 * header on first contact) and posted to the topic it names: the recipient's partitioned topic (an
 * asymmetric envelope), then the negotiated topic once both sides have a session. Receiving runs the
 * spec's order: filter → envelope signer → secure transport → MVDS → wrapper.
 */
export class DirectChats {
  readonly mvds: MvdsNode;
  readonly #context: DirectChatsContext;
  readonly #filters = new Map<string, Filter>();
  readonly #lastClock = new Map<string, number>();
  /** MVDS message id (hex) → Status message id, for our messages still moving through states. */
  readonly #byMvdsId = new Map<string, string>();
  /** Envelope hash (hex) → Status ids it carries, for Waku confirmations. */
  readonly #byEnvelope = new Map<string, string[]>();
  readonly #states = new Map<string, DeliveryState>();
  #refreshing: Promise<void> | undefined;
  #refreshQueued = false;
  /** Per sender, computed once: its compressed key (secure transport's form) and our MVDS group with it. */
  readonly #compressedKeys = memoize((hex) => convertPublicKey(hexToBytes(hex), 'compressed'));
  readonly #groups = memoize((hex) => oneToOneGroupId(this.#context.identity.publicKey, hexToBytes(hex)));
  /** Received envelopes, handled in order; a burst (a history page) yields to the event loop every 10 ms. */
  readonly #inbox: SlicedQueue;

  constructor(context: DirectChatsContext) {
    this.#context = context;
    this.#inbox = new SlicedQueue({
      onError: (error) => context.drop('a 1:1 envelope the receive path failed on', error, ''),
    });
    const transport: MvdsTransport = { send: (peer, payload) => this.#post(peer, payload) };
    this.mvds = new MvdsNode({ ...context.mvds, transport, clock: context.clock });
    this.mvds.on('acked', ({ messageId }) =>
      this.#advance(this.#byMvdsId.get(bytesToHex(messageId)), 'acknowledged'),
    );
    this.mvds.on('give-up', (event) =>
      this.#advance(this.#byMvdsId.get(bytesToHex(event.messageId)), 'failed'),
    );
    context.waku.on('envelope:confirmed', ({ envelope }) => this.#confirmed(envelope));
  }

  /** Listens on our partitioned and discovery topics (and every negotiated topic), then runs MVDS. */
  async start(): Promise<void> {
    await this.#refreshFilters();
    await this.mvds.start();
    await this.#resumeOutgoing();
  }

  /**
   * After a restart: our chat messages MVDS still carries get their delivery tracking back (an ack that
   * arrives now moves them on), and one MVDS took but the store never saved (a crash in between) is saved.
   */
  async #resumeOutgoing(): Promise<void> {
    const { identity } = this.#context;
    for (const outgoing of await this.mvds.outgoing()) {
      // Copies to our own devices are not what the message's delivery state follows.
      if (equalBytes(outgoing.peer, identity.publicKey)) continue;
      // The peer answers (acks included) on our negotiated topic once it has our bundle: listen there again.
      this.#listenNegotiated(outgoing.peer);
      let wrapper: ApplicationMessage;
      let message: ChatMessage;
      try {
        wrapper = unwrapApplicationMessage(outgoing.body);
        if (wrapper.type !== 'CHAT_MESSAGE' || !wrapper.author) continue;
        if (!equalBytes(wrapper.author, identity.publicKey)) continue;
        message = decodeChatMessage(wrapper.payload);
      } catch {
        continue; // not one of our chat messages: nothing to track
      }
      const id = messageIdToHex(wrapper.id);
      this.#byMvdsId.set(bytesToHex(outgoing.id), id);
      if (!this.#states.has(id)) this.#states.set(id, 'sending');
      const kind: ChatKind = message.messageType === 'PRIVATE_GROUP' ? 'group' : 'one-to-one';
      // The node saves it unless the store already holds it (then nothing is delivered again).
      this.#context.deliver(
        this.#context.toStatusMessage(message, id, identity.id, true, kind),
        wrapper.bytes,
      );
    }
  }

  async stop(): Promise<void> {
    await this.mvds.stop();
    for (const filter of this.#filters.values()) filter.close();
    this.#filters.clear();
  }

  /** The delivery state of one of our 1:1 messages, if we sent it in this session. */
  deliveryState(id: string): DeliveryState | undefined {
    return this.#states.get(id);
  }

  /** Sends a text to `peer` (any key form or a `0x04…` id): wrapped, then handed to MVDS. */
  async send(
    peer: Uint8Array | string,
    text: string,
    options: { responseTo?: string } = {},
  ): Promise<StatusMessage> {
    const peerKey = typeof peer === 'string' ? peerKeyOf(peer) : convertPublicKey(peer, 'uncompressed');
    const chatId = oneToOneChatId(peerKey);
    const last = this.#lastClock.get(chatId);
    const message = newChatMessage({
      chat: { kind: 'one-to-one', peer: peerKey },
      text,
      now: this.#context.clock.now(),
      ...(last === undefined ? {} : { lastClock: last }),
      ...(options.responseTo ? { responseTo: options.responseTo } : {}),
    });
    this.#lastClock.set(chatId, message.clock);
    const wrapped = wrapChatMessage(message, this.#context.signer);
    const id = messageIdToHex(wrapped.id);
    const delivered = this.#context.toStatusMessage(
      message,
      id,
      this.#context.identity.id,
      true,
      'one-to-one',
    );
    // MVDS first: once it holds the message, a restart finds it there even if the store never got it.
    await this.sendWrapped([peerKey], wrapped.bytes, id);
    this.#context.deliver(delivered, wrapped.bytes);
    await this.#context.copyToOwnDevices?.(wrapped.bytes, id);
    return delivered;
  }

  /** Reacts to a message of a 1:1 chat (or takes the reaction back), sent like a 1:1 message. */
  async react(
    target: { readonly id: string; readonly chatId: string },
    emoji: EmojiReactionType,
    retract: boolean,
  ): Promise<StatusReaction> {
    const peerKey = peerKeyOf(target.chatId);
    const chatId = oneToOneChatId(peerKey);
    const reaction: EmojiReaction = {
      clock: nextChatClock(this.#lastClock.get(chatId), this.#context.clock.now()),
      chatId,
      messageId: target.id,
      messageType: 'ONE_TO_ONE',
      type: emoji,
      retracted: retract,
    };
    this.#lastClock.set(chatId, reaction.clock);
    const wrapped = wrapApplicationMessage({
      type: 'EMOJI_REACTION',
      payload: encodeEmojiReaction(reaction),
      signer: this.#context.signer,
    });
    const { identity } = this.#context;
    const delivered = toStatusReaction(reaction, identity.publicKey, chatId, 'one-to-one', identity.id);
    this.#context.deliverReaction(delivered);
    await this.sendWrapped([peerKey], wrapped.bytes, messageIdToHex(wrapped.id), { track: false });
    await this.#context.copyToOwnDevices?.(wrapped.bytes, messageIdToHex(wrapped.id));
    return delivered;
  }

  /** Listens now on the negotiated topic with `peer` (our own key: the topic our devices share). */
  listenTo(peer: Uint8Array): void {
    this.#listenNegotiated(peer);
  }

  /**
   * Sends a signed wrapper privately to each of `peers` (status-go's sendPrivate: MVDS in the 1:1 group of
   * the two keys, then secure transport and Waku). `id` is its Status message id; its delivery state
   * follows the first recipient to reach each state.
   */
  async sendWrapped(
    peers: readonly Uint8Array[],
    wrapper: Uint8Array,
    id: string,
    options: { track?: boolean } = {},
  ): Promise<void> {
    // Delivery states are for chat messages; control messages (reactions, group changes, contact
    // updates) travel the same way without them.
    const track = options.track ?? true;
    if (track) this.#advance(id, 'sending');
    for (const peer of peers) {
      const group = this.#groupOf(peer);
      // status-go listens on the negotiated topic of a peer as soon as it writes to it: once the peer has
      // our bundle it answers there (our acks and replies included).
      this.#listenNegotiated(peer);
      await this.mvds.addPeer(group, peer);
      const mvdsId = await this.mvds.send(group, wrapper);
      if (track) this.#byMvdsId.set(bytesToHex(mvdsId), id);
    }
  }

  /** MVDS hands us a payload for `peer`: encrypt it and post it where secure transport says. */
  async #post(peer: Uint8Array, payload: Uint8Array): Promise<void> {
    const { waku, transport, identity } = this.#context;
    // Secure transport keys identities by their 33-byte compressed form.
    const encrypted = await transport.encryptMessage(convertPublicKey(peer, 'compressed'), payload);
    const posted = await waku.post({
      ...postTarget(encrypted.topic, peer),
      payload: encrypted.bytes,
      signingKey: identity.privateKey,
    });
    const carried = this.#ourMessagesIn(payload);
    if (carried.length > 0) this.#byEnvelope.set(posted.hashHex, carried);
    for (const id of carried) this.#advance(id, 'sent');
  }

  /** Status ids of our messages inside an outgoing MVDS payload. */
  #ourMessagesIn(payload: Uint8Array): string[] {
    const ids: string[] = [];
    for (const message of decodePayload(payload).messages) {
      const id = this.#byMvdsId.get(bytesToHex(mvdsMessageId(message)));
      if (id) ids.push(id);
    }
    return ids;
  }

  #confirmed(envelope: Envelope): void {
    for (const id of this.#byEnvelope.get(envelope.hashHex) ?? []) this.#advance(id, 'confirmed');
  }

  #advance(id: string | undefined, state: DeliveryState): void {
    if (id === undefined) return;
    const current = this.#states.get(id);
    if (current !== undefined && RANK[current] >= RANK[state]) return;
    this.#states.set(id, state);
    this.#context.delivery(id, state);
  }

  #listenNegotiated(peer: Uint8Array): void {
    const { topic, symmetricKey } = negotiatedTopic(this.#context.identity.privateKey, peer);
    this.#subscribe(`s:${bytesToHex(topic)}`, { topics: [topic], symKey: symmetricKey });
  }

  #subscribe(key: string, options: Parameters<WakuNode['subscribe']>[0]): void {
    if (this.#filters.has(key)) return;
    const filter = this.#context.waku.subscribe(options);
    filter.on('message', (received) => this.#inbox.push(() => this.#receive(received)));
    this.#filters.set(key, filter);
  }

  /** Subscribes to topics secure transport says we should listen on and we do not yet. */
  #compressed(key: Uint8Array): Uint8Array {
    return this.#compressedKeys(bytesToHex(key));
  }

  #groupOf(peer: Uint8Array): Uint8Array {
    return this.#groups(bytesToHex(peer));
  }

  /**
   * A message may have started a session (a new negotiated topic to listen on): refresh the filters after
   * what is already queued, once per burst rather than once per message.
   */
  #scheduleRefresh(): void {
    if (this.#refreshQueued) return;
    this.#refreshQueued = true;
    this.#inbox.push(async () => {
      this.#refreshQueued = false;
      await this.#refreshFilters();
    });
  }

  #refreshFilters(): Promise<void> {
    this.#refreshing ??= (async () => {
      const topics = await this.#context.transport.listeningTopics();
      const { privateKey } = this.#context.identity;
      for (const { topic } of topics.asymmetric) {
        this.#subscribe(`a:${bytesToHex(topic)}`, { topics: [topic], privateKey });
      }
      for (const { topic, symmetricKey } of topics.negotiated) {
        this.#subscribe(`s:${bytesToHex(topic)}`, { topics: [topic], symKey: symmetricKey });
      }
    })().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #receive(received: ReceivedMessage): Promise<void> {
    const envelopeHash = `0x${received.hashHex}`;
    if (received.p2p) this.#context.fromHistory?.(envelopeHash);
    const sender = received.signer;
    if (!sender) {
      this.#context.drop('an unsigned 1:1 envelope (the sender is unknown)', undefined, envelopeHash);
      return;
    }
    if (
      bytesToHex(sender) === bytesToHex(this.#context.identity.publicKey) &&
      received.peerId === undefined
    ) {
      return; // our own post, seen by our own filter
    }
    const { transport } = this.#context;
    let decrypted: Awaited<ReturnType<SecureTransport['decrypt']>>;
    try {
      decrypted = await transport.decrypt(this.#compressed(sender), received.payload);
    } catch (error) {
      this.#context.drop('a 1:1 message we cannot decrypt', error, envelopeHash);
      await this.#replyWithBundle(sender, error);
      return;
    }
    // A DH message to our own key (pairing) opens on every device of ours, this one too: not for us.
    if (
      decrypted.installationId === transport.installationId &&
      equalBytes(sender, this.#context.identity.publicKey)
    ) {
      return;
    }
    try {
      if (decrypted.payload.length === 0) return; // a bundle reply: the transport recorded the bundle
      const handle = (body: Uint8Array) =>
        this.#handleWrapper(
          body,
          sender,
          decrypted.installationId,
          received.sent * 1000,
          envelopeHash,
          decrypted.kind,
        );
      // MVDS records a message as delivered, and acks it, only once it is in our store: a crash in
      // between leaves it unacknowledged, so the sender sends it again and nothing is lost.
      const result = await this.mvds.receive(sender, decrypted.payload, {
        accept: async (messages: readonly DeliveredMessage[]) => {
          for (const message of messages) handle(message.body);
          await this.#context.stored();
        },
      });
      if (result.mvds) {
        await this.mvds.addPeer(this.#groupOf(sender), sender); // so our acks and replies can flow back
      } else {
        handle(decrypted.payload); // not MVDS: a bare ApplicationMetadataMessage (status-go's rule)
      }
      await decrypted.confirm();
    } finally {
      this.#scheduleRefresh();
    }
  }

  #handleWrapper(
    bytes: Uint8Array,
    sender: Uint8Array,
    installationId: string,
    envelopeTimeMs: number,
    envelopeHash: string,
    protection: StatusMessage['protection'],
  ): void {
    let wrapper: ApplicationMessage;
    try {
      wrapper = unwrapApplicationMessage(bytes);
    } catch (error) {
      this.#context.drop('an invalid application message', error, envelopeHash);
      return;
    }
    if (this.#context.fromOwnDevice?.(wrapper, sender, installationId, envelopeTimeMs, envelopeHash)) return;
    if (wrapper.type === 'MEMBERSHIP_UPDATE_MESSAGE') {
      this.#context.onPrivateWrapper?.(wrapper, sender, envelopeTimeMs, envelopeHash, protection);
      return;
    }
    if (wrapper.type === 'EMOJI_REACTION') {
      this.#receiveReaction(wrapper, sender, envelopeTimeMs, envelopeHash);
      return;
    }
    if (wrapper.type === 'CONTACT_UPDATE') {
      this.#context.onContactUpdate?.(wrapper, sender, envelopeHash);
      return;
    }
    if (wrapper.type !== 'CHAT_MESSAGE') {
      this.#context.drop(`a ${wrapper.type} message (not handled yet)`, undefined, envelopeHash);
      return;
    }
    let message: ChatMessage;
    try {
      message = decodeChatMessage(wrapper.payload);
      validateReceivedChatMessage(message, { envelopeTimeMs, signed: wrapper.signed });
    } catch (error) {
      this.#context.drop('invalid 1:1 chat message', error, envelopeHash);
      return;
    }
    const author = wrapper.author ?? convertPublicKey(sender, 'uncompressed');
    if (message.messageType !== 'ONE_TO_ONE') {
      this.#context.drop(`a ${message.messageType} message in a 1:1 envelope`, undefined, envelopeHash);
      return;
    }
    let chatId: string;
    try {
      ({ chatId } = receivedChatId({
        messageType: 'ONE_TO_ONE',
        chatId: message.chatId,
        author,
        self: this.#context.identity.publicKey,
      }));
    } catch (error) {
      this.#context.drop('a 1:1 message with a bad chat id', error, envelopeHash);
      return;
    }
    this.#lastClock.set(chatId, Math.max(this.#lastClock.get(chatId) ?? 0, message.clock));
    const authorId = `0x${bytesToHex(author)}`;
    const delivered = this.#context.toStatusMessage(
      { ...message, chatId },
      messageIdToHex(wrapper.id),
      authorId,
      authorId === this.#context.identity.id,
      'one-to-one',
    );
    this.#context.deliver({ ...delivered, envelopeHash, ...(protection ? { protection } : {}) }, bytes);
  }

  #receiveReaction(
    wrapper: ApplicationMessage,
    sender: Uint8Array,
    envelopeTimeMs: number,
    envelopeHash: string,
  ): void {
    const author = wrapper.author ?? convertPublicKey(sender, 'uncompressed');
    let reaction: EmojiReaction;
    let chatId: string;
    try {
      reaction = decodeEmojiReaction(wrapper.payload);
      validateEmojiReaction(reaction, envelopeTimeMs);
      if (reaction.messageType !== 'ONE_TO_ONE')
        throw new Error(`a ${reaction.messageType} reaction in a 1:1 envelope`);
      ({ chatId } = receivedChatId({
        messageType: 'ONE_TO_ONE',
        chatId: reaction.chatId,
        author,
        self: this.#context.identity.publicKey,
      }));
    } catch (error) {
      this.#context.drop('invalid 1:1 emoji reaction', error, envelopeHash);
      return;
    }
    this.#lastClock.set(chatId, Math.max(this.#lastClock.get(chatId) ?? 0, reaction.clock));
    const { identity } = this.#context;
    this.#context.deliverReaction(toStatusReaction(reaction, author, chatId, 'one-to-one', identity.id));
  }

  /** ST-12: tell a sender whose message we could not open which devices and prekeys we have. */
  async #replyWithBundle(sender: Uint8Array, error: unknown): Promise<void> {
    const { transport, waku, identity } = this.#context;
    try {
      const reply = await transport.bundleReply(convertPublicKey(sender, 'compressed'), error);
      if (!reply) return;
      await waku.post({
        ...postTarget({ kind: 'partitioned', topic: partitionedTopic(sender) }, sender),
        payload: reply,
        signingKey: identity.privateKey,
      });
    } catch {
      // Best effort: the sender retries through MVDS anyway.
    }
  }
}

function postTarget(
  topic: SendTopic,
  peer: Uint8Array,
): { topic: Uint8Array; symKey: Uint8Array } | { topic: Uint8Array; publicKey: Uint8Array } {
  return topic.kind === 'negotiated'
    ? { topic: topic.topic, symKey: topic.symmetricKey }
    : { topic: topic.topic, publicKey: convertPublicKey(peer, 'uncompressed') };
}

function peerKeyOf(id: string): Uint8Array {
  try {
    return oneToOneChatPeer(id);
  } catch (cause) {
    throw new ClientError(
      ClientErrorCode.InvalidOptions,
      `not a chat key: ${JSON.stringify(id.slice(0, 20))}…`,
      {
        cause,
      },
    );
  }
}
