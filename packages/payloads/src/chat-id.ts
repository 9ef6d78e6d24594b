import { bytesToHex, equalBytes, hexToBytes } from '@status-ts/core';
import { convertPublicKey } from '@status-ts/crypto';
import { PayloadError, PayloadErrorCode } from './errors.js';

/**
 * A chat id as ChatMessage.chat_id carries it:
 * - public chat: the chat name itself (`status`);
 * - 1:1: `0x` + lowercase hex of a 65-byte uncompressed key (132 characters). The sender writes the
 *   recipient's key, so the field is asymmetric; each side files the chat under the other's key;
 * - private group: the group's id (`<uuid>-0x<creator key>`), checked against the group's membership by
 *   the group module.
 */
export type ChatId = string;

export type ChatKind = 'public' | 'one-to-one' | 'group';

/** Length of a 1:1 chat id: `0x` + 130 hex digits (status-go's PubKeyStringLength). */
export const ONE_TO_ONE_CHAT_ID_LENGTH = 132;

const PUBLIC_CHAT_NAME = /^[a-z0-9-]+$/;
const KEY_CHAT_ID = /^0x04[0-9a-f]{128}$/;

/**
 * True for a name a user may join as a public chat: one or more of `a-z`, `0-9`, `-` (the rule of the
 * Status app's "new public chat" screen), and not a 1:1 chat id, which that alphabet could spell.
 */
export function isValidPublicChatName(name: string): boolean {
  return PUBLIC_CHAT_NAME.test(name) && !KEY_CHAT_ID.test(name);
}

/** The chat id of a public chat: its name, validated (ERR_PAYLOAD_INVALID_FIELD otherwise). */
export function publicChatId(name: string): ChatId {
  if (!isValidPublicChatName(name)) {
    throw new PayloadError(
      PayloadErrorCode.InvalidField,
      `invalid public chat name ${JSON.stringify(name)}: use a-z, 0-9 and -, and not a key`,
      { details: { name } },
    );
  }
  return name;
}

/**
 * The chat id under which we file a 1:1 chat with `peerPublicKey` (any secp256k1 form; the id is always
 * `0x04…`, lowercase). It is also the chat_id we write when sending to that peer.
 */
export function oneToOneChatId(peerPublicKey: Uint8Array): ChatId {
  let key: Uint8Array;
  try {
    key = convertPublicKey(peerPublicKey, 'uncompressed');
  } catch (cause) {
    throw new PayloadError(PayloadErrorCode.InvalidField, 'not a valid secp256k1 public key', { cause });
  }
  return `0x${bytesToHex(key)}`;
}

/** True when `chatId` has the exact form of a 1:1 chat id and names a point on the curve. */
export function isOneToOneChatId(chatId: string): boolean {
  if (!KEY_CHAT_ID.test(chatId)) return false;
  try {
    convertPublicKey(hexToBytes(chatId), 'uncompressed');
    return true;
  } catch {
    return false;
  }
}

/** The 65-byte key a 1:1 chat id names; ERR_PAYLOAD_INVALID_FIELD unless `isOneToOneChatId`. */
export function oneToOneChatPeer(chatId: ChatId): Uint8Array {
  if (!isOneToOneChatId(chatId)) {
    throw new PayloadError(PayloadErrorCode.InvalidField, 'not a 1:1 chat id (0x04 + 128 hex digits)', {
      details: { chatId: chatId.slice(0, ONE_TO_ONE_CHAT_ID_LENGTH + 2) },
    });
  }
  return hexToBytes(chatId);
}

/** What a receiver needs to know to file a message under a chat. */
export interface ReceivedChatIdInput {
  /** The message type of the ChatMessage (or other chat entity). */
  readonly messageType: 'ONE_TO_ONE' | 'PUBLIC_GROUP' | 'PRIVATE_GROUP';
  /** chat_id as written by the sender. */
  readonly chatId: string;
  /** The author recovered from the signature (65-byte uncompressed). */
  readonly author: Uint8Array;
  /** Our own identity key (65-byte uncompressed), to recognise our other devices' messages. */
  readonly self: Uint8Array;
}

/**
 * The local chat a received message belongs to, as status-go's matchChatEntity decides it: public and
 * group messages by their chat_id (a group still has to pass the membership check), a 1:1 message from
 * someone else by the author's key (whatever chat_id says), and a 1:1 message from one of our own devices
 * by its chat_id, which must then be a valid 1:1 chat id. Returns the kind and the chat id.
 */
export function receivedChatId(input: ReceivedChatIdInput): { kind: ChatKind; chatId: ChatId } {
  switch (input.messageType) {
    case 'PUBLIC_GROUP':
      return { kind: 'public', chatId: input.chatId };
    case 'PRIVATE_GROUP':
      return { kind: 'group', chatId: input.chatId };
    case 'ONE_TO_ONE': {
      if (!equalBytes(input.author, input.self)) {
        return { kind: 'one-to-one', chatId: oneToOneChatId(input.author) };
      }
      oneToOneChatPeer(input.chatId);
      return { kind: 'one-to-one', chatId: input.chatId };
    }
    default:
      throw new PayloadError(PayloadErrorCode.InvalidField, 'message type does not belong to a chat', {
        details: { messageType: input.messageType },
      });
  }
}
