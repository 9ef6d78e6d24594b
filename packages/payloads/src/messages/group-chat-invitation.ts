import { create } from '@bufbuild/protobuf';
import { bytesToHex, utf8ToBytes } from '@status-ts/core';
import { keccak256 } from '@status-ts/crypto';
import { oneToOneChatId } from '../chat-id.js';
import { decodeEnum, type EnumName, enumValueOf } from '../enums.js';
import { checkText } from '../go-text.js';
import {
  type GroupChatInvitation_State,
  GroupChatInvitation_StateSchema,
  GroupChatInvitationSchema,
} from '../proto.js';
import { numberToUint64, uint64ToNumber } from '../uint64.js';
import { decodeMessage, encodeMessage, type MessageDecodeOptions, requireNonEmpty } from './codec.js';

/** State of an invitation; `UNKNOWN` also stands for a number a newer proto adds. */
export type GroupChatInvitationState = EnumName<typeof GroupChatInvitation_State>;

/**
 * GROUP_CHAT_INVITATION: a request to join a private group, sent 1:1 to its admin (REQUEST), and the
 * admin's refusal sent back to the requester (REJECTED). status-go never sends APPROVED: the admin
 * approves by adding the member to the group, and each side marks its stored invitation APPROVED then.
 */
export interface GroupChatInvitation {
  readonly clock: number;
  /** Id of the private group. */
  readonly chatId: string;
  /** Free text from the requester to the admin. */
  readonly introductionMessage: string;
  readonly state: GroupChatInvitationState;
}

/**
 * status-go's ValidateReceivedGroupChatInvitation: only a non-empty chat id (ERR_PAYLOAD_INVALID_FIELD).
 * Unlike the other messages, status-go does not check the clock here (a later invitation with the same
 * id replaces one only when its clock is higher), nor the state (an unknown one is stored like a
 * request), so neither do we.
 */
export function validateGroupChatInvitation(invitation: GroupChatInvitation): void {
  requireNonEmpty(invitation.chatId, 'chatId');
}

/** A request to join `chatId`, to send to the group's admin. */
export function groupChatInvitationRequest(request: {
  readonly clock: number;
  readonly chatId: string;
  readonly introductionMessage: string;
}): GroupChatInvitation {
  return { ...request, state: 'REQUEST' };
}

/** The admin's refusal of `request`, at the admin's next clock, to send back to the requester. */
export function rejectGroupChatInvitation(request: GroupChatInvitation, clock: number): GroupChatInvitation {
  return { ...request, clock, state: 'REJECTED' };
}

/**
 * `request` marked approved. status-go records this locally when the admin adds the requester to the
 * group (the approval travels as that membership update); it does not send it.
 */
export function approveGroupChatInvitation(request: GroupChatInvitation): GroupChatInvitation {
  return { ...request, state: 'APPROVED' };
}

/** Serializes a GroupChatInvitation; refuses an empty chat id (ERR_PAYLOAD_INVALID_FIELD) as status-go would. */
export function encodeGroupChatInvitation(invitation: GroupChatInvitation): Uint8Array {
  validateGroupChatInvitation(invitation);
  checkText(invitation.chatId, 'chatId');
  checkText(invitation.introductionMessage, 'introductionMessage');
  return encodeMessage(
    GroupChatInvitationSchema,
    create(GroupChatInvitationSchema, {
      clock: numberToUint64(invitation.clock, 'clock'),
      chatId: invitation.chatId,
      introductionMessage: invitation.introductionMessage,
      state: enumValueOf(GroupChatInvitation_StateSchema, invitation.state),
    }),
  );
}

/** Parses a GroupChatInvitation; unknown fields are skipped, an unknown state number gives `UNKNOWN`. */
export function decodeGroupChatInvitation(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): GroupChatInvitation {
  const message = decodeMessage(GroupChatInvitationSchema, bytes, options);
  return {
    clock: uint64ToNumber(message.clock, 'clock'),
    chatId: message.chatId,
    introductionMessage: message.introductionMessage,
    state: decodeEnum<GroupChatInvitationState>(GroupChatInvitation_StateSchema, message.state, 'UNKNOWN'),
  };
}

/**
 * Who requested the invitation, which is what its id is keyed on: for a received REJECTED it is us (the
 * admin sends the refusal back to the requester), for anything else its signer. Keys in any form;
 * returns one of the two arguments.
 */
export function groupChatInvitationRequester(
  invitation: Pick<GroupChatInvitation, 'state'>,
  author: Uint8Array,
  self: Uint8Array,
): Uint8Array {
  return invitation.state === 'REJECTED' ? self : author;
}

/**
 * status-go's GroupChatInvitation.ID(): `0x` + hex of Keccak-256 over the UTF-8 of the requester's
 * contact id (`0x04…`, lowercase) followed by the chat id. The request, its rejection and its approval
 * share it. `requester` is a public key in any form (see groupChatInvitationRequester).
 */
export function groupChatInvitationId(requester: Uint8Array, chatId: string): string {
  return `0x${bytesToHex(keccak256(utf8ToBytes(`${oneToOneChatId(requester)}${chatId}`)))}`;
}
