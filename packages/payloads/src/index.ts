export {
  type ApplicationPayload,
  type DecodeApplicationPayloadOptions,
  decodeApplicationPayload,
} from './application-payload.js';
export {
  type ChatId,
  type ChatKind,
  isOneToOneChatId,
  isValidPublicChatName,
  ONE_TO_ONE_CHAT_ID_LENGTH,
  oneToOneChatId,
  oneToOneChatPeer,
  publicChatId,
  type ReceivedChatIdInput,
  receivedChatId,
} from './chat-id.js';
export {
  type CheckChatMessageOptions,
  chatMessageFromProto,
  chatMessageToProto,
  checkChatMessage,
  type DecodeChatMessageOptions,
  decodeChatMessage,
  encodeChatMessage,
  type ReceivedChatMessageContext,
  validateReceivedChatMessage,
} from './chat-message.js';
export type {
  AudioContent,
  AudioType,
  ChatMessage,
  ChatMessageContent,
  ContentType,
  ImageContent,
  ImageType,
  MessageType,
  StickerContent,
} from './chat-message-types.js';
export {
  type ReceivedChatMessage,
  type UnwrapChatMessageOptions,
  unwrapChatMessage,
  wrapChatMessage,
} from './chat-wrap.js';
export {
  type ClockOrdered,
  compareChatOrder,
  isClockBehind,
  nextChatClock,
  observeChatClock,
  validateClock,
} from './clock.js';
export { PayloadError, PayloadErrorCode } from './errors.js';
export * from './group/index.js';
export {
  MAX_APPLICATION_PAYLOAD_BYTES,
  MAX_AUDIO_BYTES,
  MAX_CHAT_TEXT_LENGTH,
  MAX_CLOCK_FUTURE_DRIFT_MS,
  MAX_IMAGE_BYTES,
  MAX_TRANSPORT_MESSAGE_BYTES,
  MAX_WRAPPED_MESSAGE_BYTES,
} from './limits.js';
export { detectAudioType, detectImageType } from './media.js';
export { extractMentions, mentionText } from './mentions.js';
export * from './messages/index.js';
export {
  type ChatRef,
  type NewChatMessageContent,
  type NewChatMessageInput,
  newChatMessage,
  PLACEHOLDER_TEXT,
} from './new-chat-message.js';
export * as proto from './proto.js';
export {
  AUTHOR_KEY_LENGTH,
  MESSAGE_ID_LENGTH,
  PAYLOAD_SIGNATURE_LENGTH,
  recoverKeccakSigner,
  signKeccak,
} from './signature.js';
export {
  type ApplicationMessage,
  type ApplicationMessageType,
  applicationMessageId,
  type MessageSigner,
  messageIdToHex,
  messageSigner,
  type UnwrapOptions,
  unwrapApplicationMessage,
  type WrapInput,
  wrapApplicationMessage,
} from './wrapper.js';
