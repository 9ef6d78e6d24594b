import { bytesToHex, ManualClock } from '@status-ts/core';
import {
  exponentialBackoff,
  MemoryNetwork,
  type MemoryTransport,
  MvdsNode,
  type MvdsNodeOptions,
  type MvdsStores,
  type SyncMode,
  seededRandom,
} from '../../src/index.js';
import { GROUP, peerId } from './nodes.js';

export interface SimulationOptions {
  readonly peers: number;
  readonly mode: SyncMode;
  readonly loss: number;
  readonly duplicate?: number;
  readonly delayMs?: number;
  readonly jitterMs?: number;
  readonly seed?: number;
  readonly epochMs?: number;
  readonly node?: Partial<MvdsNodeOptions>;
  /** Stores of node i (default: fresh in-memory ones). */
  readonly stores?: (i: number) => MvdsStores;
}

/**
 * A deterministic network simulation: a ManualClock drives epochs and link delays, a seeded MemoryNetwork
 * loses, duplicates and reorders payloads, and every node shares one group with all the others.
 */
export class Simulation {
  readonly clock = new ManualClock(1_600_000_000_000);
  readonly network: MemoryNetwork;
  readonly ids: Uint8Array[];
  readonly transports: MemoryTransport[];
  readonly nodes: MvdsNode[] = [];
  /** Per node: message id (hex) -> how many times the application got it. */
  readonly deliveries: Array<Map<string, number>>;
  /** Per node: ids (hex) of the messages it sent. */
  readonly sent: Array<Set<string>>;
  readonly epochMs: number;
  readonly #options: SimulationOptions;

  constructor(options: SimulationOptions) {
    this.#options = options;
    this.epochMs = options.epochMs ?? 300;
    this.network = new MemoryNetwork({
      clock: this.clock,
      loss: options.loss,
      duplicate: options.duplicate ?? 0,
      delayMs: options.delayMs ?? 0,
      jitterMs: options.jitterMs ?? 0,
      random: seededRandom(options.seed ?? 1),
    });
    this.ids = Array.from({ length: options.peers }, (_, i) => peerId(i + 1));
    this.transports = this.ids.map((id) => this.network.transport(id));
    this.deliveries = this.ids.map(() => new Map());
    this.sent = this.ids.map(() => new Set());
    for (let i = 0; i < this.ids.length; i++) this.createNode(i);
  }

  /** A node for peer i (used again to restart a peer on its old stores). */
  createNode(i: number, stores?: MvdsStores): MvdsNode {
    const node = new MvdsNode({
      transport: this.transports[i]!,
      clock: this.clock,
      mode: this.#options.mode,
      epochMs: this.epochMs,
      nextSendEpoch: exponentialBackoff({ baseEpochs: 4, maxEpochs: 32 }),
      maxSends: Number.POSITIVE_INFINITY,
      stores: stores ?? this.#options.stores?.(i),
      ...this.#options.node,
    });
    node.on('message', (m) => {
      const key = bytesToHex(m.id);
      this.deliveries[i]!.set(key, (this.deliveries[i]!.get(key) ?? 0) + 1);
    });
    node.on('error', (err) => {
      throw err;
    });
    this.nodes[i] = node;
    return node;
  }

  async start(): Promise<void> {
    for (const [i, node] of this.nodes.entries()) {
      for (const [j, id] of this.ids.entries()) if (i !== j) await node.addPeer(GROUP, id);
      await node.start();
    }
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) await node.stop();
  }

  async send(i: number, body: Uint8Array): Promise<void> {
    this.sent[i]!.add(bytesToHex(await this.nodes[i]!.send(GROUP, body)));
  }

  /** Waits until every running node has handled everything that reached it. */
  async settle(): Promise<void> {
    for (;;) {
      await Promise.all(this.nodes.map((n) => n.idle()));
      await new Promise((resolve) => setImmediate(resolve));
      const busy = this.nodes.some((n, i) => !n.isIdle || (n.running && this.transports[i]!.queued > 0));
      if (!busy) return;
    }
  }

  /**
   * Advances the clock one epoch at a time, in two moves: payloads that arrive during the epoch are handled
   * before the next tick (one move would run the tick first, since nodes read their inbox asynchronously).
   */
  async step(epochs = 1): Promise<void> {
    for (let e = 0; e < epochs; e++) {
      this.clock.advance(this.epochMs - 1);
      await this.settle();
      this.clock.advance(1);
      await this.settle();
    }
  }

  /** True when node i got every message the other nodes sent. */
  hasAll(i: number): boolean {
    for (const [j, ids] of this.sent.entries()) {
      if (j === i) continue;
      for (const id of ids) if (!this.deliveries[i]!.has(id)) return false;
    }
    return true;
  }

  /** Steps until `done()` (checked each epoch) or `maxEpochs`; returns the epochs used. */
  async runUntil(done: () => boolean | Promise<boolean>, maxEpochs: number): Promise<number> {
    for (let e = 1; e <= maxEpochs; e++) {
      await this.step();
      if (await done()) return e;
    }
    throw new Error(`not done after ${maxEpochs} epochs`);
  }

  async pendingRecords(): Promise<number> {
    let n = 0;
    for (const node of this.nodes) n += await node.pendingRecords();
    return n;
  }

  /** Every delivery count is exactly 1 and nobody delivered its own message. */
  exactlyOnce(): boolean {
    for (const [i, map] of this.deliveries.entries()) {
      for (const [id, count] of map) if (count !== 1 || this.sent[i]!.has(id)) return false;
    }
    return true;
  }
}
