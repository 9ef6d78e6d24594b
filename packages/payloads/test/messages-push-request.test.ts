import { concatBytes } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePushNotificationRequest,
  decodePushNotificationResponse,
  encodePushNotificationRequest,
  encodePushNotificationResponse,
  MAX_PUSH_NOTIFICATIONS_PER_REQUEST,
  type PushNotification,
  type PushNotificationReport,
  type PushNotificationReportErrorType,
  type PushNotificationRequest,
  type PushNotificationResponse,
  type PushNotificationType,
  validatePushNotificationRequest,
} from '../src/messages/index.js';
import {
  assertHostileBytesSafe,
  assertRoundTrips,
  proto,
  unknownFields,
  wireText,
} from './support/proto-writer.js';

const code = (c: string) => expect.objectContaining({ code: c });
const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);

const notification: PushNotification = {
  accessToken: '9a8b7c6d-5e4f-4321-8fed-cba987654321',
  chatId: bytes(64, 0x01),
  publicKey: bytes(64, 0x02),
  installationId: '4f1e2d3c-5b6a-4789-8a9b-0c1d2e3f4a5b',
  message: new Uint8Array(),
  type: 'MENTION',
  author: bytes(64, 0x03),
};
// PushNotification: access_token = 1, chat_id = 2, public_key = 3, installation_id = 4, message = 5,
// type = 6 (MESSAGE = 1, MENTION = 2), author = 7.
const notificationWire = (n: PushNotification, type: number) =>
  proto()
    .string(1, n.accessToken)
    .bytesField(2, n.chatId)
    .bytesField(3, n.publicKey)
    .string(4, n.installationId)
    .bytesField(5, n.message)
    .varint(6, type)
    .bytesField(7, n.author)
    .finish();
const second: PushNotification = {
  ...notification,
  type: 'MESSAGE',
  message: bytes(5, 9),
  installationId: 'other',
};
const request: PushNotificationRequest = { requests: [notification, second], messageId: bytes(32, 0x04) };
// PushNotificationRequest: requests = 1, message_id = 2.
const requestWire = proto()
  .repeatedBytes(1, [notificationWire(notification, 2), notificationWire(second, 1)])
  .bytesField(2, request.messageId)
  .finish();

const report: PushNotificationReport = {
  success: false,
  error: 'WRONG_TOKEN',
  publicKey: bytes(64, 0x02),
  installationId: notification.installationId,
};
const okReport: PushNotificationReport = { ...report, success: true, error: 'UNKNOWN_ERROR_TYPE' };
// PushNotificationReport: success = 1, error = 2 (WRONG_TOKEN = 1), public_key = 3, installation_id = 4.
const reportWire = (r: PushNotificationReport, error: number) =>
  proto().bool(1, r.success).varint(2, error).bytesField(3, r.publicKey).string(4, r.installationId).finish();
const response: PushNotificationResponse = { messageId: request.messageId, reports: [report, okReport] };
// PushNotificationResponse: message_id = 1, reports = 2.
const responseWire = proto()
  .bytesField(1, response.messageId)
  .repeatedBytes(2, [reportWire(report, 1), reportWire(okReport, 0)])
  .finish();

const smallBytes = fc.uint8Array({ maxLength: 70 });
const types: PushNotificationType[] = ['UNKNOWN_PUSH_NOTIFICATION_TYPE', 'MESSAGE', 'MENTION'];
const errors: PushNotificationReportErrorType[] = [
  'UNKNOWN_ERROR_TYPE',
  'WRONG_TOKEN',
  'INTERNAL_ERROR',
  'NOT_REGISTERED',
];
const notifications: fc.Arbitrary<PushNotification> = fc.record({
  accessToken: wireText({ maxLength: 36 }),
  chatId: smallBytes,
  publicKey: smallBytes,
  installationId: wireText({ maxLength: 36 }),
  message: smallBytes,
  type: fc.constantFrom(...types),
  author: smallBytes,
});
const requests: fc.Arbitrary<PushNotificationRequest> = fc.record({
  requests: fc.array(notifications, { maxLength: 2 }),
  messageId: fc.uint8Array({ minLength: 1, maxLength: 40 }),
});
const reports: fc.Arbitrary<PushNotificationReport> = fc.record({
  success: fc.boolean(),
  error: fc.constantFrom(...errors),
  publicKey: smallBytes,
  installationId: wireText({ maxLength: 36 }),
});
const responses: fc.Arbitrary<PushNotificationResponse> = fc.record({
  messageId: smallBytes,
  reports: fc.array(reports, { maxLength: 2 }),
});

describe('PushNotificationRequest', () => {
  it('encodes to the hand-built bytes and decodes them back', () => {
    expect(encodePushNotificationRequest(request)).toEqual(requestWire);
    expect(decodePushNotificationRequest(requestWire)).toEqual(request);
    expect(decodePushNotificationRequest(concatBytes(requestWire, unknownFields()))).toEqual(request);
  });

  it('decodes an unknown notification type to UNKNOWN_PUSH_NOTIFICATION_TYPE', () => {
    const wire = proto()
      .lengthDelimited(1, notificationWire(notification, 9))
      .bytesField(2, request.messageId)
      .finish();
    const decoded = decodePushNotificationRequest(wire);
    expect(decoded.requests[0]?.type).toBe('UNKNOWN_PUSH_NOTIFICATION_TYPE');
    // status-go's server skips that notification, it does not refuse the request.
    expect(() => validatePushNotificationRequest(decoded)).not.toThrow();
  });

  it('is refused without a message id (status-go does not even answer), on receipt and on encode', () => {
    expect(() => validatePushNotificationRequest(request)).not.toThrow();
    const anonymous = { ...request, messageId: new Uint8Array() };
    expect(() => validatePushNotificationRequest(anonymous)).toThrow(
      expect.objectContaining({ code: 'ERR_PAYLOAD_INVALID_FIELD', details: { field: 'messageId' } }),
    );
    expect(() => encodePushNotificationRequest(anonymous)).toThrow(code('ERR_PAYLOAD_INVALID_FIELD'));
    // No requests at all is still a request status-go answers (with no reports).
    expect(() => validatePushNotificationRequest({ ...request, requests: [] })).not.toThrow();
  });

  it(`accepts ${MAX_PUSH_NOTIFICATIONS_PER_REQUEST} notifications and refuses more`, () => {
    const atLimit = {
      ...request,
      requests: Array.from({ length: MAX_PUSH_NOTIFICATIONS_PER_REQUEST }, () => notification),
    };
    const wire = encodePushNotificationRequest(atLimit);
    expect(decodePushNotificationRequest(wire).requests).toHaveLength(MAX_PUSH_NOTIFICATIONS_PER_REQUEST);
    expect(() =>
      encodePushNotificationRequest({ ...atLimit, requests: [...atLimit.requests, notification] }),
    ).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
    expect(() =>
      decodePushNotificationRequest(proto().raw(wire).lengthDelimited(1, new Uint8Array()).finish()),
    ).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
  });

  it('round-trips any valid request', () => {
    assertRoundTrips(requests, encodePushNotificationRequest, decodePushNotificationRequest);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(requests, encodePushNotificationRequest, decodePushNotificationRequest);
  });
});

describe('PushNotificationResponse', () => {
  it('encodes to the hand-built bytes and decodes them back', () => {
    expect(encodePushNotificationResponse(response)).toEqual(responseWire);
    expect(decodePushNotificationResponse(responseWire)).toEqual(response);
    expect(decodePushNotificationResponse(concatBytes(responseWire, unknownFields()))).toEqual(response);
  });

  it('decodes an unknown report error to UNKNOWN_ERROR_TYPE', () => {
    const wire = proto().lengthDelimited(2, reportWire(report, 12)).finish();
    expect(decodePushNotificationResponse(wire).reports[0]?.error).toBe('UNKNOWN_ERROR_TYPE');
  });

  it(`accepts ${MAX_PUSH_NOTIFICATIONS_PER_REQUEST} reports and refuses more`, () => {
    const atLimit = {
      ...response,
      reports: Array.from({ length: MAX_PUSH_NOTIFICATIONS_PER_REQUEST }, () => report),
    };
    const wire = encodePushNotificationResponse(atLimit);
    expect(decodePushNotificationResponse(wire).reports).toHaveLength(MAX_PUSH_NOTIFICATIONS_PER_REQUEST);
    expect(() =>
      encodePushNotificationResponse({ ...atLimit, reports: [...atLimit.reports, report] }),
    ).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
    expect(() =>
      decodePushNotificationResponse(proto().raw(wire).lengthDelimited(2, new Uint8Array()).finish()),
    ).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
  });

  it('round-trips any response', () => {
    assertRoundTrips(responses, encodePushNotificationResponse, decodePushNotificationResponse);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(responses, encodePushNotificationResponse, decodePushNotificationResponse);
  });
});
