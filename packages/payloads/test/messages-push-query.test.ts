import { concatBytes } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePushNotificationQuery,
  decodePushNotificationQueryResponse,
  encodePushNotificationQuery,
  encodePushNotificationQueryResponse,
  MAX_PUSH_NOTIFICATION_ALLOWED_KEYS,
  MAX_PUSH_NOTIFICATION_INFOS,
  MAX_PUSH_NOTIFICATION_QUERY_KEYS,
  PUSH_NOTIFICATION_GRANT_LENGTH,
  PUSH_NOTIFICATION_HASHED_KEY_LENGTH,
  type PushNotificationQuery,
  type PushNotificationQueryInfo,
  type PushNotificationQueryResponse,
  validatePushNotificationQueryInfo,
  validatePushNotificationQueryResponse,
} from '../src/messages/index.js';
import {
  assertHostileBytesSafe,
  assertRoundTrips,
  proto,
  unknownFields,
  wireText,
} from './support/proto-writer.js';

const code = (c: string) => expect.objectContaining({ code: c });
const invalid = (field: string) =>
  expect.objectContaining({ code: 'ERR_PAYLOAD_INVALID_FIELD', details: { field } });
const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);

const hashedKey = bytes(PUSH_NOTIFICATION_HASHED_KEY_LENGTH, 0x11);
const query: PushNotificationQuery = {
  publicKeys: [hashedKey, bytes(PUSH_NOTIFICATION_HASHED_KEY_LENGTH, 0x22)],
};
// PushNotificationQuery: public_keys = 1 (repeated bytes).
const queryWire = proto().repeatedBytes(1, query.publicKeys).finish();

const openInfo: PushNotificationQueryInfo = {
  accessToken: '9a8b7c6d-5e4f-4321-8fed-cba987654321',
  installationId: '4f1e2d3c-5b6a-4789-8a9b-0c1d2e3f4a5b',
  publicKey: hashedKey,
  allowedKeyList: [],
  grant: bytes(PUSH_NOTIFICATION_GRANT_LENGTH, 0x33),
  version: 2,
  serverPublicKey: new Uint8Array(),
};
const contactsOnlyInfo: PushNotificationQueryInfo = {
  ...openInfo,
  accessToken: '',
  allowedKeyList: [bytes(60, 0x44), bytes(60, 0x55)],
  version: 1,
};
// PushNotificationQueryInfo: access_token = 1, installation_id = 2, public_key = 3,
// allowed_key_list = 4, grant = 5, version = 6, server_public_key = 7.
const infoWire = (info: PushNotificationQueryInfo) =>
  proto()
    .string(1, info.accessToken)
    .string(2, info.installationId)
    .bytesField(3, info.publicKey)
    .repeatedBytes(4, info.allowedKeyList)
    .bytesField(5, info.grant)
    .varint(6, info.version)
    .bytesField(7, info.serverPublicKey)
    .finish();

const response: PushNotificationQueryResponse = {
  info: [openInfo, contactsOnlyInfo],
  messageId: bytes(32, 0x66),
  success: true,
};
// PushNotificationQueryResponse: info = 1 (repeated message), message_id = 2, success = 3.
const responseWire = proto()
  .repeatedBytes(1, [infoWire(openInfo), infoWire(contactsOnlyInfo)])
  .bytesField(2, response.messageId)
  .bool(3, true)
  .finish();

const smallBytes = fc.uint8Array({ maxLength: 70 });
const queries: fc.Arbitrary<PushNotificationQuery> = fc.record({
  publicKeys: fc.array(smallBytes, { maxLength: 4 }),
});
const infos: fc.Arbitrary<PushNotificationQueryInfo> = fc.record({
  accessToken: wireText({ maxLength: 36 }),
  installationId: wireText({ maxLength: 36 }),
  publicKey: smallBytes,
  allowedKeyList: fc.array(smallBytes, { maxLength: 2 }),
  grant: smallBytes,
  version: fc.maxSafeNat(),
  serverPublicKey: smallBytes,
});
const responses: fc.Arbitrary<PushNotificationQueryResponse> = fc.record({
  info: fc.array(infos, { maxLength: 2 }),
  messageId: smallBytes,
  success: fc.boolean(),
});

describe('PushNotificationQuery', () => {
  it('encodes to the hand-built bytes and decodes them back', () => {
    expect(encodePushNotificationQuery(query)).toEqual(queryWire);
    expect(decodePushNotificationQuery(queryWire)).toEqual(query);
    expect(decodePushNotificationQuery(concatBytes(queryWire, unknownFields()))).toEqual(query);
  });

  it(`accepts ${MAX_PUSH_NOTIFICATION_QUERY_KEYS} keys and refuses more`, () => {
    const atLimit = { publicKeys: Array.from({ length: MAX_PUSH_NOTIFICATION_QUERY_KEYS }, () => hashedKey) };
    const wire = encodePushNotificationQuery(atLimit);
    expect(decodePushNotificationQuery(wire)).toEqual(atLimit);
    expect(() => encodePushNotificationQuery({ publicKeys: [...atLimit.publicKeys, hashedKey] })).toThrow(
      code('ERR_PAYLOAD_TOO_LARGE'),
    );
    expect(() =>
      decodePushNotificationQuery(proto().raw(wire).lengthDelimited(1, hashedKey).finish()),
    ).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
  });

  it('round-trips any query', () => {
    assertRoundTrips(queries, encodePushNotificationQuery, decodePushNotificationQuery);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(queries, encodePushNotificationQuery, decodePushNotificationQuery);
  });
});

describe('PushNotificationQueryInfo checks (status-go client processQueryInfo)', () => {
  it('accepts an info with a token and a grant, with allowed keys only, or with nothing usable', () => {
    expect(() => validatePushNotificationQueryInfo(openInfo)).not.toThrow();
    expect(() => validatePushNotificationQueryInfo(contactsOnlyInfo)).not.toThrow();
    expect(() =>
      validatePushNotificationQueryInfo({ ...contactsOnlyInfo, allowedKeyList: [], grant: new Uint8Array() }),
    ).not.toThrow();
  });

  it(`needs a ${PUSH_NOTIFICATION_HASHED_KEY_LENGTH}-byte key hash`, () => {
    for (const length of [0, 33, 63, 65]) {
      expect(() => validatePushNotificationQueryInfo({ ...openInfo, publicKey: bytes(length, 1) })).toThrow(
        invalid('publicKey'),
      );
    }
  });

  it(`needs a ${PUSH_NOTIFICATION_GRANT_LENGTH}-byte grant when it gives an access token`, () => {
    for (const length of [0, 64, 66]) {
      expect(() => validatePushNotificationQueryInfo({ ...openInfo, grant: bytes(length, 1) })).toThrow(
        invalid('grant'),
      );
    }
  });
});

describe('PushNotificationQueryResponse', () => {
  it('encodes to the hand-built bytes and decodes them back', () => {
    expect(encodePushNotificationQueryResponse(response)).toEqual(responseWire);
    expect(decodePushNotificationQueryResponse(responseWire)).toEqual(response);
    expect(decodePushNotificationQueryResponse(concatBytes(responseWire, unknownFields()))).toEqual(response);
  });

  it('skips unknown fields inside the infos too', () => {
    const wire = proto()
      .lengthDelimited(1, concatBytes(infoWire(openInfo), unknownFields()))
      .bytesField(2, response.messageId)
      .finish();
    expect(decodePushNotificationQueryResponse(wire)).toEqual({
      info: [openInfo],
      messageId: response.messageId,
      success: false,
    });
  });

  it('is refused on receipt without infos, as status-go drops it, but can be built (the "not found" answer)', () => {
    expect(() => validatePushNotificationQueryResponse(response)).not.toThrow();
    const notFound = { info: [], messageId: response.messageId, success: false };
    expect(() => validatePushNotificationQueryResponse(notFound)).toThrow(invalid('info'));
    expect(encodePushNotificationQueryResponse(notFound)).toEqual(
      proto().bytesField(2, response.messageId).finish(),
    );
  });

  it(`accepts ${MAX_PUSH_NOTIFICATION_INFOS} infos and refuses more`, () => {
    const atLimit = {
      ...response,
      info: Array.from({ length: MAX_PUSH_NOTIFICATION_INFOS }, () => openInfo),
    };
    const wire = encodePushNotificationQueryResponse(atLimit);
    expect(decodePushNotificationQueryResponse(wire).info).toHaveLength(MAX_PUSH_NOTIFICATION_INFOS);
    expect(() =>
      encodePushNotificationQueryResponse({ ...atLimit, info: [...atLimit.info, openInfo] }),
    ).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
    expect(() =>
      decodePushNotificationQueryResponse(proto().raw(wire).lengthDelimited(1, new Uint8Array()).finish()),
    ).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
  });

  it(`accepts ${MAX_PUSH_NOTIFICATION_ALLOWED_KEYS} allowed keys in an info and refuses more`, () => {
    const keys = Array.from({ length: MAX_PUSH_NOTIFICATION_ALLOWED_KEYS }, () => bytes(60, 1));
    const atLimit = { ...response, info: [{ ...contactsOnlyInfo, allowedKeyList: keys }] };
    const decoded = decodePushNotificationQueryResponse(encodePushNotificationQueryResponse(atLimit));
    expect(decoded.info[0]?.allowedKeyList).toHaveLength(MAX_PUSH_NOTIFICATION_ALLOWED_KEYS);
    const over = { ...response, info: [{ ...contactsOnlyInfo, allowedKeyList: [...keys, bytes(60, 1)] }] };
    expect(() => encodePushNotificationQueryResponse(over)).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
    const overWire = proto().lengthDelimited(1, infoWire(over.info[0]!)).finish();
    expect(() => decodePushNotificationQueryResponse(overWire)).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
  });

  it('round-trips any response', () => {
    assertRoundTrips(responses, encodePushNotificationQueryResponse, decodePushNotificationQueryResponse);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(
      responses,
      encodePushNotificationQueryResponse,
      decodePushNotificationQueryResponse,
    );
  });
});
