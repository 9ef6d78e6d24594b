import {
  abortReason,
  bytesToHex,
  type Cancel,
  type Clock,
  raceSignal,
  sleep,
  systemClock,
  TypedEmitter,
  throwIfAborted,
  unixSeconds,
} from '@status-ts/core';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import {
  bloomOfTopics,
  type Envelope,
  type P2PGate,
  type P2PRequestComplete,
  type Topic,
  type WakuNode,
  type WakuPeer,
} from '@status-ts/waku';
import { announceMailserverAsk, answerLimit, onMailserverAsk } from './client-asks.js';
import {
  copyClientCounters,
  type MailClientCounters,
  type MailserverViolation,
  newClientCounters,
} from './client-counters.js';
import { joinP2PGate } from './client-gate.js';
import { MailserverGuard } from './client-guard.js';
import {
  DEFAULT_MAILSERVER_BYTES_PER_SECOND,
  DEFAULT_MAILSERVER_MAX_STRIKES,
  DEFAULT_MAX_RESYNC_SECONDS,
  DEFAULT_MAX_WINDOW_SECONDS,
  DEFAULT_PAGE_LIMIT,
  DEFAULT_REQUEST_RETRIES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DUPLICATE_REQUEST_WINDOW_MS,
  RESYNC_OVERLAP_SECONDS,
} from './constants.js';
import { MailserverError, MailserverErrorCode } from './errors.js';
import { buildRequestEnvelope, encodeMessagesRequest, encodeRequestPayload } from './request.js';
import { mailserverSymKey } from './server.js';
import { HistorySyncState } from './sync-state.js';

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
  /**
   * Least ms between two requests to one mailserver. Default: paced to {@link REQUEST_RATE_SHARE} of the
   * packet rate the server advertises per peer (status-go's 5/s gives 250 ms), because a server drops
   * packets over its limit unread and the client would only notice by timing out. 0 turns pacing off.
   */
  minRequestIntervalMs?: number;
  /** Mailservers used when a request names none, in order of preference (see {@link MailClient.setMailservers}). */
  mailservers?: readonly (Uint8Array | string)[];
  /** Where each topic was fetched up to, as saved from {@link MailClient.syncState} (MAIL-12). */
  syncState?: Readonly<Record<string, number>>;
  /** Topics kept in sync: fetched from the last bound whenever one of the mailservers (re)connects. */
  watchTopics?: readonly Topic[];
  /** A gap fetch starts this many seconds before the last bound, for envelopes that reached the server late. */
  resyncOverlapSeconds?: number;
  /** How far back a gap fetch goes at most, and for a topic never fetched (default 30 days, 24 h). */
  maxResyncSeconds?: number;
  initialResyncSeconds?: number;
  /**
   * P2P packets a mailserver may send that break its bounds (envelopes outside a request, beyond the limit
   * asked for, above `maxBytesPerSecond`) before the client drops it: untrusts, disconnects and reports it
   * (`mailserver:misbehaved`), and fails its pending page with ERR_MAILSERVER_MISBEHAVED (default
   * {@link DEFAULT_MAILSERVER_MAX_STRIKES}, an integer >= 1).
   */
  maxStrikes?: number;
  /**
   * Envelope bytes per second one mailserver may send, with a burst of
   * {@link MAILSERVER_BYTES_BURST_SECONDS} seconds of it; the client waits for half the burst before each
   * request, so an honest server stays under it (default {@link DEFAULT_MAILSERVER_BYTES_PER_SECOND}; 0 off).
   */
  maxBytesPerSecond?: number;
}

/** A mailserver the client dropped for breaking its bounds `strikes` times; the last strike's `reason`. */
export interface MailserverMisbehavedEvent {
  mailserver: string;
  reason: MailserverViolation;
  strikes: number;
}

export interface ResyncEvent {
  trigger: 'connected' | 'manual';
  from: number;
  to: number;
  summary: HistorySummary;
}

/** Share of a mailserver's advertised per-peer packet rate our requests may use (the rest: relay, status). */
export const REQUEST_RATE_SHARE = 0.8;

export interface HistoryRequest {
  /**
   * Mailserver peer ids (direct peers), in order of preference: the next is tried when one fails. Default:
   * the client's own list ({@link MailClient.setMailservers}).
   */
  mailservers?: readonly (Uint8Array | string)[];
  topics: readonly Topic[];
  /** Unix seconds; default `to - 24 h`. */
  from?: number;
  /** Unix seconds; default now. */
  to?: number;
  /** Page size for this request. */
  limit?: number;
  /** Send even when the same topics were requested less than 3 s ago. */
  force?: boolean;
  /**
   * Ends the request: it rejects with the signal's reason, the page in flight stops waiting (its timer and
   * listeners released) and no further page or mailserver is tried. Windows fully fetched before stay
   * recorded in the sync state.
   */
  signal?: AbortSignal;
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
  /** Envelopes accepted (those the client dropped are not counted), and distinct ones (by hash). */
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
  /** A gap fetch of the watched topics finished (after a mailserver connected, or `resync()`). */
  resync: [ResyncEvent];
  /** A gap fetch triggered by a connection failed; the bounds stay where they were. */
  resyncError: [MailserverError];
  /** A mailserver broke the client's bounds `maxStrikes` times: it is untrusted, disconnected, not asked again. */
  'mailserver:misbehaved': [MailserverMisbehavedEvent];
}

interface Pending {
  requestIdHex: string;
  envelopes: number;
  resolve: (complete: P2PRequestComplete) => void;
  reject: (error: MailserverError) => void;
}

function asMailserverError(err: unknown): MailserverError {
  return err instanceof MailserverError
    ? err
    : new MailserverError(MailserverErrorCode.RequestFailed, String(err), { cause: err });
}

/** devp2p's disconnect reason for a peer breaking the protocol. */
const SUBPROTOCOL_ERROR = 0x10;

function idHex(id: Uint8Array | string): string {
  return typeof id === 'string' ? id.replace(/^0x/, '').toLowerCase() : bytesToHex(id);
}

/**
 * Fetches history from mailservers through a WakuNode: marks the mailserver trusted, splits long ranges
 * into windows, follows each window's cursors to the end against the server that issued them, retries on
 * timeout and falls over to the next mailserver. Envelopes go through the node's filters (which dedup by
 * hash); progress comes as events and the promise resolves with a summary. What a mailserver sends is
 * bounded (see `maxStrikes`, `maxBytesPerSecond` and {@link MailClient.counters}): the client is the node's
 * P2P gate (`node.setP2PGate`, shared with any other client on the node and a gate the app set before), so
 * what it refuses never reaches a filter. `close()` takes the gate away.
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
  readonly #minRequestIntervalMs: number | undefined;
  readonly #lastSent = new Map<string, number>();
  readonly #sync: HistorySyncState;
  readonly #resyncOverlap: number;
  readonly #maxResync: number;
  readonly #initialResync: number;
  #mailservers: string[];
  #watched: Topic[];
  #resyncing: Promise<unknown> = Promise.resolve();
  /** Mailservers with a gap fetch queued and not started: a peer seen over waku/1 and shh/6 asks once. */
  readonly #resyncQueued = new Set<string>();
  readonly #onPeerAdded = (peer: WakuPeer) => {
    if (this.#mailservers.includes(peer.idHex)) this.#resyncOnConnect(peer.idHex);
  };
  readonly #pending = new Map<string, Pending>();
  readonly #recent = new Map<string, number>();
  readonly #seen = new Set<string>();
  readonly #counters = newClientCounters();
  readonly #guard: MailserverGuard;
  readonly #stopAsks: () => void;
  #leaveGate: (() => void) | undefined;
  // Runs in the node before its filters: what the client refuses never reaches the app, does not count
  // toward a page, and strikes the mailserver; a mailserver dropped is untrusted so the node refuses the rest.
  readonly #gate: P2PGate = {
    envelopes: (peer, envelopes) => this.#admitEnvelopes(peer.idHex, envelopes),
    complete: (peer, complete, packetBytes) => this.#admitComplete(peer.idHex, complete, packetBytes),
  };
  /** Request-complete packets the gates let through: the answer to the page in flight. */
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
    this.#minRequestIntervalMs = options.minRequestIntervalMs;
    this.#sync = new HistorySyncState(options.syncState);
    this.#resyncOverlap = options.resyncOverlapSeconds ?? RESYNC_OVERLAP_SECONDS;
    this.#maxResync = options.maxResyncSeconds ?? DEFAULT_MAX_RESYNC_SECONDS;
    this.#initialResync = options.initialResyncSeconds ?? DEFAULT_MAX_WINDOW_SECONDS;
    this.#mailservers = (options.mailservers ?? []).map(idHex);
    this.#watched = [...(options.watchTopics ?? [])];
    const maxStrikes = options.maxStrikes ?? DEFAULT_MAILSERVER_MAX_STRIKES;
    if (!Number.isSafeInteger(maxStrikes) || maxStrikes < 1) {
      throw new MailserverError(
        MailserverErrorCode.InvalidOptions,
        `maxStrikes must be an integer >= 1, got ${maxStrikes}`,
      );
    }
    const maxBytesPerSecond = options.maxBytesPerSecond ?? DEFAULT_MAILSERVER_BYTES_PER_SECOND;
    if (!(maxBytesPerSecond >= 0 && Number.isFinite(maxBytesPerSecond))) {
      throw new MailserverError(
        MailserverErrorCode.InvalidOptions,
        `maxBytesPerSecond must be a finite number >= 0 (0: off), got ${maxBytesPerSecond}`,
      );
    }
    this.#guard = new MailserverGuard({
      clock: this.#clock,
      maxStrikes,
      maxBytesPerSecond,
      counters: this.#counters,
    });
    for (const server of this.#mailservers) this.#guard.watch(server);
    for (const [name, value] of [
      ['timeoutMs', this.#timeoutMs],
      ['maxWindowSeconds', this.#maxWindow],
      ['pageLimit', this.#pageLimit],
    ] as const) {
      if (!(value > 0)) {
        throw new MailserverError(MailserverErrorCode.InvalidOptions, `${name} must be > 0, got ${value}`);
      }
    }
    if (!(this.#retries >= 0)) {
      throw new MailserverError(
        MailserverErrorCode.InvalidOptions,
        `retries must be >= 0, got ${this.#retries}`,
      );
    }
    this.#leaveGate = joinP2PGate(node, this.#gate);
    node.on('p2p:requestComplete', this.#onComplete);
    node.on('peer:added', this.#onPeerAdded);
    // Answers to what others on this node asked (a probe, another client) are no strikes.
    this.#stopAsks = onMailserverAsk(node, (ask) => {
      if (ask.origin !== this) this.#guard.open(ask.server, ask.requestIdHex, ask.limit, ask.ttlMs);
    });
  }

  /**
   * A copy of what the client received from its mailservers and refused, by reason (a reliability harness
   * reads "what was dropped and why" here).
   */
  get counters(): MailClientCounters {
    return copyClientCounters(this.#counters);
  }

  /** The envelopes of a P2P packet from `server` that may reach the filters. */
  #admitEnvelopes(server: string, envelopes: readonly Envelope[]): readonly Envelope[] {
    const verdict = this.#guard.envelopes(server, envelopes);
    // Not one of ours (nor asked by anyone on the node): no say.
    if (verdict.kind === 'ignored') return envelopes;
    if (verdict.kind === 'misbehaving') {
      this.#cutOff(server);
      return [];
    }
    const pending = this.#pending.get(server);
    if (pending) {
      pending.envelopes += verdict.accepted.length;
      for (const e of verdict.accepted) this.#seen.add(e.hashHex);
    }
    if (verdict.struckOut) this.#misbehave(server, verdict.violation!);
    return verdict.accepted;
  }

  /** Whether a request-complete from `server` may be emitted (one ending an open request always is). */
  #admitComplete(server: string, complete: P2PRequestComplete, packetBytes: number): boolean {
    const verdict = this.#guard.complete(server, bytesToHex(complete.requestId), packetBytes);
    if (verdict.kind === 'misbehaving') {
      this.#cutOff(server);
      return false;
    }
    if (verdict.kind === 'overRate') {
      if (verdict.struckOut) this.#misbehave(server, 'overRate');
      return false;
    }
    return true;
  }

  /** Drops a mailserver that broke the bounds too often: see {@link MailClientEvents}['mailserver:misbehaved']. */
  #misbehave(server: string, reason: MailserverViolation): void {
    const strikes = this.#guard.strikes(server);
    this.#mailservers = this.#mailservers.filter((m) => m !== server);
    this.#cutOff(server);
    this.#pending.get(server)?.reject(this.#misbehavedError(server));
    this.emit('mailserver:misbehaved', { mailserver: server, reason, strikes });
  }

  /** Untrusted at once (the node refuses its next P2P packets before any filter), disconnected right after. */
  #cutOff(server: string): void {
    this.node.markTrusted(server, false);
    // Not from inside the node's packet handler that called us.
    queueMicrotask(() => {
      for (const protocol of ['waku', 'shh'] as const) {
        this.node.getPeer(server, protocol)?.disconnect(SUBPROTOCOL_ERROR);
      }
    });
  }

  #misbehavedError(server: string): MailserverError {
    const reason = this.#guard.misbehaved(server);
    const strikes = this.#guard.strikes(server);
    return new MailserverError(
      MailserverErrorCode.Misbehaved,
      `mailserver ${server.slice(0, 16)} was dropped: ${strikes} packets broke the client's bounds (last: ${reason})`,
      { details: { mailserver: server, reason, strikes } },
    );
  }

  /** The mailservers used when a request names none (hex node ids, preferred first). */
  get mailservers(): string[] {
    return [...this.#mailservers];
  }

  /**
   * Chooses the mailservers (user-selected, or what a peer pool found through `whispermail`), preferred
   * first. Gives no connection: dial them; a watched-topic gap fetch starts when one connects.
   */
  setMailservers(ids: readonly (Uint8Array | string)[]): void {
    // A mailserver dropped for misbehaving is not taken back.
    this.#mailservers = [...new Set(ids.map(idHex))].filter((id) => !this.#guard.misbehaved(id));
    for (const server of this.#mailservers) this.#guard.watch(server);
    // One already connected: catch up with it now rather than on its next connection.
    const connected = this.#mailservers.find((id) => this.node.getPeer(id)?.ready);
    if (connected) this.#resyncOnConnect(connected);
  }

  #resyncOnConnect(server: string): void {
    if (this.#watched.length === 0 || this.#resyncQueued.has(server)) return;
    this.#resyncQueued.add(server);
    const order = [server, ...this.#mailservers.filter((m) => m !== server)];
    this.#queueResync('connected', order, this.#watched, () => this.#resyncQueued.delete(server)).catch(
      (err: unknown) => this.emit('resyncError', asMailserverError(err)),
    );
  }

  /** Topics to keep in sync (replaces the list). */
  watchTopics(topics: readonly Topic[]): void {
    this.#watched = [...topics];
  }

  /** Where each topic is fetched up to (topic hex -> unix s): persist it and pass it back as `syncState`. */
  syncState(): Record<string, number> {
    return this.#sync.toJSON();
  }

  /**
   * Fetches what the watched topics (or `topics`) missed: from the last bound of the least recent one,
   * minus the overlap, to now; from `initialResyncSeconds` ago for a topic never fetched. `signal` ends it
   * (queued behind another gap fetch or running) with the signal's reason.
   */
  async resync(
    topics: readonly Topic[] = this.#watched,
    options: { signal?: AbortSignal } = {},
  ): Promise<ResyncEvent> {
    return this.#queueResync('manual', this.#mailservers, topics, undefined, options.signal);
  }

  #queueResync(
    trigger: ResyncEvent['trigger'],
    mailservers: readonly string[],
    topics: readonly Topic[] = this.#watched,
    onStart?: () => void,
    signal?: AbortSignal,
  ): Promise<ResyncEvent> {
    throwIfAborted(signal);
    // One gap fetch at a time: a reconnect during a fetch queues a second one from the new bound.
    const run = this.#resyncing.then(async () => {
      onStart?.();
      const to = unixSeconds(this.#clock);
      const last = this.#sync.earliest(topics);
      const from = Math.max(
        0,
        to - this.#maxResync,
        last === undefined ? to - this.#initialResync : Math.min(last, to) - this.#resyncOverlap,
      );
      const summary = await this.requestHistory({
        mailservers,
        topics,
        from,
        to,
        force: true,
        ...(signal ? { signal } : {}),
      });
      const event: ResyncEvent = { trigger, from, to, summary };
      this.emit('resync', event);
      return event;
    });
    this.#resyncing = run.catch(() => {});
    return raceSignal(run, signal);
  }

  /** Stops listening to the node and takes its gate away (others on the node keep theirs); pending requests fail. */
  close(): void {
    this.#leaveGate?.();
    this.#leaveGate = undefined;
    this.node.off('p2p:requestComplete', this.#onComplete);
    this.node.off('peer:added', this.#onPeerAdded);
    this.#stopAsks();
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
    const mailservers = request.mailservers ?? this.#mailservers;
    if (mailservers.length === 0) {
      throw new MailserverError(
        MailserverErrorCode.InvalidOptions,
        'no mailserver to ask: pass `mailservers` or call setMailservers() first',
      );
    }
    if (request.topics.length === 0) {
      throw new MailserverError(
        MailserverErrorCode.InvalidOptions,
        'topics is empty: name at least one topic',
      );
    }
    if (from > to) {
      throw new MailserverError(MailserverErrorCode.InvalidOptions, `from (${from}) is after to (${to})`, {
        details: { from, to },
      });
    }
    const { signal } = request;
    throwIfAborted(signal);
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
      mailserver: idHex(mailservers[0]!),
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
    let lastError: MailserverError | undefined;
    for (const window of windows) {
      for (;;) {
        const server = mailservers[serverIndex];
        if (server === undefined) {
          if (summary.windows > 0) this.#sync.record(request.topics, from, summary.fetchedUntil);
          throw new MailserverError(MailserverErrorCode.AllFailed, 'every mailserver failed', {
            details: { summary },
            ...(lastError ? { cause: lastError } : {}),
          });
        }
        try {
          await this.#fetchWindow(idHex(server), window, request, summary);
          summary.mailserver = idHex(server);
          break;
        } catch (err) {
          if (signal?.aborted) {
            if (summary.windows > 0) this.#sync.record(request.topics, from, summary.fetchedUntil);
            throw abortReason(signal);
          }
          const error =
            err instanceof MailserverError
              ? err
              : new MailserverError(MailserverErrorCode.RequestFailed, String(err), { cause: err });
          this.emit('failover', { from: idHex(server), error });
          lastError = error;
          summary.failovers++;
          serverIndex++;
        }
      }
      summary.windows++;
      summary.fetchedUntil = window[1];
    }
    this.#sync.record(request.topics, from, to);
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
          if (request.signal?.aborted) throw error;
          if (error.code !== MailserverErrorCode.Timeout || attempt >= this.#retries) throw error;
          attempt++;
          summary.retries++;
          this.emit('retry', { mailserver: server, attempt, error });
        }
      }
    } while (cursor);
  }

  /**
   * Waits until a request to `server` stays within its advertised packet rate (see minRequestIntervalMs) and
   * half the byte budget is there for the answer (see maxBytesPerSecond).
   */
  async #pace(server: string, signal: AbortSignal | undefined): Promise<void> {
    let interval = this.#minRequestIntervalMs;
    if (interval === undefined) {
      const limits = this.node.getPeer(server)?.packetRateLimits;
      const perSecond = [limits?.peerId ?? 0, limits?.ip ?? 0].filter((n) => n > 0);
      interval = perSecond.length > 0 ? 1000 / (REQUEST_RATE_SHARE * Math.min(...perSecond)) : 0;
    }
    const last = this.#lastSent.get(server);
    const wait = Math.max(
      last === undefined ? 0 : last + interval - this.#clock.now(),
      this.#guard.budgetWaitMs(server),
    );
    if (wait > 0) await sleep(Math.ceil(wait), { clock: this.#clock, ...(signal ? { signal } : {}) });
    this.#lastSent.set(server, this.#clock.now());
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
    if (this.#guard.misbehaved(server)) throw this.#misbehavedError(server);
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
    this.#guard.watch(server);
    this.node.markTrusted(server);
    const { signal } = request;
    await this.#pace(server, signal);
    // It may have been dropped while we waited (envelopes it sent meanwhile).
    if (this.#guard.misbehaved(server)) throw this.#misbehavedError(server);
    const requestIdHex = bytesToHex(requestId);
    const limit = answerLimit(fields.limit);
    this.#guard.open(server, requestIdHex, limit);
    announceMailserverAsk(this.node, {
      origin: this,
      server,
      requestIdHex,
      limit,
      ttlMs: 2 * this.#timeoutMs,
    });
    let cancel: Cancel | undefined;
    let onAbort: (() => void) | undefined;
    const done = new Promise<P2PRequestComplete>((resolve, reject) => {
      const pending: Pending = { requestIdHex, envelopes: 0, resolve, reject };
      this.#pending.set(server, pending);
      if (signal) {
        onAbort = () => reject(abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
      }
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
    // An abort or timeout may land while the send is still under way; it is read right after.
    done.catch(() => {});
    try {
      await this.node.sendP2PRequest(server, wire);
      const complete = await done;
      return { complete, envelopes: pending.envelopes, requestId };
    } catch (err) {
      if (signal?.aborted) throw abortReason(signal);
      if (err instanceof MailserverError) throw err;
      // The peer is gone or the send failed: treat like a timeout so we retry, then fail over.
      throw new MailserverError(MailserverErrorCode.Timeout, 'could not send the request', { cause: err });
    } finally {
      cancel?.();
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      this.#pending.delete(server);
      // Unanswered (timeout, abort): its answer may still come, for one more timeout.
      this.#guard.expire(server, requestIdHex, this.#timeoutMs);
    }
  }
}
