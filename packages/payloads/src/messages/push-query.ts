import { create } from '@bufbuild/protobuf';
import { checkText } from '../go-text.js';
import {
  type PushNotificationQueryInfo as PushNotificationQueryInfoProto,
  PushNotificationQueryInfoSchema,
  PushNotificationQueryResponseSchema,
  PushNotificationQuerySchema,
} from '../proto.js';
import { numberToUint64, uint64ToNumber } from '../uint64.js';
import {
  checkListLength,
  decodeMessage,
  encodeMessage,
  invalidField,
  type MessageDecodeOptions,
} from './codec.js';
import { MAX_PUSH_NOTIFICATION_ALLOWED_KEYS, PUSH_NOTIFICATION_GRANT_LENGTH } from './push-registration.js';

/**
 * Length of a hashed public key, the form in which push notification messages name users: SHAKE-256
 * with 64 bytes of output over the 33-byte compressed key (status-go's common.HashPublicKey). status-go
 * only compares these with its own hashes, so a key of another length never matches.
 */
export const PUSH_NOTIFICATION_HASHED_KEY_LENGTH = 64;

/**
 * Hashed keys in one query. status-go v0.62.0 sends exactly one and its server sets no limit (each key is
 * a database lookup); 100 leaves room for batching while bounding a server's work per message.
 */
export const MAX_PUSH_NOTIFICATION_QUERY_KEYS = 100;

/**
 * Infos in one query response or contact code advertisement (one per registered installation and
 * server). No limit in status-go v0.62.0 besides the transport; 1,000 is far above one user's devices
 * times servers, even for a query of several keys.
 */
export const MAX_PUSH_NOTIFICATION_INFOS = 1_000;

/** PUSH_NOTIFICATION_QUERY: asks servers for the push notification infos of users (hashed keys). */
export interface PushNotificationQuery {
  /** Hashed public keys (PUSH_NOTIFICATION_HASHED_KEY_LENGTH bytes each). */
  readonly publicKeys: readonly Uint8Array[];
}

/** How to notify one installation of a user through one server. */
export interface PushNotificationQueryInfo {
  /** The access token to present, or '' when `allowedKeyList` holds it encrypted per contact. */
  readonly accessToken: string;
  readonly installationId: string;
  /** Hashed public key of the user (PUSH_NOTIFICATION_HASHED_KEY_LENGTH bytes). */
  readonly publicKey: Uint8Array;
  /** The access token encrypted for each contact the user allows. */
  readonly allowedKeyList: readonly Uint8Array[];
  /** The user's signature allowing the server to hand out the access token. */
  readonly grant: Uint8Array;
  /** Version of the registration this comes from. */
  readonly version: number;
  /** Compressed key of the server (set in contact code advertisements; the responder in a query answer). */
  readonly serverPublicKey: Uint8Array;
}

/** PUSH_NOTIFICATION_QUERY_RESPONSE: a server's answer to a query. */
export interface PushNotificationQueryResponse {
  readonly info: readonly PushNotificationQueryInfo[];
  /** Message id of the query answered. */
  readonly messageId: Uint8Array;
  /** False when the server had nothing (its `info` is then empty). */
  readonly success: boolean;
}

/**
 * What status-go's client (processQueryInfo) needs of an info before using it: a public key of
 * PUSH_NOTIFICATION_HASHED_KEY_LENGTH bytes (it must equal the hash of the queried or advertising user;
 * comparing needs SHAKE-256, the caller's), and when an access token is given, a grant of
 * PUSH_NOTIFICATION_GRANT_LENGTH bytes (its signature is checked against both keys). An info with
 * neither token nor allowed keys is valid: it just says the user cannot be notified by us.
 * ERR_PAYLOAD_INVALID_FIELD otherwise.
 */
export function validatePushNotificationQueryInfo(info: PushNotificationQueryInfo): void {
  if (info.publicKey.length !== PUSH_NOTIFICATION_HASHED_KEY_LENGTH) {
    throw invalidField(
      'publicKey',
      `publicKey must be a ${PUSH_NOTIFICATION_HASHED_KEY_LENGTH}-byte key hash`,
    );
  }
  if (info.accessToken.length > 0 && info.grant.length !== PUSH_NOTIFICATION_GRANT_LENGTH) {
    throw invalidField('grant', `grant must be a ${PUSH_NOTIFICATION_GRANT_LENGTH}-byte signature`);
  }
}

/** The generated form of an info (lists checked against their limits). */
export function pushNotificationQueryInfoToProto(
  info: PushNotificationQueryInfo,
): PushNotificationQueryInfoProto {
  checkListLength(info.allowedKeyList, MAX_PUSH_NOTIFICATION_ALLOWED_KEYS, 'allowedKeyList');
  checkText(info.accessToken, 'accessToken');
  checkText(info.installationId, 'installationId');
  return create(PushNotificationQueryInfoSchema, {
    accessToken: info.accessToken,
    installationId: info.installationId,
    publicKey: info.publicKey,
    allowedKeyList: [...info.allowedKeyList],
    grant: info.grant,
    version: numberToUint64(info.version, 'version'),
    serverPublicKey: info.serverPublicKey,
  });
}

/** The typed form of a generated info (lists checked against their limits). */
export function pushNotificationQueryInfoFromProto(
  message: PushNotificationQueryInfoProto,
): PushNotificationQueryInfo {
  checkListLength(message.allowedKeyList, MAX_PUSH_NOTIFICATION_ALLOWED_KEYS, 'allowedKeyList');
  return {
    accessToken: message.accessToken,
    installationId: message.installationId,
    publicKey: message.publicKey,
    allowedKeyList: message.allowedKeyList,
    grant: message.grant,
    version: uint64ToNumber(message.version, 'version'),
    serverPublicKey: message.serverPublicKey,
  };
}

/**
 * Serializes a query; ERR_PAYLOAD_TOO_LARGE above MAX_PUSH_NOTIFICATION_QUERY_KEYS keys. status-go's
 * server answers any query (an empty one gets an empty, unsuccessful answer), so there is no validator.
 */
export function encodePushNotificationQuery(query: PushNotificationQuery): Uint8Array {
  checkListLength(query.publicKeys, MAX_PUSH_NOTIFICATION_QUERY_KEYS, 'publicKeys');
  return encodeMessage(
    PushNotificationQuerySchema,
    create(PushNotificationQuerySchema, { publicKeys: [...query.publicKeys] }),
  );
}

/** Parses a query; ERR_PAYLOAD_TOO_LARGE above MAX_PUSH_NOTIFICATION_QUERY_KEYS keys. */
export function decodePushNotificationQuery(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): PushNotificationQuery {
  const message = decodeMessage(PushNotificationQuerySchema, bytes, options);
  checkListLength(message.publicKeys, MAX_PUSH_NOTIFICATION_QUERY_KEYS, 'publicKeys');
  return { publicKeys: message.publicKeys };
}

/**
 * status-go's client (HandlePushNotificationQueryResponse) drops a response without infos ("empty
 * response from the server"): ERR_PAYLOAD_INVALID_FIELD. It then uses each info that passes
 * validatePushNotificationQueryInfo and skips the others, so one bad info does not fail the response.
 */
export function validatePushNotificationQueryResponse(response: PushNotificationQueryResponse): void {
  if (response.info.length === 0) throw invalidField('info', 'empty response from the server');
}

/**
 * Serializes a query response; ERR_PAYLOAD_TOO_LARGE above MAX_PUSH_NOTIFICATION_INFOS infos. An empty,
 * unsuccessful response is what status-go's server sends when it knows none of the keys, so it is built
 * even though validatePushNotificationQueryResponse refuses it on receipt.
 */
export function encodePushNotificationQueryResponse(response: PushNotificationQueryResponse): Uint8Array {
  checkListLength(response.info, MAX_PUSH_NOTIFICATION_INFOS, 'info');
  return encodeMessage(
    PushNotificationQueryResponseSchema,
    create(PushNotificationQueryResponseSchema, {
      info: response.info.map(pushNotificationQueryInfoToProto),
      messageId: response.messageId,
      success: response.success,
    }),
  );
}

/** Parses a query response; ERR_PAYLOAD_TOO_LARGE when a list is above its limit. */
export function decodePushNotificationQueryResponse(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): PushNotificationQueryResponse {
  const message = decodeMessage(PushNotificationQueryResponseSchema, bytes, options);
  checkListLength(message.info, MAX_PUSH_NOTIFICATION_INFOS, 'info');
  return {
    info: message.info.map(pushNotificationQueryInfoFromProto),
    messageId: message.messageId,
    success: message.success,
  };
}
