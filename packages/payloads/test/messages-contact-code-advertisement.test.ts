import { concatBytes } from '@status-ts/core';
import { getPublicKey } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ContactCodeAdvertisement,
  decodeContactCodeAdvertisement,
  encodeContactCodeAdvertisement,
  MAX_PUSH_NOTIFICATION_INFOS,
  PUSH_NOTIFICATION_GRANT_LENGTH,
  PUSH_NOTIFICATION_HASHED_KEY_LENGTH,
  type PushNotificationQueryInfo,
  validateContactCodeAdvertisement,
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

const serverKeys = [1, 2].map((i) =>
  getPublicKey(
    Uint8Array.from({ length: 32 }, () => i),
    'compressed',
  ),
);
const info: PushNotificationQueryInfo = {
  accessToken: '9a8b7c6d-5e4f-4321-8fed-cba987654321',
  installationId: '4f1e2d3c-5b6a-4789-8a9b-0c1d2e3f4a5b',
  publicKey: bytes(PUSH_NOTIFICATION_HASHED_KEY_LENGTH, 0x11),
  allowedKeyList: [],
  grant: bytes(PUSH_NOTIFICATION_GRANT_LENGTH, 0x22),
  version: 5,
  serverPublicKey: serverKeys[0]!,
};
const contactsOnly: PushNotificationQueryInfo = {
  ...info,
  accessToken: '',
  allowedKeyList: [bytes(60, 0x33)],
  serverPublicKey: serverKeys[1]!,
};
const advertisement: ContactCodeAdvertisement = { pushNotificationInfo: [info, contactsOnly] };
// ContactCodeAdvertisement: push_notification_info = 1 (repeated PushNotificationQueryInfo, whose fields
// are access_token = 1, installation_id = 2, public_key = 3, allowed_key_list = 4, grant = 5,
// version = 6, server_public_key = 7).
const infoWire = (i: PushNotificationQueryInfo) =>
  proto()
    .string(1, i.accessToken)
    .string(2, i.installationId)
    .bytesField(3, i.publicKey)
    .repeatedBytes(4, i.allowedKeyList)
    .bytesField(5, i.grant)
    .varint(6, i.version)
    .bytesField(7, i.serverPublicKey)
    .finish();
const wire = proto()
  .repeatedBytes(1, [infoWire(info), infoWire(contactsOnly)])
  .finish();

const infos: fc.Arbitrary<PushNotificationQueryInfo> = fc.record({
  accessToken: wireText({ maxLength: 36 }),
  installationId: wireText({ maxLength: 36 }),
  publicKey: fc.uint8Array({
    minLength: PUSH_NOTIFICATION_HASHED_KEY_LENGTH,
    maxLength: PUSH_NOTIFICATION_HASHED_KEY_LENGTH,
  }),
  allowedKeyList: fc.array(fc.uint8Array({ maxLength: 70 }), { maxLength: 2 }),
  grant: fc.uint8Array({
    minLength: PUSH_NOTIFICATION_GRANT_LENGTH,
    maxLength: PUSH_NOTIFICATION_GRANT_LENGTH,
  }),
  version: fc.maxSafeNat(),
  serverPublicKey: fc.constantFrom(...serverKeys),
});
const advertisements: fc.Arbitrary<ContactCodeAdvertisement> = fc.record({
  pushNotificationInfo: fc.array(infos, { maxLength: 2 }),
});

describe('ContactCodeAdvertisement', () => {
  it('encodes to the hand-built bytes and decodes them back', () => {
    expect(encodeContactCodeAdvertisement(advertisement)).toEqual(wire);
    expect(decodeContactCodeAdvertisement(wire)).toEqual(advertisement);
    expect(decodeContactCodeAdvertisement(concatBytes(wire, unknownFields()))).toEqual(advertisement);
    expect(encodeContactCodeAdvertisement({ pushNotificationInfo: [] })).toEqual(new Uint8Array());
  });

  describe('validateContactCodeAdvertisement (status-go client HandleContactCodeAdvertisement)', () => {
    it('accepts valid infos, and none at all', () => {
      expect(() => validateContactCodeAdvertisement(advertisement)).not.toThrow();
      expect(() => validateContactCodeAdvertisement({ pushNotificationInfo: [] })).not.toThrow();
    });

    it('refuses the whole advertisement when one server key is not a compressed key on the curve', () => {
      const uncompressed = getPublicKey(Uint8Array.from({ length: 32 }, () => 1));
      const offCurve = Uint8Array.of(0x02, ...bytes(32, 0xff));
      const badPrefix = Uint8Array.of(0x04, ...serverKeys[0]!.subarray(1));
      for (const serverPublicKey of [
        new Uint8Array(),
        uncompressed,
        offCurve,
        badPrefix,
        serverKeys[0]!.subarray(1),
      ]) {
        const bad = { pushNotificationInfo: [info, { ...contactsOnly, serverPublicKey }] };
        expect(() => validateContactCodeAdvertisement(bad)).toThrow(invalid('serverPublicKey'));
        expect(() => encodeContactCodeAdvertisement(bad)).toThrow(invalid('serverPublicKey'));
      }
    });

    it('refuses an info whose key hash or grant has the wrong length', () => {
      const shortKey = { pushNotificationInfo: [{ ...info, publicKey: bytes(33, 1) }] };
      expect(() => validateContactCodeAdvertisement(shortKey)).toThrow(invalid('publicKey'));
      const shortGrant = { pushNotificationInfo: [{ ...info, grant: bytes(64, 1) }] };
      expect(() => validateContactCodeAdvertisement(shortGrant)).toThrow(invalid('grant'));
      expect(() => encodeContactCodeAdvertisement(shortGrant)).toThrow(invalid('grant'));
      // Without an access token the grant is not looked at until a token is decrypted.
      const noToken = { pushNotificationInfo: [{ ...contactsOnly, grant: new Uint8Array() }] };
      expect(() => validateContactCodeAdvertisement(noToken)).not.toThrow();
    });
  });

  it(`accepts ${MAX_PUSH_NOTIFICATION_INFOS} infos and refuses more`, () => {
    const atLimit = { pushNotificationInfo: Array.from({ length: MAX_PUSH_NOTIFICATION_INFOS }, () => info) };
    const encoded = encodeContactCodeAdvertisement(atLimit);
    expect(decodeContactCodeAdvertisement(encoded).pushNotificationInfo).toHaveLength(
      MAX_PUSH_NOTIFICATION_INFOS,
    );
    expect(() =>
      encodeContactCodeAdvertisement({ pushNotificationInfo: [...atLimit.pushNotificationInfo, info] }),
    ).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
    const over = proto().raw(encoded).lengthDelimited(1, infoWire(info)).finish();
    expect(() => decodeContactCodeAdvertisement(over)).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
  });

  it('round-trips any valid advertisement', () => {
    assertRoundTrips(advertisements, encodeContactCodeAdvertisement, decodeContactCodeAdvertisement);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(advertisements, encodeContactCodeAdvertisement, decodeContactCodeAdvertisement);
  });
});
