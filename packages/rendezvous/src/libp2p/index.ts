// Node entry for the default transport, js-libp2p 2.x. Import from '@status-ts/rendezvous/libp2p'.
// The libp2p stack (optional peer dependencies) loads on first use, see stack.ts; the Promise.withResolvers
// polyfill must load before libp2p, so it comes first.
import '@status-ts/core/promise-with-resolvers';

export {
  ETHV4_PROTOCOL_CODE,
  formatRendezvousAddress,
  parseRendezvousAddress,
  type RendezvousAddress,
} from './address.js';
export { ephemeralLibp2pKey, libp2pKeyFromSecp256k1, peerIdFromSecp256k1 } from './identity.js';
export {
  type ConnectionEncrypterFactory,
  createRendezvousLibp2p,
  type RendezvousLibp2pOptions,
  type StreamMuxerFactory,
} from './node.js';
export {
  type RunningRendezvousServer,
  type RunRendezvousServerOptions,
  runRendezvousServer,
} from './run-server.js';
export { LIBP2P_STACK } from './stack.js';
export { fromLibp2pStream } from './stream.js';
export { libp2pDialer, rendezvousAddresses, serveRendezvous } from './transport.js';
