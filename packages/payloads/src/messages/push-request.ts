import { create } from '@bufbuild/protobuf';
import { decodeEnum, type EnumName, enumValueOf } from '../enums.js';
import { checkText } from '../go-text.js';
import {
  type PushNotification_PushNotificationType,
  PushNotification_PushNotificationTypeSchema,
  type PushNotification as PushNotificationProto,
  type PushNotificationReport_ErrorType,
  PushNotificationReport_ErrorTypeSchema,
  type PushNotificationReport as PushNotificationReportProto,
  PushNotificationReportSchema,
  PushNotificationRequestSchema,
  PushNotificationResponseSchema,
  PushNotificationSchema,
} from '../proto.js';
import {
  checkListLength,
  decodeMessage,
  encodeMessage,
  type MessageDecodeOptions,
  requireNonEmpty,
} from './codec.js';

/**
 * Notifications in one request, and reports in one response (one per notification). status-go v0.62.0
 * sends one per installation of the recipient registered on the server and sets no limit besides the
 * transport; 1,000 is far above one user's installations.
 */
export const MAX_PUSH_NOTIFICATIONS_PER_REQUEST = 1_000;

/** Why a notification was for a message or a mention; `UNKNOWN_PUSH_NOTIFICATION_TYPE` also for new numbers. */
export type PushNotificationType = EnumName<typeof PushNotification_PushNotificationType>;

/** Outcome of one notification; `UNKNOWN_ERROR_TYPE` also for new numbers (and for "no error"). */
export type PushNotificationReportErrorType = EnumName<typeof PushNotificationReport_ErrorType>;

/**
 * One notification for one installation. status-go's server skips (without failing the request) one
 * whose type is UNKNOWN_PUSH_NOTIFICATION_TYPE.
 */
export interface PushNotification {
  /** The access token from the recipient's query info. */
  readonly accessToken: string;
  /** SHAKE-256 (64 bytes) of the chat id, matched against the recipient's muted and mention lists. */
  readonly chatId: Uint8Array;
  /** Hashed public key of the recipient. */
  readonly publicKey: Uint8Array;
  readonly installationId: string;
  /** Optional encrypted content (unused by status-go v0.62.0). */
  readonly message: Uint8Array;
  readonly type: PushNotificationType;
  /** SHAKE-256 of the sender's contact id, matched against the recipient's blocked list. */
  readonly author: Uint8Array;
}

/** PUSH_NOTIFICATION_REQUEST: asks a server to notify installations about one message. */
export interface PushNotificationRequest {
  readonly requests: readonly PushNotification[];
  /** Id of the chat message the notifications are about. */
  readonly messageId: Uint8Array;
}

/** The server's outcome for one notification. */
export interface PushNotificationReport {
  readonly success: boolean;
  readonly error: PushNotificationReportErrorType;
  readonly publicKey: Uint8Array;
  readonly installationId: string;
}

/** PUSH_NOTIFICATION_RESPONSE: the server's reports on a request. */
export interface PushNotificationResponse {
  /** messageId of the request answered. */
  readonly messageId: Uint8Array;
  readonly reports: readonly PushNotificationReport[];
}

/**
 * status-go's server (buildPushNotificationRequestResponse) ignores a request without a message id, it
 * does not even answer: ERR_PAYLOAD_INVALID_FIELD. Everything else is judged notification by
 * notification against the stored registrations.
 */
export function validatePushNotificationRequest(request: PushNotificationRequest): void {
  requireNonEmpty(request.messageId, 'messageId');
}

function notificationToProto(notification: PushNotification): PushNotificationProto {
  checkText(notification.accessToken, 'accessToken');
  checkText(notification.installationId, 'installationId');
  return create(PushNotificationSchema, {
    accessToken: notification.accessToken,
    chatId: notification.chatId,
    publicKey: notification.publicKey,
    installationId: notification.installationId,
    message: notification.message,
    type: enumValueOf(PushNotification_PushNotificationTypeSchema, notification.type),
    author: notification.author,
  });
}

function notificationFromProto(message: PushNotificationProto): PushNotification {
  return {
    accessToken: message.accessToken,
    chatId: message.chatId,
    publicKey: message.publicKey,
    installationId: message.installationId,
    message: message.message,
    type: decodeEnum<PushNotificationType>(
      PushNotification_PushNotificationTypeSchema,
      message.type,
      'UNKNOWN_PUSH_NOTIFICATION_TYPE',
    ),
    author: message.author,
  };
}

/**
 * Serializes a request; refuses an empty message id (ERR_PAYLOAD_INVALID_FIELD) and more than
 * MAX_PUSH_NOTIFICATIONS_PER_REQUEST notifications (ERR_PAYLOAD_TOO_LARGE).
 */
export function encodePushNotificationRequest(request: PushNotificationRequest): Uint8Array {
  validatePushNotificationRequest(request);
  checkListLength(request.requests, MAX_PUSH_NOTIFICATIONS_PER_REQUEST, 'requests');
  return encodeMessage(
    PushNotificationRequestSchema,
    create(PushNotificationRequestSchema, {
      requests: request.requests.map(notificationToProto),
      messageId: request.messageId,
    }),
  );
}

/** Parses a request; ERR_PAYLOAD_TOO_LARGE above MAX_PUSH_NOTIFICATIONS_PER_REQUEST notifications. */
export function decodePushNotificationRequest(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): PushNotificationRequest {
  const message = decodeMessage(PushNotificationRequestSchema, bytes, options);
  checkListLength(message.requests, MAX_PUSH_NOTIFICATIONS_PER_REQUEST, 'requests');
  return { requests: message.requests.map(notificationFromProto), messageId: message.messageId };
}

function reportToProto(report: PushNotificationReport): PushNotificationReportProto {
  checkText(report.installationId, 'installationId');
  return create(PushNotificationReportSchema, {
    success: report.success,
    error: enumValueOf(PushNotificationReport_ErrorTypeSchema, report.error),
    publicKey: report.publicKey,
    installationId: report.installationId,
  });
}

function reportFromProto(message: PushNotificationReportProto): PushNotificationReport {
  return {
    success: message.success,
    error: decodeEnum<PushNotificationReportErrorType>(
      PushNotificationReport_ErrorTypeSchema,
      message.error,
      'UNKNOWN_ERROR_TYPE',
    ),
    publicKey: message.publicKey,
    installationId: message.installationId,
  };
}

/**
 * Serializes a response; ERR_PAYLOAD_TOO_LARGE above MAX_PUSH_NOTIFICATIONS_PER_REQUEST reports. The
 * client applies each report to what it sent and checks nothing else, so there is no validator.
 */
export function encodePushNotificationResponse(response: PushNotificationResponse): Uint8Array {
  checkListLength(response.reports, MAX_PUSH_NOTIFICATIONS_PER_REQUEST, 'reports');
  return encodeMessage(
    PushNotificationResponseSchema,
    create(PushNotificationResponseSchema, {
      messageId: response.messageId,
      reports: response.reports.map(reportToProto),
    }),
  );
}

/** Parses a response; ERR_PAYLOAD_TOO_LARGE above MAX_PUSH_NOTIFICATIONS_PER_REQUEST reports. */
export function decodePushNotificationResponse(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): PushNotificationResponse {
  const message = decodeMessage(PushNotificationResponseSchema, bytes, options);
  checkListLength(message.reports, MAX_PUSH_NOTIFICATIONS_PER_REQUEST, 'reports');
  return { messageId: message.messageId, reports: message.reports.map(reportFromProto) };
}
