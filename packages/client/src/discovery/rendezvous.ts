import type { Clock, Logger } from '@status-ts/core';
import type { Enr, PeerSource } from '@status-ts/enr';
import {
  type RegistrationStore,
  RendezvousClient,
  RendezvousPeerSource,
  RendezvousRegistrar,
} from '@status-ts/rendezvous';

/** A rendezvous client on its own libp2p node, the registrar keeping us registered, and the source. */
export interface RendezvousParts {
  readonly source: PeerSource;
  stop(): Promise<void>;
}

/**
 * Opens a dial-only libp2p node (an ephemeral identity: the peer id says nothing about the node) and, for
 * relayers and mailservers, registers `record` under `topics` every 5 s. The libp2p stack loads here, on
 * first use: without it this rejects with `ERR_MISSING_DEPENDENCY`.
 */
export async function startRendezvousClient(options: {
  servers: readonly string[];
  clock: Clock;
  nodeKey: Uint8Array;
  registration?: { record: Enr; topics: readonly string[] };
  logger?: Logger;
}): Promise<RendezvousParts> {
  const { createRendezvousLibp2p, libp2pDialer } = await import('@status-ts/rendezvous/libp2p');
  const node = await createRendezvousLibp2p({});
  const client = new RendezvousClient({ dialer: libp2pDialer(node), clock: options.clock });
  let registrar: RendezvousRegistrar | undefined;
  try {
    if (options.registration) {
      registrar = new RendezvousRegistrar({
        client,
        servers: options.servers,
        record: options.registration.record,
        topics: options.registration.topics,
        // Lets the registrar replace a loopback or private address by the one a server sees (RDV-07).
        privateKey: options.nodeKey,
        clock: options.clock,
        ...(options.logger ? { logger: options.logger.extend('registrar') } : {}),
      });
      await registrar.start();
    }
  } catch (error) {
    await node.stop();
    throw error;
  }
  return {
    source: new RendezvousPeerSource({
      client,
      servers: options.servers,
      clock: options.clock,
      ...(options.logger ? { logger: options.logger.extend('peer-source') } : {}),
    }),
    async stop() {
      await registrar?.stop();
      await node.stop();
    },
  };
}

/** A rendezvous server on `host` (a bootstrap node's), its store in memory unless one is given. */
export async function startRendezvousServer(
  host: string,
  settings: { port?: number; store?: RegistrationStore; privateKey?: Uint8Array },
): Promise<{ addresses: string[]; stop(): Promise<void> }> {
  const { runRendezvousServer } = await import('@status-ts/rendezvous/libp2p');
  const family = host.includes(':') ? 'ip6' : 'ip4';
  return runRendezvousServer({
    listen: [`/${family}/${host}/tcp/${settings.port ?? 0}`],
    ...(settings.store ? { store: settings.store } : {}),
    ...(settings.privateKey ? { privateKey: settings.privateKey } : {}),
  });
}
