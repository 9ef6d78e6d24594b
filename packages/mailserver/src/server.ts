import { type Cancel, type Clock, systemClock, TypedEmitter, unixSeconds } from '@status-ts/core';
import { symmetricKeyFromPassword } from '@status-ts/crypto';
import type { Envelope, P2PRequest, P2PRequestComplete, WakuNode, WakuPeer } from '@status-ts/waku';
import { ArchiveWriter } from './archive-writer.js';
import {
  DEFAULT_ARCHIVE_RETRY_MAX_BYTES,
  DEFAULT_ARCHIVE_RETRY_MAX_DELAY_MS,
  DEFAULT_ARCHIVE_RETRY_MAX_ENVELOPES,
  DEFAULT_ARCHIVE_RETRY_MIN_DELAY_MS,
  DEFAULT_CLEANUP_INTERVAL_MS,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_MAX_BYTES_IN_FLIGHT,
  DEFAULT_MAX_PEER_BYTES_IN_FLIGHT,
  DEFAULT_MAX_PEER_REQUESTS_IN_FLIGHT,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_MAX_REQUEST_TOPICS,
  DEFAULT_MAX_REQUESTS_IN_FLIGHT,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_WINDOW_SECONDS,
  DEFAULT_PAGE_LIMIT,
  DEFAULT_PEER_REQUEST_BURST,
  DEFAULT_PEER_REQUEST_INTERVAL_MS,
  DEFAULT_READ_SLICE_ENVELOPES,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_SEND_TIMEOUT_MS,
  DEFAULT_WINDOW_LIMIT_APPLIES_TO,
  MAILSERVER_PASSWORD,
  MAX_PAGE_LIMIT,
  UPPER_ZERO_ALLOWANCE_SECONDS,
} from './constants.js';
import { MailserverError, MailserverErrorCode } from './errors.js';
import { CURSOR_LENGTH } from './key.js';
import { decodeMailRequest, type MailRequest } from './request.js';
import { servePage } from './serve-page.js';
import { type MailServerCounters, type MailServerLimitReason, newCounters } from './server-counters.js';
import {
  envelopeBytes,
  LoadTracker,
  type MailServerLoad,
  type RequestLease,
  StopSignal,
} from './server-load.js';
import type { EnvelopeStore, HistoryQuery } from './store/types.js';

export interface MailServerOptions {
  store: EnvelopeStore;
  /** Default: the attached node's clock. */
  clock?: Clock;
  /** Symmetric key request envelopes are encrypted with (default PBKDF2 of `status-offline-inbox`). */
  symKey?: Uint8Array;
  /** Private key for request envelopes encrypted to the server's public key (usually its node key). */
  privateKey?: Uint8Array;
  /** Minimum PoW of a request envelope (default 0: none). */
  minRequestPow?: number;
  /** Widest time window (upper - lower) a request may cover, seconds (default 24 h). */
  maxWindowSeconds?: number;
  /**
   * Which request shapes `maxWindowSeconds` applies to: `raw` (default, as status-go: only the raw-bytes
   * payload) or `all` (MessagesRequest and RLP payloads too).
   */
  windowLimitAppliesTo?: WindowLimitAppliesTo;
  defaultPageLimit?: number;
  maxPageLimit?: number;
  maxBatchBytes?: number;
  maxResponseBytes?: number;
  maxRequestBytes?: number;
  maxRequestTopics?: number;
  /**
   * Per-peer request rate: one request per this many ms on average (default
   * {@link DEFAULT_PEER_REQUEST_INTERVAL_MS}; 0: no limit), `peerRequestBurst` at once.
   */
  peerRequestIntervalMs?: number;
  /**
   * Requests a peer may send at once (default {@link DEFAULT_PEER_REQUEST_BURST} with the default interval,
   * 1 when `peerRequestIntervalMs` is given: a strict minimum interval between two requests).
   */
  peerRequestBurst?: number;
  /** Requests of one peer served at once (default {@link DEFAULT_MAX_PEER_REQUESTS_IN_FLIGHT}). */
  maxPeerRequestsInFlight?: number;
  /** Requests served at once, all peers together (default {@link DEFAULT_MAX_REQUESTS_IN_FLIGHT}). */
  maxRequestsInFlight?: number;
  /**
   * Envelope bytes one peer's requests may hold, sends that timed out included (default
   * {@link DEFAULT_MAX_PEER_BYTES_IN_FLIGHT}).
   */
  maxPeerBytesInFlight?: number;
  /** Envelope bytes all requests together may hold (default {@link DEFAULT_MAX_BYTES_IN_FLIGHT}). */
  maxBytesInFlight?: number;
  /** Envelopes read from the store at a time (default {@link DEFAULT_READ_SLICE_ENVELOPES}). */
  readSliceEnvelopes?: number;
  /**
   * A send, or a wait for memory, longer than this drops the request (default
   * {@link DEFAULT_SEND_TIMEOUT_MS}); a peer whose send timed out gets no more requests served until it reads.
   */
  sendTimeoutMs?: number;
  /** Envelopes and bytes the archive retry queue holds at most (defaults 10,000 and 32 MiB). */
  archiveRetryMaxEnvelopes?: number;
  archiveRetryMaxBytes?: number;
  /** First and longest wait between archive retries (defaults 1 s and 30 s; doubled after each failure). */
  archiveRetryMinDelayMs?: number;
  archiveRetryMaxDelayMs?: number;
  /** Envelopes older than this many days are deleted by the cleaner (0: keep forever). */
  retentionDays?: number;
  cleanupIntervalMs?: number;
}

export type WindowLimitAppliesTo = 'raw' | 'all';

export interface ServedRequest {
  peerId: Uint8Array;
  requestId: Uint8Array;
  shape: MailRequest['shape'];
  envelopes: number;
  batches: number;
  cursor?: Uint8Array;
}

export interface MailServerEvents {
  /** Envelopes durably stored (acknowledged): their hashes. */
  archived: [Envelope[]];
  served: [ServedRequest];
  rejected: [{ peerId: Uint8Array; code: string; message: string; requestId?: Uint8Array }];
  cleaned: [number];
  error: [Error];
}

type NumericOptions = Required<
  Omit<MailServerOptions, 'store' | 'clock' | 'privateKey' | 'symKey' | 'windowLimitAppliesTo'>
>;

/** Options that must be whole numbers >= 1 (the rest: numbers >= 0). */
const POSITIVE_INTEGER_OPTIONS: readonly (keyof NumericOptions)[] = [
  'peerRequestBurst',
  'maxPeerRequestsInFlight',
  'maxRequestsInFlight',
  'maxPeerBytesInFlight',
  'maxBytesInFlight',
  'readSliceEnvelopes',
  'sendTimeoutMs',
  'archiveRetryMinDelayMs',
  'archiveRetryMaxDelayMs',
];
const INTEGER_OPTIONS: readonly (keyof NumericOptions)[] = [
  'archiveRetryMaxEnvelopes',
  'archiveRetryMaxBytes',
];

const bad = (message: string) => new MailserverError(MailserverErrorCode.InvalidOptions, message);

function checkWindowLimitAppliesTo(value: unknown): WindowLimitAppliesTo {
  if (value === 'raw' || value === 'all') return value;
  throw bad(`windowLimitAppliesTo must be 'raw' or 'all', got ${String(value)}`);
}

function checkOptions(options: NumericOptions): void {
  for (const [name, value] of Object.entries(options)) {
    if (typeof value !== 'number' || !(value >= 0)) throw bad(`${name} must be a number >= 0`);
  }
  for (const name of POSITIVE_INTEGER_OPTIONS) {
    const value = options[name];
    if (!Number.isSafeInteger(value) || value < 1) throw bad(`${name} must be an integer >= 1, got ${value}`);
  }
  for (const name of INTEGER_OPTIONS) {
    const value = options[name];
    if (!Number.isSafeInteger(value)) throw bad(`${name} must be an integer >= 0, got ${value}`);
  }
  // Infinity would refuse every request envelope: a typo rather than a policy.
  if (!Number.isFinite(options.minRequestPow)) throw bad('minRequestPow must be a finite number >= 0');
  if (options.archiveRetryMaxDelayMs < options.archiveRetryMinDelayMs) {
    throw bad('archiveRetryMaxDelayMs must be >= archiveRetryMinDelayMs');
  }
}

let defaultSymKey: Uint8Array | undefined;
/** PBKDF2(`status-offline-inbox`), computed once. */
export function mailserverSymKey(): Uint8Array {
  defaultSymKey ??= symmetricKeyFromPassword(MAILSERVER_PASSWORD);
  return defaultSymKey;
}

function reject(code: MailserverErrorCode, message: string): MailserverError {
  return new MailserverError(code, message);
}

/** A refusal or drop by a load limit; `reply: false` when the peer does not read (no answer is sent). */
function limited(reason: MailServerLimitReason, message: string, reply = true): MailserverError {
  const code =
    reason === 'interval'
      ? MailserverErrorCode.RateLimited
      : reason === 'peerBacklog' || reason === 'sendTimeout'
        ? MailserverErrorCode.SlowPeer
        : MailserverErrorCode.Busy;
  return new MailserverError(code, message, { details: { reason, reply } });
}

const LIMIT_MESSAGES: Record<MailServerLimitReason, string> = {
  interval: 'peer exceeded the request rate limit',
  peerRequests: 'server busy: too many requests of this peer in flight',
  requests: 'server busy: too many requests in flight',
  peerBacklog: 'peer does not read what was sent to it',
  peerBytes: 'server busy: too many bytes in flight for this peer',
  bytes: 'server busy: too many bytes in flight',
  sendTimeout: 'peer did not read a batch in time',
  stopped: 'server stopped',
};

type SendOutcome = 'sent' | 'timeout' | 'stopped' | { error: unknown };

/**
 * The mailserver role of a Waku/Whisper node: archives every envelope the node accepts (dedup by hash, in
 * small transactions, retrying transient store failures from a bounded queue) and answers P2P requests from
 * direct peers with P2P Message batches and a Request Complete, within the configured limits: per-peer
 * request rate, requests and bytes in flight per peer and in all, pages read in slices, sends that must
 * complete in time. A retention cleaner runs on the clock.
 */
export class MailServer extends TypedEmitter<MailServerEvents> {
  readonly store: EnvelopeStore;
  readonly #options: NumericOptions;
  readonly #windowLimitAppliesTo: WindowLimitAppliesTo;
  readonly #symKey: Uint8Array;
  readonly #privateKey: Uint8Array | undefined;
  readonly #counters = newCounters();
  readonly #load: LoadTracker;
  readonly #writer: ArchiveWriter;
  #clock: Clock;
  #node: WakuNode | undefined;
  #cancelCleaner: Cancel | undefined;
  /** Fired by stop(): what waits on a peer gives up. */
  #stopped = new StopSignal();
  readonly #inflight = new Set<Promise<void>>();
  readonly #onEnvelope = (envelope: Envelope) => this.#writer.add(envelope, this.#clock.now());
  readonly #onRequest = (peer: WakuPeer, request: P2PRequest) => {
    const task = this.handleRequest(peer, request).finally(() => this.#inflight.delete(task));
    this.#inflight.add(task);
  };

  constructor(options: MailServerOptions) {
    super();
    this.store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#symKey = options.symKey ?? mailserverSymKey();
    this.#privateKey = options.privateKey;
    this.#options = {
      minRequestPow: options.minRequestPow ?? 0,
      maxWindowSeconds: options.maxWindowSeconds ?? DEFAULT_MAX_WINDOW_SECONDS,
      defaultPageLimit: options.defaultPageLimit ?? DEFAULT_PAGE_LIMIT,
      maxPageLimit: options.maxPageLimit ?? MAX_PAGE_LIMIT,
      maxBatchBytes: options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      maxRequestBytes: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
      maxRequestTopics: options.maxRequestTopics ?? DEFAULT_MAX_REQUEST_TOPICS,
      peerRequestIntervalMs: options.peerRequestIntervalMs ?? DEFAULT_PEER_REQUEST_INTERVAL_MS,
      peerRequestBurst:
        options.peerRequestBurst ??
        (options.peerRequestIntervalMs === undefined ? DEFAULT_PEER_REQUEST_BURST : 1),
      maxPeerRequestsInFlight: options.maxPeerRequestsInFlight ?? DEFAULT_MAX_PEER_REQUESTS_IN_FLIGHT,
      maxRequestsInFlight: options.maxRequestsInFlight ?? DEFAULT_MAX_REQUESTS_IN_FLIGHT,
      maxPeerBytesInFlight: options.maxPeerBytesInFlight ?? DEFAULT_MAX_PEER_BYTES_IN_FLIGHT,
      maxBytesInFlight: options.maxBytesInFlight ?? DEFAULT_MAX_BYTES_IN_FLIGHT,
      readSliceEnvelopes: options.readSliceEnvelopes ?? DEFAULT_READ_SLICE_ENVELOPES,
      sendTimeoutMs: options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
      archiveRetryMaxEnvelopes: options.archiveRetryMaxEnvelopes ?? DEFAULT_ARCHIVE_RETRY_MAX_ENVELOPES,
      archiveRetryMaxBytes: options.archiveRetryMaxBytes ?? DEFAULT_ARCHIVE_RETRY_MAX_BYTES,
      archiveRetryMinDelayMs: options.archiveRetryMinDelayMs ?? DEFAULT_ARCHIVE_RETRY_MIN_DELAY_MS,
      archiveRetryMaxDelayMs: options.archiveRetryMaxDelayMs ?? DEFAULT_ARCHIVE_RETRY_MAX_DELAY_MS,
      retentionDays: options.retentionDays ?? DEFAULT_RETENTION_DAYS,
      cleanupIntervalMs: options.cleanupIntervalMs ?? DEFAULT_CLEANUP_INTERVAL_MS,
    };
    checkOptions(this.#options);
    this.#windowLimitAppliesTo =
      options.windowLimitAppliesTo === undefined
        ? DEFAULT_WINDOW_LIMIT_APPLIES_TO
        : checkWindowLimitAppliesTo(options.windowLimitAppliesTo);
    const o = this.#options;
    this.#load = new LoadTracker({
      peerRequestIntervalMs: o.peerRequestIntervalMs,
      peerRequestBurst: o.peerRequestBurst,
      maxPeerRequestsInFlight: o.maxPeerRequestsInFlight,
      maxRequestsInFlight: o.maxRequestsInFlight,
      maxPeerBytesInFlight: o.maxPeerBytesInFlight,
      maxBytesInFlight: o.maxBytesInFlight,
    });
    this.#writer = new ArchiveWriter({
      store: this.store,
      limits: {
        maxEnvelopes: o.archiveRetryMaxEnvelopes,
        maxBytes: o.archiveRetryMaxBytes,
        minDelayMs: o.archiveRetryMinDelayMs,
        maxDelayMs: o.archiveRetryMaxDelayMs,
      },
      counters: this.#counters,
      clock: () => this.#clock,
      archived: (envelopes) => this.emit('archived', envelopes),
      error: (error) => this.emit('error', error),
    });
  }

  /** A copy of the counters. */
  get counters(): MailServerCounters {
    const c = this.#counters;
    return { ...c, rejected: { ...c.rejected }, dropped: { ...c.dropped }, limited: { ...c.limited } };
  }

  /** What the server holds right now: requests and bytes in flight, stalled sends, the archive retry queue. */
  get load(): MailServerLoad {
    const l = this.#load;
    return {
      requestsInFlight: l.requests,
      bytesInFlight: l.bytes,
      peakBytesInFlight: l.peakBytes,
      stalledBytes: l.stalledBytes,
      stalledPeers: l.stalledPeers,
      archivePending: this.#writer.pending,
      archivePendingBytes: this.#writer.pendingBytes,
    };
  }

  /** Starts archiving the node's envelopes and answering its P2P requests; starts the cleaner. */
  attach(node: WakuNode, options: { clock?: Clock } = {}): void {
    if (this.#node) throw new MailserverError(MailserverErrorCode.InvalidOptions, 'already attached');
    this.#node = node;
    this.#stopped = new StopSignal();
    this.#clock = options.clock ?? node.options.clock ?? this.#clock;
    node.on('envelope:new', this.#onEnvelope);
    node.on('p2p:request', this.#onRequest);
    if (this.#options.retentionDays > 0 && this.#options.cleanupIntervalMs > 0) {
      this.#cancelCleaner = this.#clock.setInterval(() => {
        this.runCleanup().catch(() => {});
      }, this.#options.cleanupIntervalMs);
    }
  }

  /**
   * Detaches from the node and waits for requests in flight (those waiting on a peer give up) and pending
   * writes; envelopes still in the archive retry queue get one last attempt, and what fails is dropped
   * (counted in `archiveDropped`). The store stays open.
   */
  async stop(): Promise<void> {
    this.#cancelCleaner?.();
    this.#cancelCleaner = undefined;
    if (this.#node) {
      this.#node.off('envelope:new', this.#onEnvelope);
      this.#node.off('p2p:request', this.#onRequest);
      this.#node = undefined;
    }
    this.#stopped.fire();
    await Promise.allSettled([...this.#inflight]);
    await this.#writer.stop();
  }

  /**
   * Resolves when every envelope seen so far was written, or went to the retry queue after a transient
   * store failure (`load.archivePending`), or was dropped and counted.
   */
  async flush(): Promise<void> {
    await this.#writer.flush();
  }

  /** Archives envelopes directly (what `envelope:new` does); resolves as {@link flush} does. */
  async archive(envelopes: readonly Envelope[]): Promise<void> {
    const now = this.#clock.now();
    for (const e of envelopes) this.#writer.add(e, now);
    await this.flush();
  }

  /** Writes the archive retry queue now instead of after its delay; resolves after the attempt. */
  async retryArchive(): Promise<void> {
    await this.#writer.retryNow();
  }

  /** Deletes envelopes older than the retention period; resolves with how many. */
  async runCleanup(): Promise<number> {
    if (this.#options.retentionDays <= 0) return 0;
    const cut = unixSeconds(this.#clock) - this.#options.retentionDays * 86_400;
    try {
      const n = await this.store.deleteOlderThan(Math.max(0, cut));
      this.#counters.cleaned += n;
      this.emit('cleaned', n);
      return n;
    } catch (err) {
      this.#counters.cleanerErrors++;
      throw err;
    }
  }

  #count(kind: 'rejected' | 'dropped', code: string): void {
    this.#counters[kind][code] = (this.#counters[kind][code] ?? 0) + 1;
  }

  /** Validates a decoded request and turns it into a store query (MAIL-04). Throws MailserverError. */
  #toQuery(request: MailRequest, envelopePow: number | undefined): HistoryQuery & { pageLimit: number } {
    const o = this.#options;
    if (envelopePow !== undefined && o.minRequestPow > 0 && envelopePow < o.minRequestPow) {
      throw reject(MailserverErrorCode.LowPow, `request PoW ${envelopePow} is below ${o.minRequestPow}`);
    }
    const upper =
      request.upper === 0 ? unixSeconds(this.#clock) + UPPER_ZERO_ALLOWANCE_SECONDS : request.upper;
    if (upper < request.lower) {
      throw reject(
        MailserverErrorCode.InvalidRequest,
        `invalid time range: from ${request.lower} > to ${upper}`,
      );
    }
    const windowLimited = this.#windowLimitAppliesTo === 'all' || request.shape === 'envelopeRaw';
    if (windowLimited && upper - request.lower > o.maxWindowSeconds) {
      throw reject(
        MailserverErrorCode.WindowTooWide,
        `query range of ${upper - request.lower} s is wider than ${o.maxWindowSeconds} s`,
      );
    }
    if (request.limit > o.maxPageLimit) {
      throw reject(MailserverErrorCode.InvalidRequest, `limit ${request.limit} is above ${o.maxPageLimit}`);
    }
    if (request.bloom.length !== 0 && request.bloom.length !== 64) {
      throw reject(MailserverErrorCode.InvalidRequest, `bloom must be 64 bytes, got ${request.bloom.length}`);
    }
    if (request.bloom.length === 0 && request.topics.length === 0) {
      throw reject(MailserverErrorCode.InvalidRequest, 'one of bloom or topics must be non-empty');
    }
    if (request.topics.length > o.maxRequestTopics) {
      throw reject(MailserverErrorCode.InvalidRequest, `more than ${o.maxRequestTopics} topics`);
    }
    if (request.cursor.length !== 0 && request.cursor.length !== CURSOR_LENGTH) {
      throw reject(MailserverErrorCode.InvalidRequest, `cursor must be ${CURSOR_LENGTH} bytes`);
    }
    const pageLimit = request.limit === 0 ? o.defaultPageLimit : request.limit;
    return {
      lower: request.lower,
      upper,
      limit: pageLimit,
      pageLimit,
      ...(request.topics.length > 0 ? { topics: request.topics } : { bloom: request.bloom }),
      ...(request.cursor.length > 0 ? { cursor: request.cursor } : {}),
    };
  }

  /**
   * Answers one P2P request from `peer` (what the `p2p:request` listener runs). Never throws: bad or refused
   * requests get an error completion when they carry a request id, and are dropped with a counter otherwise
   * (and when the peer does not read what is sent to it).
   */
  async handleRequest(peer: Pick<WakuPeer, 'id'>, request: P2PRequest): Promise<void> {
    const node = this.#node;
    if (!node) return;
    this.#counters.requests++;
    let requestId: Uint8Array | undefined = request.envelope?.hash;
    let lease: RequestLease | undefined;
    try {
      if (request.payload.length > this.#options.maxRequestBytes) {
        throw reject(MailserverErrorCode.OversizedRequest, `request of ${request.payload.length} bytes`);
      }
      const decoded = decodeMailRequest(request, { symKey: this.#symKey, privateKey: this.#privateKey });
      requestId = decoded.id;
      const admitted = this.#load.admit(peer.id, this.#clock.now());
      if (typeof admitted === 'string') {
        throw limited(admitted, LIMIT_MESSAGES[admitted], admitted !== 'peerBacklog');
      }
      lease = admitted;
      const query = this.#toQuery(decoded, request.envelope?.pow());
      await this.#serve(node, peer.id, decoded, query, lease);
    } catch (err) {
      const error =
        err instanceof MailserverError
          ? err
          : new MailserverError(MailserverErrorCode.Store, 'failed to serve the request', { cause: err });
      const reason = error.details?.reason as MailServerLimitReason | undefined;
      if (reason) this.#counters.limited[reason] = (this.#counters.limited[reason] ?? 0) + 1;
      const id = requestId ?? (error.details?.requestId as Uint8Array | undefined);
      const reply = error.details?.reply !== false;
      if (!id || !reply || error.code === MailserverErrorCode.OversizedRequest) {
        this.#count('dropped', error.code);
        this.emit('rejected', {
          peerId: peer.id,
          code: error.code,
          message: error.message,
          ...(id ? { requestId: id } : {}),
        });
        return;
      }
      this.#count('rejected', error.code);
      this.emit('rejected', { peerId: peer.id, code: error.code, message: error.message, requestId: id });
      lease?.end();
      const sent = await this.#within(
        node.sendP2PRequestComplete(peer.id, { requestId: id, error: error.message }),
      );
      if (sent !== 'sent') this.#counters.sendErrors++;
    } finally {
      lease?.end();
    }
  }

  /** Waits for a send, at most `sendTimeoutMs` and not past stop(). */
  #within(send: Promise<void>): Promise<SendOutcome> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (outcome: SendOutcome) => {
        if (done) return;
        done = true;
        cancel();
        unstop();
        resolve(outcome);
      };
      const cancel = this.#clock.setTimeout(() => finish('timeout'), this.#options.sendTimeoutMs);
      const unstop = this.#stopped.add(() => finish('stopped'));
      send.then(
        () => finish('sent'),
        (error: unknown) => finish({ error }),
      );
    });
  }

  /** Sends what waited too long on the peer's account until it completes; throws the drop. */
  #sendFailed(
    outcome: Exclude<SendOutcome, 'sent'>,
    lease: RequestLease,
    bytes: number,
    send: Promise<void>,
  ): never {
    if (typeof outcome === 'object') {
      lease.release(bytes);
      throw outcome.error;
    }
    lease.stall(bytes, send);
    const reason = outcome === 'timeout' ? 'sendTimeout' : 'stopped';
    throw limited(reason, LIMIT_MESSAGES[reason], false);
  }

  async #serve(
    node: WakuNode,
    peerId: Uint8Array,
    request: MailRequest,
    query: HistoryQuery & { pageLimit: number },
    lease: RequestLease,
  ): Promise<void> {
    const o = this.#options;
    const { pageLimit, ...storeQuery } = query;
    const page = await servePage({
      store: this.store,
      query: storeQuery,
      pageLimit,
      batch: request.batch,
      maxBatchBytes: o.maxBatchBytes,
      maxResponseBytes: o.maxResponseBytes,
      readSliceEnvelopes: o.readSliceEnvelopes,
      lease,
      send: async (batch) => {
        const bytes = envelopeBytes(batch);
        const send = node.sendP2PMessages(peerId, batch);
        const outcome = await this.#within(send);
        if (outcome !== 'sent') this.#sendFailed(outcome, lease, bytes, send);
        lease.release(bytes);
        this.#counters.batchesSent++;
        this.#counters.envelopesSent += batch.length;
        this.#counters.bytesSent += bytes;
      },
      waitForRoom: async (need) => {
        const blocked = await this.#load.waitForRoom(
          lease,
          need,
          this.#clock,
          o.sendTimeoutMs,
          this.#stopped,
        );
        if (blocked) throw limited(blocked, LIMIT_MESSAGES[blocked], blocked !== 'stopped');
      },
    });
    const complete: P2PRequestComplete = {
      requestId: request.id,
      lastEnvelopeHash: page.last ? page.last.hash : new Uint8Array(32),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
    const send = node.sendP2PRequestComplete(peerId, complete);
    const outcome = await this.#within(send);
    if (outcome !== 'sent') this.#sendFailed(outcome, lease, 0, send);
    this.#counters.served++;
    this.emit('served', {
      peerId,
      requestId: request.id,
      shape: request.shape,
      envelopes: page.envelopes,
      batches: page.batches,
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  }
}
