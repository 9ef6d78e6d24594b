import {
  AsyncQueue,
  abortReason,
  bytesToHex,
  type Clock,
  createLogger,
  type Logger,
  type NamedStartable,
  type StartedParts,
  startable,
  startInOrder,
  systemClock,
  TypedEmitter,
} from '@status-ts/core';
import { convertPublicKey } from '@status-ts/crypto';
import { type DialTarget, Server, type ServerOptions } from '@status-ts/devp2p';
import { threeWordName } from '@status-ts/identity';
import { type EnvelopeStore, MailServer, MemoryEnvelopeStore } from '@status-ts/mailserver';
import type { MvdsNodeOptions } from '@status-ts/mvds';
import {
  type ChatMessage,
  type EmojiReactionType,
  type MessageSigner,
  messageSigner,
  oneToOneChatId,
  oneToOneChatPeer,
} from '@status-ts/payloads';
import { SecureTransport, type SessionStore } from '@status-ts/secure-transport';
import { type Topic, WakuNode, type WakuNodeOptions } from '@status-ts/waku';
import { Announcements } from './announcements.js';
import type { ChatContext } from './chat-context.js';
import { type DeviceMetadata, type DeviceSyncSummary, Devices, type OwnInstallation } from './devices.js';
import { DirectChats } from './direct-chats.js';
import { type BootnodeInfo, NodeDiscovery } from './discovery/node-discovery.js';
import type { BootstrapOptions, DiscoveryOptions } from './discovery/options.js';
import { ClientError, ClientErrorCode } from './errors.js';
import type { ChatKind, DeliveryState, HistoryProgress, StatusMessage, StatusNodeEvents } from './events.js';
import { type GroupChatInfo, GroupChats } from './group-chats.js';
import { History, type HistoryOptions, type HistoryResult } from './history.js';
import { type IdentityOption, type NodeIdentity, resolveIdentity } from './identity.js';
import { memoize } from './memo.js';
import { type StatusNodeStats, TrafficMeter } from './node-stats.js';
import { OwnProfile, type ProfileFields } from './own-profile.js';
import { STATUS_PROFILE } from './profile.js';
import { PublicChats, type SentMessage } from './public-chats.js';
import { type StatusReaction, toStoredReaction } from './reactions.js';
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
  /**
   * How the node finds peers: discv5, rendezvous and DNS trees feeding a PeerPool (2–3 relayers and a
   * mailserver for a mobile node), from a fleet: by default `ETH_PROD_FLEET`, the Status network. Pass a
   * `fleet` of your own (`defineFleet`, `fleetFromJson`), your own `sources`, or `false` to use only
   * `staticPeers`.
   */
  readonly discovery?: DiscoveryOptions | false;
  /**
   * The bootstrap role (a relayer): discv5 on a known UDP port answering discovery, and a rendezvous server.
   * Others join through `node.bootnode`.
   */
  readonly bootstrap?: boolean | BootstrapOptions;
  /** This device's installation id (default: a random UUID). */
  readonly installationId?: string;
  /** Time source (tests pass a ManualClock). */
  readonly clock?: Clock;
  /** Extra Waku options (merged over the role's). */
  readonly waku?: WakuNodeOptions;
  /**
   * Extra devp2p `Server` options: its limits (`maxPeers`, `maxPendingPeers`, `maxPendingPerIp`,
   * `inboundThrottleMs`, `perIpLimitsOnLan`, frame and timeout limits). Defaults are the devp2p package's.
   */
  readonly p2p?: P2pOptions;
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
  /**
   * Where this node and every layer in it log: `logger.extend('waku')`, `'devp2p'`, `'mvds'`, `'discv5'`,
   * `'peerpool'`, `'rendezvous'`, `'dns'`; `loggerTo(sink, 'alice')` from `@status-ts/core` gives one of its
   * own. Default: core's `status-ts:*` loggers, enabled by `DEBUG`.
   */
  readonly logger?: Logger;
}

/** The devp2p Server options an app may set; the node fills in the rest (key, capabilities, address). */
export type P2pOptions = Omit<
  ServerOptions,
  'privateKey' | 'capabilities' | 'clock' | 'logger' | 'host' | 'port' | 'listen' | 'staticPeers' | 'clientId'
>;

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
  readonly #devices: Devices;
  readonly #profile: OwnProfile;
  readonly #historyFrom: Uint8Array | string | undefined;
  readonly #discovery: NodeDiscovery;
  readonly #announcements: Announcements;
  readonly #traffic: TrafficMeter;
  readonly #log: Logger;
  #poolMailserver: string | undefined;
  #historyRunning = false;
  #unwatchMailserver: (() => void) | undefined;
  readonly #history: History;
  /** The archive, when the node runs the mailserver role. */
  readonly mailserver: MailServer | undefined;
  #storeQueue: Promise<void> = Promise.resolve();
  readonly #clock: Clock;
  readonly #signer: MessageSigner;
  readonly #public: PublicChats;
  readonly #seenEnvelopes: SeenIds;
  readonly #seenMessages: SeenIds;
  /** Envelope hashes that came from a mailserver's history (P2P), for `fromHistory` and progress. */
  readonly #historyEnvelopes: SeenIds;
  #progress: HistoryProgress = { pages: 0, envelopes: 0, messages: 0 };
  #fetches = 0;
  readonly #subscribers = new Set<AsyncQueue<StatusMessage>>();
  #running: StartedParts | undefined;

  constructor(options: StatusNodeOptions) {
    super();
    this.identity = resolveIdentity(options.identity);
    this.role = options.role ?? (options.mailserver || options.bootstrap ? 'relayer' : 'mobile');
    if (options.bootstrap && this.role !== 'relayer') {
      throw new ClientError(ClientErrorCode.InvalidOptions, 'a bootstrap node relays: use role relayer');
    }
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
    this.#historyEnvelopes = new SeenIds(dedupLimit);
    this.installationId = options.installationId ?? globalThis.crypto.randomUUID();
    this.store = options.store ?? new MemoryMessageStore({ now: () => this.#clock.now() });
    const logger = options.logger;
    this.#log = logger ?? createLogger('status-ts:client');
    this.waku = new WakuNode({
      protocols: ['waku'],
      ...(logger ? { logger: logger.extend('waku') } : {}),
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
      ...(logger ? { logger: logger.extend('devp2p') } : {}),
      ...(listen === false
        ? { listen: false }
        : { host: listen.host ?? '127.0.0.1', port: listen.port ?? 0 }),
      ...(options.staticPeers ? { staticPeers: options.staticPeers } : {}),
      ...options.p2p,
    });
    this.#traffic = new TrafficMeter(this.server);
    this.on('dropped', ({ reason, envelopeHash }) => this.#log('dropped %s: %s', envelopeHash, reason));
    this.on('history:error', (error) => this.#log.error('history fetch failed: %o', error));
    this.on('store:error', (error) => this.#log.error('store write failed: %o', error));
    this.#discovery = new NodeDiscovery({
      server: this.server,
      waku: this.waku,
      nodeKey,
      host: listen === false ? '0.0.0.0' : (listen.host ?? '127.0.0.1'),
      clock: this.#clock,
      mobile: this.role === 'mobile',
      mailserver: this.mailserver !== undefined,
      options: options.discovery ?? {},
      bootstrap: options.bootstrap ? (options.bootstrap === true ? {} : options.bootstrap) : undefined,
      ...(logger ? { logger } : {}),
      onError: (part, error) => {
        this.#log.error('discovery part %s failed: %o', part, error);
        this.emit('discovery:error', { part, error });
      },
      onMailserver: (id) => {
        this.#poolMailserver = id;
        this.emit('mailserver', id);
        if (id !== undefined) this.#autoFetch(this.listeningTopics());
      },
    });
    this.transport = new SecureTransport({
      identityKey: this.identity.privateKey,
      installationId: this.installationId,
      now: () => this.#clock.now(),
      ...(options.sessionStore ? { store: options.sessionStore } : {}),
    });
    this.#profile = new OwnProfile({
      clock: this.#clock,
      signer: this.#signer,
      store: this.store,
      sendPrivately: (peers, wrapper, id) => this.#direct.sendWrapped(peers, wrapper, id, { track: false }),
      persist: (work) => this.#persist(work),
      contactChanged: (contact) => this.emit('contact', contact),
      drop: (reason, error, envelopeHash) => this.emit('dropped', { reason, error, envelopeHash }),
    });
    this.#announcements = new Announcements({
      clock: this.#clock,
      store: this.store,
      transport: this.transport,
      waku: this.waku,
      signer: this.#signer,
      sendProfile: (peers) => this.#profile.send(peers),
      onBundle: (contact) => this.emit('contact:code', { contact }),
      onError: (error) => this.emit('announce:error', error),
    });
    // What every kind of chat needs from the node, built once.
    const chats: ChatContext = {
      identity: this.identity,
      signer: this.#signer,
      clock: this.#clock,
      toStatusMessage: (message, id, author, outgoing, kind) =>
        this.#toStatusMessage(message, id, author, outgoing, kind),
      deliver: (message, raw) => this.#deliver(message, raw),
      deliverReaction: (reaction) => this.#deliverReaction(reaction),
      drop: (reason, error, envelopeHash) => this.emit('dropped', { reason, error, envelopeHash }),
    };
    this.#public = new PublicChats({
      ...chats,
      waku: this.waku,
      transport: this.transport,
      seenEnvelopes: this.#seenEnvelopes,
      fromHistory: (envelopeHash) => this.#historyEnvelopes.add(envelopeHash),
      joined: (chatId, active) =>
        this.#persist(() =>
          active
            ? this.store.upsertChat({ id: chatId, kind: 'public', name: chatId, active: true })
            : this.store.deactivateChat(chatId),
        ),
    });
    this.#direct = new DirectChats({
      ...chats,
      waku: this.waku,
      transport: this.transport,
      ...(options.mvds || logger
        ? { mvds: { ...(logger ? { logger: logger.extend('mvds') } : {}), ...options.mvds } }
        : {}),
      stored: () => this.#storeQueue,
      fromHistory: (envelopeHash) => this.#historyEnvelopes.add(envelopeHash),
      onContactUpdate: (wrapper, sender, envelopeHash) =>
        this.#profile.receive(wrapper, sender, envelopeHash),
      onPrivateWrapper: (wrapper, sender, envelopeTimeMs, envelopeHash, protection) =>
        this.#groups.receive(wrapper, sender, envelopeTimeMs, envelopeHash, protection),
      fromOwnDevice: (wrapper, sender, installationId, envelopeTimeMs, envelopeHash) =>
        this.#devices.receive(wrapper, sender, installationId, envelopeTimeMs, envelopeHash),
      copyToOwnDevices: (wrapper, id) => this.#devices.copy(wrapper, id),
      delivery: (id, state) => {
        this.emit('delivery', { id, state });
        // A message is saved as `sending` (after MVDS took it, so this state comes before the save).
        if (state !== 'sending') this.#persist(() => this.store.setDeliveryState(id, state));
      },
    });
    this.#groups = new GroupChats({
      ...chats,
      // As status-go's SendGroup, our own paired devices get every group message and update too.
      sendPrivately: async (peers, wrapper, id, options) => {
        await this.#direct.sendWrapped(peers, wrapper, id, options);
        await this.#devices.copy(wrapper, id);
      },
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
    this.#devices = this.#createDevices();
    this.#history = new History(this.waku, this.store, this.#clock, {
      onPage: (page) => {
        this.emit('history:page', page);
        this.#advanceProgress({ pages: 1, envelopes: page.envelopes });
      },
      onMisbehaved: (event) => {
        this.#log.error('mailserver %s dropped: %s', event.mailserver.slice(0, 16), event.reason);
        this.emit('mailserver:misbehaved', event);
      },
    });
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
        'discovery',
        () => this.#discovery.start(options.signal),
        () => this.#discovery.stop(),
      ),
      startable(
        '1:1 chats',
        () => this.#direct.start(),
        () => this.#direct.stop(),
      ),
      startable(
        'devices',
        () => this.#devices.start(),
        () => undefined,
      ),
      startable(
        'history',
        () => {
          this.#history.start();
          this.#historyRunning = true;
          this.#watchMailserver();
          // The PeerPool may have selected a mailserver while the parts before this one started.
          if (this.#historyFrom === undefined) this.#autoFetch(this.listeningTopics());
        },
        () => {
          this.#historyRunning = false;
          this.#unwatchMailserver?.();
          this.#history.stop();
        },
      ),
    ];
    parts.push(
      startable(
        'public chats',
        () => this.#rejoinPublicChats(),
        () => this.#public.closeAll(),
      ),
      startable(
        'announcements',
        () => this.#announcements.start(),
        () => this.#announcements.stop(),
      ),
    );
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
    this.#public.closeAll();
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
    const joined = this.#public.join(name);
    if (!joined) return;
    this.#autoFetch([joined.topic]); // a newly joined chat gets its history at once (status-go does the same)
    this.#devices.publicChatJoined(joined.name);
  }

  /** The public chats the store says we are in (a restart): joined again, their gap fetched. */
  async #rejoinPublicChats(): Promise<void> {
    for (const chat of await this.store.listChats()) {
      if (chat.kind !== 'public' || !chat.active) continue;
      const joined = this.#public.join(chat.id);
      if (joined) this.#autoFetch([joined.topic]);
    }
  }

  /** Leaves a public chat (no more messages from it). */
  leavePublicChat(name: string): void {
    this.#public.leave(name);
  }

  /** Names of the joined public chats. */
  get publicChats(): string[] {
    return this.#public.names();
  }

  /**
   * Sends a text message to a joined public chat as a Status app does: a ChatMessage with the next Lamport
   * clock, signed and wrapped, in a secure-transport public message, posted to the chat's topic encrypted
   * with its key and signed by our chat key.
   */
  sendPublicMessage(
    name: string,
    text: string,
    options: { responseTo?: string; signal?: AbortSignal } = {},
  ): Promise<SentMessage> {
    this.#assertRunning();
    return this.#public.send(name, text, options);
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
    return this.#fetch(options, this.listeningTopics());
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

  /**
   * A fetch started by the node itself, from `historyFrom` or else the mailserver the PeerPool selected:
   * its outcome is an event, never a throw.
   */
  #autoFetch(topics: Topic[]): void {
    const mailserver = this.mailserverId;
    if (mailserver === undefined || topics.length === 0 || !this.#historyRunning) return;
    if (!this.waku.peers.some((peer) => peer.idHex === mailserver)) return; // fetched when it connects
    this.#fetch({ mailserver }, topics).then(
      (result) => this.emit('history:done', result),
      (error) => this.emit('history:error', error),
    );
  }

  /** The PeerPool, when discovery runs: its events (`peer:added`, `mailserver:changed`…) and `summary()`. */
  get peerPool(): NodeDiscovery['pool'] {
    return this.#discovery.pool;
  }

  /** The discv5 node, when it runs. */
  get discv5(): NodeDiscovery['discv5'] {
    return this.#discovery.discv5;
  }

  /** On a bootstrap node: its discv5 record and rendezvous addresses, what a fleet lists to join through it. */
  get bootnode(): BootnodeInfo | undefined {
    return this.#discovery.bootnode;
  }

  /** The mailserver history comes from: `historyFrom`, or the one the PeerPool selected. */
  get mailserverId(): string | undefined {
    return this.#historyFrom === undefined ? this.#poolMailserver : mailserverId(this.#historyFrom);
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
   * Tells our other devices about this one (status-go SendPairInstallation): its name and type are stored
   * and sent to our own key with our bundle; they list it (`installation` event), disabled until the user
   * enables it there. Without `metadata`, what was given before. Returns the envelope hash.
   */
  advertiseDevice(metadata?: DeviceMetadata): Promise<string> {
    this.#assertRunning();
    return this.#devices.advertise(metadata);
  }

  /** The installations (devices) of our account, this one first: name, type, enabled, last seen. */
  installations(): Promise<OwnInstallation[]> {
    return this.#devices.list();
  }

  /**
   * Pairs one of our devices: we encrypt to it (our 1:1 messages are copied to it, `syncDevices` reaches
   * it, contacts learn it from our bundle) and what it sends us applies.
   */
  enableInstallation(id: string): Promise<OwnInstallation> {
    return this.#devices.setEnabled(id, true);
  }

  /** Unpairs one of our devices: nothing more is sent to it, and what it sends us is ignored. */
  disableInstallation(id: string): Promise<OwnInstallation> {
    return this.#devices.setEnabled(id, false);
  }

  /**
   * Sends our joined public chats and added contacts to our paired devices (status-go SyncDevices); they
   * join the chats and add the contacts. Nothing is sent when no other device is enabled.
   */
  syncDevices(): Promise<DeviceSyncSummary> {
    this.#assertRunning();
    return this.#devices.sync();
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
    if (target.chatKind === 'group') return this.#groups.react(target, emoji, options.retract === true);
    if (target.chatKind === 'one-to-one') return this.#direct.react(target, emoji, options.retract === true);
    return this.#public.react(target, emoji, options.retract === true);
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
    await this.#profile.send([peer]);
    this.#devices.contactAdded(contact);
    this.#announcements.watchContact(id);
    return contact;
  }

  /** Blocks a contact: its messages and reactions are dropped from now on, everywhere. */
  async blockContact(key: Uint8Array | string): Promise<StoredContact> {
    const id = oneToOneChatId(contactKey(key));
    this.#announcements.unwatchContact(id);
    return this.store.upsertContact({ key: id, blocked: true, added: false });
  }

  /** Unblocks a contact. */
  async unblockContact(key: Uint8Array | string): Promise<StoredContact> {
    return this.store.upsertContact({ key: oneToOneChatId(contactKey(key)), blocked: false });
  }

  /**
   * Publishes what is due now: our contact code (every 6 h) and our profile to contacts that have not had
   * it for 48 h. The node does this by itself every 2 minutes; call it to not wait.
   */
  announce(): Promise<void> {
    this.#assertRunning();
    return this.#announcements.check();
  }

  /** Our contacts, with what their last contact update said. */
  contacts(): Promise<StoredContact[]> {
    return this.store.listContacts();
  }

  /**
   * Changes what we tell contacts about ourselves (ENS name, profile image) and sends it to every added
   * contact, as status-go sends a ContactUpdate on change.
   */
  async setProfile(profile: ProfileFields): Promise<void> {
    this.#assertRunning();
    await this.#profile.set(profile);
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
      authorName: author === this.identity.id ? this.identity.name : nameOf(author),
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
  #deliver(received: StatusMessage, raw: Uint8Array): void {
    if (!this.#seenMessages.add(received.id)) return;
    const fromHistory =
      received.envelopeHash !== undefined && this.#historyEnvelopes.has(received.envelopeHash);
    const message = fromHistory ? { ...received, fromHistory } : received;
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
      if (fromHistory) this.#advanceProgress({ messages: 1 });
    });
  }

  /** Counts what history brought since the first of the fetches now running started. */
  #advanceProgress(step: Partial<HistoryProgress>): void {
    const p = this.#progress;
    this.#progress = {
      pages: p.pages + (step.pages ?? 0),
      envelopes: p.envelopes + (step.envelopes ?? 0),
      messages: p.messages + (step.messages ?? 0),
    };
    this.emit('history:progress', this.#progress);
  }

  /** A history fetch: the progress counts start again when no other fetch is running. */
  #fetch(options: HistoryOptions, topics: Topic[]): Promise<HistoryResult> {
    if (this.#fetches++ === 0) this.#progress = { pages: 0, envelopes: 0, messages: 0 };
    return this.#history.request(options, topics).finally(() => {
      this.#fetches--;
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

  /**
   * A snapshot of everything the node counts (wire bytes, Waku, MVDS, discovery, the mailserver role), for
   * an app's metrics: poll it, the totals only grow.
   */
  stats(): StatusNodeStats {
    return {
      traffic: this.#traffic.snapshot(),
      waku: this.waku.counters,
      mvds: { ...this.#direct.mvds.stats },
      discovery: this.#discovery.pool?.summary(),
      mailserver: this.mailserver?.counters,
    };
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

  /** Pairing and sync with the other devices of our account. */
  #createDevices(): Devices {
    return new Devices({
      identity: this.identity,
      signer: this.#signer,
      transport: this.transport,
      waku: this.waku,
      store: this.store,
      clock: this.#clock,
      sendToSelf: (wrapper, id) =>
        this.#direct.sendWrapped([this.identity.publicKey], wrapper, id, { track: false }),
      listenToSelf: () => this.#direct.listenTo(this.identity.publicKey),
      joinedPublicChats: () => this.publicChats,
      joinPublicChat: (name) => this.joinPublicChat(name),
      persist: (work) => this.#persist(work),
      installation: (installation) => this.emit('installation', installation),
      contact: (contact) => this.emit('contact', contact),
      syncError: (error) => this.emit('sync:error', error),
      drop: (reason, error, envelopeHash) => this.emit('dropped', { reason, error, envelopeHash }),
    });
  }

  #assertRunning(): void {
    if (!this.#running) throw new ClientError(ClientErrorCode.NotRunning, 'start the node first');
  }
}

/** Three-word names of authors (each one an elliptic-curve key parse), kept for the recent ones. */
const nameOf = memoize(threeWordName);

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
    // One of ours that came over Waku was sent by another device of ours (status-go marks it sent).
    ...(message.outgoing && message.chatKind === 'one-to-one'
      ? { deliveryState: message.envelopeHash === undefined ? ('sending' as const) : ('sent' as const) }
      : {}),
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
