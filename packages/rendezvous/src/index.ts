export { isLocalIPv4 } from './address-scope.js';
export {
  type DiscoverOptions,
  type RegisterOptions,
  RendezvousClient,
  type RendezvousClientOptions,
} from './client.js';
export * from './constants.js';
export { RendezvousError, RendezvousErrorCode } from './errors.js';
export { decodeMessageType, encodeFrame, FrameReader, rlpItemSize } from './framing.js';
export { MemoryDialer } from './memory-dialer.js';
export {
  type DiscoverMessage,
  type DiscoverResponse,
  decodeCarriedEnr,
  decodeDiscover,
  decodeDiscoverFields,
  decodeDiscoverResponse,
  decodeRegister,
  decodeRegisterFields,
  decodeRegisterResponse,
  decodeRemoteIpResponse,
  encodeDiscover,
  encodeDiscoverResponse,
  encodeRegister,
  encodeRegisterResponse,
  encodeRemoteIpResponse,
  type RegisterFields,
  type RegisterMessage,
  type RegisterResponse,
  type RemoteIpResponse,
} from './messages.js';
export { assertNamespace, parseNamespace } from './namespace.js';
export { RendezvousPeerSource, type RendezvousPeerSourceOptions } from './peer-source.js';
export { PeerRateLimiter, type RateLimitOptions } from './rate-limiter.js';
export { RendezvousRegistrar, type RendezvousRegistrarOptions } from './registrar.js';
export {
  RendezvousServer,
  type RendezvousServerLimited,
  type RendezvousServerOptions,
  type RendezvousServerStats,
} from './server.js';
export { MemoryRegistrationStore, type Registration, type RegistrationStore } from './store.js';
export {
  createMemoryStreamPair,
  type MemoryStreamEnd,
  type RendezvousDialer,
  type RendezvousStream,
} from './stream.js';
