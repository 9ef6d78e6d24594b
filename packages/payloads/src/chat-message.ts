import { create } from '@bufbuild/protobuf';
import type { ChatMessage, ChatMessageContent, ContentType, MessageType } from './chat-message-types.js';
import { validateClock } from './clock.js';
import { decodeProto } from './decode.js';
import { decodeEnum, enumValueOf } from './enums.js';
import { PayloadError, PayloadErrorCode } from './errors.js';
import { checkText, codePointLength, isGoBlank, utf8Length } from './go-text.js';
import {
  MAX_APPLICATION_PAYLOAD_BYTES,
  MAX_AUDIO_BYTES,
  MAX_CHAT_TEXT_LENGTH,
  MAX_IMAGE_BYTES,
} from './limits.js';
import {
  AudioMessage_AudioTypeSchema,
  AudioMessageSchema,
  ChatMessage_ContentTypeSchema,
  type ChatMessage as ChatMessagePb,
  ChatMessageSchema,
  ImageMessage_ImageTypeSchema,
  ImageMessageSchema,
  MessageTypeSchema,
  StickerMessageSchema,
} from './proto.js';
import { ProtoWriter } from './proto-writer.js';
import { numberToUint64, uint64ToNumber } from './uint64.js';

function invalid(message: string, details?: Record<string, unknown>): PayloadError {
  return new PayloadError(PayloadErrorCode.InvalidField, message, details ? { details } : {});
}

/** The typed message from the generated protobuf-es shape (e.g. the one a MembershipUpdateMessage embeds). */
export function chatMessageFromProto(pb: ChatMessagePb): ChatMessage {
  let content: ChatMessageContent | undefined;
  switch (pb.payload.case) {
    case 'sticker':
      content = { kind: 'sticker', hash: pb.payload.value.hash, pack: pb.payload.value.pack };
      break;
    case 'image':
      content = {
        kind: 'image',
        payload: pb.payload.value.payload,
        imageType: decodeEnum(ImageMessage_ImageTypeSchema, pb.payload.value.type, 'UNKNOWN_IMAGE_TYPE'),
      };
      break;
    case 'audio':
      content = {
        kind: 'audio',
        payload: pb.payload.value.payload,
        audioType: decodeEnum(AudioMessage_AudioTypeSchema, pb.payload.value.type, 'UNKNOWN_AUDIO_TYPE'),
        durationMs: uint64ToNumber(pb.payload.value.durationMs, 'audio duration_ms'),
      };
      break;
    default:
      content = undefined;
  }
  return {
    clock: uint64ToNumber(pb.clock, 'clock'),
    timestamp: uint64ToNumber(pb.timestamp, 'timestamp'),
    text: pb.text,
    responseTo: pb.responseTo,
    ensName: pb.ensName,
    chatId: pb.chatId,
    messageType: decodeEnum<MessageType>(MessageTypeSchema, pb.messageType, 'UNKNOWN_MESSAGE_TYPE'),
    contentType: decodeEnum<ContentType>(
      ChatMessage_ContentTypeSchema,
      pb.contentType,
      'UNKNOWN_CONTENT_TYPE',
    ),
    content,
  };
}

function contentToProto(content: ChatMessageContent | undefined): ChatMessagePb['payload'] {
  switch (content?.kind) {
    case 'sticker':
      return {
        case: 'sticker',
        value: create(StickerMessageSchema, { hash: content.hash, pack: content.pack }),
      };
    case 'image':
      return {
        case: 'image',
        value: create(ImageMessageSchema, {
          payload: content.payload,
          type: enumValueOf(ImageMessage_ImageTypeSchema, content.imageType),
        }),
      };
    case 'audio':
      return {
        case: 'audio',
        value: create(AudioMessageSchema, {
          payload: content.payload,
          type: enumValueOf(AudioMessage_AudioTypeSchema, content.audioType),
          durationMs: numberToUint64(content.durationMs, 'audio durationMs'),
        }),
      };
    default:
      return { case: undefined };
  }
}

/** The generated protobuf-es shape of a typed message (to embed it in a MembershipUpdateMessage). */
export function chatMessageToProto(message: ChatMessage): ChatMessagePb {
  return create(ChatMessageSchema, {
    clock: numberToUint64(message.clock, 'clock'),
    timestamp: numberToUint64(message.timestamp, 'timestamp'),
    text: message.text,
    responseTo: message.responseTo,
    ensName: message.ensName,
    chatId: message.chatId,
    messageType: enumValueOf(MessageTypeSchema, message.messageType),
    contentType: enumValueOf(ChatMessage_ContentTypeSchema, message.contentType),
    payload: contentToProto(message.content),
  });
}

/**
 * Encodes a ChatMessage after checking that status-go would accept it (`checkChatMessage`): we never
 * put on the wire what the reference client drops. Go's field order and proto3 defaults, so the bytes
 * equal status-go's for the same fields (written directly, the hot path of every send; tests check the
 * result against protobuf-es's toBinary).
 */
export function encodeChatMessage(message: ChatMessage): Uint8Array {
  checkChatMessage(message, { sending: true });
  const writer = new ProtoWriter()
    .uint(1, checkedUint64(message.clock, 'clock'))
    .uint(2, checkedUint64(message.timestamp, 'timestamp'))
    .string(3, message.text)
    .string(4, message.responseTo)
    .string(5, message.ensName)
    .string(6, message.chatId)
    .uint(7, enumValueOf(MessageTypeSchema, message.messageType))
    .uint(8, enumValueOf(ChatMessage_ContentTypeSchema, message.contentType));
  const { content } = message;
  switch (content?.kind) {
    case 'sticker':
      writer.message(9, new ProtoWriter().string(1, content.hash).int32(2, content.pack));
      break;
    case 'image':
      writer.message(
        10,
        new ProtoWriter()
          .bytes(1, content.payload)
          .uint(2, enumValueOf(ImageMessage_ImageTypeSchema, content.imageType)),
      );
      break;
    case 'audio':
      writer.message(
        11,
        new ProtoWriter()
          .bytes(1, content.payload)
          .uint(2, enumValueOf(AudioMessage_AudioTypeSchema, content.audioType))
          .uint(3, checkedUint64(content.durationMs, 'audio durationMs')),
      );
      break;
    default:
      break;
  }
  return writer.finish();
}

function checkedUint64(value: number, field: string): number {
  numberToUint64(value, field); // ERR_PAYLOAD_INVALID_ARGUMENT unless a non-negative safe integer
  return value;
}

/** Options of `decodeChatMessage`. */
export interface DecodeChatMessageOptions {
  /** Largest encoded message accepted (default MAX_APPLICATION_PAYLOAD_BYTES). */
  readonly maxBytes?: number;
}

/**
 * Decodes ChatMessage bytes (structure only: unknown fields are skipped, unknown enum values become the
 * UNKNOWN name). Call `validateReceivedChatMessage` before showing it.
 */
export function decodeChatMessage(bytes: Uint8Array, options: DecodeChatMessageOptions = {}): ChatMessage {
  const pb = decodeProto(ChatMessageSchema, bytes, options.maxBytes ?? MAX_APPLICATION_PAYLOAD_BYTES);
  return chatMessageFromProto(pb);
}

/** Options of `checkChatMessage`. */
export interface CheckChatMessageOptions {
  /** True when we are about to send: the text must also fit status-go v0.62.0's UTF-8 byte limit. */
  readonly sending?: boolean;
}

/**
 * The field rules of status-go's ValidateReceivedChatMessage, without the clock-versus-envelope check
 * (see `validateReceivedChatMessage`): non-zero clock and timestamp, non-blank text (status-go requires
 * text even for stickers, images and audio, so the Status app sends a placeholder), at most 4096
 * characters, a chat id, a known message type other than the local SYSTEM_MESSAGE_PRIVATE_GROUP, a
 * known content type other than TRANSACTION_COMMAND (the command messages carry those), and the content
 * its type needs. Throws ERR_PAYLOAD_INVALID_FIELD or ERR_PAYLOAD_TOO_LARGE; when sending, also
 * ERR_PAYLOAD_INVALID_ARGUMENT for a string with a lone surrogate (it has no UTF-8 form).
 */
export function checkChatMessage(message: ChatMessage, options: CheckChatMessageOptions = {}): void {
  if (options.sending) {
    for (const field of ['text', 'responseTo', 'ensName', 'chatId'] as const)
      checkText(message[field], field);
    if (message.content?.kind === 'sticker') checkText(message.content.hash, 'sticker hash');
  }
  if (message.clock === 0) throw invalid("clock can't be 0");
  if (message.timestamp === 0) throw invalid("timestamp can't be 0");
  if (isGoBlank(message.text)) throw invalid("text can't be empty");
  // v0.62.0 counts UTF-8 bytes, v0.79 code points: send what both accept, accept what either sends.
  const length = options.sending ? utf8Length(message.text) : codePointLength(message.text);
  if (length > MAX_CHAT_TEXT_LENGTH) {
    throw new PayloadError(
      PayloadErrorCode.TooLarge,
      `text of ${length} ${options.sending ? 'UTF-8 bytes' : 'characters'} is longer than ${MAX_CHAT_TEXT_LENGTH}`,
      { details: { length, limit: MAX_CHAT_TEXT_LENGTH } },
    );
  }
  if (message.chatId === '') throw invalid("chatId can't be empty");
  if (
    message.messageType === 'UNKNOWN_MESSAGE_TYPE' ||
    message.messageType === 'SYSTEM_MESSAGE_PRIVATE_GROUP'
  ) {
    throw invalid(`message type ${message.messageType} is not sent between clients`);
  }
  checkContent(message);
}

function checkContent(message: ChatMessage): void {
  const { content } = message;
  switch (message.contentType) {
    case 'UNKNOWN_CONTENT_TYPE':
      throw invalid('unknown content type');
    case 'TRANSACTION_COMMAND':
      throw invalid(
        'TRANSACTION_COMMAND chat messages are not accepted from others (commands have their own types)',
      );
    case 'STICKER':
      if (content?.kind !== 'sticker') throw invalid('no sticker content');
      if (content.hash === '') throw invalid('sticker hash not set');
      return;
    case 'IMAGE':
      if (content?.kind !== 'image') throw invalid('no image content');
      if (content.payload.length === 0) throw invalid('image payload empty');
      if (content.payload.length > MAX_IMAGE_BYTES) {
        throw new PayloadError(
          PayloadErrorCode.TooLarge,
          `image of ${content.payload.length} bytes exceeds ${MAX_IMAGE_BYTES}`,
          {
            details: { size: content.payload.length, limit: MAX_IMAGE_BYTES },
          },
        );
      }
      if (content.imageType === 'UNKNOWN_IMAGE_TYPE') throw invalid('image type unknown');
      return;
    case 'AUDIO':
      if (content?.kind !== 'audio') throw invalid('no audio content');
      if (content.payload.length === 0) throw invalid('audio payload empty');
      if (content.payload.length > MAX_AUDIO_BYTES) {
        throw new PayloadError(
          PayloadErrorCode.TooLarge,
          `audio of ${content.payload.length} bytes exceeds ${MAX_AUDIO_BYTES}`,
          {
            details: { size: content.payload.length, limit: MAX_AUDIO_BYTES },
          },
        );
      }
      if (content.audioType === 'UNKNOWN_AUDIO_TYPE') throw invalid('audio type unknown');
      return;
    default:
      return;
  }
}

/** What the receiver knows besides the message itself. */
export interface ReceivedChatMessageContext {
  /** The envelope's send time in ms (Waku `expiry - ttl`, times 1000). */
  readonly envelopeTimeMs: number;
  /** Whether the ApplicationMetadataMessage carried a signature (public chat messages must). */
  readonly signed: boolean;
}

/**
 * status-go's ValidateReceivedChatMessage plus the spec's rule that public chat messages are signed:
 * the field rules of `checkChatMessage` and a clock at most 120 s ahead of the envelope time.
 */
export function validateReceivedChatMessage(message: ChatMessage, context: ReceivedChatMessageContext): void {
  validateClock(message.clock, context.envelopeTimeMs);
  checkChatMessage(message);
  if (message.messageType === 'PUBLIC_GROUP' && !context.signed) {
    throw new PayloadError(PayloadErrorCode.Unsigned, 'public chat messages must be signed');
  }
}
