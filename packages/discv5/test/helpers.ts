import { ManualClock, utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey, keccak256 } from '@status-ts/crypto';
import { expect } from 'vitest';
import {
  Discv5Error,
  type Discv5Limits,
  Discv5Node,
  type Discv5NodeOptions,
  MemoryNetwork,
  type PacketTransport,
  type UdpEndpoint,
} from '../src/index.js';

/** Lets promise callbacks (and setImmediate-queued work) run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Advances the clock in steps until `promise` settles (or `maxMs` of simulated time passed). */
export async function drive<T>(
  clock: ManualClock,
  promise: Promise<T>,
  maxMs = 60_000,
  stepMs = 5,
): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => {
    settled = true;
  });
  watched.catch(() => {});
  await flush();
  for (let t = 0; !settled && t < maxMs; t += stepMs) {
    clock.advance(stepMs);
    await flush();
  }
  return watched;
}

/** Advances simulated time by `ms` in steps, letting async work run in between. */
export async function run(clock: ManualClock, ms: number, stepMs = 5): Promise<void> {
  await flush();
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(stepMs);
    await flush();
  }
}

export interface MemoryNodeOptions extends Partial<Discv5NodeOptions> {
  network: MemoryNetwork;
  clock: ManualClock;
  ip?: string;
  port?: number;
}

/** A node on the in-memory network (autoRefresh off unless asked, so tests decide what runs). */
export function memoryNode(options: MemoryNodeOptions): Discv5Node {
  const { network, ip = '10.0.0.1', port = 0, ...rest } = options;
  return new Discv5Node({
    privateKey: generatePrivateKey(),
    transport: network.transport({ ip, port }),
    autoRefresh: false,
    ...rest,
  });
}

/**
 * A memory network on a ManualClock whose `make(limits, extra)` starts nodes at successive addresses; the
 * nodes are pushed to `started` so the test's afterEach can stop them.
 */
export function memoryWorld(started: Discv5Node[], latencyMs = 5) {
  const clock = new ManualClock(1_000_000);
  const network = new MemoryNetwork({ clock, latencyMs });
  let i = 0;
  const make = async (limits: Partial<Discv5Limits> = {}, extra: Partial<MemoryNodeOptions> = {}) => {
    const node = memoryNode({ network, clock, ip: ipOf(i++), limits, ...extra });
    started.push(node);
    await node.start();
    return node;
  };
  return { clock, network, make };
}

/** A fixed private key per label: simulations whose topology must be the same on every run use these. */
export function seededPrivateKey(label: string): Uint8Array {
  return keccak256(utf8ToBytes(label));
}

/** An IP in 10.0.0.0/8 for node `i` (distinct per node, so per-IP limits apply per node). */
export function ipOf(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) + 1}`;
}

/** Wraps a transport to record what it sends. */
export function recording(
  transport: PacketTransport,
): PacketTransport & { sent: Array<{ bytes: Uint8Array; to: UdpEndpoint }> } {
  const sent: Array<{ bytes: Uint8Array; to: UdpEndpoint }> = [];
  return {
    sent,
    localEndpoint: transport.localEndpoint,
    send(bytes, to) {
      sent.push({ bytes: new Uint8Array(bytes), to });
      transport.send(bytes, to);
    },
    onPacket: (handler) => transport.onPacket(handler),
    close: () => transport.close(),
  };
}

/** What `fn` throws; fails the test when nothing is thrown. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

/** What `fn` throws, asserted to be a typed discv5 error. */
export function discv5Failure(fn: () => unknown): Discv5Error {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(Discv5Error);
  return err as Discv5Error;
}
