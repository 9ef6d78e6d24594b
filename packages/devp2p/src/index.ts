export * from './constants.js';
export { type DialEndpoint, type DialTarget, resolveDialTarget } from './dial-target.js';
export { Devp2pError, Devp2pErrorCode, isDevp2pError } from './errors.js';
export type { InboundLimits } from './inbound-gate.js';
export {
  type CapabilityId,
  type CapabilitySpec,
  matchCapabilities,
  type SharedCapability,
  validateCapability,
} from './p2p/capabilities.js';
export type { Capability, CapabilityMessage, CapabilityStream } from './p2p/capability.js';
export { DisconnectReason, disconnectReasonName } from './p2p/disconnect.js';
export { decodeHello, encodeHello, type Hello } from './p2p/hello.js';
export { DEFAULT_PEER_LIMITS, type PeerLimits, resolveLimits } from './p2p/limits.js';
export {
  createMemoryCapabilityPair,
  type MemoryCapabilityStream,
  type MemoryPairOptions,
} from './p2p/memory-pair.js';
export { decodeDisconnect, EMPTY_LIST, encodeDisconnect, P2pMessageCode } from './p2p/messages.js';
export {
  type DisconnectInfo,
  Peer,
  type PeerConfig,
  type PeerDirection,
  type PeerState,
  type PeerStats,
} from './p2p/peer.js';
export { snappyCompress, snappyDecodedLength, snappyDecompress } from './p2p/snappy.js';
export { ByteQueue } from './rlpx/byte-queue.js';
export {
  RlpxConnection,
  type RlpxConnectionEvents,
  type RlpxConnectionOptions,
  type RlpxSocket,
} from './rlpx/connection.js';
export { FrameDecoder, FrameEncoder, messageCodeLength, splitFrame } from './rlpx/frame.js';
export {
  type HandshakeRandomness,
  InitiatorHandshake,
  RecipientHandshake,
  type RecipientResult,
} from './rlpx/handshake.js';
export {
  type AckMessage,
  type AuthMessage,
  decodeAckBody,
  decodeAuthBody,
  encodeAckBody,
  encodeAuthBody,
  type HandshakeFormat,
  type HandshakePacket,
  LEGACY_ACK_SIZE,
  LEGACY_AUTH_SIZE,
  readHandshakePacket,
  sealEip8,
} from './rlpx/handshake-messages.js';
export { RlpxMac } from './rlpx/mac.js';
export { deriveSecrets, type MacHash, type RlpxSecrets, type SecretInputs } from './rlpx/secrets.js';
export {
  type PeerErrorInfo,
  Server,
  type ServerEvents,
  type ServerOptions,
  type ServerStats,
} from './server.js';
