import { decodeChatMessage } from './chat-message.js';
import type { ChatMessage } from './chat-message-types.js';
import { type DecodedMembershipUpdate, decodeMembershipUpdate } from './group/update-message.js';
import { type ContactUpdate, decodeContactUpdate } from './messages/contact.js';
import {
  type ContactCodeAdvertisement,
  decodeContactCodeAdvertisement,
} from './messages/contact-code-advertisement.js';
import { decodeEmojiReaction, type EmojiReaction } from './messages/emoji-reaction.js';
import { decodeGroupChatInvitation, type GroupChatInvitation } from './messages/group-chat-invitation.js';
import {
  decodePairInstallation,
  decodeSyncInstallation,
  decodeSyncInstallationAccount,
  decodeSyncInstallationContact,
  decodeSyncInstallationPublicChat,
  type PairInstallation,
  type SyncInstallation,
  type SyncInstallationAccount,
  type SyncInstallationContact,
  type SyncInstallationPublicChat,
} from './messages/pairing.js';
import {
  decodePushNotificationQuery,
  decodePushNotificationQueryResponse,
  type PushNotificationQuery,
  type PushNotificationQueryResponse,
} from './messages/push-query.js';
import {
  decodePushNotificationRegistrationResponse,
  type PushNotificationRegistrationResponse,
} from './messages/push-registration.js';
import {
  decodePushNotificationRequest,
  decodePushNotificationResponse,
  type PushNotificationRequest,
  type PushNotificationResponse,
} from './messages/push-request.js';
import {
  type AcceptRequestAddressForTransaction,
  type DeclineRequestAddressForTransaction,
  type DeclineRequestTransaction,
  decodeAcceptRequestAddressForTransaction,
  decodeDeclineRequestAddressForTransaction,
  decodeDeclineRequestTransaction,
  decodeRequestAddressForTransaction,
  decodeRequestTransaction,
  decodeSendTransaction,
  type RequestAddressForTransaction,
  type RequestTransaction,
  type SendTransaction,
} from './messages/transaction-commands.js';
import type { ApplicationMessage, ApplicationMessageType } from './wrapper.js';

/**
 * The typed content of an ApplicationMetadataMessage, by its type. Two kinds stay bytes:
 * PUSH_NOTIFICATION_REGISTRATION travels encrypted to the server (open it with `openFromPeer`, then
 * `decodePushNotificationRegistration`), and a type this proto version does not know (`UNKNOWN`, with
 * the number) is kept for a newer client to read.
 */
export type ApplicationPayload =
  | { readonly type: 'CHAT_MESSAGE'; readonly message: ChatMessage }
  | { readonly type: 'CONTACT_UPDATE'; readonly message: ContactUpdate }
  | { readonly type: 'MEMBERSHIP_UPDATE_MESSAGE'; readonly message: DecodedMembershipUpdate }
  | { readonly type: 'PAIR_INSTALLATION'; readonly message: PairInstallation }
  | { readonly type: 'SYNC_INSTALLATION'; readonly message: SyncInstallation }
  | { readonly type: 'REQUEST_ADDRESS_FOR_TRANSACTION'; readonly message: RequestAddressForTransaction }
  | {
      readonly type: 'ACCEPT_REQUEST_ADDRESS_FOR_TRANSACTION';
      readonly message: AcceptRequestAddressForTransaction;
    }
  | {
      readonly type: 'DECLINE_REQUEST_ADDRESS_FOR_TRANSACTION';
      readonly message: DeclineRequestAddressForTransaction;
    }
  | { readonly type: 'REQUEST_TRANSACTION'; readonly message: RequestTransaction }
  | { readonly type: 'SEND_TRANSACTION'; readonly message: SendTransaction }
  | { readonly type: 'DECLINE_REQUEST_TRANSACTION'; readonly message: DeclineRequestTransaction }
  | { readonly type: 'SYNC_INSTALLATION_CONTACT'; readonly message: SyncInstallationContact }
  | { readonly type: 'SYNC_INSTALLATION_ACCOUNT'; readonly message: SyncInstallationAccount }
  | { readonly type: 'SYNC_INSTALLATION_PUBLIC_CHAT'; readonly message: SyncInstallationPublicChat }
  | { readonly type: 'CONTACT_CODE_ADVERTISEMENT'; readonly message: ContactCodeAdvertisement }
  | { readonly type: 'PUSH_NOTIFICATION_REGISTRATION'; readonly encrypted: Uint8Array }
  | {
      readonly type: 'PUSH_NOTIFICATION_REGISTRATION_RESPONSE';
      readonly message: PushNotificationRegistrationResponse;
    }
  | { readonly type: 'PUSH_NOTIFICATION_QUERY'; readonly message: PushNotificationQuery }
  | { readonly type: 'PUSH_NOTIFICATION_QUERY_RESPONSE'; readonly message: PushNotificationQueryResponse }
  | { readonly type: 'PUSH_NOTIFICATION_REQUEST'; readonly message: PushNotificationRequest }
  | { readonly type: 'PUSH_NOTIFICATION_RESPONSE'; readonly message: PushNotificationResponse }
  | { readonly type: 'EMOJI_REACTION'; readonly message: EmojiReaction }
  | { readonly type: 'GROUP_CHAT_INVITATION'; readonly message: GroupChatInvitation }
  | { readonly type: 'UNKNOWN'; readonly typeCode: number; readonly payload: Uint8Array };

/** Options of `decodeApplicationPayload`. */
export interface DecodeApplicationPayloadOptions {
  /** Largest payload accepted (each decoder's default is MAX_APPLICATION_PAYLOAD_BYTES). */
  readonly maxBytes?: number;
}

type Decoder = (payload: Uint8Array, options: DecodeApplicationPayloadOptions) => unknown;

const DECODERS: Readonly<
  Record<Exclude<ApplicationMessageType, 'UNKNOWN' | 'PUSH_NOTIFICATION_REGISTRATION'>, Decoder>
> = {
  CHAT_MESSAGE: decodeChatMessage,
  CONTACT_UPDATE: decodeContactUpdate,
  MEMBERSHIP_UPDATE_MESSAGE: (payload) => decodeMembershipUpdate(payload),
  PAIR_INSTALLATION: decodePairInstallation,
  SYNC_INSTALLATION: decodeSyncInstallation,
  REQUEST_ADDRESS_FOR_TRANSACTION: decodeRequestAddressForTransaction,
  ACCEPT_REQUEST_ADDRESS_FOR_TRANSACTION: decodeAcceptRequestAddressForTransaction,
  DECLINE_REQUEST_ADDRESS_FOR_TRANSACTION: decodeDeclineRequestAddressForTransaction,
  REQUEST_TRANSACTION: decodeRequestTransaction,
  SEND_TRANSACTION: decodeSendTransaction,
  DECLINE_REQUEST_TRANSACTION: decodeDeclineRequestTransaction,
  SYNC_INSTALLATION_CONTACT: decodeSyncInstallationContact,
  SYNC_INSTALLATION_ACCOUNT: decodeSyncInstallationAccount,
  SYNC_INSTALLATION_PUBLIC_CHAT: decodeSyncInstallationPublicChat,
  CONTACT_CODE_ADVERTISEMENT: decodeContactCodeAdvertisement,
  PUSH_NOTIFICATION_REGISTRATION_RESPONSE: decodePushNotificationRegistrationResponse,
  PUSH_NOTIFICATION_QUERY: decodePushNotificationQuery,
  PUSH_NOTIFICATION_QUERY_RESPONSE: decodePushNotificationQueryResponse,
  PUSH_NOTIFICATION_REQUEST: decodePushNotificationRequest,
  PUSH_NOTIFICATION_RESPONSE: decodePushNotificationResponse,
  EMOJI_REACTION: decodeEmojiReaction,
  GROUP_CHAT_INVITATION: decodeGroupChatInvitation,
};

/**
 * Decodes the payload of an unwrapped ApplicationMetadataMessage by its type (status-go's
 * HandleApplication step): typed errors only. Validation against the envelope time and the author is
 * each type's own `validate…` function, as it needs the receiver's context.
 */
export function decodeApplicationPayload(
  wrapper: Pick<ApplicationMessage, 'type' | 'typeCode' | 'payload'>,
  options: DecodeApplicationPayloadOptions = {},
): ApplicationPayload {
  const { type, payload } = wrapper;
  if (type === 'UNKNOWN') return { type, typeCode: wrapper.typeCode, payload };
  if (type === 'PUSH_NOTIFICATION_REGISTRATION') return { type, encrypted: payload };
  return { type, message: DECODERS[type](payload, options) } as ApplicationPayload;
}
