import type { Libp2p } from '@libp2p/interface';
import { RendezvousServer, type RendezvousServerOptions } from '../server.js';
import { MemoryRegistrationStore, type RegistrationStore } from '../store.js';
import { createRendezvousLibp2p, type RendezvousLibp2pOptions } from './node.js';
import { rendezvousAddresses, serveRendezvous } from './transport.js';

export interface RunRendezvousServerOptions extends Omit<RendezvousLibp2pOptions, 'role'> {
  /** Default: a `MemoryRegistrationStore` (pass `openRendezvousSqliteStore(path)` from `/sqlite` to survive restarts). */
  store?: RegistrationStore;
  server?: Omit<RendezvousServerOptions, 'store'>;
}

export interface RunningRendezvousServer {
  node: Libp2p;
  server: RendezvousServer;
  /** Listen addresses as `<transport>/ethv4/<peer id>`, what clients are configured with. */
  addresses: string[];
  /** Stops serving, the libp2p node and the store. */
  stop(): Promise<void>;
}

/** A complete rendezvous server on libp2p: node, protocol handler, cleaner and store, started. */
export async function runRendezvousServer(
  options: RunRendezvousServerOptions = {},
): Promise<RunningRendezvousServer> {
  const store = options.store ?? new MemoryRegistrationStore();
  const server = new RendezvousServer({ ...options.server, store });
  const node = await createRendezvousLibp2p({ ...options, role: 'server' });
  await serveRendezvous(node, server);
  server.start();
  return {
    node,
    server,
    addresses: rendezvousAddresses(node),
    async stop() {
      await server.stop();
      await node.stop();
      await store.close();
    },
  };
}
