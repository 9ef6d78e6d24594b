import { bytesToHex, type Cancel, type Clock, systemClock, TypedEmitter, unixSeconds } from '@status-ts/core';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import {
  bloomOfTopics,
  type Envelope,
  type P2PRequestComplete,
  type Topic,
  type WakuNode,
  type WakuPeer,
} from '@status-ts/waku';
import {
  DEFAULT_MAX_WINDOW_SECONDS,
  DEFAULT_PAGE_LIMIT,
  DEFAULT_REQUEST_RETRIES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DUPLICATE_REQUEST_WINDOW_MS,
} from './constants.js';
import { MailserverError, MailserverErrorCode } from './errors.js';
import { buildRequestEnvelope, encodeMessagesRequest, encodeRequestPayload } from './request.js';
import { mailserverSymKey } from './server.js';

export type ClientRequestShape = 'auto' | 'messagesRequest' | 'envelope';

export interface MailClientOptions {
  /** Default: the node's clock. */
  clock?: Clock;
  /** Per page (default 10 s, as status-go). */
  timeoutMs?: number;
  /** Retries per page on one mailserver before moving to the next (default 2). */
  retries?: number;
  /** Page size asked for (default 1000, the servers' cap). */
  pageLimit?: number;
  /** Longer ranges are split into windows of this many seconds (default 24 h, the servers' maximum). */
  maxWindowSeconds?: number;
  /** `auto` (default): MessagesRequest (a) over waku/1, an encrypted request envelope (b) over shh/6. */
  shape?: ClientRequestShape;
  /** Request envelope key (default PBKDF2 of `status-offline-inbox`) and signer (default a random key). */
  symKey?: Uint8Array;
  signingKey?: Uint8Array;
  /** Request ids for shape (a) (default random 32 bytes). */
  requestId?: () => Uint8Array;
}

export interface HistoryRequest {
  /** Mailserver peer ids (direct peers), in order of preference: the next is tried when one fails. */
  mailservers: readonly (Uint8Array | string)[];
  topics: readonly Topic[];
  /** Unix seconds; default `to - 24 h`. */
  from?: number;
  /** Unix seconds; default now. */
  to?: number;
  /** Page size for this request. */
  limit?: number;
  /** Send even when the same topics were requested less than 3 s ago. */
  force?: boolean;
}

export interface PageEvent {
  mailserver: string;
  requestId: Uint8Array;
  window: [number, number];
  envelopes: number;
  cursor?: Uint8Array;
  elapsedMs: number;
}

export interface HistorySummary {
  /** The mailserver that served the last window (hex node id). */
  mailserver: string;
  windows: number;
  pages: number;
  /** Envelopes received, and distinct ones (by hash). */
  envelopes: number;
  uniqueEnvelopes: number;
  retries: number;
  failovers: number;
  durationMs: number;
  /** The upper bound of the range now fully fetched: the next request can start here. */
  fetchedUntil: number;
}

export interface MailClientEvents {
  page: [PageEvent];
  retry: [{ mailserver: string; attempt: number; error: MailserverError }];
  failover: [{ from: string; error: MailserverError }];
  done: [HistorySummary];
}

interface Pending {
  requestIdHex: string;
  envelopes: number;
  resolve: (complete: P2PRequestComplete) => void;
  reject: (error: MailserverError) => void;
}

function idHex(id: Uint8Array | string): string {
  return typeof id === 'string' ? id.replace(/^0x/, '').toLowerCase() : bytesToHex(id);
}

/**
 * Fetches history from mailservers through a WakuNode: marks the mailserver trusted, splits long ranges
 * into windows, follows each window's cursors to the end against the server that issued them, retries on
 * timeout and falls over to the next mailserver. Envelopes go through the node's filters (which dedup by
 * hash); progress comes as events and the promise resolves with a summary.
 */
export class MailClient extends TypedEmitter<MailClientEvents> {
  readonly node: WakuNode;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #pageLimit: number;
  readonly #maxWindow: number;
  readonly #shape: ClientRequestShape;
  readonly #signingKey: Uint8Array;
  readonly #symKey: Uint8Array | undefined;
  readonly #requestId: () => Uint8Array;
  readonly #pending = new Map<string, Pending>();
  readonly #recent = new Map<string, number>();
  readonly #seen = new Set<string>();
  readonly #onEnvelopes = (peer: WakuPeer, envelopes: Envelope[]) => {
    const pending = this.#pending.get(peer.idHex);
    if (!pending) return;
    pending.envelopes += envelopes.length;
    for (const e of envelopes) this.#seen.add(e.hashHex);
  };
  readonly #onComplete = (peer: WakuPeer, complete: P2PRequestComplete) => {
    const pending = this.#pending.get(peer.idHex);
    if (!pending || bytesToHex(complete.requestId) !== pending.requestIdHex) return;
    if (complete.error !== undefined) {
      pending.reject(
        new MailserverError(MailserverErrorCode.RequestFailed, `mailserver error: ${complete.error}`, {
          details: { requestId: complete.requestId },
        }),
      );
    } else {
      pending.resolve(complete);
    }
  };

  constructor(node: WakuNode, options: MailClientOptions = {}) {
    super();
    this.node = node;
    this.#clock = options.clock ?? node.options.clock ?? systemClock;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#retries = options.retries ?? DEFAULT_REQUEST_RETRIES;
    this.#pageLimit = options.pageLimit ?? DEFAULT_PAGE_LIMIT;
    this.#maxWindow = options.maxWindowSeconds ?? DEFAULT_MAX_WINDOW_SECONDS;
    this.#shape = options.shape ?? 'auto';
    this.#signingKey = options.signingKey ?? generatePrivateKey();
    this.#symKey = options.symKey;
    this.#requestId = options.requestId ?? (() => randomBytes(32));
    if (!(this.#timeoutMs > 0) || !(this.#maxWindow > 0) || !(this.#pageLimit > 0) || !(this.#retries >= 0)) {
      throw new MailserverError(
        MailserverErrorCode.InvalidOptions,
        'timeoutMs, maxWindowSeconds, pageLimit > 0',
      );
    }
    node.on('p2p:envelopes', this.#onEnvelopes);
    node.on('p2p:requestComplete', this.#onComplete);
  }

  /** Stops listening to the node; pending requests fail. */
  close(): void {
    this.node.off('p2p:envelopes', this.#onEnvelopes);
    this.node.off('p2p:requestComplete', this.#onComplete);
    for (const p of this.#pending.values()) {
      p.reject(new MailserverError(MailserverErrorCode.Timeout, 'client closed'));
    }
    this.#pending.clear();
  }

  /** Fetches `topics` in [from, to] (unix seconds, inclusive) from the first mailserver that serves it. */
  async requestHistory(request: HistoryRequest): Promise<HistorySummary> {
    const started = this.#clock.now();
    const to = request.to ?? unixSeconds(this.#clock);
    const from = request.from ?? Math.max(0, to - DEFAULT_MAX_WINDOW_SECONDS);
    if (request.mailservers.length === 0 || request.topics.length === 0 || from > to) {
      throw new MailserverError(
        MailserverErrorCode.InvalidOptions,
        'need mailservers, topics and from <= to',
      );
    }
    const dupKey = `${request.topics
      .map((t) => bytesToHex(t))
      .sort()
      .join(',')}`;
    const last = this.#recent.get(dupKey);
    if (!request.force && last !== undefined && started - last < DUPLICATE_REQUEST_WINDOW_MS) {
      throw new MailserverError(
        MailserverErrorCode.DuplicateRequest,
        'same topics requested less than 3 s ago',
      );
    }
    this.#recent.set(dupKey, started);
    this.#seen.clear();
    const summary: HistorySummary = {
      mailserver: idHex(request.mailservers[0]!),
      windows: 0,
      pages: 0,
      envelopes: 0,
      uniqueEnvelopes: 0,
      retries: 0,
      failovers: 0,
      durationMs: 0,
      fetchedUntil: from,
    };
    const windows: [number, number][] = [];
    for (let lower = from; lower <= to; lower += this.#maxWindow + 1) {
      windows.push([lower, Math.min(to, lower + this.#maxWindow)]);
    }
    let serverIndex = 0;
    for (const window of windows) {
      for (;;) {
        const server = request.mailservers[serverIndex];
        if (server === undefined) {
          throw new MailserverError(MailserverErrorCode.AllFailed, 'every mailserver failed', {
            details: { summary },
          });
        }
        try {
          await this.#fetchWindow(idHex(server), window, request, summary);
          summary.mailserver = idHex(server);
          break;
        } catch (err) {
          const error =
            err instanceof MailserverError
              ? err
              : new MailserverError(MailserverErrorCode.RequestFailed, String(err), { cause: err });
          this.emit('failover', { from: idHex(server), error });
          summary.failovers++;
          serverIndex++;
        }
      }
      summary.windows++;
      summary.fetchedUntil = window[1];
    }
    summary.uniqueEnvelopes = this.#seen.size;
    summary.durationMs = this.#clock.now() - started;
    this.emit('done', summary);
    return summary;
  }

  async #fetchWindow(
    server: string,
    window: [number, number],
    request: HistoryRequest,
    summary: HistorySummary,
  ): Promise<void> {
    let cursor: Uint8Array | undefined;
    do {
      let attempt = 0;
      for (;;) {
        const t0 = this.#clock.now();
        try {
          const { complete, envelopes, requestId } = await this.#requestPage(server, window, request, cursor);
          cursor = complete.cursor && complete.cursor.length > 0 ? complete.cursor : undefined;
          summary.pages++;
          summary.envelopes += envelopes;
          this.emit('page', {
            mailserver: server,
            requestId,
            window,
            envelopes,
            ...(cursor ? { cursor } : {}),
            elapsedMs: this.#clock.now() - t0,
          });
          break;
        } catch (err) {
          const error = err as MailserverError;
          if (error.code !== MailserverErrorCode.Timeout || attempt >= this.#retries) throw error;
          attempt++;
          summary.retries++;
          this.emit('retry', { mailserver: server, attempt, error });
        }
      }
    } while (cursor);
  }

  #useEnvelope(server: string): boolean {
    if (this.#shape !== 'auto') return this.#shape === 'envelope';
    return this.node.getPeer(server)?.protocol === 'shh';
  }

  async #requestPage(
    server: string,
    window: [number, number],
    request: HistoryRequest,
    cursor: Uint8Array | undefined,
  ): Promise<{ complete: P2PRequestComplete; envelopes: number; requestId: Uint8Array }> {
    if (this.#pending.has(server)) {
      throw new MailserverError(
        MailserverErrorCode.InvalidOptions,
        'a request to this mailserver is in flight',
      );
    }
    const fields = {
      lower: window[0],
      upper: window[1],
      topics: request.topics,
      bloom: bloomOfTopics(request.topics),
      limit: request.limit ?? this.#pageLimit,
      ...(cursor ? { cursor } : {}),
    };
    let requestId: Uint8Array;
    let wire: Uint8Array | Envelope;
    if (this.#useEnvelope(server)) {
      const envelope = buildRequestEnvelope({
        payload: encodeRequestPayload({ ...fields, batch: true }),
        signingKey: this.#signingKey,
        symKey: this.#symKey ?? mailserverSymKey(),
        now: unixSeconds(this.#clock),
      });
      requestId = envelope.hash;
      wire = envelope;
    } else {
      requestId = this.#requestId();
      wire = encodeMessagesRequest(requestId, fields);
    }
    this.node.markTrusted(server);
    let cancel: Cancel | undefined;
    const done = new Promise<P2PRequestComplete>((resolve, reject) => {
      const pending: Pending = { requestIdHex: bytesToHex(requestId), envelopes: 0, resolve, reject };
      this.#pending.set(server, pending);
      cancel = this.#clock.setTimeout(
        () =>
          reject(
            new MailserverError(
              MailserverErrorCode.Timeout,
              `no answer from the mailserver in ${this.#timeoutMs} ms`,
            ),
          ),
        this.#timeoutMs,
      );
    });
    const pending = this.#pending.get(server)!;
    try {
      await this.node.sendP2PRequest(server, wire);
      const complete = await done;
      return { complete, envelopes: pending.envelopes, requestId };
    } catch (err) {
      if (err instanceof MailserverError) throw err;
      // The peer is gone or the send failed: treat like a timeout so we retry, then fail over.
      throw new MailserverError(MailserverErrorCode.Timeout, 'could not send the request', { cause: err });
    } finally {
      cancel?.();
      this.#pending.delete(server);
    }
  }
}
