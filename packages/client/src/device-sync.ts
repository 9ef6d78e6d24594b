import type { SyncInstallationContact } from '@status-ts/payloads';
import type { ContactInput, StoredContact } from './store/types.js';

// What our devices tell each other about contacts, as status-go v0.62.0 does it (messenger.go syncContact,
// message_handler.go HandleSyncInstallationContact), mapped onto the message store's contact records.

/** status-go's system tag of an added contact (protocol/contact.go). */
export const CONTACT_ADDED_TAG = ':contact/added';
/** status-go's system tag of a blocked contact (protocol/contact.go). */
export const CONTACT_BLOCKED_TAG = ':contact/blocked';

/**
 * The contacts SyncDevices sends: added ones other than us. A blocked contact is not sent: status-go
 * v0.62.0 syncs only `IsAdded()` contacts and marks every synced contact added whatever its tags say, so
 * syncing a block to a status-go device would add the very contact we blocked.
 */
export function contactsToSync(contacts: readonly StoredContact[], selfId: string): StoredContact[] {
  return contacts.filter((c) => c.added && !c.blocked && c.key !== selfId);
}

/**
 * SYNC_INSTALLATION_CONTACT for one contact. status-go fills clock, id, ENS name, image and nickname and
 * leaves the tags empty; we also tag it added, which status-go ignores and a newer reader can use.
 */
export function syncContactMessage(contact: StoredContact, clock: number): SyncInstallationContact {
  return {
    clock,
    id: contact.key,
    profileImage: contact.profileImage,
    ensName: contact.ensName,
    lastUpdated: 0,
    systemTags: [CONTACT_ADDED_TAG],
    localNickname: contact.nickname,
  };
}

/**
 * The change a received SYNC_INSTALLATION_CONTACT makes, or undefined when it is not newer than what we
 * have. status-go's rule: applied only when its clock is above the contact's last update clock, which then
 * takes the sync's clock; the contact becomes added, and takes the ENS name, image and nickname as sent.
 * A `:contact/blocked` tag (never sent by status-go v0.62.0) blocks instead of adding.
 */
export function syncedContactChange(
  message: SyncInstallationContact,
  existing: StoredContact | undefined,
): ContactInput | undefined {
  if ((existing?.lastUpdateClock ?? 0) >= message.clock) return undefined;
  const blocked = message.systemTags.includes(CONTACT_BLOCKED_TAG);
  return {
    key: message.id,
    ...(blocked ? { blocked: true, added: false } : { added: true }),
    ensName: message.ensName,
    profileImage: message.profileImage,
    nickname: message.localNickname,
    lastUpdateClock: message.clock,
  };
}
