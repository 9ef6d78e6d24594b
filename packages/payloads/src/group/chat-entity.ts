import { PayloadError, PayloadErrorCode } from '../errors.js';
import type { GroupState } from './state.js';

/**
 * status-go's matchChatEntity for a PRIVATE_GROUP message or reaction: it belongs to the group whose id
 * its chat_id names, and is shown only when both its author and we have joined that group (a member who
 * was added but never joined, or who left, neither sends nor receives). ERR_PAYLOAD_INVALID_FIELD
 * otherwise.
 */
export function checkGroupChatEntity(
  group: GroupState,
  entity: {
    readonly chatId: string;
    readonly author: Uint8Array | string;
    readonly self: Uint8Array | string;
  },
): void {
  if (entity.chatId !== group.chatId) {
    throw new PayloadError(PayloadErrorCode.InvalidField, 'the message names another group chat', {
      details: { chatId: entity.chatId.slice(0, 200) },
    });
  }
  if (!group.hasJoined(entity.author)) {
    throw new PayloadError(PayloadErrorCode.InvalidField, 'the author has not joined this group chat');
  }
  if (!group.hasJoined(entity.self)) {
    throw new PayloadError(PayloadErrorCode.InvalidField, 'we have not joined this group chat');
  }
}
