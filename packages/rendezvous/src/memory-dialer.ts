import { RendezvousError, RendezvousErrorCode } from './errors.js';
import type { RendezvousServer } from './server.js';
import { createMemoryStreamPair, type RendezvousDialer, type RendezvousStream } from './stream.js';

/**
 * A dialer to servers in the same process, by name: for tests, examples and browsers without sockets.
 * Each dial makes an in-memory stream pair and hands one end to the server.
 */
export class MemoryDialer implements RendezvousDialer {
  readonly #servers = new Map<string, RendezvousServer>();
  readonly #peer: string;
  readonly #ip: string | undefined;

  /** `peer` and `ip` are what servers see as this client's identity and address. */
  constructor(options: { peer?: string; ip?: string } = {}) {
    this.#peer = options.peer ?? 'memory-client';
    this.#ip = options.ip;
  }

  add(name: string, server: RendezvousServer): this {
    this.#servers.set(name, server);
    return this;
  }

  async dial(server: string): Promise<RendezvousStream> {
    const target = this.#servers.get(server);
    if (!target) {
      throw new RendezvousError(RendezvousErrorCode.InvalidAddress, `no in-memory server named ${server}`);
    }
    const { a, b } = createMemoryStreamPair({ peer: this.#peer, ip: this.#ip }, { peer: server });
    void target.handleStream(b);
    return a;
  }
}
