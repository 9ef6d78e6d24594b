import { bytesToHex, type Cancel, type Clock, createLogger, type Logger } from '@status-ts/core';
import { keccak256 } from '@status-ts/crypto';
import { type CapabilityStream, DisconnectReason } from '@status-ts/devp2p';
import type { Envelope } from '../envelope/envelope.js';
import { encodeEnvelopeList } from '../envelope/envelope-list.js';
import { isWakuError } from '../errors.js';
import { WakuCode, WhisperCode, type WireProtocolName } from '../wire/codes.js';
import {
  decodeBatchAck,
  decodeMessageResponse,
  type EnvelopeError,
  encodeBatchAck,
  encodeMessageResponse,
  type MessageResponse,
} from '../wire/confirmations.js';
import { encodeP2PMessages } from '../wire/p2p.js';
import { NO_RATE_LIMITS, type RateLimits } from '../wire/rate-limits.js';
import type { LocalStatus, RemoteSettings, RemoteUpdate, WireAdapter } from './adapters.js';
import type { WakuCounters } from './counters.js';
import { FULL_INTEREST, type Interest, interestMatches } from './interest.js';
import type { PoolEntry } from './pool.js';
import type { RateVerdict } from './rate-limiter.js';
import { TokenBucket } from './token-bucket.js';

const log = createLogger('status-ts:waku:peer');

/** A connected waku/1 or shh/6 peer as the node's users see it. */
export interface WakuPeer {
  /** 64-byte node id. */
  readonly id: Uint8Array;
  readonly idHex: string;
  readonly protocol: WireProtocolName;
  /** The peer's IP address when the transport tells it (used for per-IP rate limits). */
  readonly remoteAddress: string | undefined;
  /** True once the peer's Status arrived. */
  readonly ready: boolean;
  /** Trusted peers (mailservers) may send P2P messages and request-complete packets. */
  readonly trusted: boolean;
  /** The peer's PoW requirement, interest, flags and advertised rate limits (from Status and updates). */
  readonly powRequirement: number;
  readonly interest: Interest;
  readonly lightNode: boolean;
  readonly confirmationsEnabled: boolean;
  readonly packetRateLimits: RateLimits;
  readonly bytesRateLimits: RateLimits;
  /** Disconnects the whole devp2p peer. */
  disconnect(reason?: number): void;
}

/** What a session needs from its node. */
export interface SessionHost {
  readonly clock: Clock;
  /** Where sessions log (default the `status-ts:waku:peer` logger). */
  readonly log: Logger | undefined;
  readonly counters: WakuCounters;
  readonly maxPacketSize: number;
  readonly maxOutgoingPacketSize: number;
  readonly maxRelayQueue: number;
  readonly maxTopicInterest: number;
  readonly statusTimeoutMs: number;
  readonly lightNode: boolean;
  readonly restrictLightConnections: boolean;
  localStatus(): LocalStatus;
  /** Charges a packet of `code` and `size` bytes to the peer's rate limits. */
  rateCheck(session: PeerSession, code: number, size: number): RateVerdict;
  shouldRelayTo(session: PeerSession): boolean;
  sessionReady(session: PeerSession): void;
  sessionUpdated(session: PeerSession, update: RemoteUpdate): void;
  sessionClosed(session: PeerSession): void;
  handleMessages(session: PeerSession, payload: Uint8Array): void;
  handleP2PMessages(session: PeerSession, payload: Uint8Array): void;
  handleP2PRequest(session: PeerSession, payload: Uint8Array): void;
  handleP2PRequestComplete(session: PeerSession, payload: Uint8Array): void;
  /** shh/6 only: P2P Sync Request (123) and Response (124). */
  handleSyncRequest(session: PeerSession, payload: Uint8Array): void;
  handleSyncResponse(session: PeerSession, payload: Uint8Array): void;
  handleConfirmation(
    session: PeerSession,
    batchHash: Uint8Array,
    response: MessageResponse | undefined,
  ): void;
  /** A Messages packet was written; `batchHash` is set when the peer confirms batches. */
  batchSent(session: PeerSession, batchHash: Uint8Array | undefined, entries: readonly PoolEntry[]): void;
}

type SessionState = 'handshake' | 'active' | 'closed';

function remoteAddressOf(stream: CapabilityStream): string | undefined {
  // RLPx streams carry the socket's address; in-memory links have none (then limits apply per peer id).
  return stream.remoteAddress ? stream.remoteAddress : undefined;
}

/** Share of a peer's advertised limit we use: its clock and ours drift, and a packet over its limit is lost. */
const PEER_LIMIT_MARGIN = 0.9;

/** The tighter of the peer's per-IP and per-peer limits (all our traffic has one IP and one id); 0 = none. */
function effectiveLimit(limits: RateLimits): number {
  const values = [limits.ip, limits.peerId].filter((v) => v > 0);
  return values.length === 0 ? 0 : Math.max(1, Math.min(...values) * PEER_LIMIT_MARGIN);
}

/**
 * One peer of the node on one capability stream: the Status handshake, the message loop, the peer's settings,
 * the set of envelopes it knows and the queue of envelopes waiting for the next relay tick.
 */
export class PeerSession implements WakuPeer {
  readonly id: Uint8Array;
  readonly idHex: string;
  readonly protocol: WireProtocolName;
  readonly remoteAddress: string | undefined;
  /** Pool keys of envelopes this peer sent us or we sent it. */
  readonly known = new Set<string>();
  trusted = false;
  readonly #stream: CapabilityStream;
  readonly #adapter: WireAdapter;
  readonly #host: SessionHost;
  #state: SessionState = 'handshake';
  /** Our Status as sent, until the handshake completes (see #sendChangesSinceStatus). */
  #sentStatus: LocalStatus | undefined;
  #remote: RemoteSettings = {
    pow: 0,
    interest: FULL_INTEREST,
    lightNode: false,
    confirmationsEnabled: false,
    packetLimits: NO_RATE_LIMITS,
    bytesLimits: NO_RATE_LIMITS,
  };
  #outbox: PoolEntry[] = [];
  #outboxHead = 0;
  #flushing = false;
  #packetBudget: TokenBucket;
  #bytesBudget: TokenBucket;
  #handshakeTimer: Cancel | undefined;
  #wasReady = false;

  constructor(stream: CapabilityStream, adapter: WireAdapter, host: SessionHost) {
    this.#stream = stream;
    this.#adapter = adapter;
    this.#host = host;
    this.id = stream.remoteId;
    this.idHex = bytesToHex(stream.remoteId);
    this.protocol = adapter.protocol;
    this.remoteAddress = remoteAddressOf(stream);
    const now = host.clock.now();
    this.#packetBudget = new TokenBucket(0, now);
    this.#bytesBudget = new TokenBucket(0, now);
  }

  get ready(): boolean {
    return this.#state === 'active';
  }

  get closed(): boolean {
    return this.#state === 'closed';
  }

  /** True once the handshake completed, even after the session closed. */
  get wasReady(): boolean {
    return this.#wasReady;
  }

  get powRequirement(): number {
    return this.#remote.pow;
  }

  get interest(): Interest {
    return this.#remote.interest;
  }

  get lightNode(): boolean {
    return this.#remote.lightNode;
  }

  get confirmationsEnabled(): boolean {
    return this.#remote.confirmationsEnabled;
  }

  get packetRateLimits(): RateLimits {
    return this.#remote.packetLimits;
  }

  get bytesRateLimits(): RateLimits {
    return this.#remote.bytesLimits;
  }

  /** Envelopes waiting for the next relay tick. */
  get queued(): number {
    return this.#outbox.length - this.#outboxHead;
  }

  /** Sends our Status, arms the Status timeout and runs the message loop until the stream ends. */
  start(): void {
    this.#sentStatus = this.#host.localStatus();
    void this.#send(WakuCode.Status, this.#adapter.encodeStatus(this.#sentStatus));
    this.#handshakeTimer = this.#host.clock.setTimeout(() => {
      this.#handshakeTimer = undefined;
      if (this.#state !== 'handshake') return;
      this.#host.counters.peer('handshakeTimeout');
      (this.#host.log ?? log)('peer %s sent no status in time', this.idHex.slice(0, 16));
      this.disconnect(DisconnectReason.ReadTimeout);
    }, this.#host.statusTimeoutMs);
    void this.#run();
  }

  async #run(): Promise<void> {
    try {
      for await (const message of this.#stream.messages()) {
        if (this.#state === 'closed') break;
        this.#onMessage(message.code, message.payload);
      }
    } catch (err) {
      (this.#host.log ?? log).error('message loop of %s failed: %o', this.idHex.slice(0, 16), err);
    } finally {
      this.#finish();
    }
  }

  #finish(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#handshakeTimer?.();
    this.#handshakeTimer = undefined;
    this.#outbox = [];
    this.#outboxHead = 0;
    this.#host.sessionClosed(this);
  }

  disconnect(reason: number = DisconnectReason.DisconnectRequested): void {
    if (!this.#stream.closed) this.#stream.close(reason);
    this.#finish();
  }

  #onMessage(code: number, payload: Uint8Array): void {
    const host = this.#host;
    const counters = host.counters;
    counters.packetsReceived++;
    counters.bytesReceived += payload.length;
    if (payload.length > host.maxPacketSize) {
      // status-go drops a peer that sends an oversized packet (WAKU-13).
      counters.drop('oversizePacket');
      counters.peer('oversizeDisconnect');
      this.disconnect(DisconnectReason.SubprotocolError);
      return;
    }
    if (this.#state === 'handshake') {
      this.#onStatus(code, payload);
      return;
    }
    const verdict = host.rateCheck(this, code, payload.length);
    if (verdict === 'disconnect') {
      counters.drop('rateLimited');
      counters.peer('rateLimitDisconnect');
      this.disconnect(DisconnectReason.SubprotocolError);
      return;
    }
    // Over the limit, envelopes are dropped (the spam the limits are for); control packets (status
    // updates, confirmations, history requests) are still read: nobody resends a lost topic-interest update,
    // and status-go reads every packet, counting the excess.
    if (verdict === 'limited' && (code === WakuCode.Messages || code === WakuCode.P2PMessage)) {
      counters.drop('rateLimited');
      return;
    }
    switch (code) {
      case WakuCode.Status:
        counters.drop('repeatedStatus');
        return;
      case WakuCode.Messages:
        host.handleMessages(this, payload);
        return;
      case WakuCode.BatchAcknowledged:
        this.#guard(() => host.handleConfirmation(this, decodeBatchAck(payload), undefined));
        return;
      case WakuCode.MessageResponse:
        this.#guard(() => {
          const response = decodeMessageResponse(payload);
          if (response) host.handleConfirmation(this, response.batchHash, response);
        });
        return;
      case WakuCode.P2PRequestComplete:
        host.handleP2PRequestComplete(this, payload);
        return;
      case WakuCode.P2PRequest:
        host.handleP2PRequest(this, payload);
        return;
      case WakuCode.P2PMessage:
        host.handleP2PMessages(this, payload);
        return;
    }
    // Mailserver sync exists on shh/6 only; on waku/1 these codes are unknown (ignored below).
    if (this.protocol === 'shh' && code === WhisperCode.P2PSyncRequest) {
      host.handleSyncRequest(this, payload);
      return;
    }
    if (this.protocol === 'shh' && code === WhisperCode.P2PSyncResponse) {
      host.handleSyncResponse(this, payload);
      return;
    }
    if (this.#adapter.isUpdateCode(code)) {
      this.#guard(() => this.#applyUpdate(this.#adapter.decodeUpdate(code, payload, host.maxTopicInterest)));
      return;
    }
    // Unknown codes are ignored for forward compatibility (WAKU-01).
    counters.drop('unknownCode');
  }

  /** Runs a decoder; a typed decode error only drops the packet (status-go waku/1 logs and goes on). */
  #guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (!isWakuError(err)) throw err;
      this.#host.counters.drop('badPacket');
      (this.#host.log ?? log)('bad packet from %s: %s', this.idHex.slice(0, 16), err.message);
    }
  }

  #onStatus(code: number, payload: Uint8Array): void {
    const host = this.#host;
    if (code !== WakuCode.Status) {
      host.counters.drop('beforeStatus');
      this.disconnect(DisconnectReason.ProtocolError);
      return;
    }
    let remote: RemoteSettings;
    try {
      remote = this.#adapter.decodeStatus(payload, host.maxTopicInterest);
    } catch (err) {
      if (!isWakuError(err)) throw err;
      host.counters.peer('badStatus');
      (this.#host.log ?? log)('bad status from %s: %s', this.idHex.slice(0, 16), err.message);
      this.disconnect(DisconnectReason.SubprotocolError);
      return;
    }
    if (remote.lightNode && host.lightNode && host.restrictLightConnections) {
      host.counters.peer('lightRefused');
      this.disconnect(DisconnectReason.UselessPeer);
      return;
    }
    this.#remote = remote;
    this.#resetBudgets();
    this.#state = 'active';
    this.#wasReady = true;
    this.#handshakeTimer?.();
    this.#handshakeTimer = undefined;
    host.sessionReady(this);
    this.#sendChangesSinceStatus();
  }

  /**
   * Our interest or PoW requirement may have changed after our Status left and before the peer's arrived
   * (a filter installed during the handshake): updates are only sent to active peers, so send the
   * difference now, or the peer would go on with what our Status said.
   */
  #sendChangesSinceStatus(): void {
    const sent = this.#sentStatus;
    this.#sentStatus = undefined;
    if (!sent) return;
    const now = this.#host.localStatus();
    const change: { minPow?: number; interest?: Interest } = {};
    if (now.minPow !== sent.minPow) change.minPow = now.minPow;
    if (now.interest !== sent.interest) change.interest = now.interest;
    if (change.minPow !== undefined || change.interest !== undefined) void this.sendUpdate(change);
  }

  #applyUpdate(update: RemoteUpdate): void {
    this.#remote = { ...this.#remote, ...update };
    if (update.packetLimits || update.bytesLimits) this.#resetBudgets();
    this.#host.sessionUpdated(this, update);
  }

  /** We honour the peer's advertised limits: everything we send comes from one IP and one node id. */
  #resetBudgets(): void {
    const now = this.#host.clock.now();
    this.#packetBudget = new TokenBucket(effectiveLimit(this.#remote.packetLimits), now);
    this.#bytesBudget = new TokenBucket(effectiveLimit(this.#remote.bytesLimits), now);
  }

  #send(code: number, payload: Uint8Array): Promise<void> {
    const counters = this.#host.counters;
    counters.packetsSent++;
    counters.bytesSent += payload.length;
    const now = this.#host.clock.now();
    this.#packetBudget.charge(1, now);
    this.#bytesBudget.charge(payload.length, now);
    // A rejection means the peer is gone; the message loop ends and cleans up.
    return this.#stream.send(code, payload).catch(() => {});
  }

  // ---- relay ----------------------------------------------------------------------------------------------

  enqueue(entry: PoolEntry): void {
    if (this.#state === 'closed') return;
    this.#outbox.push(entry);
    // Bounded: the oldest queued are skipped (counted) while a flush cannot keep up with the pool.
    const excess = this.queued - this.#host.maxRelayQueue;
    if (excess > 0 && !this.#flushing) {
      this.#outboxHead += excess;
      this.#host.counters.drop('relayQueueFull', excess);
      this.#compactOutbox();
    }
  }

  /** Drops the sent or skipped head of the queue once it is most of the array. */
  #compactOutbox(): void {
    if (this.#outboxHead > 1024 && this.#outboxHead * 2 >= this.#outbox.length) {
      this.#outbox = this.#outbox.slice(this.#outboxHead);
      this.#outboxHead = 0;
    }
  }

  /** Replaces the queue (after the peer's interest or PoW requirement changed, or at the handshake). */
  resetQueue(entries: PoolEntry[]): void {
    this.#outbox = entries;
    this.#outboxHead = 0;
  }

  #eligible(entry: PoolEntry, nowSeconds: number): boolean {
    if (entry.removed || this.known.has(entry.key)) return false;
    const counters = this.#host.counters;
    if (entry.envelope.expiry < nowSeconds) {
      counters.drop('expiredBeforeRelay');
      return false;
    }
    if (entry.pow < this.#remote.pow) {
      counters.drop('peerLowPow');
      return false;
    }
    if (!interestMatches(this.#remote.interest, entry.envelope)) {
      counters.drop('peerInterestMismatch');
      return false;
    }
    return true;
  }

  /**
   * Sends the queued envelopes the peer wants (its PoW requirement and interest, not known to it, not
   * expired) as Messages packets of at most maxOutgoingPacketSize, within the peer's advertised rate
   * limits; what does not fit waits for the next tick (WAKU-14, WAKU-17).
   */
  async flush(nowSeconds: number): Promise<void> {
    if (this.#state !== 'active' || this.#flushing || this.queued === 0) return;
    if (!this.#host.shouldRelayTo(this)) {
      this.resetQueue([]);
      return;
    }
    this.#flushing = true;
    const host = this.#host;
    try {
      while (this.#state === 'active' && this.#outboxHead < this.#outbox.length) {
        const now = host.clock.now();
        if (this.#packetBudget.available(now) < 1) break;
        const bytesFull = this.#bytesBudget.full(now);
        const bytesAvailable = this.#bytesBudget.available(now);
        const batch: PoolEntry[] = [];
        let size = 0;
        while (this.#outboxHead < this.#outbox.length) {
          const entry = this.#outbox[this.#outboxHead]!;
          if (!this.#eligible(entry, nowSeconds)) {
            this.#outboxHead++;
            continue;
          }
          const length = entry.envelope.raw.length;
          if (batch.length > 0 && size + length + 4 > host.maxOutgoingPacketSize) break;
          if (size + length > bytesAvailable && !(batch.length === 0 && bytesFull)) break;
          this.known.add(entry.key);
          batch.push(entry);
          size += length;
          this.#outboxHead++;
        }
        if (batch.length === 0) break;
        const payload = encodeEnvelopeList(batch.map((e) => e.envelope));
        host.counters.envelopesRelayed += batch.length;
        const sent = this.#send(WakuCode.Messages, payload);
        host.batchSent(this, this.#remote.confirmationsEnabled ? keccak256(payload) : undefined, batch);
        await sent;
      }
    } finally {
      this.#flushing = false;
      this.#compactOutbox();
    }
  }

  // ---- other packets --------------------------------------------------------------------------------------

  sendUpdate(change: { minPow?: number; interest?: Interest }): Promise<void> {
    if (this.#state !== 'active') return Promise.resolve();
    return Promise.all(this.#adapter.encodeUpdate(change).map((p) => this.#send(p.code, p.payload))).then(
      () => {},
    );
  }

  /** Message Response then Batch Acknowledged, as status-go sends them (WAKU-16). */
  sendConfirmation(batchHash: Uint8Array, errors: EnvelopeError[]): Promise<void> {
    return Promise.all([
      this.#send(WakuCode.MessageResponse, encodeMessageResponse({ batchHash, errors })),
      this.#send(WakuCode.BatchAcknowledged, encodeBatchAck(batchHash)),
    ]).then(() => {});
  }

  sendP2PMessages(envelopes: readonly Envelope[]): Promise<void> {
    this.#host.counters.p2pEnvelopesSent += envelopes.length;
    return this.#send(WakuCode.P2PMessage, encodeP2PMessages(envelopes));
  }

  sendP2PRequest(payload: Uint8Array): Promise<void> {
    return this.#send(WakuCode.P2PRequest, payload);
  }

  sendP2PRequestComplete(payload: Uint8Array): Promise<void> {
    return this.#send(WakuCode.P2PRequestComplete, payload);
  }

  sendSyncRequest(payload: Uint8Array): Promise<void> {
    return this.#send(WhisperCode.P2PSyncRequest, payload);
  }

  sendSyncResponse(payload: Uint8Array): Promise<void> {
    return this.#send(WhisperCode.P2PSyncResponse, payload);
  }

  /** Raw send for tests and tools that speak the protocol themselves. */
  sendRaw(code: number, payload: Uint8Array): Promise<void> {
    return this.#send(code, payload);
  }
}
