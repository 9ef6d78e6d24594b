import { type Cancel, type Clock, systemClock, TypedEmitter, unixSeconds } from '@status-ts/core';
import { symmetricKeyFromPassword } from '@status-ts/crypto';
import type { Envelope, P2PRequest, WakuNode, WakuPeer } from '@status-ts/waku';
import { splitIntoBatches } from './batches.js';
import {
  DEFAULT_CLEANUP_INTERVAL_MS,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_MAX_REQUEST_TOPICS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_WINDOW_SECONDS,
  DEFAULT_PAGE_LIMIT,
  DEFAULT_PEER_REQUEST_INTERVAL_MS,
  DEFAULT_RETENTION_DAYS,
  MAILSERVER_PASSWORD,
  MAX_PAGE_LIMIT,
  UPPER_ZERO_ALLOWANCE_SECONDS,
} from './constants.js';
import { MailserverError, MailserverErrorCode } from './errors.js';
import { CURSOR_LENGTH, cursorOf, dbKeyOf } from './key.js';
import { decodeMailRequest, type MailRequest } from './request.js';
import { type MailServerCounters, newCounters } from './server-counters.js';
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
  maxWindowSeconds?: number;
  defaultPageLimit?: number;
  maxPageLimit?: number;
  maxBatchBytes?: number;
  maxResponseBytes?: number;
  maxRequestBytes?: number;
  maxRequestTopics?: number;
  /** Minimum ms between two requests of one peer (0: no limit). */
  peerRequestIntervalMs?: number;
  /** Envelopes older than this many days are deleted by the cleaner (0: keep forever). */
  retentionDays?: number;
  cleanupIntervalMs?: number;
}

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

let defaultSymKey: Uint8Array | undefined;
/** PBKDF2(`status-offline-inbox`), computed once. */
export function mailserverSymKey(): Uint8Array {
  defaultSymKey ??= symmetricKeyFromPassword(MAILSERVER_PASSWORD);
  return defaultSymKey;
}

function reject(code: MailserverErrorCode, message: string): MailserverError {
  return new MailserverError(code, message);
}

/**
 * The mailserver role of a Waku/Whisper node: archives every envelope the node accepts (dedup by hash, in
 * small transactions) and answers P2P requests from direct peers with P2P Message batches and a Request
 * Complete, within the configured limits; a retention cleaner runs on the clock.
 */
export class MailServer extends TypedEmitter<MailServerEvents> {
  readonly store: EnvelopeStore;
  readonly #options: Required<Omit<MailServerOptions, 'store' | 'clock' | 'privateKey' | 'symKey'>>;
  readonly #symKey: Uint8Array;
  readonly #privateKey: Uint8Array | undefined;
  readonly #counters = newCounters();
  readonly #lastRequest = new Map<string, number>();
  #clock: Clock;
  #node: WakuNode | undefined;
  #pending: { envelope: Envelope; at: number }[] = [];
  #writing: Promise<void> = Promise.resolve();
  #flushScheduled = false;
  #cancelCleaner: Cancel | undefined;
  readonly #inflight = new Set<Promise<void>>();
  readonly #onEnvelope = (envelope: Envelope) => this.#archive(envelope);
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
      retentionDays: options.retentionDays ?? DEFAULT_RETENTION_DAYS,
      cleanupIntervalMs: options.cleanupIntervalMs ?? DEFAULT_CLEANUP_INTERVAL_MS,
    };
    for (const [name, value] of Object.entries(this.#options)) {
      if (typeof value !== 'number' || !(value >= 0)) {
        throw new MailserverError(MailserverErrorCode.InvalidOptions, `${name} must be a number >= 0`);
      }
    }
  }

  /** A copy of the counters. */
  get counters(): MailServerCounters {
    const c = this.#counters;
    return { ...c, rejected: { ...c.rejected }, dropped: { ...c.dropped } };
  }

  /** Starts archiving the node's envelopes and answering its P2P requests; starts the cleaner. */
  attach(node: WakuNode, options: { clock?: Clock } = {}): void {
    if (this.#node) throw new MailserverError(MailserverErrorCode.InvalidOptions, 'already attached');
    this.#node = node;
    this.#clock = options.clock ?? node.options.clock ?? this.#clock;
    node.on('envelope:new', this.#onEnvelope);
    node.on('p2p:request', this.#onRequest);
    if (this.#options.retentionDays > 0 && this.#options.cleanupIntervalMs > 0) {
      this.#cancelCleaner = this.#clock.setInterval(() => {
        this.runCleanup().catch(() => {});
      }, this.#options.cleanupIntervalMs);
    }
  }

  /** Detaches from the node, waits for requests in flight and pending writes. The store stays open. */
  async stop(): Promise<void> {
    this.#cancelCleaner?.();
    this.#cancelCleaner = undefined;
    if (this.#node) {
      this.#node.off('envelope:new', this.#onEnvelope);
      this.#node.off('p2p:request', this.#onRequest);
      this.#node = undefined;
    }
    await Promise.allSettled([...this.#inflight]);
    await this.flush();
  }

  /** Resolves when every envelope seen so far is stored. */
  async flush(): Promise<void> {
    this.#startFlush();
    await this.#writing;
  }

  /** Archives envelopes directly (what `envelope:new` does); resolves once they are stored. */
  async archive(envelopes: readonly Envelope[]): Promise<void> {
    for (const e of envelopes) this.#archive(e);
    await this.flush();
  }

  #archive(envelope: Envelope): void {
    this.#pending.push({ envelope, at: this.#clock.now() });
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // Group commit: everything that arrives in one turn of the event loop goes in one transaction.
    setImmediate(() => this.#startFlush());
  }

  #startFlush(): void {
    this.#flushScheduled = false;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#writing = this.#writing.then(async () => {
      try {
        const added = await this.store.put(
          batch.map((b) => b.envelope),
          batch[0]!.at,
        );
        this.#counters.archived += added;
        this.#counters.duplicates += batch.length - added;
        this.emit(
          'archived',
          batch.map((b) => b.envelope),
        );
      } catch (err) {
        this.#counters.archiveErrors += batch.length;
        this.emit('error', err instanceof Error ? err : new Error(String(err)));
      }
    });
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
    if (upper - request.lower > o.maxWindowSeconds) {
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
   * Answers one P2P request from `peer` (what the `p2p:request` listener runs). Never throws: bad requests
   * get an error completion when they carry a request id, and are dropped with a counter otherwise.
   */
  async handleRequest(peer: Pick<WakuPeer, 'id'>, request: P2PRequest): Promise<void> {
    const node = this.#node;
    if (!node) return;
    this.#counters.requests++;
    let requestId: Uint8Array | undefined = request.envelope?.hash;
    try {
      if (request.payload.length > this.#options.maxRequestBytes) {
        throw reject(MailserverErrorCode.OversizedRequest, `request of ${request.payload.length} bytes`);
      }
      const decoded = decodeMailRequest(request, { symKey: this.#symKey, privateKey: this.#privateKey });
      requestId = decoded.id;
      this.#checkRate(peer.id);
      const query = this.#toQuery(decoded, request.envelope?.pow());
      await this.#serve(node, peer.id, decoded, query);
    } catch (err) {
      const error =
        err instanceof MailserverError
          ? err
          : new MailserverError(MailserverErrorCode.Store, 'failed to serve the request', { cause: err });
      const id = requestId ?? (error.details?.requestId as Uint8Array | undefined);
      if (!id || error.code === MailserverErrorCode.OversizedRequest) {
        this.#count('dropped', error.code);
        this.emit('rejected', { peerId: peer.id, code: error.code, message: error.message });
        return;
      }
      this.#count('rejected', error.code);
      this.emit('rejected', { peerId: peer.id, code: error.code, message: error.message, requestId: id });
      try {
        await node.sendP2PRequestComplete(peer.id, { requestId: id, error: error.message });
      } catch {
        this.#counters.sendErrors++;
      }
    }
  }

  #checkRate(peerId: Uint8Array): void {
    const interval = this.#options.peerRequestIntervalMs;
    if (interval <= 0) return;
    const key = Array.from(peerId.subarray(0, 16)).join(',');
    const now = this.#clock.now();
    const last = this.#lastRequest.get(key);
    if (last !== undefined && now - last < interval) {
      throw reject(MailserverErrorCode.RateLimited, 'peer exceeded the request rate limit');
    }
    this.#lastRequest.set(key, now);
    if (this.#lastRequest.size > 10_000) {
      for (const [k, t] of this.#lastRequest) if (now - t >= interval) this.#lastRequest.delete(k);
    }
  }

  async #serve(
    node: WakuNode,
    peerId: Uint8Array,
    request: MailRequest,
    query: HistoryQuery & { pageLimit: number },
  ): Promise<void> {
    const page = await this.store.query(query);
    let envelopes = page.envelopes;
    let cursor = page.cursor;
    // Total response size: cut the page short and hand out a cursor to the rest.
    let total = 0;
    for (let i = 0; i < envelopes.length; i++) {
      total += envelopes[i]!.raw.length;
      if (total > this.#options.maxResponseBytes && i > 0) {
        envelopes = envelopes.slice(0, i);
        cursor = cursorOf(dbKeyOf(envelopes[i - 1]!));
        break;
      }
    }
    const batches = splitIntoBatches(envelopes, {
      maxBatchBytes: this.#options.maxBatchBytes,
      limitReached: page.cursor !== undefined && envelopes.length === page.envelopes.length,
      batch: request.batch,
    });
    for (const batch of batches) {
      await node.sendP2PMessages(peerId, batch);
      this.#counters.batchesSent++;
      this.#counters.envelopesSent += batch.length;
      for (const e of batch) this.#counters.bytesSent += e.raw.length;
    }
    const last = envelopes[envelopes.length - 1];
    await node.sendP2PRequestComplete(peerId, {
      requestId: request.id,
      lastEnvelopeHash: last ? last.hash : new Uint8Array(32),
      ...(cursor ? { cursor } : {}),
    });
    this.#counters.served++;
    this.emit('served', {
      peerId,
      requestId: request.id,
      shape: request.shape,
      envelopes: envelopes.length,
      batches: batches.length,
      ...(cursor ? { cursor } : {}),
    });
  }
}
