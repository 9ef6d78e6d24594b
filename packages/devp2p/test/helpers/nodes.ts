import { type Cancel, type Clock, systemClock } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { afterEach } from 'vitest';
import {
  type Capability,
  type CapabilityMessage,
  type CapabilityStream,
  Server,
  type ServerOptions,
} from '../../src/index.js';

/** A capability that records its streams and every message it receives. */
export class RecordingCapability implements Capability {
  readonly streams: CapabilityStream[] = [];
  readonly received: (CapabilityMessage & { from: string })[] = [];
  constructor(
    readonly name = 'test',
    readonly version = 1,
    readonly length = 8,
    readonly onMessage?: (stream: CapabilityStream, msg: CapabilityMessage) => void | Promise<void>,
  ) {}

  async attach(stream: CapabilityStream): Promise<void> {
    this.streams.push(stream);
    for await (const msg of stream.messages()) {
      this.received.push({ ...msg, from: Buffer.from(stream.remoteId).toString('hex') });
      await this.onMessage?.(stream, msg);
    }
  }
}

export function makeServer(options: Partial<ServerOptions> = {}): Server {
  return new Server({ privateKey: generatePrivateKey(), host: '127.0.0.1', port: 0, ...options });
}

/** `started(options)` makes and starts a server; every one is stopped after each test of the file. */
export function useStartedServers(): (options?: Partial<ServerOptions>) => Promise<Server> {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });
  return async (options) => {
    const server = makeServer(options);
    servers.push(server);
    await server.start();
    return server;
  };
}

/** Resolves when `predicate` holds, polling every few ms; rejects after `ms`. */
export async function waitFor(predicate: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function once<T extends unknown[]>(
  emitter: { once(event: string, fn: (...args: T) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (...args: T) => resolve(args)));
}

/** The system clock, counting the timers and intervals still scheduled (for leak checks). */
export class TrackingClock implements Clock {
  readonly #live = new Set<symbol>();

  get pending(): number {
    return this.#live.size;
  }

  now(): number {
    return systemClock.now();
  }

  setTimeout(fn: () => void, ms: number): Cancel {
    const id = Symbol('timeout');
    this.#live.add(id);
    const cancel = systemClock.setTimeout(() => {
      this.#live.delete(id);
      fn();
    }, ms);
    return () => {
      this.#live.delete(id);
      cancel();
    };
  }

  setInterval(fn: () => void, ms: number): Cancel {
    const id = Symbol('interval');
    this.#live.add(id);
    const cancel = systemClock.setInterval(fn, ms);
    return () => {
      this.#live.delete(id);
      cancel();
    };
  }
}
