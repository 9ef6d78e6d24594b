import { create } from '@bufbuild/protobuf';
import { isOneToOneChatId } from '../chat-id.js';
import { validateClock } from '../clock.js';
import { checkText, checkTexts, isGoBlank } from '../go-text.js';
import {
  PairInstallationSchema,
  type SyncInstallationAccount as SyncInstallationAccountProto,
  SyncInstallationAccountSchema,
  type SyncInstallationContact as SyncInstallationContactProto,
  SyncInstallationContactSchema,
  type SyncInstallationPublicChat as SyncInstallationPublicChatProto,
  SyncInstallationPublicChatSchema,
  SyncInstallationSchema,
} from '../proto.js';
import { numberToUint64, uint64ToNumber } from '../uint64.js';
import {
  checkListLength,
  decodeMessage,
  encodeMessage,
  invalidField,
  type MessageDecodeOptions,
  requireClock,
} from './codec.js';

// Messages between the devices of one account. status-go handles them only when they are signed by our
// own identity key ("not coming from us, ignoring"): that check is the caller's, on the wrapper's author.

/**
 * Contacts in one SyncInstallation. status-go v0.62.0 sets no limit (it decodes SyncInstallation and
 * then ignores it: it syncs contacts one SyncInstallationContact at a time); only the 1 MiB transport
 * bounds it. A valid contact takes at least 138 bytes (its 132-character id), so about 7,600 fit; 5,000
 * is beyond a real contact list and keeps a hostile message of empty entries from becoming half a million
 * objects.
 */
export const MAX_SYNC_INSTALLATION_CONTACTS = 5_000;

/** Public chats in one SyncInstallation: no limit in status-go v0.62.0 either; 5,000 as for contacts. */
export const MAX_SYNC_INSTALLATION_PUBLIC_CHATS = 5_000;

/**
 * system_tags of one synced contact. status-go v0.62.0 sets no limit; it writes at most three distinct
 * tags (`:contact/added`, `:contact/blocked`, `:contact/request-received`), so 32 leaves room for newer
 * tags.
 */
export const MAX_SYNC_CONTACT_SYSTEM_TAGS = 32;

/** PAIR_INSTALLATION: announces one of our devices (its installation id, type and name) to the others. */
export interface PairInstallation {
  readonly clock: number;
  readonly installationId: string;
  /** e.g. `ios`, `android`, `desktop`. */
  readonly deviceType: string;
  /** The name the user gave the device. */
  readonly name: string;
}

/** SYNC_INSTALLATION_CONTACT: a contact added on another of our devices. */
export interface SyncInstallationContact {
  readonly clock: number;
  /** The contact's key as a contact id: `0x04` + 128 lowercase hex digits. */
  readonly id: string;
  readonly profileImage: string;
  readonly ensName: string;
  readonly lastUpdated: number;
  readonly systemTags: readonly string[];
  readonly localNickname: string;
}

/** SYNC_INSTALLATION_ACCOUNT: our own profile image, for our other devices. */
export interface SyncInstallationAccount {
  readonly clock: number;
  readonly profileImage: string;
  readonly lastUpdated: number;
}

/** SYNC_INSTALLATION_PUBLIC_CHAT: a public chat joined on another of our devices (`id` is its name). */
export interface SyncInstallationPublicChat {
  readonly clock: number;
  readonly id: string;
}

/** SYNC_INSTALLATION: everything at once (decoded but not acted upon by status-go v0.62.0). */
export interface SyncInstallation {
  readonly contacts: readonly SyncInstallationContact[];
  readonly publicChats: readonly SyncInstallationPublicChat[];
  /** Absent when the sender left the field out (an empty account is present with default values). */
  readonly account?: SyncInstallationAccount;
}

// Static part of ValidateReceivedPairInstallation, in status-go's order.
function checkPairInstallation(message: PairInstallation): void {
  if (isGoBlank(message.name)) throw invalidField('name', "name can't be empty");
  if (isGoBlank(message.deviceType)) throw invalidField('deviceType', "device type can't be empty");
  if (isGoBlank(message.installationId))
    throw invalidField('installationId', "installationId can't be empty");
}

/**
 * status-go's ValidateReceivedPairInstallation: the clock rule (not 0, at most 120 s ahead of the
 * envelope time in ms), then name, device type and installation id must not be empty or white space
 * (Go's TrimSpace). ERR_PAYLOAD_INVALID_FIELD otherwise.
 */
export function validatePairInstallation(message: PairInstallation, envelopeTimeMs: number): void {
  validateClock(message.clock, envelopeTimeMs);
  checkPairInstallation(message);
}

/** Serializes a PairInstallation; refuses (ERR_PAYLOAD_INVALID_FIELD) what validatePairInstallation would. */
export function encodePairInstallation(message: PairInstallation): Uint8Array {
  requireClock(message.clock);
  checkPairInstallation(message);
  checkText(message.installationId, 'installationId');
  checkText(message.deviceType, 'deviceType');
  checkText(message.name, 'name');
  return encodeMessage(
    PairInstallationSchema,
    create(PairInstallationSchema, {
      clock: numberToUint64(message.clock, 'clock'),
      installationId: message.installationId,
      deviceType: message.deviceType,
      name: message.name,
    }),
  );
}

/** Parses a PairInstallation; unknown fields are skipped. */
export function decodePairInstallation(bytes: Uint8Array, options?: MessageDecodeOptions): PairInstallation {
  const message = decodeMessage(PairInstallationSchema, bytes, options);
  return {
    clock: uint64ToNumber(message.clock, 'clock'),
    installationId: message.installationId,
    deviceType: message.deviceType,
    name: message.name,
  };
}

/**
 * What status-go's HandleSyncInstallationContact needs (it has no validator, but fails on anything
 * else): `id` must be a contact id, `0x` and the hex of a 65-byte uncompressed key on the curve. We take
 * the lowercase form status-go writes; its parser would also take upper-case hex.
 */
export function validateSyncInstallationContact(contact: SyncInstallationContact): void {
  if (!isOneToOneChatId(contact.id)) {
    throw invalidField('id', 'id must be a contact id: 0x04 and 128 lowercase hex digits of a valid key');
  }
}

function syncContactToProto(contact: SyncInstallationContact): SyncInstallationContactProto {
  validateSyncInstallationContact(contact);
  checkListLength(contact.systemTags, MAX_SYNC_CONTACT_SYSTEM_TAGS, 'systemTags');
  checkText(contact.profileImage, 'profileImage');
  checkText(contact.ensName, 'ensName');
  checkTexts(contact.systemTags, 'systemTags');
  checkText(contact.localNickname, 'localNickname');
  return create(SyncInstallationContactSchema, {
    clock: numberToUint64(contact.clock, 'clock'),
    id: contact.id,
    profileImage: contact.profileImage,
    ensName: contact.ensName,
    lastUpdated: numberToUint64(contact.lastUpdated, 'lastUpdated'),
    systemTags: [...contact.systemTags],
    localNickname: contact.localNickname,
  });
}

function syncContactFromProto(message: SyncInstallationContactProto): SyncInstallationContact {
  checkListLength(message.systemTags, MAX_SYNC_CONTACT_SYSTEM_TAGS, 'systemTags');
  return {
    clock: uint64ToNumber(message.clock, 'clock'),
    id: message.id,
    profileImage: message.profileImage,
    ensName: message.ensName,
    lastUpdated: uint64ToNumber(message.lastUpdated, 'lastUpdated'),
    systemTags: message.systemTags,
    localNickname: message.localNickname,
  };
}

/**
 * Serializes a SyncInstallationContact; ERR_PAYLOAD_INVALID_FIELD for an id that is not a contact id,
 * ERR_PAYLOAD_TOO_LARGE above MAX_SYNC_CONTACT_SYSTEM_TAGS tags.
 */
export function encodeSyncInstallationContact(contact: SyncInstallationContact): Uint8Array {
  return encodeMessage(SyncInstallationContactSchema, syncContactToProto(contact));
}

/** Parses a SyncInstallationContact; ERR_PAYLOAD_TOO_LARGE above MAX_SYNC_CONTACT_SYSTEM_TAGS tags. */
export function decodeSyncInstallationContact(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): SyncInstallationContact {
  return syncContactFromProto(decodeMessage(SyncInstallationContactSchema, bytes, options));
}

function syncAccountToProto(account: SyncInstallationAccount): SyncInstallationAccountProto {
  checkText(account.profileImage, 'profileImage');
  return create(SyncInstallationAccountSchema, {
    clock: numberToUint64(account.clock, 'clock'),
    profileImage: account.profileImage,
    lastUpdated: numberToUint64(account.lastUpdated, 'lastUpdated'),
  });
}

function syncAccountFromProto(message: SyncInstallationAccountProto): SyncInstallationAccount {
  return {
    clock: uint64ToNumber(message.clock, 'clock'),
    profileImage: message.profileImage,
    lastUpdated: uint64ToNumber(message.lastUpdated, 'lastUpdated'),
  };
}

/** Serializes a SyncInstallationAccount (status-go validates nothing in it). */
export function encodeSyncInstallationAccount(account: SyncInstallationAccount): Uint8Array {
  return encodeMessage(SyncInstallationAccountSchema, syncAccountToProto(account));
}

/** Parses a SyncInstallationAccount; unknown fields are skipped. */
export function decodeSyncInstallationAccount(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): SyncInstallationAccount {
  return syncAccountFromProto(decodeMessage(SyncInstallationAccountSchema, bytes, options));
}

function syncPublicChatToProto(chat: SyncInstallationPublicChat): SyncInstallationPublicChatProto {
  checkText(chat.id, 'id');
  return create(SyncInstallationPublicChatSchema, {
    clock: numberToUint64(chat.clock, 'clock'),
    id: chat.id,
  });
}

function syncPublicChatFromProto(message: SyncInstallationPublicChatProto): SyncInstallationPublicChat {
  return { clock: uint64ToNumber(message.clock, 'clock'), id: message.id };
}

/**
 * Serializes a SyncInstallationPublicChat. status-go checks nothing on receipt (it joins whatever `id`
 * says); use publicChatId() from this package to build a valid name.
 */
export function encodeSyncInstallationPublicChat(chat: SyncInstallationPublicChat): Uint8Array {
  return encodeMessage(SyncInstallationPublicChatSchema, syncPublicChatToProto(chat));
}

/** Parses a SyncInstallationPublicChat; unknown fields are skipped. */
export function decodeSyncInstallationPublicChat(
  bytes: Uint8Array,
  options?: MessageDecodeOptions,
): SyncInstallationPublicChat {
  return syncPublicChatFromProto(decodeMessage(SyncInstallationPublicChatSchema, bytes, options));
}

/**
 * Serializes a SyncInstallation: each contact as encodeSyncInstallationContact requires, at most
 * MAX_SYNC_INSTALLATION_CONTACTS contacts and MAX_SYNC_INSTALLATION_PUBLIC_CHATS chats
 * (ERR_PAYLOAD_TOO_LARGE).
 */
export function encodeSyncInstallation(sync: SyncInstallation): Uint8Array {
  checkListLength(sync.contacts, MAX_SYNC_INSTALLATION_CONTACTS, 'contacts');
  checkListLength(sync.publicChats, MAX_SYNC_INSTALLATION_PUBLIC_CHATS, 'publicChats');
  return encodeMessage(
    SyncInstallationSchema,
    create(SyncInstallationSchema, {
      contacts: sync.contacts.map(syncContactToProto),
      publicChats: sync.publicChats.map(syncPublicChatToProto),
      ...(sync.account === undefined ? {} : { account: syncAccountToProto(sync.account) }),
    }),
  );
}

/** Parses a SyncInstallation; ERR_PAYLOAD_TOO_LARGE when a list is above its limit. */
export function decodeSyncInstallation(bytes: Uint8Array, options?: MessageDecodeOptions): SyncInstallation {
  const message = decodeMessage(SyncInstallationSchema, bytes, options);
  checkListLength(message.contacts, MAX_SYNC_INSTALLATION_CONTACTS, 'contacts');
  checkListLength(message.publicChats, MAX_SYNC_INSTALLATION_PUBLIC_CHATS, 'publicChats');
  return {
    contacts: message.contacts.map(syncContactFromProto),
    publicChats: message.publicChats.map(syncPublicChatFromProto),
    ...(message.account === undefined ? {} : { account: syncAccountFromProto(message.account) }),
  };
}
