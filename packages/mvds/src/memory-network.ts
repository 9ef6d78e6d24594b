import { AsyncQueue, bytesToHex, type Clock, systemClock } from '@status-ts/core';
import { MvdsError, MvdsErrorCode } from './errors.js';
import { seededRandom } from './random.js';
import type { IncomingPayload, MvdsTransport } from './transport.js';

/** Faults of a simulated link; probabilities in [0, 1]. */
export interface MemoryNetworkOptions {
  /** Drives delays (default: the system clock; a `ManualClock` makes a simulation deterministic). */
  readonly clock?: Clock;
  /** Probability that a copy of a payload is dropped (default 0). */
  readonly loss?: number;
  /** Probability that a payload is delivered twice (default 0); each copy then has its own fate and delay. */
  readonly duplicate?: number;
  /** Fixed delay of every copy in ms (default 0: delivered when the clock next runs due timers). */
  readonly delayMs?: number;
  /** Extra uniform random delay 0..jitterMs: copies overtake each other, which reorders them (default 0). */
  readonly jitterMs?: number;
  /** Uniform [0, 1) source (default `seededRandom(1)`). */
  readonly random?: () => number;
  /** Advertised to nodes as `maxPayloadSize` (default: none). */
  readonly maxPayloadSize?: number;
}

export interface MemoryNetworkStats {
  /** Payloads handed to `send`. */
  sent: number;
  /** Bytes handed to `send`. */
  bytesSent: number;
  /** Copies that reached an inbox. */
  delivered: number;
  /** Copies lost to `loss` or to an offline peer. */
  dropped: number;
  /** Extra copies created by `duplicate`. */
  duplicated: number;
}

function probability(value: number | undefined, name: string): number {
  const p = value ?? 0;
  if (!(p >= 0 && p <= 1)) {
    throw new MvdsError(MvdsErrorCode.InvalidArgument, `${name} must be a probability in [0, 1], got ${p}`);
  }
  return p;
}

/**
 * Keeps a Node process running until the returned function is called, as an open socket does: a ref'd
 * timer that never fires. The epoch and delivery timers are unref'd, so without it a program awaiting a
 * message over a `MemoryNetwork` would end with an unsettled top-level await.
 */
function holdProcessOpen(): () => void {
  const handle = setInterval(() => {}, 2 ** 31 - 1);
  return () => clearInterval(handle);
}

/** One endpoint of a `MemoryNetwork`. */
export class MemoryTransport implements MvdsTransport {
  readonly peer: Uint8Array;
  readonly maxPayloadSize: number | undefined;
  readonly #network: MemoryNetwork;
  readonly #inbox = new AsyncQueue<IncomingPayload>();

  constructor(network: MemoryNetwork, peer: Uint8Array, maxPayloadSize: number | undefined) {
    this.#network = network;
    this.peer = peer.slice();
    this.maxPayloadSize = maxPayloadSize;
  }

  send(peer: Uint8Array, payload: Uint8Array): void {
    this.#network.route(this.peer, peer, payload);
  }

  /** Payloads waiting in the inbox (delivered, not yet read by a node). */
  get queued(): number {
    return this.#inbox.size;
  }

  /** Called by the network. */
  deliver(item: IncomingPayload): void {
    this.#inbox.push(item);
  }

  /**
   * The inbox, as a node reads it while running. Like a socket being read, a reading keeps the process
   * running until it ends (the node stops: `signal` aborts).
   */
  receive(signal: AbortSignal): AsyncIterable<IncomingPayload> {
    const inbox = this.#inbox;
    return {
      async *[Symbol.asyncIterator]() {
        const release = holdProcessOpen();
        try {
          yield* inbox.iterate(signal);
        } finally {
          release();
        }
      },
    };
  }
}

/**
 * An in-memory network for tests, examples and benchmarks: payloads between transports are dropped,
 * duplicated, delayed and reordered according to the options, with timers on the given clock. Peers
 * can go offline (everything to or from them is dropped) and come back.
 */
export class MemoryNetwork {
  readonly stats: MemoryNetworkStats = { sent: 0, bytesSent: 0, delivered: 0, dropped: 0, duplicated: 0 };
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #duplicate: number;
  readonly #delayMs: number;
  readonly #jitterMs: number;
  readonly #maxPayloadSize: number | undefined;
  readonly #transports = new Map<string, MemoryTransport>();
  readonly #offline = new Set<string>();
  #loss: number;
  #inFlight = 0;

  constructor(options: MemoryNetworkOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? seededRandom(1);
    this.#loss = probability(options.loss, 'loss');
    this.#duplicate = probability(options.duplicate, 'duplicate');
    this.#delayMs = options.delayMs ?? 0;
    this.#jitterMs = options.jitterMs ?? 0;
    this.#maxPayloadSize = options.maxPayloadSize;
  }

  /** The transport of `peer` (created on first use). */
  transport(peer: Uint8Array): MemoryTransport {
    const key = bytesToHex(peer);
    let t = this.#transports.get(key);
    if (!t) {
      t = new MemoryTransport(this, peer, this.#maxPayloadSize);
      this.#transports.set(key, t);
    }
    return t;
  }

  /** Offline peers neither send nor receive: every copy to or from them is dropped. */
  setOnline(peer: Uint8Array, online: boolean): void {
    if (online) this.#offline.delete(bytesToHex(peer));
    else this.#offline.add(bytesToHex(peer));
  }

  setLoss(loss: number): void {
    this.#loss = probability(loss, 'loss');
  }

  /** Copies scheduled but not yet delivered. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Copies delivered to inboxes and not yet read. */
  get queued(): number {
    let n = 0;
    for (const t of this.#transports.values()) n += t.queued;
    return n;
  }

  /** Called by `MemoryTransport.send`. */
  route(from: Uint8Array, to: Uint8Array, payload: Uint8Array): void {
    this.stats.sent++;
    this.stats.bytesSent += payload.length;
    if (this.#offline.has(bytesToHex(from)) || this.#offline.has(bytesToHex(to))) {
      this.stats.dropped++;
      return;
    }
    const copies = this.#random() < this.#duplicate ? 2 : 1;
    this.stats.duplicated += copies - 1;
    const bytes = payload.slice();
    for (let i = 0; i < copies; i++) {
      if (this.#random() < this.#loss) {
        this.stats.dropped++;
        continue;
      }
      const delay = this.#delayMs + Math.floor(this.#random() * (this.#jitterMs + 1));
      this.#inFlight++;
      this.#clock.setTimeout(() => {
        this.#inFlight--;
        const fromKey = bytesToHex(from);
        const toKey = bytesToHex(to);
        const target = this.#transports.get(toKey);
        if (!target || this.#offline.has(fromKey) || this.#offline.has(toKey)) {
          this.stats.dropped++;
          return;
        }
        this.stats.delivered++;
        target.deliver({ peer: from, payload: bytes });
      }, delay);
    }
  }
}
