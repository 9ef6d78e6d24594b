import type { ManualClock } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { type RlpxCapability, roleEntries } from '@status-ts/discv5';
import { Enr, type PeerSource } from '@status-ts/enr';
import {
  type ConnectedPeer,
  type Dialer,
  type PeerCapability,
  type PeerTarget,
  targetId,
} from '../src/index.js';

export const T0 = 1_700_000_000_000;
export const WAKU: PeerCapability[] = [{ name: 'waku', version: 1 }];

/** Lets promise callbacks run. */
export async function flush(rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Advances the clock in steps, letting async work run between steps. */
export async function advance(clock: ManualClock, ms: number, step = 250): Promise<void> {
  await flush();
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    await flush();
  }
}

export interface NodeSpec {
  roles?: string[];
  capabilities?: RlpxCapability[];
  /** Leave out ip/tcp (an undialable record). */
  noAddress?: boolean;
}

let port = 30_000;
/** A signed record on 127.0.0.1 with roles and capabilities in its entries. */
export function makeEnr(spec: NodeSpec = {}): Enr {
  port++;
  return Enr.create({
    privateKey: generatePrivateKey(),
    ...(spec.noAddress ? {} : { ip: '127.0.0.1', tcp: port, udp: port }),
    entries: roleEntries({ roles: spec.roles ?? ['whisper'], capabilities: spec.capabilities ?? WAKU }),
  });
}

export const idOf = (enr: Enr): string => targetId(enr);

/** A connection the fake dialer hands out; `drop()` plays a remote disconnect. */
export class FakePeer implements ConnectedPeer {
  readonly id: string;
  readonly capabilities: PeerCapability[];
  closed = false;
  readonly #listeners = new Set<(reason?: string) => void>();

  constructor(id: string, capabilities: PeerCapability[]) {
    this.id = id;
    this.capabilities = capabilities;
  }

  onDisconnected(listener: (reason?: string) => void): () => void {
    if (this.closed) {
      queueMicrotask(() => listener('closed'));
      return () => {};
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  disconnect(): void {
    this.drop('local');
  }

  drop(reason = 'remote'): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of [...this.#listeners]) l(reason);
    this.#listeners.clear();
  }
}

export type DialOutcome = 'ok' | 'fail' | 'no-caps' | 'hang';

/** A dialer that answers at once (or never, for 'hang') according to `decide`. */
export class FakeDialer implements Dialer {
  readonly dials: Array<{ id: string; at: number }> = [];
  readonly connected = new Map<string, FakePeer>();
  decide: (id: string, attempt: number) => DialOutcome = () => 'ok';
  readonly #clock: { now(): number };

  constructor(clock: { now(): number }) {
    this.#clock = clock;
  }

  attempts(id: string): number {
    return this.dials.filter((d) => d.id === id).length;
  }

  async dial(target: PeerTarget, signal?: AbortSignal): Promise<ConnectedPeer> {
    const id = targetId(target);
    this.dials.push({ id, at: this.#clock.now() });
    const outcome = this.decide(id, this.attempts(id));
    if (outcome === 'fail') throw new Error(`dial ${id.slice(0, 8)} failed`);
    if (outcome === 'hang') {
      return new Promise((_, reject) =>
        signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    }
    const peer = new FakePeer(id, outcome === 'no-caps' ? [{ name: 'les', version: 2 }] : WAKU);
    if (outcome === 'ok') {
      this.connected.set(id, peer);
      peer.onDisconnected(() => this.connected.delete(id));
    }
    return peer;
  }
}

/**
 * A source over a function: `produce(topic, i)` gives the i-th record of a `find` (undefined ends it; a
 * promise delays it). Counts finds, aborts and records handed over.
 */
export class FakeSource implements PeerSource {
  readonly name: string;
  finds = 0;
  aborts = 0;
  yielded = 0;
  active = 0;
  readonly #produce: (topic: string, i: number) => Enr | undefined | Promise<Enr | undefined>;

  constructor(
    name: string,
    produce: (topic: string, i: number) => Enr | undefined | Promise<Enr | undefined>,
  ) {
    this.name = name;
    this.#produce = produce;
  }

  /** Yields `records` (per topic, or the same for every topic) once per find. */
  static of(name: string, records: Enr[] | Record<string, Enr[]>): FakeSource {
    return new FakeSource(name, (topic, i) => (Array.isArray(records) ? records : (records[topic] ?? []))[i]);
  }

  /** Yields forever, cycling over `records`. */
  static endless(name: string, records: Enr[]): FakeSource {
    return new FakeSource(name, (_topic, i) => records[i % records.length]);
  }

  async *find(topic: string, signal?: AbortSignal): AsyncGenerator<Enr> {
    this.finds++;
    this.active++;
    signal?.addEventListener('abort', () => this.aborts++, { once: true });
    try {
      for (let i = 0; ; i++) {
        if (signal?.aborted) return;
        const record = await this.#produce(topic, i);
        if (!record || signal?.aborted) return;
        this.yielded++;
        yield record;
      }
    } finally {
      this.active--;
    }
  }
}
