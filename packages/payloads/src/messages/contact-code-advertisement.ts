import { create } from '@bufbuild/protobuf';
import { COMPRESSED_PUBLIC_KEY_LENGTH, isValidPublicKey } from '@status-ts/crypto';
import { ContactCodeAdvertisementSchema } from '../proto.js';
import {
  checkListLength,
  decodeMessage,
  encodeMessage,
  invalidField,
  type MessageDecodeOptions,
} from './codec.js';
import {
  MAX_PUSH_NOTIFICATION_INFOS,
  type PushNotificationQueryInfo,
  pushNotificationQueryInfoFromProto,
  pushNotificationQueryInfoToProto,
  validatePushNotificationQueryInfo,
} from './push-query.js';

/**
 * CONTACT_CODE_ADVERTISEMENT: published on the user's contact code topic with the encryption bundle; it
 * tells contacts, unasked, how to notify each of the user's installations (one info per push
 * notification server the user registered with).
 */
export interface ContactCodeAdvertisement {
  /** At most MAX_PUSH_NOTIFICATION_INFOS entries. */
  readonly pushNotificationInfo: readonly PushNotificationQueryInfo[];
}

/**
 * What status-go's client (HandleContactCodeAdvertisement) requires, info by info, failing the whole
 * advertisement at the first bad one: a server key that is a valid 33-byte compressed secp256k1 key
 * (Go's DecompressPubkey), then validatePushNotificationQueryInfo. ERR_PAYLOAD_INVALID_FIELD otherwise.
 * It also ignores advertisements signed by ourselves, and checks each info's key hash against the
 * author's and its grant: the caller's part.
 */
export function validateContactCodeAdvertisement(advertisement: ContactCodeAdvertisement): void {
  for (const info of advertisement.pushNotificationInfo) {
    if (
      info.serverPublicKey.length !== COMPRESSED_PUBLIC_KEY_LENGTH ||
      !isValidPublicKey(info.serverPublicKey)
    ) {
      throw invalidField('serverPublicKey', 'serverPublicKey must be a 33-byte compressed secp256k1 key');
    }
    validatePushNotificationQueryInfo(info);
  }
}

/**
 * Serializes an advertisement; refuses what validateContactCodeAdvertisement would
 * (ERR_PAYLOAD_INVALID_FIELD) and more than MAX_PUSH_NOTIFICATION_INFOS infos (ERR_PAYLOAD_TOO_LARGE).
 */
export function encodeContactCodeAdvertisement(advertisement: ContactCodeAdvertisement): Uint8Array {
  checkListLength(advertisement.pushNotificationInfo, MAX_PUSH_NOTIFICATION_INFOS, 'pushNotificationInfo');
  validateContactCodeAdvertisement(advertisement);
  return encodeMessage(
    ContactCodeAdvertisementSchema,
    create(ContactCodeAdvertisementSchema, {
      pushNotificationInfo: advertisement.pushNotificationInfo.map(pushNotificationQueryInfoToProto),
    }),
  );
}

/** Parses an advertisement; ERR_PAYLOAD_TOO_LARGE when a list is above its limit. */
export function decodeContactCodeAdvertisement(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): ContactCodeAdvertisement {
  const message = decodeMessage(ContactCodeAdvertisementSchema, bytes, options);
  checkListLength(message.pushNotificationInfo, MAX_PUSH_NOTIFICATION_INFOS, 'pushNotificationInfo');
  return { pushNotificationInfo: message.pushNotificationInfo.map(pushNotificationQueryInfoFromProto) };
}
