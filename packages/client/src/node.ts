import {
  AsyncQueue,
  abortReason,
  bytesToHex,
  type Clock,
  type NamedStartable,
  type StartedParts,
  startable,
  startInOrder,
  systemClock,
  TypedEmitter,
} from '@status-ts/core';
import { convertPublicKey } from '@status-ts/crypto';
import { type DialTarget, Server } from '@status-ts/devp2p';
import { threeWordName } from '@status-ts/identity';
import { type EnvelopeStore, MailServer, MemoryEnvelopeStore } from '@status-ts/mailserver';
import type { MvdsNodeOptions } from '@status-ts/mvds';
import {
  type ApplicationMessage,
  type ChatMessage,
  type ContactUpdate,
  decodeChatMessage,
  decodeContactUpdate,
  decodeEmojiReaction,
  type EmojiReaction,
  type EmojiReactionType,
  encodeContactUpdate,
  encodeEmojiReaction,
  type MessageSigner,
  messageIdToHex,
  messageSigner,
  newChatMessage,
  nextChatClock,
  oneToOneChatId,
  oneToOneChatPeer,
  publicChatId,
  unwrapApplicationMessage,
  validateEmojiReaction,
  validateReceivedChatMessage,
  wrapApplicationMessage,
  wrapChatMessage,
} from '@status-ts/payloads';
import { SecureTransport, type SessionStore } from '@status-ts/secure-transport';
import {
  type Filter,
  publicChat,
  type ReceivedMessage,
  type Topic,
  WakuNode,
  type WakuNodeOptions,
} from '@status-ts/waku';
import { DirectChats } from './direct-chats.js';
import { ClientError, ClientErrorCode } from './errors.js';
import type { ChatKind, DeliveryState, StatusMessage, StatusNodeEvents } from './events.js';
import { type GroupChatInfo, GroupChats } from './group-chats.js';
import { History, type HistoryOptions, type HistoryResult } from './history.js';
import { type IdentityOption, type NodeIdentity, resolveIdentity } from './identity.js';
import { STATUS_PROFILE } from './profile.js';
import { publicMessageWrapper } from './public-payload.js';
import { type StatusReaction, toStatusReaction, toStoredReaction } from './reactions.js';
import { SeenIds } from './seen-ids.js';
import { MemoryMessageStore } from './store/memory.js';
import type { MessageStore } from './store/message-store.js';
import type { MessagePage, NewMessage, StoredContact } from './store/types.js';

/** What the node does for the network besides chatting. */
export type NodeRole = 'mobile' | 'relayer';

/** Options of `createStatusNode`. */
export interface StatusNodeOptions {
  /** The chat identity: a BIP39 phrase or the chat private key. */
  readonly identity: IdentityOption;
  /**
   * `mobile` (default): a Waku light node (relays only its own envelopes, advertises topic interest);
   * `relayer`: a full Waku node relaying everything.
   */
  readonly role?: NodeRole;
  /** The devp2p node key (default: a new one each start; persist it for a stable enode). */
  readonly nodeKey?: Uint8Array;
  /** Where to listen for RLPx (default 127.0.0.1, a free port); `false` to only dial. */
  readonly listen?: { readonly host?: string; readonly port?: number } | false;
  /** Peers to keep connected (enode URLs, ENRs), re-dialed when they drop. */
  readonly staticPeers?: readonly DialTarget[];
  /** This device's installation id (default: a random UUID). */
  readonly installationId?: string;
  /** Time source (tests pass a ManualClock). */
  readonly clock?: Clock;
  /** Extra Waku options (merged over the role's). */
  readonly waku?: WakuNodeOptions;
  /** Message ids and envelope hashes remembered for dedup (default 50,000). */
  readonly dedupLimit?: number;
  /**
   * Where chats and messages are kept (default: a new `MemoryMessageStore`; for a file,
   * `openClientSqliteStore` from `@status-ts/client/sqlite`). The node does not close a store it was given.
   */
  readonly store?: MessageStore;
  /**
   * The mailserver role: archive every envelope relayed and answer history requests (a relayer with
   * confirmations on, as Status' mailservers). `true` keeps the archive in memory; pass `{ store }` for
   * SQLite or PostgreSQL (`@status-ts/mailserver/sqlite`, `/postgres`).
   */
  readonly mailserver?: boolean | { readonly store?: EnvelopeStore };
  /**
   * Fetch history by itself from this mailserver (node id, hex or bytes): the gap of every topic we listen
   * on whenever it connects (at start and after each reconnect), as status-go does. Without it, call
   * `requestHistory` when the app wants.
   */
  readonly historyFrom?: Uint8Array | string;
  /**
   * Where secure transport keeps prekeys, devices and ratchet sessions (default: in memory; for a file,
   * `openSecureTransportSqliteStore` from `@status-ts/secure-transport/sqlite`, on the same database as
   * the message store).
   */
  readonly sessionStore?: SessionStore;
  /** MVDS options for 1:1 chats (epoch, backoff, max sends, stores). */
  readonly mvds?: Omit<MvdsNodeOptions, 'transport' | 'clock'>;
}

/** A sent message: its Status id and the envelope that carries it. */
export interface SentMessage {
  readonly message: StatusMessage;
  readonly envelopeHash: string;
}

interface JoinedPublicChat {
  readonly name: string;
  readonly topic: Topic;
  readonly symKey: Uint8Array;
  readonly filter: Filter;
  lastClock: number | undefined;
}

const DEFAULT_DEDUP_LIMIT = 50_000;

/**
 * A Status node: an identity, a Waku node over RLPx, secure transport and the Status payloads, composed.
 * Create with `createStatusNode`, then `start()`.
 */
export class StatusNode extends TypedEmitter<StatusNodeEvents> {
  readonly identity: NodeIdentity;
  readonly role: NodeRole;
  readonly waku: WakuNode;
  readonly server: Server;
  readonly transport: SecureTransport;
  readonly installationId: string;
  /** Chats, messages, contacts, history sync state (default: in memory). */
  readonly store: MessageStore;
  readonly #direct: DirectChats;
  readonly #groups: GroupChats;
  #profile: { ensName?: string; profileImage?: string } = {};
  readonly #historyFrom: Uint8Array | string | undefined;
  #unwatchMailserver: (() => void) | undefined;
  #profileClock: number | undefined;
  readonly #history: History;
  /** The archive, when the node runs the mailserver role. */
  readonly mailserver: MailServer | undefined;
  #storeQueue: Promise<void> = Promise.resolve();
  readonly #clock: Clock;
  readonly #signer: MessageSigner;
  readonly #publicChats = new Map<string, JoinedPublicChat>();
  readonly #seenEnvelopes: SeenIds;
  readonly #seenMessages: SeenIds;
  readonly #subscribers = new Set<AsyncQueue<StatusMessage>>();
  #running: StartedParts | undefined;

  constructor(options: StatusNodeOptions) {
    super();
    this.identity = resolveIdentity(options.identity);
    this.role = options.role ?? (options.mailserver ? 'relayer' : 'mobile');
    if (options.mailserver && this.role !== 'relayer') {
      throw new ClientError(ClientErrorCode.InvalidOptions, 'a mailserver relays: use role relayer');
    }
    if (this.role !== 'mobile' && this.role !== 'relayer') {
      throw new ClientError(ClientErrorCode.InvalidOptions, `unknown role ${JSON.stringify(this.role)}`);
    }
    this.#clock = options.clock ?? systemClock;
    this.#historyFrom = options.historyFrom;
    this.#signer = messageSigner(this.identity.privateKey);
    const dedupLimit = options.dedupLimit ?? DEFAULT_DEDUP_LIMIT;
    this.#seenEnvelopes = new SeenIds(dedupLimit);
    this.#seenMessages = new SeenIds(dedupLimit);
    this.installationId = options.installationId ?? globalThis.crypto.randomUUID();
    this.store = options.store ?? new MemoryMessageStore({ now: () => this.#clock.now() });
    this.waku = new WakuNode({
      protocols: ['waku'],
      clock: this.#clock,
      ...(this.role === 'mobile' ? { lightNode: true } : {}),
      ttl: STATUS_PROFILE.ttl,
      powTimeMs: STATUS_PROFILE.powTimeMs,
      ...(options.mailserver ? { confirmations: true } : {}),
      ...options.waku,
    });
    const nodeKey = options.nodeKey ?? globalThis.crypto.getRandomValues(new Uint8Array(32));
    if (options.mailserver) {
      const store =
        typeof options.mailserver === 'object' && options.mailserver.store
          ? options.mailserver.store
          : new MemoryEnvelopeStore();
      this.mailserver = new MailServer({ store, privateKey: nodeKey, clock: this.#clock });
      this.mailserver.attach(this.waku);
    } else {
      this.mailserver = undefined;
    }
    const listen = options.listen ?? {};
    this.server = new Server({
      privateKey: nodeKey,
      clientId: `status-ts/${this.role}`,
      capabilities: this.waku.capabilities,
      clock: this.#clock,
      ...(listen === false
        ? { listen: false }
        : { host: listen.host ?? '127.0.0.1', port: listen.port ?? 0 }),
      ...(options.staticPeers ? { staticPeers: options.staticPeers } : {}),
    });
    this.transport = new SecureTransport({
      identityKey: this.identity.privateKey,
      installationId: this.installationId,
      now: () => this.#clock.now(),
      ...(options.sessionStore ? { store: options.sessionStore } : {}),
    });
    this.#direct = new DirectChats({
      identity: this.identity,
      signer: this.#signer,
      waku: this.waku,
      transport: this.transport,
      clock: this.#clock,
      ...(options.mvds ? { mvds: options.mvds } : {}),
      toStatusMessage: (message, id, author, outgoing, kind) =>
        this.#toStatusMessage(message, id, author, outgoing, kind),
      deliver: (message, raw) => this.#deliver(message, raw),
      deliverReaction: (reaction) => this.#deliverReaction(reaction),
      onContactUpdate: (wrapper, sender, envelopeHash) =>
        this.#receiveContactUpdate(wrapper, sender, envelopeHash),
      onPrivateWrapper: (wrapper, sender, envelopeTimeMs, envelopeHash, protection) =>
        this.#groups.receive(wrapper, sender, envelopeTimeMs, envelopeHash, protection),
      drop: (reason, error, envelopeHash) => this.emit('dropped', { reason, error, envelopeHash }),
      delivery: (id, state) => {
        this.emit('delivery', { id, state });
        this.#persist(() => this.store.setDeliveryState(id, state));
      },
    });
    this.#groups = new GroupChats({
      identity: this.identity,
      signer: this.#signer,
      clock: this.#clock,
      sendPrivately: (peers, wrapper, id, options) => this.#direct.sendWrapped(peers, wrapper, id, options),
      toStatusMessage: (message, id, author, outgoing, kind) =>
        this.#toStatusMessage(message, id, author, outgoing, kind),
      deliver: (message, raw) => this.#deliver(message, raw),
      deliverReaction: (reaction) => this.#deliverReaction(reaction),
      drop: (reason, error, envelopeHash) => this.emit('dropped', { reason, error, envelopeHash }),
      changed: (state, entries) => {
        this.emit('group', {
          chatId: state.chatId,
          name: state.name,
          members: [...state.members],
          admins: [...state.admins],
          joined: [...state.joined],
        });
        this.#persist(() =>
          this.store.upsertChat({
            id: state.chatId,
            kind: 'group',
            name: state.name,
            active: state.isMember(this.identity.id),
            membershipEvents: entries,
          }),
        );
      },
    });
    this.#history = new History(this.waku, this.store, this.#clock, (page) =>
      this.emit('history:page', page),
    );
  }

  /** `enode://…` of this node, once started and listening. */
  get enode(): string | undefined {
    return this.#running && this.server.address ? this.server.enode : undefined;
  }

  /**
   * Resolves once `count` Waku peers (default 1) have completed their handshake; rejects with the
   * signal's reason if it aborts first.
   */
  async waitForPeers(count = 1, options: { signal?: AbortSignal } = {}): Promise<void> {
    const ready = () => this.waku.peers.length >= count;
    if (ready()) return;
    await new Promise<void>((resolve, reject) => {
      const onPeer = () => {
        if (!ready()) return;
        cleanup();
        resolve();
      };
      const onAbort = () => {
        cleanup();
        reject(abortReason(options.signal!));
      };
      const cleanup = () => {
        this.waku.off('peer:added', onPeer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      if (options.signal?.aborted) return onAbort();
      // `peer:added` fires when a peer's Status exchange completes (the peer is ready).
      this.waku.on('peer:added', onPeer);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** True between a successful `start()` and `stop()`. */
  get running(): boolean {
    return this.#running !== undefined;
  }

  /**
   * Starts Waku, the RLPx server (dialing the static peers), then the 1:1 chats (their filters and MVDS);
   * a failure unwinds what started.
   */
  async start(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.#running) return;
    const parts: NamedStartable[] = [
      startable(
        'waku',
        () => this.waku.start(),
        () => this.waku.stop(),
      ),
      startable(
        'rlpx',
        () => this.server.start(),
        () => this.server.stop(),
      ),
      startable(
        '1:1 chats',
        () => this.#direct.start(),
        () => this.#direct.stop(),
      ),
      startable(
        'history',
        () => {
          this.#history.start();
          this.#watchMailserver();
        },
        () => {
          this.#unwatchMailserver?.();
          this.#history.stop();
        },
      ),
    ];
    if (this.mailserver) {
      const mailserver = this.mailserver;
      parts.push(
        startable(
          'mailserver',
          () => undefined,
          () => mailserver.stop(),
        ),
      );
    }
    this.#running = await startInOrder(parts, options);
  }

  /** Leaves every chat, ends every message iterator and stops the layers in reverse order. */
  async stop(): Promise<void> {
    const running = this.#running;
    if (!running) return;
    this.#running = undefined;
    for (const chat of this.#publicChats.values()) chat.filter.close();
    this.#publicChats.clear();
    await running.stop();
    await this.#storeQueue;
    for (const queue of this.#subscribers) queue.end();
    this.#subscribers.clear();
  }

  /**
   * Joins a public chat: its name must be a valid Status public chat name (`[a-z0-9-]`); its Waku topic
   * and symmetric key come from the name. Messages arrive as `message` events and through `messages()`.
   */
  joinPublicChat(name: string): void {
    this.#assertRunning();
    const chatId = publicChatId(name);
    if (this.#publicChats.has(chatId)) return;
    const { topic, symKey } = publicChat(chatId);
    const filter = this.waku.subscribe({ topics: [topic], symKey });
    const chat: JoinedPublicChat = { name: chatId, topic, symKey, filter, lastClock: undefined };
    filter.on('message', (received) => this.#receivePublic(chat, received));
    this.#publicChats.set(chatId, chat);
    this.#persist(() => this.store.upsertChat({ id: chatId, kind: 'public', name: chatId, active: true }));
    this.#autoFetch([topic]); // a newly joined chat gets its history at once (status-go does the same)
  }

  /** Leaves a public chat (no more messages from it). */
  leavePublicChat(name: string): void {
    const chat = this.#publicChats.get(name);
    if (!chat) return;
    chat.filter.close();
    this.#publicChats.delete(name);
    this.#persist(() => this.store.deactivateChat(name));
  }

  /** Names of the joined public chats. */
  get publicChats(): string[] {
    return [...this.#publicChats.keys()];
  }

  /**
   * Sends a text message to a joined public chat as a Status app does: a ChatMessage with the next Lamport
   * clock, signed and wrapped, in a secure-transport public message, posted to the chat's topic encrypted
   * with its key and signed by our chat key.
   */
  async sendPublicMessage(
    name: string,
    text: string,
    options: { responseTo?: string; signal?: AbortSignal } = {},
  ): Promise<SentMessage> {
    this.#assertRunning();
    const chat = this.#publicChats.get(name);
    if (!chat) {
      throw new ClientError(
        ClientErrorCode.UnknownChat,
        `join the public chat ${JSON.stringify(name)} first`,
      );
    }
    const message = newChatMessage({
      chat: { kind: 'public', name: chat.name },
      text,
      now: this.#clock.now(),
      ...(chat.lastClock === undefined ? {} : { lastClock: chat.lastClock }),
      ...(options.responseTo ? { responseTo: options.responseTo } : {}),
    });
    chat.lastClock = message.clock;
    const wrapped = wrapChatMessage(message, this.#signer);
    const payload = await this.transport.buildPublicMessage(wrapped.bytes);
    const id = messageIdToHex(wrapped.id);
    const delivered = this.#toStatusMessage(message, id, this.identity.id, true);
    this.#deliver(delivered, wrapped.bytes);
    const posted = await this.waku.post({
      topic: chat.topic,
      symKey: chat.symKey,
      payload,
      signingKey: this.identity.privateKey,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { message: delivered, envelopeHash: `0x${posted.hashHex}` };
  }

  /**
   * Sends a text to a 1:1 chat with `peer` (a key in any form, or its `0x04…` id), as status-go does:
   * wrapped and signed, carried by MVDS until acknowledged, encrypted by secure transport, posted to the
   * peer's partitioned topic (or the negotiated one once both sides have a session). Follow its progress
   * with `delivery` events or `deliveryState(id)`.
   */
  async sendDirectMessage(
    peer: Uint8Array | string,
    text: string,
    options: { responseTo?: string } = {},
  ): Promise<StatusMessage> {
    this.#assertRunning();
    return this.#direct.send(peer, text, options);
  }

  /**
   * Creates a private group chat with us as its admin and `members` added (keys in any form or `0x04…`
   * ids), and sends them the event log. They see it once they `joinGroupChat`.
   */
  createGroupChat(name: string, members: readonly (Uint8Array | string)[]): Promise<GroupChatInfo> {
    this.#assertRunning();
    return this.#groups.create(name, members);
  }

  /** Joins a group chat we were added to (MEMBER_JOINED): from then on we receive and may send. */
  joinGroupChat(chatId: string): Promise<GroupChatInfo> {
    this.#assertRunning();
    return this.#groups.join(chatId);
  }

  /** Adds members to a group (admins only). */
  addGroupMembers(chatId: string, members: readonly (Uint8Array | string)[]): Promise<GroupChatInfo> {
    this.#assertRunning();
    return this.#groups.addMembers(chatId, members);
  }

  /** Removes a member (admins remove non-admins; removing ourselves leaves the group). */
  removeGroupMember(chatId: string, member: Uint8Array | string): Promise<GroupChatInfo> {
    this.#assertRunning();
    return this.#groups.removeMember(chatId, member);
  }

  /** Sends a text to a group chat: to every member who joined, privately. */
  sendGroupMessage(
    chatId: string,
    text: string,
    options: { responseTo?: string } = {},
  ): Promise<StatusMessage> {
    this.#assertRunning();
    return this.#groups.send(chatId, text, options);
  }

  /**
   * Fetches history from a mailserver peer: by default the gap since the last successful fetch (one day
   * for a first fetch) of every topic the node listens on; progress as `history:page` events. What arrives
   * goes through the usual receive path (dedup included) and the fetched bound is stored per topic.
   */
  requestHistory(options: HistoryOptions): Promise<HistoryResult> {
    this.#assertRunning();
    return this.#history.request(options, this.listeningTopics());
  }

  /** With `historyFrom`: fetch the gap each time that mailserver becomes a ready peer (now, if it is). */
  #watchMailserver(): void {
    const option = this.#historyFrom;
    if (option === undefined) return;
    const id = mailserverId(option);
    const onPeer = (peer: { idHex: string }) => {
      if (peer.idHex === id) this.#autoFetch(this.listeningTopics());
    };
    this.waku.on('peer:added', onPeer);
    this.#unwatchMailserver = () => this.waku.off('peer:added', onPeer);
    if (this.waku.peers.some((peer) => peer.idHex === id)) this.#autoFetch(this.listeningTopics());
  }

  /** A fetch started by the node itself (`historyFrom`): its outcome is an event, never a throw. */
  #autoFetch(topics: Topic[]): void {
    if (this.#historyFrom === undefined || topics.length === 0) return;
    const mailserver = mailserverId(this.#historyFrom);
    if (!this.waku.peers.some((peer) => peer.idHex === mailserver)) return; // fetched when it connects
    this.#history.request({ mailserver }, topics).then(
      (result) => this.emit('history:done', result),
      (error) => this.emit('history:error', error),
    );
  }

  /** Every Waku topic the node listens on (public chats, our partitioned and negotiated topics…). */
  listeningTopics(): Topic[] {
    const seen = new Map<string, Topic>();
    for (const filter of this.waku.filters)
      for (const topic of filter.topics) seen.set(bytesToHex(topic), topic);
    return [...seen.values()];
  }

  /** The group chats we know, with their members, admins and who joined. */
  groupChats(): GroupChatInfo[] {
    return this.#groups.list();
  }

  /** Delivery state of one of our 1:1 messages sent since start. */
  deliveryState(id: string): DeliveryState | undefined {
    return this.#direct.deliveryState(id);
  }

  /** The MVDS node carrying 1:1 messages (its stats and events). */
  get mvds(): DirectChats['mvds'] {
    return this.#direct.mvds;
  }

  /**
   * Chat messages (received and ours) as an async iterator, from now on, until `stop()` or the signal
   * aborts. Each iterator has its own queue.
   */
  messages(options: { signal?: AbortSignal } = {}): AsyncIterable<StatusMessage> {
    const queue = new AsyncQueue<StatusMessage>();
    this.#subscribers.add(queue);
    const subscribers = this.#subscribers;
    return {
      async *[Symbol.asyncIterator]() {
        try {
          yield* queue.iterate(options.signal);
        } finally {
          subscribers.delete(queue);
        }
      },
    };
  }

  #receivePublic(chat: JoinedPublicChat, received: ReceivedMessage): void {
    const envelopeHash = `0x${received.hashHex}`;
    if (!this.#seenEnvelopes.add(envelopeHash)) return;
    const envelopeTimeMs = received.sent * 1000;
    let wrapper: ApplicationMessage;
    try {
      // Public chat messages must be signed (PAY-13): an unsigned one is deniable and has no author.
      wrapper = unwrapApplicationMessage(publicMessageWrapper(received.payload), { requireSignature: true });
    } catch (error) {
      this.emit('dropped', { reason: 'invalid public chat payload', error, envelopeHash });
      return;
    }
    const drop = (reason: string, error?: unknown) => this.emit('dropped', { reason, error, envelopeHash });
    if (wrapper.type === 'EMOJI_REACTION') {
      let reaction: EmojiReaction;
      try {
        reaction = decodeEmojiReaction(wrapper.payload);
        validateEmojiReaction(reaction, envelopeTimeMs);
      } catch (error) {
        drop('invalid emoji reaction', error);
        return;
      }
      if (reaction.messageType !== 'PUBLIC_GROUP' || reaction.chatId !== chat.name) {
        drop(`a reaction for ${JSON.stringify(reaction.chatId)} on the topic of #${chat.name}`);
        return;
      }
      chat.lastClock = Math.max(chat.lastClock ?? 0, reaction.clock);
      this.#deliverReaction(
        toStatusReaction(reaction, wrapper.author!, chat.name, 'public', this.identity.id),
      );
      return;
    }
    if (wrapper.type !== 'CHAT_MESSAGE') {
      drop(`a ${wrapper.type} message on a public chat`);
      return;
    }
    let message: ChatMessage;
    try {
      message = decodeChatMessage(wrapper.payload);
      validateReceivedChatMessage(message, { envelopeTimeMs, signed: wrapper.signed });
    } catch (error) {
      drop('invalid public chat message', error);
      return;
    }
    if (message.messageType !== 'PUBLIC_GROUP' || message.chatId !== chat.name) {
      drop(
        `a ${message.messageType} message for ${JSON.stringify(message.chatId)} on the topic of #${chat.name}`,
      );
      return;
    }
    chat.lastClock = Math.max(chat.lastClock ?? 0, message.clock);
    const author = `0x${bytesToHex(wrapper.author!)}`;
    this.#deliver(
      {
        ...this.#toStatusMessage(message, messageIdToHex(wrapper.id), author, author === this.identity.id),
        envelopeHash,
      },
      wrapper.bytes,
    );
  }

  /**
   * Reacts to a message with an emoji, or takes the reaction back (`retract: true`), in the message's chat
   * (public, 1:1 or group), as status-go sends reactions.
   */
  async react(
    target: Pick<StatusMessage, 'id' | 'chatId' | 'chatKind'>,
    emoji: EmojiReactionType,
    options: { retract?: boolean } = {},
  ): Promise<StatusReaction> {
    this.#assertRunning();
    const now = this.#clock.now();
    if (target.chatKind === 'group') return this.#groups.react(target, emoji, options.retract === true);
    if (target.chatKind === 'one-to-one') return this.#direct.react(target, emoji, options.retract === true);
    const chat = this.#publicChats.get(target.chatId);
    if (!chat) throw new ClientError(ClientErrorCode.UnknownChat, `join #${target.chatId} first`);
    const reaction: EmojiReaction = {
      clock: nextChatClock(chat.lastClock, now),
      chatId: chat.name,
      messageId: target.id,
      messageType: 'PUBLIC_GROUP',
      type: emoji,
      retracted: options.retract === true,
    };
    chat.lastClock = reaction.clock;
    const wrapped = wrapApplicationMessage({
      type: 'EMOJI_REACTION',
      payload: encodeEmojiReaction(reaction),
      signer: this.#signer,
    });
    const delivered = toStatusReaction(
      reaction,
      this.identity.publicKey,
      chat.name,
      'public',
      this.identity.id,
    );
    this.#deliverReaction(delivered);
    await this.waku.post({
      topic: chat.topic,
      symKey: chat.symKey,
      payload: await this.transport.buildPublicMessage(wrapped.bytes),
      signingKey: this.identity.privateKey,
    });
    return delivered;
  }

  /**
   * Adds a contact (a key in any form or its `0x04…` id) and sends it our profile (a ContactUpdate), as
   * status-go does when a contact is added.
   */
  async addContact(key: Uint8Array | string, options: { nickname?: string } = {}): Promise<StoredContact> {
    this.#assertRunning();
    const peer = contactKey(key);
    const id = oneToOneChatId(peer);
    const contact = await this.store.upsertContact({
      key: id,
      added: true,
      blocked: false,
      ...(options.nickname === undefined ? {} : { nickname: options.nickname }),
    });
    await this.#sendProfile([peer]);
    return contact;
  }

  /** Blocks a contact: its messages and reactions are dropped from now on, everywhere. */
  async blockContact(key: Uint8Array | string): Promise<StoredContact> {
    return this.store.upsertContact({ key: oneToOneChatId(contactKey(key)), blocked: true, added: false });
  }

  /** Unblocks a contact. */
  async unblockContact(key: Uint8Array | string): Promise<StoredContact> {
    return this.store.upsertContact({ key: oneToOneChatId(contactKey(key)), blocked: false });
  }

  /** Our contacts, with what their last contact update said. */
  contacts(): Promise<StoredContact[]> {
    return this.store.listContacts();
  }

  /**
   * Changes what we tell contacts about ourselves (ENS name, profile image) and sends it to every added
   * contact, as status-go sends a ContactUpdate on change.
   */
  async setProfile(profile: { ensName?: string; profileImage?: string }): Promise<void> {
    this.#assertRunning();
    this.#profile = { ...this.#profile, ...profile };
    const added = (await this.store.listContacts()).filter((c) => c.added && !c.blocked);
    await this.#sendProfile(added.map((c) => oneToOneChatPeer(c.key)));
  }

  async #sendProfile(peers: readonly Uint8Array[]): Promise<void> {
    if (peers.length === 0) return;
    this.#profileClock = nextChatClock(this.#profileClock, this.#clock.now());
    const wrapped = wrapApplicationMessage({
      type: 'CONTACT_UPDATE',
      payload: encodeContactUpdate({
        clock: this.#profileClock,
        ensName: this.#profile.ensName ?? '',
        profileImage: this.#profile.profileImage ?? '',
      }),
      signer: this.#signer,
    });
    await this.#direct.sendWrapped(peers, wrapped.bytes, messageIdToHex(wrapped.id), { track: false });
    const now = this.#clock.now();
    this.#persist(async () => {
      for (const peer of peers) {
        await this.store.upsertContact({ key: oneToOneChatId(peer), lastProfileSentAt: now });
      }
    });
  }

  #receiveContactUpdate(wrapper: ApplicationMessage, sender: Uint8Array, envelopeHash: string): void {
    let update: ContactUpdate;
    try {
      update = decodeContactUpdate(wrapper.payload);
    } catch (error) {
      this.emit('dropped', { reason: 'invalid contact update', error, envelopeHash });
      return;
    }
    const key = oneToOneChatId(wrapper.author ?? sender);
    this.#persist(async () => {
      const applied = await this.store.applyContactUpdate(key, {
        clock: update.clock,
        ensName: update.ensName,
        profileImage: update.profileImage,
      });
      const contact = await this.store.getContact(key);
      if (applied && contact) this.emit('contact', contact);
    });
  }

  /** Once per reaction version (id and clock): to `reaction` listeners and the store. */
  #deliverReaction(reaction: StatusReaction): void {
    if (!this.#seenMessages.add(`${reaction.id}@${reaction.clock}`)) return;
    this.#persist(async () => {
      if (!reaction.outgoing && (await this.store.getContact(reaction.author))?.blocked) return;
      await this.store.upsertChat({ id: reaction.chatId, kind: reaction.chatKind, active: true });
      await this.store.saveReactions([toStoredReaction(reaction)]);
      this.emit('reaction', reaction);
    });
  }

  #toStatusMessage(
    message: ChatMessage,
    id: string,
    author: string,
    outgoing: boolean,
    chatKind: ChatKind = 'public',
  ): StatusMessage {
    return {
      id,
      chatId: message.chatId,
      chatKind,
      author,
      authorName: author === this.identity.id ? this.identity.name : threeWordName(author),
      clock: message.clock,
      timestamp: message.timestamp,
      text: message.text,
      responseTo: message.responseTo,
      ensName: message.ensName,
      contentType: message.contentType,
      content: message.content,
      outgoing,
    };
  }

  /**
   * Once per message id: to `message` listeners, every iterator and the store (in order; a message the
   * store already holds, from before a restart, is not delivered again).
   */
  #deliver(message: StatusMessage, raw: Uint8Array): void {
    if (!this.#seenMessages.add(message.id)) return;
    this.#persist(async () => {
      if (await this.store.hasMessage(message.id)) return;
      if (!message.outgoing && (await this.store.getContact(message.author))?.blocked) {
        this.emit('dropped', {
          reason: 'a message from a blocked contact',
          error: undefined,
          envelopeHash: message.envelopeHash ?? '',
        });
        return;
      }
      await this.store.upsertChat({ id: message.chatId, kind: message.chatKind, active: true });
      await this.store.saveMessages([toNewMessage(message, raw)]);
      this.emit('message', message);
      for (const queue of this.#subscribers) queue.push(message);
    });
  }

  /** Runs store work in order, after what is queued; a failure is reported, never thrown at the caller. */
  #persist(work: () => Promise<unknown>): void {
    this.#storeQueue = this.#storeQueue
      .then(async () => {
        await work();
      })
      .catch((error) => {
        this.emit('store:error', error);
      });
  }

  /** Resolves once every queued store write is done (messages delivered to listeners included). */
  idle(): Promise<void> {
    return this.#storeQueue;
  }

  /** A page of a chat's stored messages, oldest first (clock, then id); pass the cursor to page back. */
  chatMessages(chatId: string, options: { limit?: number; before?: string } = {}): Promise<MessagePage> {
    return this.store.messages(chatId, {
      limit: options.limit ?? 50,
      ...(options.before ? { before: options.before } : {}),
    });
  }

  #assertRunning(): void {
    if (!this.#running) throw new ClientError(ClientErrorCode.NotRunning, 'start the node first');
  }
}

/** Creates a Status node (not started: call `start()`). */
export function createStatusNode(options: StatusNodeOptions): StatusNode {
  return new StatusNode(options);
}

function toNewMessage(message: StatusMessage, raw: Uint8Array): NewMessage {
  return {
    id: message.id,
    chatId: message.chatId,
    author: message.author,
    clock: message.clock,
    timestamp: message.timestamp,
    text: message.text,
    contentType: message.contentType,
    responseTo: message.responseTo,
    ensName: message.ensName,
    content: message.content,
    raw,
    outgoing: message.outgoing,
    ...(message.outgoing && message.chatKind === 'one-to-one' ? { deliveryState: 'sending' as const } : {}),
  };
}

/** A contact's key from any key form or a `0x04…` id (typed error otherwise). */
function contactKey(key: Uint8Array | string): Uint8Array {
  try {
    return typeof key === 'string' ? oneToOneChatPeer(key) : convertPublicKey(key, 'uncompressed');
  } catch (cause) {
    throw new ClientError(ClientErrorCode.InvalidOptions, 'not a chat key', { cause });
  }
}

function mailserverId(id: Uint8Array | string): string {
  return typeof id === 'string' ? id.replace(/^0x/, '').toLowerCase() : bytesToHex(id);
}
