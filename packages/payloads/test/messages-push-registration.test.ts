import { concatBytes } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePushNotificationRegistration,
  decodePushNotificationRegistrationResponse,
  encodePushNotificationRegistration,
  encodePushNotificationRegistrationResponse,
  MAX_PUSH_NOTIFICATION_ALLOWED_KEYS,
  MAX_PUSH_NOTIFICATION_CHAT_LIST,
  PUSH_NOTIFICATION_GRANT_LENGTH,
  type PushNotificationRegistration,
  type PushNotificationRegistrationErrorType,
  type PushNotificationRegistrationResponse,
  type PushNotificationTokenType,
  validatePushNotificationRegistration,
} from '../src/messages/index.js';
import {
  assertHostileBytesSafe,
  assertRoundTrips,
  proto,
  unknownFields,
  wireText,
} from './support/proto-writer.js';

const code = (c: string) => expect.objectContaining({ code: c });
const refused = (field: string, responseError: string) =>
  expect.objectContaining({ code: 'ERR_PAYLOAD_INVALID_FIELD', details: { field, responseError } });

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);
const registration: PushNotificationRegistration = {
  tokenType: 'FIREBASE_TOKEN',
  deviceToken: 'fcm-device-token',
  installationId: '4f1e2d3c-5b6a-4789-8a9b-0c1d2e3f4a5b',
  accessToken: '9a8b7c6d-5e4f-4321-8fed-cba987654321',
  enabled: true,
  version: 3,
  allowedKeyList: [bytes(60, 1), bytes(60, 2)],
  blockedChatList: [bytes(64, 3)],
  unregister: false,
  grant: bytes(PUSH_NOTIFICATION_GRANT_LENGTH, 4),
  allowFromContactsOnly: true,
  apnTopic: 'im.status.ethereum',
  blockMentions: true,
  allowedMentionsChatList: [bytes(64, 5), bytes(64, 6)],
};
// push_notifications.proto PushNotificationRegistration, fields 1 to 14 in order (FIREBASE_TOKEN = 2).
const registrationWire = proto()
  .varint(1, 2)
  .string(2, registration.deviceToken)
  .string(3, registration.installationId)
  .string(4, registration.accessToken)
  .bool(5, true)
  .varint(6, 3)
  .repeatedBytes(7, registration.allowedKeyList)
  .repeatedBytes(8, registration.blockedChatList)
  .bool(9, false)
  .bytesField(10, registration.grant)
  .bool(11, true)
  .string(12, registration.apnTopic)
  .bool(13, true)
  .repeatedBytes(14, registration.allowedMentionsChatList)
  .finish();

const unregistration: PushNotificationRegistration = {
  tokenType: 'UNKNOWN_TOKEN_TYPE',
  deviceToken: '',
  installationId: registration.installationId,
  accessToken: '',
  enabled: false,
  version: 4,
  allowedKeyList: [],
  blockedChatList: [],
  unregister: true,
  grant: new Uint8Array(),
  allowFromContactsOnly: false,
  apnTopic: '',
  blockMentions: false,
  allowedMentionsChatList: [],
};
const unregistrationWire = proto().string(3, registration.installationId).varint(6, 4).bool(9, true).finish();

const response: PushNotificationRegistrationResponse = {
  success: false,
  error: 'VERSION_MISMATCH',
  requestId: bytes(64, 9),
};
// PushNotificationRegistrationResponse: success = 1, error = 2 (VERSION_MISMATCH = 2), request_id = 3.
const responseWire = proto().bool(1, false).varint(2, 2).bytesField(3, response.requestId).finish();

const keyList = fc.array(fc.uint8Array({ maxLength: 70 }), { maxLength: 3 });
const registrations: fc.Arbitrary<PushNotificationRegistration> = fc.record({
  tokenType: fc.constantFrom<PushNotificationTokenType>('APN_TOKEN', 'FIREBASE_TOKEN'),
  deviceToken: wireText({ minLength: 1, maxLength: 20 }),
  installationId: fc.uuid(),
  accessToken: fc.uuid(),
  enabled: fc.boolean(),
  version: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  allowedKeyList: keyList,
  blockedChatList: keyList,
  unregister: fc.boolean(),
  grant: fc.uint8Array({
    minLength: PUSH_NOTIFICATION_GRANT_LENGTH,
    maxLength: PUSH_NOTIFICATION_GRANT_LENGTH,
  }),
  allowFromContactsOnly: fc.boolean(),
  apnTopic: fc.string({ maxLength: 20 }),
  blockMentions: fc.boolean(),
  allowedMentionsChatList: keyList,
});
const errorTypes: PushNotificationRegistrationErrorType[] = [
  'UNKNOWN_ERROR_TYPE',
  'MALFORMED_MESSAGE',
  'VERSION_MISMATCH',
  'UNSUPPORTED_TOKEN_TYPE',
  'INTERNAL_ERROR',
];
const responses: fc.Arbitrary<PushNotificationRegistrationResponse> = fc.record({
  success: fc.boolean(),
  error: fc.constantFrom(...errorTypes),
  requestId: fc.uint8Array({ maxLength: 70 }),
});

describe('PushNotificationRegistration', () => {
  it('encodes a registration and an unregistration to the hand-built bytes and decodes them back', () => {
    expect(encodePushNotificationRegistration(registration)).toEqual(registrationWire);
    expect(decodePushNotificationRegistration(registrationWire)).toEqual(registration);
    expect(encodePushNotificationRegistration(unregistration)).toEqual(unregistrationWire);
    expect(decodePushNotificationRegistration(unregistrationWire)).toEqual(unregistration);
    expect(decodePushNotificationRegistration(concatBytes(registrationWire, unknownFields()))).toEqual(
      registration,
    );
  });

  it('decodes an unknown token type to UNKNOWN_TOKEN_TYPE, which the server refuses', () => {
    const future = decodePushNotificationRegistration(proto().raw(registrationWire).varint(1, 7).finish());
    expect(future.tokenType).toBe('UNKNOWN_TOKEN_TYPE');
    expect(() => validatePushNotificationRegistration(future)).toThrow(
      refused('tokenType', 'MALFORMED_MESSAGE'),
    );
  });

  describe('validatePushNotificationRegistration (status-go server validateRegistration)', () => {
    it('accepts a registration, and an unregistration that carries nothing else', () => {
      expect(() => validatePushNotificationRegistration(registration)).not.toThrow();
      expect(() => validatePushNotificationRegistration(registration, { previousVersion: 2 })).not.toThrow();
      expect(() =>
        validatePushNotificationRegistration(unregistration, { previousVersion: 3 }),
      ).not.toThrow();
    });

    it('answers VERSION_MISMATCH for version 0 or a version not above the stored one', () => {
      expect(() => validatePushNotificationRegistration({ ...registration, version: 0 })).toThrow(
        refused('version', 'VERSION_MISMATCH'),
      );
      for (const previousVersion of [3, 4]) {
        expect(() => validatePushNotificationRegistration(registration, { previousVersion })).toThrow(
          refused('version', 'VERSION_MISMATCH'),
        );
      }
      expect(() => validatePushNotificationRegistration(unregistration, { previousVersion: 4 })).toThrow(
        refused('version', 'VERSION_MISMATCH'),
      );
    });

    it('answers MALFORMED_MESSAGE for an installation id or access token that is not a UUID', () => {
      for (const id of ['', 'device-1', `${registration.installationId}0`]) {
        expect(() => validatePushNotificationRegistration({ ...registration, installationId: id })).toThrow(
          refused('installationId', 'MALFORMED_MESSAGE'),
        );
        expect(() => validatePushNotificationRegistration({ ...unregistration, installationId: id })).toThrow(
          refused('installationId', 'MALFORMED_MESSAGE'),
        );
        expect(() => validatePushNotificationRegistration({ ...registration, accessToken: id })).toThrow(
          refused('accessToken', 'MALFORMED_MESSAGE'),
        );
      }
      // uuid.Parse's other forms are fine.
      const braced = `{${registration.accessToken}}`;
      expect(() =>
        validatePushNotificationRegistration({ ...registration, accessToken: braced }),
      ).not.toThrow();
    });

    it(`answers MALFORMED_MESSAGE unless the grant is ${PUSH_NOTIFICATION_GRANT_LENGTH} bytes`, () => {
      for (const length of [0, 64, 66]) {
        expect(() =>
          validatePushNotificationRegistration({ ...registration, grant: bytes(length, 1) }),
        ).toThrow(refused('grant', 'MALFORMED_MESSAGE'));
      }
    });

    it('answers MALFORMED_MESSAGE for an empty device token or an unknown token type', () => {
      expect(() => validatePushNotificationRegistration({ ...registration, deviceToken: '' })).toThrow(
        refused('deviceToken', 'MALFORMED_MESSAGE'),
      );
      expect(() =>
        validatePushNotificationRegistration({ ...registration, tokenType: 'UNKNOWN_TOKEN_TYPE' }),
      ).toThrow(refused('tokenType', 'MALFORMED_MESSAGE'));
      expect(() =>
        validatePushNotificationRegistration({ ...registration, tokenType: 'APN_TOKEN' }),
      ).not.toThrow();
    });

    it('is applied by the encoder too', () => {
      expect(() => encodePushNotificationRegistration({ ...registration, version: 0 })).toThrow(
        refused('version', 'VERSION_MISMATCH'),
      );
      expect(() => encodePushNotificationRegistration({ ...registration, deviceToken: '' })).toThrow(
        refused('deviceToken', 'MALFORMED_MESSAGE'),
      );
      expect(() =>
        encodePushNotificationRegistration({ ...registration, tokenType: 'X' as PushNotificationTokenType }),
      ).toThrow(code('ERR_PAYLOAD_INVALID_ARGUMENT'));
    });
  });

  const lists = [
    ['allowedKeyList', 7, MAX_PUSH_NOTIFICATION_ALLOWED_KEYS],
    ['blockedChatList', 8, MAX_PUSH_NOTIFICATION_CHAT_LIST],
    ['allowedMentionsChatList', 14, MAX_PUSH_NOTIFICATION_CHAT_LIST],
  ] as const;
  for (const [field, number, limit] of lists) {
    it(`accepts ${limit} entries in ${field} and refuses more`, () => {
      const atLimit = { ...registration, [field]: Array.from({ length: limit }, () => bytes(64, 7)) };
      const wire = encodePushNotificationRegistration(atLimit);
      expect(decodePushNotificationRegistration(wire)[field]).toHaveLength(limit);
      const over = { ...atLimit, [field]: [...atLimit[field], bytes(64, 7)] };
      expect(() => encodePushNotificationRegistration(over)).toThrow(
        expect.objectContaining({
          code: 'ERR_PAYLOAD_TOO_LARGE',
          details: { field, count: limit + 1, limit },
        }),
      );
      const overWire = proto().raw(wire).lengthDelimited(number, bytes(64, 7)).finish();
      expect(() => decodePushNotificationRegistration(overWire)).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
    });
  }

  it('round-trips any valid registration', () => {
    assertRoundTrips(registrations, encodePushNotificationRegistration, decodePushNotificationRegistration);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(
      registrations,
      encodePushNotificationRegistration,
      decodePushNotificationRegistration,
    );
  });
});

describe('PushNotificationRegistrationResponse', () => {
  it('encodes to the hand-built bytes and decodes them back', () => {
    expect(encodePushNotificationRegistrationResponse(response)).toEqual(responseWire);
    expect(decodePushNotificationRegistrationResponse(responseWire)).toEqual(response);
    expect(decodePushNotificationRegistrationResponse(concatBytes(responseWire, unknownFields()))).toEqual(
      response,
    );
    const success = { success: true, error: 'UNKNOWN_ERROR_TYPE' as const, requestId: bytes(64, 1) };
    const successWire = proto().bool(1, true).bytesField(3, success.requestId).finish();
    expect(encodePushNotificationRegistrationResponse(success)).toEqual(successWire);
    expect(decodePushNotificationRegistrationResponse(successWire)).toEqual(success);
  });

  it('decodes an unknown error number to UNKNOWN_ERROR_TYPE', () => {
    expect(decodePushNotificationRegistrationResponse(proto().varint(2, 50).finish()).error).toBe(
      'UNKNOWN_ERROR_TYPE',
    );
  });

  it('round-trips any response', () => {
    assertRoundTrips(
      responses,
      encodePushNotificationRegistrationResponse,
      decodePushNotificationRegistrationResponse,
    );
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(
      responses,
      encodePushNotificationRegistrationResponse,
      decodePushNotificationRegistrationResponse,
    );
  });
});
