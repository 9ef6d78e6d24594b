import { bytesToHex, type Clock } from '@status-ts/core';
import type { Envelope } from '@status-ts/waku';
import type { MailServerLimitReason } from './server-counters.js';

/** The load limits of a mailserver (see MailServerOptions). */
export interface LoadLimits {
  peerRequestIntervalMs: number;
  peerRequestBurst: number;
  maxPeerRequestsInFlight: number;
  maxRequestsInFlight: number;
  maxPeerBytesInFlight: number;
  maxBytesInFlight: number;
}

/** What a mailserver holds right now (gauges; `counters` are the cumulative totals). */
export interface MailServerLoad {
  requestsInFlight: number;
  /** Envelope bytes requests hold: read from the store and not yet taken by the transport. */
  bytesInFlight: number;
  /** The highest `bytesInFlight` seen since the server was created. */
  peakBytesInFlight: number;
  /** Bytes of sends that timed out and still wait on a peer that does not read (bound per peer only). */
  stalledBytes: number;
  /** Peers with such a send: their requests are refused until it completes. */
  stalledPeers: number;
  /** Envelopes, and their bytes, waiting in the archive retry queue. */
  archivePending: number;
  archivePendingBytes: number;
}

interface PeerLoad {
  readonly key: string;
  requests: number;
  bytes: number;
  stalledBytes: number;
  stalledSends: number;
}

/** Bytes of envelopes as held in memory and sent (their RLP). */
export function envelopeBytes(envelopes: readonly Envelope[]): number {
  let n = 0;
  for (const e of envelopes) n += e.raw.length;
  return n;
}

/**
 * Calls what is registered when fired (the server stopping): waits on a peer give up. Each wait removes
 * itself when done, so a long-running server keeps no callback per send.
 */
export class StopSignal {
  readonly #listeners = new Set<() => void>();
  #fired = false;

  /** Runs `fn` when fired (in a microtask if it already was); returns the function that unregisters it. */
  add(fn: () => void): () => void {
    if (this.#fired) {
      queueMicrotask(fn);
      return () => {};
    }
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  fire(): void {
    this.#fired = true;
    for (const fn of [...this.#listeners]) fn();
    this.#listeners.clear();
  }
}

/** One admitted request's share of the load: what it holds, released as sends complete. */
export class RequestLease {
  readonly #tracker: LoadTracker;
  readonly #peer: PeerLoad;
  #held = 0;
  #ended = false;

  constructor(tracker: LoadTracker, peer: PeerLoad) {
    this.#tracker = tracker;
    this.#peer = peer;
  }

  get held(): number {
    return this.#held;
  }

  /**
   * Takes as many of `envelopes` (in order) as fit in the room left under both byte bounds and holds their
   * bytes; returns how many. When nothing else is held at all, one envelope is taken even if larger than the
   * bounds, so an envelope bigger than a bound is still served, alone.
   */
  take(envelopes: readonly Envelope[]): number {
    const room = this.room();
    let n = 0;
    let bytes = 0;
    while (n < envelopes.length && bytes + envelopes[n]!.raw.length <= room)
      bytes += envelopes[n++]!.raw.length;
    if (n === 0 && envelopes.length > 0 && this.#alone()) bytes = envelopes[n++]!.raw.length;
    this.#add(bytes);
    return n;
  }

  /** Bytes this request could still take under both bounds. */
  room(): number {
    const limits = this.#tracker.limits;
    return Math.min(
      limits.maxBytesInFlight - this.#tracker.bytes,
      limits.maxPeerBytesInFlight - this.#peer.bytes - this.#peer.stalledBytes,
    );
  }

  /** The bound that keeps this request from taking `need` more bytes, if any. */
  blocked(need: number): 'bytes' | 'peerBytes' | undefined {
    if (this.#alone()) return undefined;
    const limits = this.#tracker.limits;
    if (limits.maxBytesInFlight - this.#tracker.bytes < need) return 'bytes';
    if (limits.maxPeerBytesInFlight - this.#peer.bytes - this.#peer.stalledBytes < need) return 'peerBytes';
    return undefined;
  }

  #alone(): boolean {
    return this.#tracker.bytes === 0 && this.#peer.stalledBytes === 0;
  }

  release(bytes: number): void {
    this.#add(-Math.min(bytes, this.#held));
  }

  /**
   * Moves `bytes` from this request to the peer's stalled sends until `send` settles: the transport still
   * holds them, and the peer's next requests are refused meanwhile.
   */
  stall(bytes: number, send: Promise<unknown>): void {
    const moved = Math.min(bytes, this.#held);
    this.#add(-moved);
    this.#tracker.stall(this.#peer, moved, send);
  }

  /** Ends the request: whatever it still holds is released. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#add(-this.#held);
    this.#tracker.endRequest(this.#peer);
  }

  #add(delta: number): void {
    this.#held += delta;
    this.#peer.bytes += delta;
    this.#tracker.addBytes(delta);
  }
}

/**
 * Admission and memory accounting of a mailserver's requests: the per-peer interval, requests in flight
 * per peer and in all, bytes held per peer and in all, and peers whose sends stalled.
 */
export class LoadTracker {
  readonly limits: LoadLimits;
  readonly #peers = new Map<string, PeerLoad>();
  /** Per peer, when its request budget is full again (GCRA's theoretical arrival time). */
  readonly #nextFree = new Map<string, number>();
  readonly #waiters = new Set<() => void>();
  requests = 0;
  bytes = 0;
  peakBytes = 0;
  stalledBytes = 0;
  stalledPeers = 0;

  constructor(limits: LoadLimits) {
    this.limits = limits;
  }

  /** Admits a request of `peerId` at `now`, or says which limit refuses it. */
  admit(peerId: Uint8Array, now: number): RequestLease | MailServerLimitReason {
    const key = bytesToHex(peerId);
    const limits = this.limits;
    const interval = limits.peerRequestIntervalMs;
    // One request per interval on average, `peerRequestBurst` at once: a token bucket kept as the time its
    // budget is full again (integer ms, no drift). Burst 1 is a strict minimum interval.
    const due = Math.max(this.#nextFree.get(key) ?? now, now);
    // With interval 0 nothing is paced: `due` is `now` and 0 > 0 is false.
    if (due - now > (limits.peerRequestBurst - 1) * interval) return 'interval';
    const peer = this.#peers.get(key) ?? { key, requests: 0, bytes: 0, stalledBytes: 0, stalledSends: 0 };
    if (peer.stalledSends > 0) return 'peerBacklog';
    if (peer.requests >= limits.maxPeerRequestsInFlight) return 'peerRequests';
    // A peer's first request in flight is never refused by the global cap, only its further ones: peers
    // holding many requests cannot starve a peer that holds none (memory stays bound by the byte caps).
    if (peer.requests > 0 && this.requests >= limits.maxRequestsInFlight) return 'requests';
    // A peer with stalled bytes was refused above (`peerBacklog`): only the bytes of its requests count here.
    if (peer.bytes >= limits.maxPeerBytesInFlight) return 'peerBytes';
    if (this.bytes >= limits.maxBytesInFlight) return 'bytes';
    if (interval > 0) {
      this.#nextFree.set(key, due + interval);
      if (this.#nextFree.size > 10_000) {
        // A peer whose budget is full again is the same as one never seen.
        for (const [k, t] of this.#nextFree) if (t <= now) this.#nextFree.delete(k);
      }
    }
    this.#peers.set(key, peer);
    peer.requests++;
    this.requests++;
    return new RequestLease(this, peer);
  }

  /** Peers with requests in flight or stalled sends (the others are forgotten). */
  get trackedPeers(): number {
    return this.#peers.size;
  }

  /** Peers whose request budget is not full yet, kept to pace them (pruned past 10,000). */
  get pacedPeers(): number {
    return this.#nextFree.size;
  }

  /**
   * Waits until `lease` may take `need` more bytes (or holds nothing while nobody else does). Resolves with
   * the bound still in the way after `timeoutMs`, `stopped` when `stop` fires first, else undefined.
   */
  waitForRoom(
    lease: RequestLease,
    need: number,
    clock: Clock,
    timeoutMs: number,
    stop: StopSignal,
  ): Promise<'bytes' | 'peerBytes' | 'stopped' | undefined> {
    if (!lease.blocked(need)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      // Each step is idempotent, and a promise settles once: a second finish (a stop queued before a
      // release) changes nothing.
      const finish = (result: 'bytes' | 'peerBytes' | 'stopped' | undefined) => {
        cancel();
        unstop();
        this.#waiters.delete(check);
        resolve(result);
      };
      const check = () => {
        if (!lease.blocked(need)) finish(undefined);
      };
      const cancel = clock.setTimeout(() => finish(lease.blocked(need)), timeoutMs);
      this.#waiters.add(check);
      const unstop = stop.add(() => finish('stopped'));
    });
  }

  addBytes(delta: number): void {
    this.bytes += delta;
    this.peakBytes = Math.max(this.peakBytes, this.bytes);
    // Only a release can make room; waiters are not walked on every envelope taken (`true` here is equivalent
    // but slower, and the line's `false` mutant is killed, so it is not marked).
    if (delta < 0) this.#notify();
  }

  stall(peer: PeerLoad, bytes: number, send: Promise<unknown>): void {
    if (peer.stalledSends++ === 0) this.stalledPeers++;
    peer.stalledBytes += bytes;
    this.stalledBytes += bytes;
    const settle = () => {
      peer.stalledBytes -= bytes;
      this.stalledBytes -= bytes;
      if (--peer.stalledSends === 0) this.stalledPeers--;
      this.#forget(peer);
      this.#notify();
    };
    send.then(settle, settle);
  }

  endRequest(peer: PeerLoad): void {
    peer.requests--;
    this.requests--;
    this.#forget(peer);
    this.#notify();
  }

  #forget(peer: PeerLoad): void {
    // A peer's bytes are held by its requests (an ended request holds none), so no request and no stalled
    // send means nothing held: the peer is forgotten, and no later call can reach this object again.
    if (peer.requests > 0 || peer.stalledSends > 0) return;
    this.#peers.delete(peer.key);
  }

  #notify(): void {
    for (const check of [...this.#waiters]) check();
  }
}
