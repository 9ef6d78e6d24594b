import net from 'node:net';

/**
 * A TCP relay between two nodes that a test can cut (every connection destroyed, new ones refused) and heal:
 * a network partition between the groups on either side, on 127.0.0.1.
 */
export class PartitionProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #cut = false;

  private constructor(server: net.Server) {
    this.#server = server;
  }

  static async start(target: { host: string; port: number }): Promise<PartitionProxy> {
    let proxy!: PartitionProxy;
    const server = net.createServer((inbound) => proxy.#accept(inbound, target));
    proxy = new PartitionProxy(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  #accept(inbound: net.Socket, target: { host: string; port: number }): void {
    if (this.#cut) {
      inbound.destroy();
      return;
    }
    const outbound = net.connect(target);
    for (const [a, b] of [
      [inbound, outbound],
      [outbound, inbound],
    ] as const) {
      this.#sockets.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        this.#sockets.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  }

  cut(): void {
    this.#cut = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  heal(): void {
    this.#cut = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
