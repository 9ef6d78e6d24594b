import { decodeChatMessage, encodeChatMessage, validateReceivedChatMessage } from './chat-message.js';
import type { ChatMessage } from './chat-message-types.js';
import { PayloadError, PayloadErrorCode } from './errors.js';
import {
  type ApplicationMessage,
  type MessageSigner,
  type UnwrapOptions,
  unwrapApplicationMessage,
  wrapApplicationMessage,
} from './wrapper.js';

/** Encodes, signs and wraps a chat message: the bytes to hand to the transport, with the message id. */
export function wrapChatMessage(message: ChatMessage, signer: MessageSigner): ApplicationMessage {
  return wrapApplicationMessage({ type: 'CHAT_MESSAGE', payload: encodeChatMessage(message), signer });
}

/** A chat message as received: the wrapper (author, id, signed) and the validated message. */
export interface ReceivedChatMessage {
  readonly wrapper: ApplicationMessage;
  readonly message: ChatMessage;
}

/** Options of `unwrapChatMessage`. */
export interface UnwrapChatMessageOptions extends UnwrapOptions {
  /** The envelope's send time in ms, for the 120 s clock rule. */
  readonly envelopeTimeMs: number;
}

/**
 * Unwraps, verifies and validates a received chat message (status-go's receive path for CHAT_MESSAGE):
 * typed errors for a wrong type, a bad signature, malformed bytes or a message status-go would drop.
 */
export function unwrapChatMessage(bytes: Uint8Array, options: UnwrapChatMessageOptions): ReceivedChatMessage {
  const wrapper = unwrapApplicationMessage(bytes, options);
  if (wrapper.type !== 'CHAT_MESSAGE') {
    throw new PayloadError(PayloadErrorCode.InvalidField, `expected a CHAT_MESSAGE, got ${wrapper.type}`, {
      details: { type: wrapper.typeCode },
    });
  }
  const message = decodeChatMessage(wrapper.payload, { maxBytes: options.maxBytes });
  validateReceivedChatMessage(message, { envelopeTimeMs: options.envelopeTimeMs, signed: wrapper.signed });
  return { wrapper, message };
}
