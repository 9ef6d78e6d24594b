import { hexToBytes } from '@status-ts/core';
import { isOneToOneChatId, ONE_TO_ONE_CHAT_ID_LENGTH } from '../chat-id.js';
import { PayloadError, PayloadErrorCode } from '../errors.js';
import { type GroupMemberId, toMemberId } from './keys.js';
import { MAX_GROUP_CHAT_ID_LENGTH } from './limits.js';

/** The parts of a private group chat id `<prefix>-0x04<creator key>`. */
export interface GroupChatIdParts {
  /** Text before the creator key, without the separating `-` (a UUID v4 in ids status-go makes). */
  readonly prefix: string;
  /** The creator's member id, `0x04…` (132 characters). */
  readonly creator: GroupMemberId;
  /** The creator's 65-byte uncompressed public key. */
  readonly creatorKey: Uint8Array;
  /** True when the id has the exact form status-go generates: lowercase UUID v4, `-`, creator key. */
  readonly standardForm: boolean;
}

const UUID_V4_PREFIX = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-$/;

/**
 * A new group chat id for a group created by `creator` (public key in any form, or its `0x04…` id):
 * a random UUID v4, `-`, and the creator's key, as status-go's groupChatID. `crypto.randomUUID` exists in
 * browsers, React Native polyfills and Node, unlike a Node-only import.
 */
export function newGroupChatId(creator: Uint8Array | string): string {
  return `${globalThis.crypto.randomUUID()}-${toMemberId(creator)}`;
}

/**
 * Splits a group chat id into prefix and creator. Accepts every id status-go accepts: status-go checks
 * only that the id ends with the creator's key string and is longer than it (it leaves the UUID
 * unchecked), so any non-empty prefix is allowed here too; `standardForm` tells whether it is the form
 * status-go generates. ERR_PAYLOAD_INVALID_FIELD when no valid key ends the id or nothing precedes it,
 * ERR_PAYLOAD_TOO_LARGE above MAX_GROUP_CHAT_ID_LENGTH.
 */
export function parseGroupChatId(id: string): GroupChatIdParts {
  if (id.length > MAX_GROUP_CHAT_ID_LENGTH) {
    throw new PayloadError(
      PayloadErrorCode.TooLarge,
      `group chat id of ${id.length} characters exceeds the limit of ${MAX_GROUP_CHAT_ID_LENGTH}`,
      { details: { size: id.length, limit: MAX_GROUP_CHAT_ID_LENGTH } },
    );
  }
  const creator = id.slice(-ONE_TO_ONE_CHAT_ID_LENGTH);
  if (id.length <= ONE_TO_ONE_CHAT_ID_LENGTH || !isOneToOneChatId(creator)) {
    throw new PayloadError(
      PayloadErrorCode.InvalidField,
      'not a group chat id: expected <prefix>-0x04 + 128 lowercase hex digits of the creator key',
      { details: { chatId: id.slice(0, MAX_GROUP_CHAT_ID_LENGTH) } },
    );
  }
  const head = id.slice(0, -ONE_TO_ONE_CHAT_ID_LENGTH);
  return {
    prefix: head.endsWith('-') ? head.slice(0, -1) : head,
    creator,
    creatorKey: hexToBytes(creator),
    standardForm: UUID_V4_PREFIX.test(head),
  };
}

/** True when `parseGroupChatId(id)` succeeds. */
export function isGroupChatId(id: string): boolean {
  if (id.length <= ONE_TO_ONE_CHAT_ID_LENGTH || id.length > MAX_GROUP_CHAT_ID_LENGTH) return false;
  return isOneToOneChatId(id.slice(-ONE_TO_ONE_CHAT_ID_LENGTH));
}
