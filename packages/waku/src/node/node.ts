import {
  bytesToHex,
  type Cancel,
  createLogger,
  type Logger,
  TypedEmitter,
  unixSeconds,
} from '@status-ts/core';
import { initFastCrypto, keccak256 } from '@status-ts/crypto';
import { type Capability, type CapabilityStream, DisconnectReason } from '@status-ts/devp2p';
import { WakuCapability, WhisperCapability } from '../capability/capabilities.js';
import {
  ENVELOPE_ERROR_OTHER,
  ENVELOPE_ERROR_TIME_SYNC,
  LARGE_PAYLOAD_THRESHOLD,
  PENDING_BATCH_TTL_MS,
  STATUS_POW_TARGET,
  STATUS_POW_TARGET_LARGE,
} from '../constants.js';
import { bloomOfTopics } from '../envelope/bloom.js';
import type { Envelope } from '../envelope/envelope.js';
import { decodeEnvelopeList } from '../envelope/envelope-list.js';
import { sealEnvelope } from '../envelope/pow.js';
import { isWakuError, WakuError, WakuErrorCode } from '../errors.js';
import { type BuildDataOptions, buildEnvelopeData } from '../payload/message.js';
import { assertTopic, type Topic } from '../topics.js';
import type { WireProtocolName } from '../wire/codes.js';
import type { EnvelopeError, MessageResponse } from '../wire/confirmations.js';
import { assertValidPow } from '../wire/float-bits.js';
import {
  decodeP2PMessages,
  decodeP2PRequest,
  decodeP2PRequestComplete,
  encodeP2PRequest,
  encodeP2PRequestComplete,
  type P2PRequest,
  type P2PRequestComplete,
} from '../wire/p2p.js';
import { NO_RATE_LIMITS } from '../wire/rate-limits.js';
import {
  decodeSyncMailRequest,
  decodeSyncResponse,
  encodeSyncMailRequest,
  encodeSyncResponse,
  type SyncMailRequest,
  type SyncResponse,
} from '../wire/sync.js';
import { adapterFor, type LocalStatus, type RemoteUpdate } from './adapters.js';
import { BatchTracker } from './batches.js';
import {
  type DropReason,
  type EnvelopeRejection,
  rejectionError,
  WakuCounters,
  type WakuCountersSnapshot,
} from './counters.js';
import { Filter, type FilterOptions } from './filter.js';
import { FilterSet } from './filter-set.js';
import { FULL_INTEREST, type Interest, interestFromBloom, interestFromTopics } from './interest.js';
import { type InterestMode, type ResolvedOptions, resolveOptions, type WakuNodeOptions } from './options.js';
import { assertP2PGate, isHistoryCode, type P2PGate } from './p2p-gate.js';
import { PeerSession, type SessionHost, type WakuPeer } from './peer-session.js';
import { EnvelopePool, type PoolEntry } from './pool.js';
import { type EnvelopeQuota, RateLimiter } from './rate-limiter.js';
import { OwnRequirements } from './requirements.js';

const log = createLogger('status-ts:waku');

export type PostOptions = {
  topic: Topic;
  payload: Uint8Array;
  /** Private key signing the payload (the sender's chat key). */
  signingKey?: Uint8Array;
  /** Explicit padding (default: random, aligned to 256 bytes). */
  padding?: Uint8Array;
  /** Seconds (default the node's ttl, 10). */
  ttl?: number;
  /** PoW to seal with (default 0.002, or 0.000002 for payloads above 50,000 bytes; never below minPow). */
  powTarget?: number;
  /** Nonce search budget (default the node's powTimeMs, 5 s). */
  powTimeMs?: number;
  signal?: AbortSignal;
} & ({ symKey: Uint8Array; publicKey?: undefined } | { publicKey: Uint8Array; symKey?: undefined });

export interface PostResult {
  envelope: Envelope;
  hash: Uint8Array;
  hashHex: string;
}

export interface BatchAcknowledgement {
  peer: WakuPeer;
  batchHash: Uint8Array;
  /** Envelopes the peer rejected (from Message Response; empty for a bare Batch Ack). */
  errors: EnvelopeError[];
  /** Envelopes in the batch. */
  envelopes: number;
}

export interface WakuNodeEvents {
  'peer:added': [WakuPeer];
  'peer:removed': [WakuPeer];
  /** A new envelope entered the pool (ours or a peer's): the mailserver archives these. */
  'envelope:new': [Envelope, { local: boolean; peer?: WakuPeer }];
  /** One of our envelopes was written to a peer. */
  'envelope:sent': [{ envelope: Envelope; peer: WakuPeer }];
  /** A peer with confirmations confirmed a batch holding one of our envelopes, without an error for it. */
  'envelope:confirmed': [{ envelope: Envelope; peer: WakuPeer; batchHash: Uint8Array }];
  /** One of our envelopes left the pool at expiry. */
  'envelope:expired': [Envelope];
  'batch:acknowledged': [BatchAcknowledgement];
  /**
   * Envelopes from a trusted peer's P2P message (history), already offered to filters: those the p2pGate
   * let through (not emitted when it refused them all).
   */
  'p2p:envelopes': [WakuPeer, Envelope[]];
  /** A P2P request (mailserver query) from a peer. */
  'p2p:request': [WakuPeer, P2PRequest];
  /** A trusted peer finished a request (unless the p2pGate refused the packet). */
  'p2p:requestComplete': [WakuPeer, P2PRequestComplete];
  /**
   * A shh/6 peer (a mailserver) asks to sync archived envelopes (code 123), already validated: a mailserver
   * answers with `sendSyncResponse`. Without a listener the request is counted and dropped.
   */
  'sync:request': [WakuPeer, SyncMailRequest];
  /** A trusted shh/6 peer answered a sync request (code 124): archive the envelopes (never relayed). */
  'sync:response': [WakuPeer, SyncResponse];
}

const TIME_SYNC: ReadonlySet<DropReason> = new Set(['future', 'tooOld']);
const REPORTED: ReadonlySet<DropReason> = new Set([
  'future',
  'tooOld',
  'tooLarge',
  'lowPow',
  'interestMismatch',
  'poolFull',
  'ttlTooLong',
  'peerShare',
]);
const DESCRIPTIONS: Partial<Record<DropReason, string>> = {
  future: 'envelope from future',
  tooOld: 'very old envelope',
  tooLarge: 'huge messages are not allowed',
  lowPow: 'envelope with low PoW received',
  interestMismatch: 'envelope does not match bloom filter or topic interest',
  poolFull: 'envelope pool is full',
  ttlTooLong: 'envelope TTL is above the maximum',
  peerShare: 'your share of the envelope pool is full',
};

function envelopeError(envelope: Envelope, reason: DropReason): EnvelopeError {
  return {
    hash: envelope.hash,
    code: TIME_SYNC.has(reason) ? ENVELOPE_ERROR_TIME_SYNC : ENVELOPE_ERROR_OTHER,
    description: DESCRIPTIONS[reason] ?? reason,
  };
}

function idHexOf(id: Uint8Array | string): string {
  return typeof id === 'string' ? id.toLowerCase().replace(/^0x/, '') : bytesToHex(id);
}

/**
 * A Waku v1 / Whisper v6 node (issue #5): posts and seals envelopes, delivers them to filters, keeps the
 * envelope pool (dedup by hash, expiry), relays to each peer what it asks for every 300 ms, enforces size,
 * PoW, time and rate limits, runs as a light node on request and handles confirmations and the P2P
 * (mailserver) packets. It opens no sockets: give `capabilities` to a devp2p `Server`, or link nodes in
 * memory with `linkInMemory`.
 */
export class WakuNode extends TypedEmitter<WakuNodeEvents> {
  readonly options: Readonly<ResolvedOptions>;
  /** The devp2p capabilities (waku/1 and/or shh/6) to register on a Server. */
  readonly capabilities: readonly Capability[];
  readonly #counters = new WakuCounters();
  readonly #pool: EnvelopePool;
  readonly #filters = new FilterSet();
  readonly #sessions = new Map<string, PeerSession>();
  readonly #trusted: Set<string>;
  readonly #rateLimiter: RateLimiter | undefined;
  readonly #log: Logger;
  readonly #batches = new BatchTracker(PENDING_BATCH_TTL_MS);
  readonly #host: SessionHost;
  #running = false;
  #timers: Cancel[] = [];
  readonly #requirements: OwnRequirements;
  #interestMode: InterestMode;
  #interestRefreshQueued = false;
  #p2pGate: P2PGate | undefined;

  constructor(options: WakuNodeOptions = {}) {
    super();
    this.options = resolveOptions(options);
    const o = this.options;
    this.#pool = new EnvelopePool({
      maxSize: o.maxPoolSize,
      maxBytes: o.maxPoolBytes,
      maxSharePerPeer: o.maxPoolSharePerPeer,
    });
    this.#trusted = new Set(o.trustedPeers);
    this.#p2pGate = o.p2pGate;
    this.#rateLimiter = o.rateLimits === false ? undefined : new RateLimiter(o.rateLimits, o.clock);
    this.#log = o.logger ?? log;
    this.#interestMode = o.interest;
    this.#requirements = new OwnRequirements(
      o.clock,
      o.syncAllowance * 1000,
      o.minPow,
      this.#computeInterest(),
    );
    this.capabilities = o.protocols.map((protocol) =>
      protocol === 'waku' ? new WakuCapability(this) : new WhisperCapability(this),
    );
    this.#host = this.#makeHost();
  }

  get running(): boolean {
    return this.#running;
  }

  get minPow(): number {
    return this.#requirements.minPow;
  }

  get interest(): Interest {
    return this.#requirements.interest;
  }

  get interestMode(): InterestMode {
    return this.#interestMode;
  }

  get lightNode(): boolean {
    return this.options.lightNode;
  }

  /** Peers whose Status arrived. */
  get peers(): WakuPeer[] {
    return [...this.#sessions.values()].filter((s) => s.ready);
  }

  get filters(): Filter[] {
    return [...this.#filters.values()];
  }

  /** A copy of the counters (every drop reason, packets, envelopes, peers). */
  get counters(): WakuCountersSnapshot {
    return this.#counters.snapshot();
  }

  /** Envelopes in the pool. */
  get poolSize(): number {
    return this.#pool.size;
  }

  /** Encoded bytes in the pool. */
  get poolBytes(): number {
    return this.#pool.bytes;
  }

  envelopes(): Envelope[] {
    return [...this.#pool.values()].map((e) => e.envelope);
  }

  /** True when an envelope with this PoW-hash key or envelope is in the pool. */
  hasEnvelope(envelope: Envelope): boolean {
    return this.#pool.has(bytesToHex(envelope.powHash));
  }

  getPeer(id: Uint8Array | string, protocol?: WireProtocolName): WakuPeer | undefined {
    const idHex = idHexOf(id);
    for (const p of protocol ? [protocol] : (['waku', 'shh'] as const)) {
      const s = this.#sessions.get(`${p}:${idHex}`);
      if (s?.ready) return s;
    }
    return undefined;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    await initFastCrypto();
    this.#running = true;
    const clock = this.options.clock;
    this.#timers.push(clock.setInterval(() => this.#relayTick(), this.options.transmissionCycleMs));
    this.#timers.push(clock.setInterval(() => this.#expireTick(), this.options.expirationCycleMs));
  }

  /** Stops the timers, disconnects every peer (client quitting), empties the pool. Filters stay installed. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    for (const cancel of this.#timers.splice(0)) cancel();
    this.#requirements.stop();
    for (const session of [...this.#sessions.values()]) session.disconnect(DisconnectReason.ClientQuitting);
    this.#sessions.clear();
    this.#pool.clear();
    this.#batches.clear();
  }

  // ---- peers ----------------------------------------------------------------------------------------------

  /**
   * Runs the protocol on a capability stream (what the capabilities' `attach` does; call it directly with
   * in-memory streams). Refused with "client quitting" when the node is stopped.
   */
  attach(stream: CapabilityStream, protocol: WireProtocolName): void {
    if (!this.#running) {
      stream.close(DisconnectReason.ClientQuitting);
      return;
    }
    if (!this.options.protocols.includes(protocol)) {
      stream.close(DisconnectReason.UselessPeer);
      return;
    }
    const session = new PeerSession(stream, adapterFor(protocol), this.#host);
    session.trusted = this.#trusted.has(session.idHex);
    const key = `${protocol}:${session.idHex}`;
    this.#sessions.get(key)?.disconnect(DisconnectReason.AlreadyConnected);
    this.#sessions.set(key, session);
    this.#rateLimiter?.add(session.idHex, session.remoteAddress);
    session.start();
  }

  /** Trusts (or distrusts) a peer's P2P messages, as for a mailserver (WAKU-18). */
  markTrusted(id: Uint8Array | string, trusted = true): void {
    const idHex = idHexOf(id);
    if (trusted) this.#trusted.add(idHex);
    else this.#trusted.delete(idHex);
    for (const s of this.#sessions.values()) if (s.idHex === idHex) s.trusted = trusted;
  }

  isTrusted(id: Uint8Array | string): boolean {
    return this.#trusted.has(idHexOf(id));
  }

  /** The gate deciding which P2P packets of trusted peers are delivered, if any. */
  get p2pGate(): P2PGate | undefined {
    return this.#p2pGate;
  }

  /**
   * Installs (or with `undefined` removes) the gate for trusted peers' P2P packets; replaces the one before
   * (whoever shares a node composes gates itself, as MailClients do). ERR_WAKU_INVALID_OPTIONS for a value
   * that is not a gate.
   */
  setP2PGate(gate: P2PGate | undefined): void {
    assertP2PGate(gate);
    this.#p2pGate = gate;
  }

  #session(id: Uint8Array | string): PeerSession {
    const peer = this.getPeer(id);
    if (!peer)
      throw new WakuError(WakuErrorCode.UnknownPeer, `no connected peer ${idHexOf(id).slice(0, 16)}`);
    return peer as PeerSession;
  }

  /** Sends a P2P request (mailserver query) and trusts the peer for the answer, as status-go does. */
  async sendP2PRequest(peerId: Uint8Array | string, request: Envelope | Uint8Array): Promise<void> {
    const session = this.#session(peerId);
    this.markTrusted(session.id);
    await session.sendP2PRequest(encodeP2PRequest(request));
  }

  /** Sends envelopes directly to one peer (never relayed by it): the mailserver's history delivery. */
  async sendP2PMessages(peerId: Uint8Array | string, envelopes: readonly Envelope[]): Promise<void> {
    await this.#session(peerId).sendP2PMessages(envelopes);
  }

  /**
   * Asks a shh/6 peer (a mailserver) to sync archived envelopes (code 123), and trusts it for the answer,
   * which arrives as `sync:response` events. Validated first (ERR_WAKU_BAD_PACKET); ERR_WAKU_UNKNOWN_PEER
   * unless the peer is connected over shh/6 (waku/1 has no sync codes).
   */
  async sendSyncRequest(peerId: Uint8Array | string, request: SyncMailRequest): Promise<void> {
    const payload = encodeSyncMailRequest(request);
    const session = this.#shhSession(peerId);
    this.markTrusted(session.id);
    await session.sendSyncRequest(payload);
  }

  /** Answers a `sync:request` (code 124); ERR_WAKU_UNKNOWN_PEER unless the peer is connected over shh/6. */
  async sendSyncResponse(peerId: Uint8Array | string, response: SyncResponse): Promise<void> {
    const payload = encodeSyncResponse(response);
    await this.#shhSession(peerId).sendSyncResponse(payload);
  }

  #shhSession(id: Uint8Array | string): PeerSession {
    const peer = this.getPeer(id, 'shh');
    if (!peer) {
      throw new WakuError(
        WakuErrorCode.UnknownPeer,
        `no peer ${idHexOf(id).slice(0, 16)} connected over shh/6`,
      );
    }
    return peer as PeerSession;
  }

  /** Tells a peer its request is complete (or failed, with `error`). */
  async sendP2PRequestComplete(peerId: Uint8Array | string, complete: P2PRequestComplete): Promise<void> {
    await this.#session(peerId).sendP2PRequestComplete(encodeP2PRequestComplete(complete));
  }

  // ---- settings -------------------------------------------------------------------------------------------

  /**
   * Changes our PoW requirement and tells every peer. Envelopes meeting the previous requirement are still
   * accepted for `syncAllowance` seconds while peers adjust (status-go MinPowTolerance).
   */
  setMinPow(pow: number): void {
    assertValidPow(pow, 'minPow');
    this.#requirements.setMinPow(pow);
    for (const s of this.#sessions.values()) void s.sendUpdate({ minPow: pow });
  }

  setInterestMode(mode: InterestMode): void {
    if (!['full', 'bloom', 'topics'].includes(mode)) {
      throw new WakuError(WakuErrorCode.InvalidOptions, `unknown interest mode ${mode}`);
    }
    this.#interestMode = mode;
    this.#refreshInterest();
  }

  #computeInterest(): Interest {
    if (this.#interestMode === 'full') return FULL_INTEREST;
    const topics = new Map<string, Uint8Array>();
    for (const t of [...this.#filters.topics(), ...this.options.interestTopics]) topics.set(bytesToHex(t), t);
    if (this.#interestMode === 'topics' && topics.size <= this.options.maxTopicInterest) {
      return interestFromTopics(topics.values());
    }
    // Too many topics for topic interest: a bloom says the same with less precision.
    const bloom = bloomOfTopics(topics.values());
    return bloom.every((b) => b === 0) ? { kind: 'bloom', bloom } : interestFromBloom(bloom);
  }

  #scheduleInterestRefresh(): void {
    if (this.#interestRefreshQueued) return;
    this.#interestRefreshQueued = true;
    queueMicrotask(() => {
      this.#interestRefreshQueued = false;
      this.#refreshInterest();
    });
  }

  /** Recomputes our interest; on change tells peers (the old one is tolerated for the sync allowance). */
  #refreshInterest(): void {
    const next = this.#computeInterest();
    if (!this.#requirements.setInterest(next)) return;
    for (const s of this.#sessions.values()) void s.sendUpdate({ interest: next });
  }

  #localStatus(): LocalStatus {
    return {
      minPow: this.#requirements.minPow,
      interest: this.#requirements.interest,
      lightNode: this.options.lightNode,
      confirmationsEnabled: this.options.confirmations,
      packetLimits: this.#rateLimiter?.packetLimits ?? NO_RATE_LIMITS,
      bytesLimits: this.#rateLimiter?.bytesLimits ?? NO_RATE_LIMITS,
    };
  }

  // ---- filters --------------------------------------------------------------------------------------------

  /** Installs a filter (topics + one key); in 'bloom'/'topics' mode our interest grows by its topics. */
  subscribe(options: FilterOptions): Filter {
    const filter: Filter = new Filter(
      { queueLimit: this.options.filterQueueLimit, ...options } as FilterOptions,
      () => this.unsubscribe(filter),
    );
    this.#filters.add(filter);
    this.#scheduleInterestRefresh();
    return filter;
  }

  unsubscribe(filter: Filter): void {
    if (!this.#filters.remove(filter)) return;
    filter.close();
    this.#scheduleInterestRefresh();
  }

  // ---- posting --------------------------------------------------------------------------------------------

  /**
   * Encrypts (symmetric or to a public key), optionally signs, pads, seals with PoW and queues a message for
   * every peer; our own filters see it too. Resolves with the envelope once it is in the pool.
   */
  async post(options: PostOptions): Promise<PostResult> {
    if (!this.#running) throw new WakuError(WakuErrorCode.NotRunning, 'the node is not running');
    assertTopic(options.topic);
    const ttl = options.ttl ?? this.options.ttl;
    if (!Number.isInteger(ttl) || ttl <= 0 || ttl > 0xffffffff) {
      throw new WakuError(WakuErrorCode.InvalidOptions, `ttl must be a positive 32-bit integer, got ${ttl}`);
    }
    // Before sealing: the PoW would be spent on an envelope nobody accepts.
    if (ttl > this.options.maxTtl) throw rejectionError('ttlTooLong', { ttl, maxTtl: this.options.maxTtl });
    const dataOptions: BuildDataOptions = { ...options } as BuildDataOptions;
    const data = buildEnvelopeData(dataOptions);
    // Strictly above, as status-go's calculatePoW: a payload of exactly 50,000 bytes keeps the normal target.
    const statusTarget =
      options.payload.length > LARGE_PAYLOAD_THRESHOLD ? STATUS_POW_TARGET_LARGE : STATUS_POW_TARGET;
    const pow = options.powTarget ?? Math.max(statusTarget, this.minPow);
    const expiry = unixSeconds(this.options.clock) + ttl;
    const { envelope } = await sealEnvelope(
      { expiry, ttl, topic: options.topic, data },
      {
        pow,
        timeMs: options.powTimeMs ?? this.options.powTimeMs,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    this.postEnvelope(envelope);
    return { envelope, hash: envelope.hash, hashHex: envelope.hashHex };
  }

  /**
   * Queues an already sealed envelope as ours (for tools, bridges, benchmarks). Checked against our size
   * limit, expiry and PoW requirement (not our interest: we may post to topics we do not follow).
   */
  postEnvelope(envelope: Envelope): void {
    if (!this.#running) throw new WakuError(WakuErrorCode.NotRunning, 'the node is not running');
    const checked = this.#check(envelope, true);
    if (checked === 'duplicate') return;
    if (typeof checked === 'string') {
      throw rejectionError(checked, {
        size: envelope.size,
        pow: envelope.pow(),
        minPow: this.minPow,
        ttl: envelope.ttl,
        maxTtl: this.options.maxTtl,
      });
    }
    const entry: PoolEntry = { key: checked.key, envelope, pow: checked.pow, local: true, removed: false };
    const admission = this.#pool.add(entry);
    if (!admission.added) {
      // Only our own envelopes fill the pool: nothing of a peer's is left to evict.
      this.#counters.drop('poolFull');
      throw rejectionError('poolFull', { poolSize: this.#pool.size, localSize: this.#pool.localSize });
    }
    this.#evicted(admission.evicted);
    this.#counters.envelopesPosted++;
    this.#distribute(entry, undefined);
    this.#filters.deliver(envelope, { pow: checked.pow, p2p: false }, this.#counters);
    this.emit('envelope:new', envelope, { local: true });
  }

  // ---- receiving ------------------------------------------------------------------------------------------

  /**
   * The WAKU-12 checks, in status-go's order except that the duplicate check comes before PoW: the pool key
   * is the PoW hash, so a duplicate costs one hash and nothing else. Our own envelopes skip the interest
   * check (we may post to topics we do not follow). Returns why the envelope is refused, or its pool key
   * and PoW (with the future-sent adjustment).
   */
  #check(envelope: Envelope, local: boolean): EnvelopeRejection | 'duplicate' | { key: string; pow: number } {
    const o = this.options;
    const now = unixSeconds(o.clock);
    const sent = envelope.sent;
    let extraTtl = 0;
    if (sent > now) {
      if (sent - o.syncAllowance > now) return 'future';
      extraTtl = sent - now + 1;
    }
    if (envelope.expiry < now) return envelope.expiry + 2 * o.syncAllowance < now ? 'tooOld' : 'expired';
    if (envelope.size > o.maxMessageSize) return 'tooLarge';
    if (envelope.ttl > o.maxTtl) return 'ttlTooLong';
    const key = bytesToHex(envelope.powHash);
    if (this.#pool.has(key)) return 'duplicate';
    const pow = envelope.pow(extraTtl);
    if (!this.#requirements.powAccepted(pow)) return 'lowPow';
    if (!local && !this.#requirements.interestAccepts(envelope)) return 'interestMismatch';
    return { key, pow };
  }

  /** Admits an envelope from a peer; returns why it was dropped, or undefined when it entered the pool. */
  #admit(envelope: Envelope, source: PeerSession): DropReason | undefined {
    const checked = this.#check(envelope, false);
    if (checked === 'duplicate') source.known.add(bytesToHex(envelope.powHash));
    if (typeof checked === 'string') return checked;
    const entry: PoolEntry = {
      key: checked.key,
      envelope: envelope.compact(),
      pow: checked.pow,
      local: false,
      peer: source.idHex,
      removed: false,
    };
    const admission = this.#pool.add(entry);
    if (!admission.added) return admission.reason;
    this.#evicted(admission.evicted);
    source.known.add(checked.key);
    this.#counters.envelopesAccepted++;
    this.#distribute(entry, source);
    this.#filters.deliver(
      entry.envelope,
      { pow: checked.pow, p2p: false, peerId: source.id },
      this.#counters,
    );
    this.emit('envelope:new', entry.envelope, { local: false, peer: source });
    return undefined;
  }

  /**
   * Entries evicted to make room: counted, and forgotten by the sessions' known sets as at expiry (relay
   * queues skip them: they are marked removed).
   */
  #evicted(entries: readonly PoolEntry[]): void {
    if (entries.length === 0) return;
    this.#counters.drop('evicted', entries.length);
    for (const session of this.#sessions.values())
      for (const entry of entries) session.known.delete(entry.key);
  }

  /** Queues a new pool entry for every other ready peer (a light node forwards only its own, WAKU-15). */
  #distribute(entry: PoolEntry, source: PeerSession | undefined): void {
    if (this.options.lightNode && !entry.local) return;
    for (const session of this.#sessions.values()) {
      if (session !== source && session.ready && !session.known.has(entry.key)) session.enqueue(entry);
    }
  }

  #queueFor(session: PeerSession): PoolEntry[] {
    const light = this.options.lightNode;
    const entries: PoolEntry[] = [];
    for (const entry of this.#pool.values()) {
      if ((!light || entry.local) && !session.known.has(entry.key)) entries.push(entry);
    }
    return entries;
  }

  #handleMessages(session: PeerSession, payload: Uint8Array): void {
    let envelopes: Envelope[];
    try {
      envelopes = decodeEnvelopeList(payload);
    } catch (err) {
      if (!isWakuError(err)) throw err;
      this.#counters.drop('badPacket');
      this.#log('bad messages packet from %s: %s', session.idHex.slice(0, 16), err.message);
      return;
    }
    this.#counters.envelopesReceived += envelopes.length;
    const quota = this.#envelopeQuota(session, envelopes.length);
    if (quota.verdict === 'disconnect') {
      this.#counters.drop('envelopeRateLimited', envelopes.length);
      this.#counters.peer('rateLimitDisconnect');
      session.disconnect(DisconnectReason.SubprotocolError);
      return;
    }
    if (quota.allowed < envelopes.length) {
      this.#counters.drop('envelopeRateLimited', envelopes.length - quota.allowed);
      envelopes = envelopes.slice(0, quota.allowed);
    }
    const errors: EnvelopeError[] = [];
    for (const envelope of envelopes) {
      const reason = this.#admit(envelope, session);
      if (reason === undefined) continue;
      this.#counters.drop(reason);
      if (REPORTED.has(reason)) errors.push(envelopeError(envelope, reason));
    }
    if (this.options.confirmations) void session.sendConfirmation(keccak256(payload), errors);
  }

  /** Envelopes of a packet the rate limits let through (all without limits; trusted peers are limited too). */
  #envelopeQuota(session: PeerSession, count: number): EnvelopeQuota {
    if (!this.#rateLimiter) return { allowed: count, verdict: 'ok' };
    return this.#rateLimiter.takeEnvelopes(session.idHex, session.remoteAddress, count);
  }

  #handleP2PMessages(session: PeerSession, payload: Uint8Array): void {
    if (!session.trusted) {
      this.#counters.drop('untrustedP2P');
      return;
    }
    let envelopes: Envelope[];
    try {
      envelopes = decodeP2PMessages(payload);
    } catch (err) {
      if (!isWakuError(err)) throw err;
      this.#counters.drop('badPacket');
      return;
    }
    this.#counters.p2pEnvelopesReceived += envelopes.length;
    const delivered = this.#gateEnvelopes(session, envelopes, payload.length);
    if (delivered.length === 0 && envelopes.length > 0) return;
    // History: no expiry or PoW check, never relayed, only filters that allow P2P see it (WAKU-18).
    for (const envelope of delivered) {
      this.#filters.deliver(envelope, { pow: envelope.pow(), p2p: true, peerId: session.id }, this.#counters);
    }
    this.emit('p2p:envelopes', session, delivered);
  }

  /** What the gate lets through (all without a gate); a gate that throws refuses the packet (fail closed). */
  #gateEnvelopes(session: PeerSession, envelopes: Envelope[], packetBytes: number): Envelope[] {
    const gate = this.#p2pGate;
    if (!gate || envelopes.length === 0) return envelopes;
    let delivered: Envelope[];
    try {
      delivered = [...gate.envelopes(session, envelopes, packetBytes)];
    } catch (err) {
      this.#log.error('p2p gate failed on a packet of %s: %o', session.idHex.slice(0, 16), err);
      delivered = [];
    }
    const refused = envelopes.length - delivered.length;
    if (refused > 0) this.#counters.drop('p2pRefused', refused);
    return delivered;
  }

  #gateComplete(session: PeerSession, complete: P2PRequestComplete, packetBytes: number): boolean {
    const gate = this.#p2pGate;
    if (!gate) return true;
    let passed: boolean;
    try {
      passed = gate.complete(session, complete, packetBytes) === true;
    } catch (err) {
      this.#log.error('p2p gate failed on a request-complete of %s: %o', session.idHex.slice(0, 16), err);
      passed = false;
    }
    if (!passed) this.#counters.drop('p2pCompleteRefused');
    return passed;
  }

  #handleP2PRequest(session: PeerSession, payload: Uint8Array): void {
    if (this.listenerCount('p2p:request') === 0) {
      this.#counters.drop('unhandledP2PRequest');
      return;
    }
    this.emit('p2p:request', session, decodeP2PRequest(payload));
  }

  #handleP2PRequestComplete(session: PeerSession, payload: Uint8Array): void {
    if (!session.trusted) {
      this.#counters.drop('untrustedP2P');
      return;
    }
    let complete: P2PRequestComplete;
    try {
      complete = decodeP2PRequestComplete(payload);
    } catch (err) {
      if (!isWakuError(err)) throw err;
      this.#counters.drop('badPacket');
      return;
    }
    if (!this.#gateComplete(session, complete, payload.length)) return;
    this.emit('p2p:requestComplete', session, complete);
  }

  /** status-go hands sync requests to its mailserver only; a bad one is dropped here, never a disconnect. */
  #handleSyncRequest(session: PeerSession, payload: Uint8Array): void {
    this.#counters.syncRequestsReceived++;
    if (this.listenerCount('sync:request') === 0) {
      this.#counters.drop('unhandledSyncRequest');
      return;
    }
    let request: SyncMailRequest;
    try {
      request = decodeSyncMailRequest(payload);
    } catch (err) {
      if (!isWakuError(err)) throw err;
      this.#counters.drop('badPacket');
      this.#log('bad sync request from %s: %s', session.idHex.slice(0, 16), err.message);
      return;
    }
    this.emit('sync:request', session, request);
  }

  /** Only from a trusted peer (one we asked), as status-go; envelopes are not checked, filtered or relayed. */
  #handleSyncResponse(session: PeerSession, payload: Uint8Array): void {
    this.#counters.syncResponsesReceived++;
    if (!session.trusted) {
      this.#counters.drop('untrustedP2P');
      return;
    }
    let response: SyncResponse;
    try {
      response = decodeSyncResponse(payload);
    } catch (err) {
      if (!isWakuError(err)) throw err;
      this.#counters.drop('badPacket');
      this.#log('bad sync response from %s: %s', session.idHex.slice(0, 16), err.message);
      return;
    }
    this.#counters.syncEnvelopesReceived += response.envelopes.length;
    this.emit('sync:response', session, response);
  }

  #handleConfirmation(
    session: PeerSession,
    batchHash: Uint8Array,
    response: MessageResponse | undefined,
  ): void {
    const batch = this.#batches.settle(session.idHex, batchHash);
    if (batch === 'settled') return;
    if (batch === 'unknown') {
      this.#counters.drop('unknownBatch');
      return;
    }
    const errors = response?.errors ?? [];
    this.emit('batch:acknowledged', { peer: session, batchHash, errors, envelopes: batch.count });
    const rejected = new Set(errors.map((e) => bytesToHex(e.hash)));
    for (const entry of batch.local) {
      if (!rejected.has(entry.envelope.hashHex)) {
        this.emit('envelope:confirmed', { envelope: entry.envelope, peer: session, batchHash });
      }
    }
  }

  // ---- timers ---------------------------------------------------------------------------------------------

  #relayTick(): void {
    const now = unixSeconds(this.options.clock);
    for (const session of this.#sessions.values()) {
      if (session.ready && session.queued > 0) {
        session
          .flush(now)
          .catch((err: unknown) =>
            this.#log.error('relay to %s failed: %o', session.idHex.slice(0, 16), err),
          );
      }
    }
  }

  #expireTick(): void {
    const now = unixSeconds(this.options.clock);
    const removed = this.#pool.expire(now);
    if (removed.length > 0) {
      this.#counters.envelopesExpired += removed.length;
      for (const session of this.#sessions.values())
        for (const entry of removed) session.known.delete(entry.key);
      for (const entry of removed) if (entry.local) this.emit('envelope:expired', entry.envelope);
    }
    this.#batches.sweep(this.options.clock.now());
  }

  // ---- session host ---------------------------------------------------------------------------------------

  #makeHost(): SessionHost {
    const o = this.options;
    // biome-ignore lint/complexity/noUselessThisAlias: the host object's methods close over the node.
    const node = this;
    return {
      clock: o.clock,
      log: o.logger ? o.logger.extend('peer') : undefined,
      counters: this.#counters,
      maxPacketSize: o.maxPacketSize,
      maxOutgoingPacketSize: o.maxOutgoingPacketSize,
      maxRelayQueue: o.maxRelayQueue,
      maxTopicInterest: o.maxTopicInterest,
      statusTimeoutMs: o.statusTimeoutMs,
      lightNode: o.lightNode,
      restrictLightConnections: o.restrictLightConnections,
      localStatus: () => node.#localStatus(),
      // A trusted peer's history is bounded by whoever asked for it (the mail client's gate); its relay
      // traffic is limited like anyone's, or trusting a mailserver would let it flood the pool.
      rateCheck: (session, code, size) =>
        !node.#rateLimiter || (session.trusted && isHistoryCode(session.protocol, code))
          ? 'ok'
          : node.#rateLimiter.check(session.idHex, session.remoteAddress, size),
      shouldRelayTo: (session) => {
        // A node reachable over both capabilities is served over waku/1 only.
        if (session.protocol !== 'shh') return true;
        return !node.#sessions.get(`waku:${session.idHex}`)?.ready;
      },
      sessionReady: (session) => {
        node.#counters.peer('connected');
        session.resetQueue(node.#queueFor(session));
        node.#log('peer %s ready over %s', session.idHex.slice(0, 16), session.protocol);
        node.emit('peer:added', session);
      },
      sessionUpdated: (session, update: RemoteUpdate) => {
        if (update.interest !== undefined || update.pow !== undefined)
          session.resetQueue(node.#queueFor(session));
      },
      sessionClosed: (session) => {
        const key = `${session.protocol}:${session.idHex}`;
        if (node.#sessions.get(key) === session) node.#sessions.delete(key);
        node.#rateLimiter?.remove(session.idHex, session.remoteAddress);
        if (session.wasReady) {
          node.#counters.peer('disconnected');
          node.emit('peer:removed', session);
        }
      },
      handleMessages: (session, payload) => node.#handleMessages(session, payload),
      handleP2PMessages: (session, payload) => node.#handleP2PMessages(session, payload),
      handleP2PRequest: (session, payload) => node.#handleP2PRequest(session, payload),
      handleP2PRequestComplete: (session, payload) => node.#handleP2PRequestComplete(session, payload),
      handleSyncRequest: (session, payload) => node.#handleSyncRequest(session, payload),
      handleSyncResponse: (session, payload) => node.#handleSyncResponse(session, payload),
      handleConfirmation: (session, batchHash, response) =>
        node.#handleConfirmation(session, batchHash, response),
      batchSent: (session, batchHash, entries) => node.#onBatchWritten(session, batchHash, entries),
    };
  }

  #onBatchWritten(
    session: PeerSession,
    batchHash: Uint8Array | undefined,
    entries: readonly PoolEntry[],
  ): void {
    for (const entry of entries)
      if (entry.local) this.emit('envelope:sent', { envelope: entry.envelope, peer: session });
    if (batchHash) this.#batches.record(session.idHex, batchHash, entries, this.options.clock.now());
  }
}
