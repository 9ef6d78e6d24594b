export {
  type ExponentialBackoffOptions,
  exponentialBackoff,
  type NextSendEpoch,
  type StatusBackoffOptions,
  statusBackoff,
} from './backoff.js';
export {
  DEFAULT_MAX_SENDS,
  MAX_DUE_PER_EPOCH,
  MAX_GROUP_ID_LENGTH,
  MAX_PAYLOAD_RECORDS,
  MAX_PAYLOAD_SIZE,
  MAX_PEER_ID_LENGTH,
  MESSAGE_ID_LENGTH,
  STATUS_EPOCH_MS,
} from './constants.js';
export { MvdsError, MvdsErrorCode } from './errors.js';
export { oneToOneGroupId } from './group-id.js';
export {
  MemoryNetwork,
  type MemoryNetworkOptions,
  type MemoryNetworkStats,
  MemoryTransport,
} from './memory-network.js';
export { type MvdsMessage, messageId } from './message.js';
export { MvdsNode } from './node/node.js';
export type {
  DeliveredMessage,
  GiveUpEvent,
  MvdsNodeEvents,
  MvdsNodeOptions,
  MvdsNodeStats,
  OutgoingMessage,
  ReceiveResult,
  SendOptions,
  SyncMode,
} from './node/types.js';
export {
  decodePayload,
  EMPTY_PAYLOAD,
  encodePayload,
  type MvdsPayload,
  type PayloadLimits,
  parseMvdsPayload,
  payloadRecordCount,
} from './payload.js';
export { seededRandom } from './random.js';
export { splitPayload } from './split.js';
export {
  createMemoryStores,
  MemoryDeliveredStore,
  MemoryGroupStore,
  MemoryMessageStore,
  MemorySyncStateStore,
} from './stores/memory.js';
export type {
  DeliveredStore,
  GroupStore,
  MessageStore,
  MvdsStores,
  RecordKey,
  RecordType,
  SyncRecord,
  SyncStateChanges,
  SyncStateStore,
} from './stores/types.js';
export type { IncomingPayload, MvdsTransport } from './transport.js';
export { messageSize } from './wire-size.js';
