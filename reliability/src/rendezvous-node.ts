import { tcp } from '@libp2p/tcp';
import { RendezvousClient } from '@status-ts/rendezvous';
import { createRendezvousLibp2p, libp2pDialer } from '@status-ts/rendezvous/libp2p';

/**
 * A rendezvous client whose libp2p node dials from `localAddress` (an address of its own in 127.0.0.0/8), so a
 * server's per-IP limits see it as its own host.
 */
export async function rendezvousClientFrom(localAddress: string) {
  const node = await createRendezvousLibp2p({
    // net.connect options reach the socket through @libp2p/tcp's dialOpts.
    libp2p: { transports: [tcp({ dialOpts: { localAddress } as never })] },
  });
  return { node, client: new RendezvousClient({ dialer: libp2pDialer(node) }) };
}
