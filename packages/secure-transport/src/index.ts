export {
  AT_REST_KEY_LENGTH,
  AT_REST_OVERHEAD,
  assertAtRestKey,
  createAtRestKeystore,
  openAtRest,
  openAtRestKeystore,
  sealAtRest,
} from './at-rest.js';
export {
  type BundleWithPrivateKey,
  bundleSignatureMaterial,
  type CreateBundleOptions,
  createBundle,
  nowNanoseconds,
  signBundle,
  verifyBundle,
} from './bundle.js';
export {
  attachedBundles,
  checkBundleShape,
  decodeProtocolMessage,
  encodeProtocolMessage,
  type ProtocolMessageInit,
  type ProtocolMessageLimits,
} from './codec.js';
export {
  KDF_RK_INFO,
  MAX_INSTALLATION_ID_LENGTH,
  MAX_KEEP,
  MAX_MAP_ENTRIES,
  MAX_MESSAGE_KEYS_PER_SESSION,
  MAX_PROTOCOL_MESSAGE_SIZE,
  MAX_SKIP,
  MAX_STORED_INSTALLATIONS,
  MESSAGE_KEYS_INFO,
  NO_INSTALLATION_ID,
  PROTOCOL_VERSION,
  PUBLIC_KEY_LENGTH,
  TOPIC_PARTITIONS,
} from './constants.js';
export { type DhMessage, decryptWithDh, encryptWithDh } from './dh-fallback.js';
export { SecureTransportError, SecureTransportErrorCode } from './errors.js';
export {
  type Bundle,
  BundleSchema,
  type DHHeader,
  type DirectMessageProtocol,
  type DRHeader,
  type ProtocolMessage,
  ProtocolMessageSchema,
  type SignedPreKey,
  type X3DHHeader,
} from './generated/protocol_message_pb.js';
export {
  type RatchetKeyPair,
  type RatchetOptions,
  RatchetSession,
  type RatchetSessionSnapshot,
  ratchetLimits,
} from './ratchet.js';
export {
  deriveMessageKeys,
  encodeRatchetHeader,
  kdfCk,
  kdfRk,
  openWithMessageKey,
  RATCHET_OVERHEAD,
  RATCHET_TAG_LENGTH,
  type RatchetHeader,
  type RootKdfOutput,
  sealWithMessageKey,
} from './ratchet-crypto.js';
export {
  type DerivedMessageKey,
  initiatorState,
  openRatchetMessage,
  pruneBounds,
  type RatchetLimits,
  type RatchetMessage,
  type RatchetState,
  type ReceiveStep,
  receiveStep,
  responderState,
  sendStep,
} from './ratchet-state.js';
export { MemorySessionStore } from './store/memory.js';
export {
  type SessionChanges,
  type SessionStore,
  type StoredInstallation,
  type StoredMessageKey,
  type StoredPreKey,
  type StoredSession,
  sessionIdOf,
} from './store/types.js';
export {
  contactCodeTopic,
  DISCOVERY_TOPIC_NAME,
  negotiatedTopic,
  partitionedTopic,
  partitionedTopicName,
  personalDiscoveryTopicName,
  type SymmetricTopic,
  topicFromName,
  topicPartition,
} from './topics.js';
export {
  BUNDLE_REFRESH_INTERVAL_MS,
  BUNDLE_REPLY_INTERVAL_MS,
  CONTACT_CODE_INTERVAL_MS,
  type DecryptedMessage,
  type EncryptedMessage,
  type Installation,
  type ListeningTopics,
  MAX_INSTALLATIONS,
  SecureTransport,
  type SecureTransportOptions,
  type SecureTransportStats,
  type SendTopic,
} from './transport.js';
export { type ActiveX3dhResult, performActiveX3dh, x3dhActive, x3dhPassive } from './x3dh.js';
