export { WakuCapability, WhisperCapability } from './capability/capabilities.js';
export { linkInMemory, type MemoryLink, type MemoryLinkOptions } from './capability/memory-link.js';
export * from './constants.js';
export {
  assertBloom,
  type Bloom,
  bloomMatches,
  bloomOfTopics,
  emptyBloom,
  fullBloom,
  isFullBloom,
  topicToBloom,
} from './envelope/bloom.js';
export {
  Envelope,
  type EnvelopeField,
  type EnvelopeFields,
  encodeRlpWithoutNonce,
  leadingZeroBits,
  nonceBytes8,
} from './envelope/envelope.js';
export {
  decodeEnvelopeList,
  decodeEnvelopesOrSingle,
  encodeEnvelopeList,
  envelopeListOverhead,
} from './envelope/envelope-list.js';
export {
  powTargetBits,
  type SealOptions,
  type SealResult,
  sealEnvelope,
  sealEnvelopeSync,
  sealSize,
} from './envelope/pow.js';
export { isWakuError, WakuError, WakuErrorCode } from './errors.js';
export {
  DROP_REASONS,
  type DropReason,
  PEER_EVENTS,
  type PeerEvent,
  type WakuCountersSnapshot,
} from './node/counters.js';
export { Filter, type FilterEvents, type FilterOptions } from './node/filter.js';
export {
  FULL_INTEREST,
  type Interest,
  interestFromBloom,
  interestFromTopics,
  interestMatches,
} from './node/interest.js';
export {
  type BatchAcknowledgement,
  type PostOptions,
  type PostResult,
  WakuNode,
  type WakuNodeEvents,
} from './node/node.js';
export type { InterestMode, WakuNodeOptions } from './node/options.js';
export type { P2PGate } from './node/p2p-gate.js';
export type { WakuPeer } from './node/peer-session.js';
export type { RateLimitOptions } from './node/rate-limiter.js';
export {
  assertPublicKey,
  assertSymKey,
  decryptAsymmetricPayload,
  decryptSymmetricPayload,
  encryptAsymmetricPayload,
  encryptSymmetricPayload,
} from './payload/encryption.js';
export {
  type BuildDataOptions,
  buildEnvelopeData,
  type OpenContext,
  openEnvelope,
  openEnvelopeData,
  type PayloadKey,
  type ReceivedMessage,
  type RecipientKey,
} from './payload/message.js';
export {
  type DecodedPayload,
  decodePayload,
  type EncodePayloadOptions,
  encodePayload,
  PayloadFlag,
  paddingLength,
  sizeFieldLength,
} from './payload/payload.js';
export {
  assertTopic,
  bytesToTopic,
  publicChat,
  publicChatKey,
  type Topic,
  topicFromHex,
  topicFromName,
  topicToString,
} from './topics.js';
export {
  NUMBER_OF_CODES,
  WAKU_PROTOCOL,
  WakuCode,
  WHISPER_PROTOCOL,
  WHISPER_VERSION,
  WhisperCode,
  type WireProtocolName,
} from './wire/codes.js';
export {
  decodeBatchAck,
  decodeMessageResponse,
  type EnvelopeError,
  encodeBatchAck,
  encodeMessageResponse,
  MESSAGE_RESPONSE_VERSION,
  type MessageResponse,
} from './wire/confirmations.js';
export { bitsToFloat64, float64ToBits } from './wire/float-bits.js';
export {
  CURSOR_LENGTH,
  decodeP2PMessages,
  decodeP2PRequest,
  decodeP2PRequestComplete,
  encodeP2PMessages,
  encodeP2PRequest,
  encodeP2PRequestComplete,
  type P2PRequest,
  type P2PRequestComplete,
} from './wire/p2p.js';
export { decodeRateLimits, encodeRateLimits, NO_RATE_LIMITS, type RateLimits } from './wire/rate-limits.js';
export {
  decodeStatusOptions,
  encodeStatusOptions,
  StatusOptionKey,
  type StatusOptions,
  type StatusOptionsLimits,
} from './wire/status-options.js';
export {
  decodeSyncMailRequest,
  decodeSyncResponse,
  encodeSyncMailRequest,
  encodeSyncResponse,
  MAX_SYNC_LIMIT,
  type SyncMailRequest,
  type SyncResponse,
  validateSyncMailRequest,
} from './wire/sync.js';
export {
  decodeWhisperBloom,
  decodeWhisperPow,
  decodeWhisperRateLimits,
  decodeWhisperStatus,
  encodeWhisperBloom,
  encodeWhisperPow,
  encodeWhisperRateLimits,
  encodeWhisperStatus,
  type WhisperStatus,
} from './wire/whisper-status.js';
