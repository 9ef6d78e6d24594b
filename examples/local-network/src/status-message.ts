import {
  type MessageSigner,
  messageIdToHex,
  newChatMessage,
  unwrapChatMessage,
  wrapChatMessage,
} from '@status-ts/payloads';
import { decodeProtocolMessage, type SecureTransport } from '@status-ts/secure-transport';

/**
 * A public chat message as a Status app sends it (the captured status-go messages have this shape): a
 * ChatMessage, signed and wrapped in an ApplicationMetadataMessage, carried as the `public_message` of a
 * secure-transport ProtocolMessage with the sender's bundle; the caller posts the bytes to the chat's
 * Waku topic, encrypted with its key.
 */
export async function publicChatPost(options: {
  transport: SecureTransport;
  signer: MessageSigner;
  chat: string;
  text: string;
  now: number;
  lastClock?: number;
}): Promise<{ bytes: Uint8Array; clock: number; id: string }> {
  const message = newChatMessage({
    chat: { kind: 'public', name: options.chat },
    text: options.text,
    now: options.now,
    ...(options.lastClock === undefined ? {} : { lastClock: options.lastClock }),
  });
  const wrapped = wrapChatMessage(message, options.signer);
  const bytes = await options.transport.buildPublicMessage(wrapped.bytes);
  return { bytes, clock: message.clock, id: messageIdToHex(wrapped.id) };
}

/** What a receiver reads from a public chat payload: the verified author, the message and its id. */
export interface PublicChatMessage {
  author: Uint8Array;
  text: string;
  clock: number;
  id: string;
}

/**
 * Reads a public chat payload as a Status app does: the ProtocolMessage's public message, unwrapped, its
 * signature verified and the ChatMessage validated against the envelope's send time (seconds).
 * Throws a typed error for anything a Status app would drop.
 */
export function readPublicChatPost(payload: Uint8Array, envelopeSentSeconds: number): PublicChatMessage {
  const { publicMessage } = decodeProtocolMessage(payload);
  const { wrapper, message } = unwrapChatMessage(publicMessage, {
    envelopeTimeMs: envelopeSentSeconds * 1000,
  });
  return {
    author: wrapper.author!,
    text: message.text,
    clock: message.clock,
    id: messageIdToHex(wrapper.id),
  };
}
