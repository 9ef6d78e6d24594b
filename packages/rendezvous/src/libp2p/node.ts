import '@status-ts/core/promise-with-resolvers';
import type { Libp2p } from '@libp2p/interface';
import type { Libp2pOptions } from 'libp2p';
import { ephemeralLibp2pKey, libp2pKeyFromSecp256k1 } from './identity.js';
import { loadLibp2p, loadMplex, loadNoise, loadSecio, loadTcp, loadYamux } from './stack.js';

export type ConnectionEncrypterFactory = NonNullable<Libp2pOptions['connectionEncrypters']>[number];
export type StreamMuxerFactory = NonNullable<Libp2pOptions['streamMuxers']>[number];

export interface RendezvousLibp2pOptions {
  /** The node's 32-byte secp256k1 private key (its ENR key); omitted: a fresh ephemeral identity. */
  privateKey?: Uint8Array;
  /** Listen multiaddrs, e.g. `['/ip4/0.0.0.0/tcp/30703']`. Default none (a dial-only client). */
  listen?: string[];
  /**
   * Offer secio after Noise (default true): Status' rendezvous servers and clients run go-libp2p 0.4.2,
   * whose only connection security is secio. Peers that also speak Noise still negotiate Noise.
   */
  secio?: boolean;
  /** More connection encrypters, tried after Noise and secio in this order. Noise always stays first. */
  connectionEncrypters?: ConnectionEncrypterFactory[];
  /** More stream muxers, tried after yamux and mplex in this order. */
  streamMuxers?: StreamMuxerFactory[];
  /**
   * `server` raises js-libp2p's inbound connection limits (by default 5 new connections per second per
   * host and 10 pending), which a rendezvous server hit by many mobile clients, often behind one NAT,
   * would trip. Per-peer request limits are the server's job (`RendezvousServerOptions.rateLimit`).
   * Default `client`.
   */
  role?: 'client' | 'server';
  /** Anything else for `createLibp2p` (connection manager, gater…); the options above win. */
  libp2p?: Omit<Libp2pOptions, 'privateKey' | 'addresses' | 'connectionEncrypters' | 'streamMuxers'>;
}

/**
 * A js-libp2p 2.x node for rendezvous: TCP, Noise then secio (then any extra encrypters), yamux and mplex (then
 * any extra muxers), with a secp256k1 identity taken from the node's own key so its peer id matches its
 * ENR. Started; call `stop()` when done. Rejects with `MissingDependencyError` when part of the libp2p stack
 * is not installed.
 */
export async function createRendezvousLibp2p(options: RendezvousLibp2pOptions = {}): Promise<Libp2p> {
  const [{ createLibp2p }, { tcp }, { noise }, { secio }, { yamux }, { mplex }] = await Promise.all([
    loadLibp2p(),
    loadTcp(),
    loadNoise(),
    loadSecio(),
    loadYamux(),
    loadMplex(),
  ]);
  const privateKey =
    options.privateKey === undefined
      ? await ephemeralLibp2pKey()
      : await libp2pKeyFromSecp256k1(options.privateKey);
  const serverLimits =
    options.role === 'server' ? { inboundConnectionThreshold: 100, maxIncomingPendingConnections: 256 } : {};
  return createLibp2p({
    ...options.libp2p,
    connectionManager: { ...serverLimits, ...options.libp2p?.connectionManager },
    privateKey,
    addresses: { listen: options.listen ?? [] },
    transports: options.libp2p?.transports ?? [tcp()],
    connectionEncrypters: [
      noise(),
      ...(options.secio === false ? [] : [secio()]),
      ...(options.connectionEncrypters ?? []),
    ],
    streamMuxers: [yamux(), mplex(), ...(options.streamMuxers ?? [])],
  });
}
