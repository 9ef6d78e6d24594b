// Re-exported from core so simulation users need one import.
export { seededRandom } from '@status-ts/core';
export {
  CAPABILITIES_KEY,
  capabilitiesOf,
  hasRole,
  MAX_ROLE_NAME_LENGTH,
  MAX_ROLES,
  type RlpxCapability,
  ROLES_KEY,
  type RoleAdvertisement,
  roleEntries,
  rolesOf,
  type StatusRole,
  withRoles,
} from '@status-ts/enr';
export { Discv5Error, Discv5ErrorCode, isDiscv5Error } from './errors.js';
export {
  decodeMessage,
  encodeMessage,
  type FindNodeMessage,
  isRequest,
  MAX_DISTANCE,
  MAX_REQUEST_ID_SIZE,
  type Message,
  MessageType,
  type NodesMessage,
  type PingMessage,
  type PongMessage,
  type RequestMessage,
  type ResponseMessage,
  type TalkReqMessage,
  type TalkRespMessage,
} from './messages.js';
export type { Discv5Counters } from './node/counters.js';
export { type DiscoverOptions, discoverRecords, walkOnce, walkRequestDistances } from './node/discover.js';
export { Discv5Node, type Discv5RequestOptions } from './node/discv5-node.js';
export { type EndpointVoteOptions, EndpointVotes } from './node/endpoint-votes.js';
export * from './node/limits.js';
export type {
  Discv5Events,
  Discv5NodeOptions,
  PongResult,
  RoutingTableView,
  SessionInfo,
  TalkHandler,
  TalkRequestInfo,
} from './node/options.js';
export { packNodes } from './node/pack-nodes.js';
export { IpRateLimiter, type RateLimitOptions } from './node/rate-limiter.js';
export { type NodeTarget, resolveTarget, type TargetInput } from './node/targets.js';
export {
  decodeHandshakeAuthdata,
  decodeMessageAuthdata,
  decodeWhoareyouAuthdata,
  encodeHandshakeAuthdata,
  encodeMessageAuthdata,
  encodeWhoareyouAuthdata,
  type HandshakeAuthdata,
  type WhoareyouAuthdata,
} from './packet/authdata.js';
export * from './packet/constants.js';
export {
  type DecodedPacket,
  decodePacket,
  encodeHeaderData,
  encodePacket,
  type PacketHeader,
} from './packet/header.js';
export * from './packet/packets.js';
export { Discv5PeerSource, type Discv5PeerSourceOptions } from './peer-source.js';
export {
  decryptMessage,
  deriveSessionKeys,
  encryptMessage,
  idSignatureHash,
  type SessionKeys,
  sharedSecret,
  signIdNonce,
  verifyIdNonce,
} from './session/crypto.js';
export * from './session/handshake.js';
export { Session, SessionCache } from './session/session-cache.js';
export { compareDistance, logDistance, lookupDistances, widerDistances } from './table/distance.js';
export {
  type AddResult,
  RoutingTable,
  type RoutingTableOptions,
  type TableEntry,
} from './table/routing-table.js';
export {
  MemoryNetwork,
  type MemoryNetworkOptions,
  type MemoryNetworkStats,
} from './transport/memory.js';
export {
  endpointKey,
  type PacketHandler,
  type PacketTransport,
  type PacketTransportFactory,
  sameEndpoint,
  type UdpEndpoint,
} from './transport/types.js';
