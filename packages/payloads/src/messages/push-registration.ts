import { create } from '@bufbuild/protobuf';
import { SIGNATURE_LENGTH } from '@status-ts/crypto';
import { decodeEnum, type EnumName, enumValueOf } from '../enums.js';
import { PayloadError, PayloadErrorCode } from '../errors.js';
import { checkText, isGoUuid } from '../go-text.js';
import {
  type PushNotificationRegistration_TokenType,
  PushNotificationRegistration_TokenTypeSchema,
  type PushNotificationRegistrationResponse_ErrorType,
  PushNotificationRegistrationResponse_ErrorTypeSchema,
  PushNotificationRegistrationResponseSchema,
  PushNotificationRegistrationSchema,
} from '../proto.js';
import { numberToUint64, uint64ToNumber } from '../uint64.js';
import { checkListLength, decodeMessage, encodeMessage, type MessageDecodeOptions } from './codec.js';

/**
 * Entries of an allowed_key_list (one encrypted access token per contact allowed to notify us), in a
 * registration or a query info. status-go v0.62.0 sets no limit (the 1 MiB transport does: about 15,000
 * entries of 66 bytes); 10,000 contacts is beyond any real contact list.
 */
export const MAX_PUSH_NOTIFICATION_ALLOWED_KEYS = 10_000;

/**
 * Entries of blocked_chat_list or allowed_mentions_chat_list (one 64-byte hash per muted chat, blocked
 * user or joined public chat). No limit in status-go v0.62.0 besides the transport; 10,000 as above.
 */
export const MAX_PUSH_NOTIFICATION_CHAT_LIST = 10_000;

/**
 * Length of a grant: a recoverable secp256k1 signature `r‖s‖v`. status-go's server checks it with
 * SigToPub, which refuses any other length.
 */
export const PUSH_NOTIFICATION_GRANT_LENGTH = SIGNATURE_LENGTH;

/** Kind of device token; `UNKNOWN_TOKEN_TYPE` also for a number a newer proto adds. */
export type PushNotificationTokenType = EnumName<typeof PushNotificationRegistration_TokenType>;

/** Why a server refused a registration; `UNKNOWN_ERROR_TYPE` is also "no error". */
export type PushNotificationRegistrationErrorType = EnumName<
  typeof PushNotificationRegistrationResponse_ErrorType
>;

/**
 * PUSH_NOTIFICATION_REGISTRATION, as the client builds it. On the wire it travels encrypted to the
 * server (AES-GCM under an ECDH key, outside this package): these codecs handle the plaintext.
 */
export interface PushNotificationRegistration {
  readonly tokenType: PushNotificationTokenType;
  /** APN or Firebase token of the device. */
  readonly deviceToken: string;
  /** Installation id of the device (a UUID). */
  readonly installationId: string;
  /** Token senders must present (a UUID), unless `allowFromContactsOnly`. */
  readonly accessToken: string;
  readonly enabled: boolean;
  /** Grows with each registration of this installation; the server refuses a version it has seen. */
  readonly version: number;
  /** The access token encrypted for each allowed contact (when `allowFromContactsOnly`). */
  readonly allowedKeyList: readonly Uint8Array[];
  /** SHAKE-256 hashes of muted chat ids and blocked users' contact ids. */
  readonly blockedChatList: readonly Uint8Array[];
  /** True to remove the registration of this installation. */
  readonly unregister: boolean;
  /** The client's signature allowing this server to hand out the access token. */
  readonly grant: Uint8Array;
  readonly allowFromContactsOnly: boolean;
  readonly apnTopic: string;
  readonly blockMentions: boolean;
  /** SHAKE-256 hashes of the public chats in which mentions notify. */
  readonly allowedMentionsChatList: readonly Uint8Array[];
}

/** PUSH_NOTIFICATION_REGISTRATION_RESPONSE: the server's answer to a registration. */
export interface PushNotificationRegistrationResponse {
  readonly success: boolean;
  readonly error: PushNotificationRegistrationErrorType;
  /** SHAKE-256 (64 bytes) of the encrypted registration it answers. */
  readonly requestId: Uint8Array;
}

/** Options of validatePushNotificationRegistration. */
export interface PushNotificationRegistrationCheck {
  /** Version of the last registration stored for this key and installation (0 or absent: none). */
  readonly previousVersion?: number;
}

function refuse(
  field: string,
  message: string,
  responseError: 'VERSION_MISMATCH' | 'MALFORMED_MESSAGE',
): PayloadError {
  return new PayloadError(PayloadErrorCode.InvalidField, message, { details: { field, responseError } });
}

/**
 * The checks of status-go's push notification server (validateRegistration), in its order, on the
 * decrypted registration: version at least 1; installation id a UUID (Go's uuid.Parse forms); version
 * above `previousVersion`; then, unless `unregister`: access token a UUID, a 65-byte grant, a non-empty
 * device token and a known token type. Throws ERR_PAYLOAD_INVALID_FIELD whose `details.responseError` is
 * the error the server answers with (VERSION_MISMATCH for the version rules, MALFORMED_MESSAGE for the
 * others). Checking the grant's signature needs the server's key and is the server's job.
 */
export function validatePushNotificationRegistration(
  registration: PushNotificationRegistration,
  check: PushNotificationRegistrationCheck = {},
): void {
  if (registration.version < 1) throw refuse('version', 'version must be at least 1', 'VERSION_MISMATCH');
  if (!isGoUuid(registration.installationId)) {
    throw refuse('installationId', 'installationId must be a UUID', 'MALFORMED_MESSAGE');
  }
  if (registration.version <= (check.previousVersion ?? 0)) {
    throw refuse('version', `version must be above ${check.previousVersion}`, 'VERSION_MISMATCH');
  }
  if (registration.unregister) return;
  if (!isGoUuid(registration.accessToken)) {
    throw refuse('accessToken', 'accessToken must be a UUID', 'MALFORMED_MESSAGE');
  }
  if (registration.grant.length !== PUSH_NOTIFICATION_GRANT_LENGTH) {
    throw refuse(
      'grant',
      `grant must be a ${PUSH_NOTIFICATION_GRANT_LENGTH}-byte signature`,
      'MALFORMED_MESSAGE',
    );
  }
  if (registration.deviceToken.length === 0) {
    throw refuse('deviceToken', "deviceToken can't be empty", 'MALFORMED_MESSAGE');
  }
  if (registration.tokenType === 'UNKNOWN_TOKEN_TYPE') {
    throw refuse('tokenType', 'unknown token type', 'MALFORMED_MESSAGE');
  }
}

function checkRegistrationLists(lists: {
  readonly allowedKeyList: readonly Uint8Array[];
  readonly blockedChatList: readonly Uint8Array[];
  readonly allowedMentionsChatList: readonly Uint8Array[];
}): void {
  checkListLength(lists.allowedKeyList, MAX_PUSH_NOTIFICATION_ALLOWED_KEYS, 'allowedKeyList');
  checkListLength(lists.blockedChatList, MAX_PUSH_NOTIFICATION_CHAT_LIST, 'blockedChatList');
  checkListLength(lists.allowedMentionsChatList, MAX_PUSH_NOTIFICATION_CHAT_LIST, 'allowedMentionsChatList');
}

/**
 * Serializes a registration (the plaintext to encrypt); refuses what validatePushNotificationRegistration
 * would (ERR_PAYLOAD_INVALID_FIELD) and lists above their limits (ERR_PAYLOAD_TOO_LARGE).
 */
export function encodePushNotificationRegistration(registration: PushNotificationRegistration): Uint8Array {
  validatePushNotificationRegistration(registration);
  checkRegistrationLists(registration);
  checkText(registration.deviceToken, 'deviceToken');
  checkText(registration.apnTopic, 'apnTopic');
  return encodeMessage(
    PushNotificationRegistrationSchema,
    create(PushNotificationRegistrationSchema, {
      tokenType: enumValueOf(PushNotificationRegistration_TokenTypeSchema, registration.tokenType),
      deviceToken: registration.deviceToken,
      installationId: registration.installationId,
      accessToken: registration.accessToken,
      enabled: registration.enabled,
      version: numberToUint64(registration.version, 'version'),
      allowedKeyList: [...registration.allowedKeyList],
      blockedChatList: [...registration.blockedChatList],
      unregister: registration.unregister,
      grant: registration.grant,
      allowFromContactsOnly: registration.allowFromContactsOnly,
      apnTopic: registration.apnTopic,
      blockMentions: registration.blockMentions,
      allowedMentionsChatList: [...registration.allowedMentionsChatList],
    }),
  );
}

/** Parses a decrypted registration; ERR_PAYLOAD_TOO_LARGE when a list is above its limit. */
export function decodePushNotificationRegistration(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): PushNotificationRegistration {
  const message = decodeMessage(PushNotificationRegistrationSchema, bytes, options);
  checkRegistrationLists(message);
  return {
    tokenType: decodeEnum<PushNotificationTokenType>(
      PushNotificationRegistration_TokenTypeSchema,
      message.tokenType,
      'UNKNOWN_TOKEN_TYPE',
    ),
    deviceToken: message.deviceToken,
    installationId: message.installationId,
    accessToken: message.accessToken,
    enabled: message.enabled,
    version: uint64ToNumber(message.version, 'version'),
    allowedKeyList: message.allowedKeyList,
    blockedChatList: message.blockedChatList,
    unregister: message.unregister,
    grant: message.grant,
    allowFromContactsOnly: message.allowFromContactsOnly,
    apnTopic: message.apnTopic,
    blockMentions: message.blockMentions,
    allowedMentionsChatList: message.allowedMentionsChatList,
  };
}

/**
 * Serializes a registration response. The client checks nothing in it besides `success` (a failed one
 * is an answer, not a malformed message), so there is no validator.
 */
export function encodePushNotificationRegistrationResponse(
  response: PushNotificationRegistrationResponse,
): Uint8Array {
  return encodeMessage(
    PushNotificationRegistrationResponseSchema,
    create(PushNotificationRegistrationResponseSchema, {
      success: response.success,
      error: enumValueOf(PushNotificationRegistrationResponse_ErrorTypeSchema, response.error),
      requestId: response.requestId,
    }),
  );
}

/** Parses a registration response; an unknown error number gives `UNKNOWN_ERROR_TYPE`. */
export function decodePushNotificationRegistrationResponse(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): PushNotificationRegistrationResponse {
  const message = decodeMessage(PushNotificationRegistrationResponseSchema, bytes, options);
  return {
    success: message.success,
    error: decodeEnum<PushNotificationRegistrationErrorType>(
      PushNotificationRegistrationResponse_ErrorTypeSchema,
      message.error,
      'UNKNOWN_ERROR_TYPE',
    ),
    requestId: message.requestId,
  };
}
