import '@status-ts/core/promise-with-resolvers';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { PrivateKey, Stream } from '@libp2p/interface';
import { mplex } from '@libp2p/mplex';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p, type Libp2p } from 'libp2p';
import { type SecioInit, secio } from '../../src/index.js';
import { collect } from './memory-duplex.js';

export const REND_PROTOCOL = '/rend/0.1.0';

export interface TestNodeOptions {
  privateKey?: PrivateKey;
  secio?: SecioInit;
  /** Which encrypters to offer, in order (default secio only). */
  encrypters?: ReadonlyArray<'secio' | 'noise'>;
  /** Which muxers to offer, in order (default yamux, mplex). */
  muxers?: ReadonlyArray<'yamux' | 'mplex'>;
}

export interface TestNode {
  readonly node: Libp2p;
  /** `/ip4/127.0.0.1/tcp/<port>/p2p/<id>` */
  readonly address: string;
  stop(): Promise<void>;
}

/** Byte-wise inversion, the same answer the legacy peer gives, so one assertion covers both. */
export function invert(bytes: Uint8Array): Uint8Array {
  return bytes.map((b) => b ^ 0xff);
}

/** A libp2p 2.x node on 127.0.0.1 that answers /rend/0.1.0 by inverting every byte it reads. */
export async function startNode(options: TestNodeOptions = {}): Promise<TestNode> {
  const privateKey = options.privateKey ?? (await generateKeyPair('secp256k1'));
  const encrypterFactories = { secio: () => secio(options.secio), noise: () => noise() };
  const muxerFactories = { yamux: () => yamux(), mplex: () => mplex() };
  const node = await createLibp2p({
    privateKey,
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: (options.encrypters ?? ['secio']).map((name) => encrypterFactories[name]()),
    streamMuxers: (options.muxers ?? ['yamux', 'mplex']).map((name) => muxerFactories[name]()),
    connectionMonitor: { enabled: false },
    // Tests open many loopback connections per second; the default per-host threshold (5/s) would refuse them.
    connectionManager: { inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 1000 },
  });
  await node.handle(REND_PROTOCOL, ({ stream }) => {
    void stream.sink(
      (async function* () {
        for await (const chunk of stream.source) yield invert(chunk.subarray());
      })(),
    );
  });
  const listen = node.getMultiaddrs()[0]!.toString();
  return {
    node,
    address: listen,
    stop: async () => {
      await node.stop();
    },
  };
}

/** Opens /rend/0.1.0 to `address`, writes `payload`, closes writing and returns everything read. */
export async function rendRoundTrip(from: Libp2p, address: string, payload: Uint8Array): Promise<Uint8Array> {
  const stream: Stream = await from.dialProtocol(multiaddr(address), REND_PROTOCOL);
  const sent = stream.sink(
    (async function* () {
      yield payload;
    })(),
  );
  const received = await collect(stream.source);
  await sent;
  return received;
}
