import type { Server } from '@status-ts/devp2p';
import { type Enr, StatusTopic } from '@status-ts/enr';
import { mailserverProbe } from '@status-ts/mailserver';
import { type PeerCache, PeerPool, serverDialer } from '@status-ts/peerpool';
import { RendezvousClient, RendezvousPeerSource, RendezvousRegistrar } from '@status-ts/rendezvous';
import { createRendezvousLibp2p, libp2pDialer } from '@status-ts/rendezvous/libp2p';
import type { WakuNode } from '@status-ts/waku';

/** What a light client keeps connected: 2 relayers and 1 mailserver. */
export const LIGHT_CLIENT_TOPICS = {
  [StatusTopic.Relayer]: { min: 2, max: 2 },
  [StatusTopic.Mailserver]: { min: 1, max: 1 },
} as const;

/** A rendezvous client on its own libp2p node (TCP, Noise, yamux). */
export async function openRendezvousClient(
  privateKey: Uint8Array,
): Promise<{ client: RendezvousClient; stop(): Promise<void> }> {
  const node = await createRendezvousLibp2p({ privateKey });
  return {
    client: new RendezvousClient({ dialer: libp2pDialer(node) }),
    stop: async () => {
      await node.stop();
    },
  };
}

/**
 * Registers `record` under each of `topics` now and every 5 s (TTL 10 s). No private key is given: on
 * loopback there is no public address to learn through REMOTEIP, the record is registered as signed.
 */
export async function startRegistrar(
  client: RendezvousClient,
  servers: readonly string[],
  record: Enr,
  topics: readonly string[],
): Promise<RendezvousRegistrar> {
  const registrar = new RendezvousRegistrar({ client, servers, record, topics });
  await registrar.start();
  return registrar;
}

/**
 * A light client's PeerPool, fed by rendezvous (and its cache first, when it has one). A mailserver dialed
 * as a relayer also counts as the mailserver (one connection serves both topics); the mailserver is chosen
 * by the round trip of a one-envelope history request (`mailserverProbe`).
 */
export function createLightClientPool(options: {
  server: Server;
  waku: WakuNode;
  client: RendezvousClient;
  servers: readonly string[];
  cache?: PeerCache | undefined;
}): PeerPool {
  return new PeerPool({
    dialer: serverDialer(options.server),
    sources: [new RendezvousPeerSource({ client: options.client, servers: options.servers })],
    ...(options.cache ? { cache: options.cache } : {}),
    topics: LIGHT_CLIENT_TOPICS,
    selfId: options.server.id,
    mailserverProbe: mailserverProbe({ node: options.waku }),
  });
}

/** True once every topic has `max` peers connected and a mailserver is selected. */
export function poolIsFull(pool: PeerPool): boolean {
  return (
    Object.entries(LIGHT_CLIENT_TOPICS).every(
      ([topic, limits]) => (pool.topicStatus(topic)?.connected ?? 0) >= limits.max,
    ) && pool.mailserver !== undefined
  );
}
