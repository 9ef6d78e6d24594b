import { type Cancel, type Clock, seededRandom, systemClock } from '@status-ts/core';
import { Discv5Error, Discv5ErrorCode } from '../errors.js';
import { endpointKey, type PacketHandler, type PacketTransport, type UdpEndpoint } from './types.js';

export interface MemoryNetworkOptions {
  /** Delivery delays run on this clock (a ManualClock makes whole networks deterministic). */
  clock?: Clock;
  /** One-way delay in ms, fixed or drawn per packet; default 1. */
  latencyMs?: number | (() => number);
  /** Probability that a packet is lost, 0..1; default 0. */
  lossRate?: number;
  /** Random source for loss (default: a PRNG seeded with `seed`). */
  random?: () => number;
  seed?: number;
}

export interface MemoryNetworkStats {
  sent: number;
  delivered: number;
  lost: number;
  /** Packets to an address nobody is bound to. */
  unroutable: number;
}

interface Binding {
  handler: PacketHandler | undefined;
  inFlight: Set<Cancel>;
}

/**
 * An in-memory UDP network: transports bound to `ip:port` exchange datagrams after a configurable latency,
 * with optional loss. Every delivery is a timer on the clock, so tests advance a ManualClock to run it.
 */
export class MemoryNetwork {
  readonly #clock: Clock;
  readonly #bindings = new Map<string, Binding>();
  #latency: () => number;
  #lossRate: number;
  readonly #random: () => number;
  readonly stats: MemoryNetworkStats = { sent: 0, delivered: 0, lost: 0, unroutable: 0 };
  #nextPort = 30_000;

  constructor(options: MemoryNetworkOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#latency =
      typeof options.latencyMs === 'function'
        ? options.latencyMs
        : () => (options.latencyMs as number | undefined) ?? 1;
    this.#lossRate = options.lossRate ?? 0;
    this.#random = options.random ?? seededRandom(options.seed ?? 1);
  }

  set lossRate(rate: number) {
    this.#lossRate = rate;
  }

  get lossRate(): number {
    return this.#lossRate;
  }

  set latencyMs(ms: number) {
    this.#latency = () => ms;
  }

  /** Bound addresses. */
  get size(): number {
    return this.#bindings.size;
  }

  /** Packets scheduled but not delivered yet. */
  get inFlight(): number {
    let n = 0;
    for (const b of this.#bindings.values()) n += b.inFlight.size;
    return n;
  }

  /** Binds a transport to `ip:port` (port 0 picks a free one). */
  transport(endpoint: { ip: string; port?: number }): PacketTransport {
    let port = endpoint.port ?? 0;
    if (port === 0) {
      while (this.#bindings.has(endpointKey({ ip: endpoint.ip, port: this.#nextPort }))) this.#nextPort++;
      port = this.#nextPort++;
    }
    const local: UdpEndpoint = { ip: endpoint.ip, port };
    const key = endpointKey(local);
    if (this.#bindings.has(key)) {
      throw new Discv5Error(Discv5ErrorCode.Transport, `address ${key} already in use`);
    }
    const binding: Binding = { handler: undefined, inFlight: new Set() };
    this.#bindings.set(key, binding);
    let closed = false;
    return {
      localEndpoint: local,
      send: (bytes, to) => {
        if (!closed) this.#deliver(new Uint8Array(bytes), local, to);
      },
      onPacket: (handler) => {
        binding.handler = handler;
      },
      close: async () => {
        if (closed) return;
        closed = true;
        binding.handler = undefined;
        for (const cancel of binding.inFlight) cancel();
        binding.inFlight.clear();
        this.#bindings.delete(key);
      },
    };
  }

  #deliver(bytes: Uint8Array, from: UdpEndpoint, to: UdpEndpoint): void {
    this.stats.sent++;
    const target = this.#bindings.get(endpointKey(to));
    if (!target) {
      this.stats.unroutable++;
      return;
    }
    if (this.#lossRate > 0 && this.#random() < this.#lossRate) {
      this.stats.lost++;
      return;
    }
    const cancel = this.#clock.setTimeout(
      () => {
        target.inFlight.delete(cancel);
        this.stats.delivered++;
        target.handler?.(bytes, from);
      },
      Math.max(0, this.#latency()),
    );
    target.inFlight.add(cancel);
  }
}
