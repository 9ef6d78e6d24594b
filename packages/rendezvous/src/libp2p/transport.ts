import type { Libp2p, StreamHandlerOptions } from '@libp2p/interface';
import { RENDEZVOUS_PROTOCOL } from '../constants.js';
import type { RendezvousServer } from '../server.js';
import type { RendezvousDialer, RendezvousStream } from '../stream.js';
import { ethv4Address, parseRendezvousAddress, type RendezvousAddress } from './address.js';
import { fromLibp2pStream } from './stream.js';

/** Serves `/rend/0.1.0` on `node` with `server`; returns a function that stops serving. */
export async function serveRendezvous(
  node: Libp2p,
  server: RendezvousServer,
  options: StreamHandlerOptions = {},
): Promise<() => Promise<void>> {
  await node.handle(
    RENDEZVOUS_PROTOCOL,
    ({ stream, connection }) => {
      void server.handleStream(fromLibp2pStream(stream, connection));
    },
    { maxInboundStreams: 64, ...options },
  );
  return () => node.unhandle(RENDEZVOUS_PROTOCOL);
}

/** Dials `…/ethv4/<peer id>` (or `…/p2p/<peer id>`) addresses and opens `/rend/0.1.0` streams. */
export function libp2pDialer(node: Libp2p): RendezvousDialer {
  // Parsing a secp256k1 peer id decompresses its public key: do it once per server, not per request.
  const parsed = new Map<string, RendezvousAddress>();
  return {
    async dial(server: string, signal: AbortSignal): Promise<RendezvousStream> {
      let address = parsed.get(server);
      if (!address) {
        address = await parseRendezvousAddress(server);
        if (parsed.size >= 1024) parsed.clear();
        parsed.set(server, address);
      }
      // Reuse an open connection: node.dial() writes the address to the peer store each time, which
      // costs a secp256k1 point decompression per request.
      const open = node.getConnections(address.peerId).find((c) => c.status === 'open');
      const connection = open ?? (await node.dial(address.dialable, { signal }));
      // Lazy multistream-select: the protocol proposal travels with the request instead of costing a
      // round trip first. A server without /rend/0.1.0 then fails the read, which the client reports.
      const stream = await connection.newStream(RENDEZVOUS_PROTOCOL, { signal, negotiateFully: false });
      return fromLibp2pStream(stream, connection);
    },
  };
}

/** The node's listen addresses in rendezvous form: `<transport>/ethv4/<peer id>`. */
export function rendezvousAddresses(node: Libp2p): string[] {
  return node.getMultiaddrs().map((addr) => ethv4Address(addr, node.peerId));
}
