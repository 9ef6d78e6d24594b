import { concatBytes, numberToBytes } from '@status-ts/core';
import type { Enr } from '@status-ts/enr';
import { REPLAY_CACHE_SIZE } from '../node/limits.js';
import { takeRandom as randomBytes } from '../random-pool.js';
import type { UdpEndpoint } from '../transport/types.js';
import { ReplayWindow } from './replay-window.js';

/** Established keys with one node at one endpoint (sessions are tied to the endpoint against spoofing). */
export class Session {
  readonly nodeId: Uint8Array;
  readonly nodeIdHex: string;
  readonly endpoint: UdpEndpoint;
  /** The peer's static public key (compressed or raw). */
  readonly publicKey: Uint8Array;
  readonly writeKey: Uint8Array;
  readonly readKey: Uint8Array;
  /** True when we sent the handshake packet. */
  readonly initiator: boolean;
  /** The peer's record, when known. */
  record: Enr | undefined;
  /** For an initiated session: the peer has answered with these keys at least once. */
  confirmed: boolean;
  /**
   * The session this one replaced, still accepted for reading: when both nodes start a handshake at the same
   * time each ends up writing with different keys, and this keeps both directions readable.
   */
  previous: Session | undefined;
  /** Nonces of the packets read with `readKey` lately: a packet whose nonce is here is a replay. */
  readonly replay: ReplayWindow;
  #counter = 0;

  constructor(init: {
    nodeId: Uint8Array;
    nodeIdHex: string;
    endpoint: UdpEndpoint;
    publicKey: Uint8Array;
    writeKey: Uint8Array;
    readKey: Uint8Array;
    initiator: boolean;
    record: Enr | undefined;
    /** Nonces remembered for replay detection (default `REPLAY_CACHE_SIZE`). */
    replayCacheSize?: number;
  }) {
    this.nodeId = init.nodeId;
    this.nodeIdHex = init.nodeIdHex;
    this.endpoint = init.endpoint;
    this.publicKey = init.publicKey;
    this.writeKey = init.writeKey;
    this.readKey = init.readKey;
    this.initiator = init.initiator;
    this.record = init.record;
    this.confirmed = !init.initiator;
    this.previous = undefined;
    this.replay = new ReplayWindow(init.replayCacheSize ?? REPLAY_CACHE_SIZE);
  }

  /** Messages encrypted so far. */
  get messagesSent(): number {
    return this.#counter;
  }

  /**
   * A fresh 12-byte nonce: a 32-bit message counter then 64 random bits (discv5-theory "Session Cache"), so
   * a nonce never repeats under one key.
   */
  nextNonce(): Uint8Array {
    this.#counter = (this.#counter + 1) >>> 0;
    return concatBytes(numberToBytes(this.#counter, 4), randomBytes(8));
  }
}

/** An LRU of sessions keyed by node id and endpoint, bounded by `limit`. */
export class SessionCache {
  readonly #limit: number;
  readonly #sessions = new Map<string, Session>();

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  static key(nodeIdHex: string, endpoint: UdpEndpoint): string {
    return `${nodeIdHex}@${endpoint.ip}/${endpoint.port}`;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** The session for `key`, marking it most recently used. */
  get(key: string): Session | undefined {
    const session = this.#sessions.get(key);
    if (session) {
      this.#sessions.delete(key);
      this.#sessions.set(key, session);
    }
    return session;
  }

  peek(key: string): Session | undefined {
    return this.#sessions.get(key);
  }

  /**
   * Stores a session (the one it replaces stays readable as `previous`); returns the evicted least recently
   * used one, if the cache was full.
   */
  set(key: string, session: Session): Session | undefined {
    const replaced = this.#sessions.get(key);
    if (replaced && replaced !== session) {
      replaced.previous = undefined;
      session.previous = replaced;
    }
    this.#sessions.delete(key);
    this.#sessions.set(key, session);
    if (this.#sessions.size <= this.#limit) return undefined;
    const [oldestKey, oldest] = this.#sessions.entries().next().value as [string, Session];
    this.#sessions.delete(oldestKey);
    return oldest;
  }

  delete(key: string): void {
    this.#sessions.delete(key);
  }

  clear(): void {
    this.#sessions.clear();
  }

  values(): IterableIterator<Session> {
    return this.#sessions.values();
  }
}
