import { bytesToHex, concatBytes } from '@status-ts/core';
import { getPublicKey } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePairInstallation,
  decodeSyncInstallation,
  decodeSyncInstallationAccount,
  decodeSyncInstallationContact,
  decodeSyncInstallationPublicChat,
  encodePairInstallation,
  encodeSyncInstallation,
  encodeSyncInstallationAccount,
  encodeSyncInstallationContact,
  encodeSyncInstallationPublicChat,
  MAX_SYNC_CONTACT_SYSTEM_TAGS,
  MAX_SYNC_INSTALLATION_CONTACTS,
  MAX_SYNC_INSTALLATION_PUBLIC_CHATS,
  type PairInstallation,
  type SyncInstallation,
  type SyncInstallationAccount,
  type SyncInstallationContact,
  type SyncInstallationPublicChat,
  validatePairInstallation,
  validateSyncInstallationContact,
} from '../src/messages/index.js';
import {
  assertHostileBytesSafe,
  assertRoundTrips,
  proto,
  unknownFields,
  wireText,
} from './support/proto-writer.js';

const code = (c: string) => expect.objectContaining({ code: c });
const NOW = 1_600_000_000_000;

const contactIds = [1, 2, 3].map(
  (i) => `0x${bytesToHex(getPublicKey(Uint8Array.from({ length: 32 }, () => i)))}`,
);
const contactId = contactIds[0]!;

// pairing.proto field numbers, in Go's (field-number) order.
const pair: PairInstallation = {
  clock: NOW,
  installationId: 'c4a1f3b2-inst',
  deviceType: 'desktop',
  name: 'laptop',
};
const pairWire = proto()
  .varint(1, pair.clock)
  .string(2, pair.installationId)
  .string(3, pair.deviceType)
  .string(4, pair.name)
  .finish();

const contact: SyncInstallationContact = {
  clock: NOW + 1,
  id: contactId,
  profileImage: 'data:image/png;base64,AA==',
  ensName: 'bob.stateofus.eth',
  lastUpdated: NOW - 5,
  systemTags: [':contact/added', ':contact/blocked'],
  localNickname: 'Bobby',
};
const contactWire = proto()
  .varint(1, contact.clock)
  .string(2, contact.id)
  .string(3, contact.profileImage)
  .string(4, contact.ensName)
  .varint(5, contact.lastUpdated)
  .repeatedString(6, contact.systemTags)
  .string(7, contact.localNickname)
  .finish();

const account: SyncInstallationAccount = {
  clock: NOW + 2,
  profileImage: 'data:image/jpeg;base64,/9j=',
  lastUpdated: NOW,
};
const accountWire = proto()
  .varint(1, account.clock)
  .string(2, account.profileImage)
  .varint(3, account.lastUpdated)
  .finish();

const chat: SyncInstallationPublicChat = { clock: NOW + 3, id: 'status' };
const chatWire = proto().varint(1, chat.clock).string(2, chat.id).finish();

const sync: SyncInstallation = { contacts: [contact, contact], publicChats: [chat], account };
const syncWire = proto()
  .repeatedBytes(1, [contactWire, contactWire])
  .repeatedBytes(2, [chatWire])
  .lengthDelimited(3, accountWire)
  .finish();

const text = wireText({ maxLength: 12 });
const clock = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const nonBlank = wireText({ minLength: 1, maxLength: 12 }).map((s) => `x${s}`);

const pairs: fc.Arbitrary<PairInstallation> = fc.record({
  clock,
  installationId: nonBlank,
  deviceType: nonBlank,
  name: nonBlank,
});
const contacts: fc.Arbitrary<SyncInstallationContact> = fc.record({
  clock: fc.maxSafeNat(),
  id: fc.constantFrom(...contactIds),
  profileImage: text,
  ensName: text,
  lastUpdated: fc.maxSafeNat(),
  systemTags: fc.array(text, { maxLength: 3 }),
  localNickname: text,
});
const accounts: fc.Arbitrary<SyncInstallationAccount> = fc.record({
  clock: fc.maxSafeNat(),
  profileImage: text,
  lastUpdated: fc.maxSafeNat(),
});
const chats: fc.Arbitrary<SyncInstallationPublicChat> = fc.record({ clock: fc.maxSafeNat(), id: text });
const syncs: fc.Arbitrary<SyncInstallation> = fc.record(
  {
    contacts: fc.array(contacts, { maxLength: 2 }),
    publicChats: fc.array(chats, { maxLength: 2 }),
    account: accounts,
  },
  { requiredKeys: ['contacts', 'publicChats'] },
);

describe('PairInstallation', () => {
  it('encodes to the hand-built bytes and decodes them back', () => {
    expect(encodePairInstallation(pair)).toEqual(pairWire);
    expect(decodePairInstallation(pairWire)).toEqual(pair);
    expect(decodePairInstallation(concatBytes(pairWire, unknownFields()))).toEqual(pair);
  });

  it('validates as status-go: clock not 0 and at most 120 s ahead of the envelope', () => {
    expect(() => validatePairInstallation(pair, NOW)).not.toThrow();
    expect(() => validatePairInstallation({ ...pair, clock: NOW + 120_000 }, NOW)).not.toThrow();
    expect(() => validatePairInstallation({ ...pair, clock: NOW + 120_001 }, NOW)).toThrow(
      code('ERR_PAYLOAD_INVALID_FIELD'),
    );
    // Far behind is fine: late devices and mailservers deliver old messages.
    expect(() => validatePairInstallation({ ...pair, clock: 1 }, NOW)).not.toThrow();
    expect(() => validatePairInstallation({ ...pair, clock: 0 }, NOW)).toThrow(
      code('ERR_PAYLOAD_INVALID_FIELD'),
    );
  });

  it('refuses a blank name, device type or installation id (Go TrimSpace), on receipt and on encode', () => {
    for (const field of ['name', 'deviceType', 'installationId'] as const) {
      for (const blank of ['', '  ', '\t\n', '\u0085']) {
        const bad = { ...pair, [field]: blank };
        expect(() => validatePairInstallation(bad, NOW), `${field}=${JSON.stringify(blank)}`).toThrow(
          expect.objectContaining({ code: 'ERR_PAYLOAD_INVALID_FIELD', details: { field } }),
        );
        expect(() => encodePairInstallation(bad)).toThrow(code('ERR_PAYLOAD_INVALID_FIELD'));
      }
      // U+FEFF is not white space for Go.
      expect(() => validatePairInstallation({ ...pair, [field]: '\ufeff' }, NOW)).not.toThrow();
    }
    expect(() => encodePairInstallation({ ...pair, clock: 0 })).toThrow(code('ERR_PAYLOAD_INVALID_FIELD'));
  });

  it('round-trips any valid message', () => {
    assertRoundTrips(pairs, encodePairInstallation, decodePairInstallation);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(pairs, encodePairInstallation, decodePairInstallation);
  });
});

describe('SyncInstallationContact', () => {
  it('encodes to the hand-built bytes and decodes them back', () => {
    expect(encodeSyncInstallationContact(contact)).toEqual(contactWire);
    expect(decodeSyncInstallationContact(contactWire)).toEqual(contact);
    expect(decodeSyncInstallationContact(concatBytes(contactWire, unknownFields()))).toEqual(contact);
  });

  it('needs a contact id of a valid key, as status-go parses it', () => {
    expect(() => validateSyncInstallationContact(contact)).not.toThrow();
    const notOnCurve = `0x04${'00'.repeat(64)}`;
    for (const id of [
      '',
      '0x',
      contactId.slice(0, -2),
      `${contactId}00`,
      notOnCurve,
      contactId.toUpperCase(),
    ]) {
      expect(() => validateSyncInstallationContact({ ...contact, id }), id).toThrow(
        code('ERR_PAYLOAD_INVALID_FIELD'),
      );
      expect(() => encodeSyncInstallationContact({ ...contact, id })).toThrow(
        code('ERR_PAYLOAD_INVALID_FIELD'),
      );
    }
  });

  it(`accepts ${MAX_SYNC_CONTACT_SYSTEM_TAGS} system tags and refuses more`, () => {
    const tags = Array.from({ length: MAX_SYNC_CONTACT_SYSTEM_TAGS }, (_, i) => `:tag/${i}`);
    const atLimit = { ...contact, systemTags: tags };
    expect(decodeSyncInstallationContact(encodeSyncInstallationContact(atLimit))).toEqual(atLimit);
    const over = [...tags, ':tag/extra'];
    expect(() => encodeSyncInstallationContact({ ...contact, systemTags: over })).toThrow(
      code('ERR_PAYLOAD_TOO_LARGE'),
    );
    const overWire = proto().string(2, contactId).repeatedString(6, over).finish();
    expect(() => decodeSyncInstallationContact(overWire)).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
  });

  it('round-trips any valid message', () => {
    assertRoundTrips(contacts, encodeSyncInstallationContact, decodeSyncInstallationContact);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(contacts, encodeSyncInstallationContact, decodeSyncInstallationContact);
  });
});

describe('SyncInstallationAccount', () => {
  it('encodes to the hand-built bytes and decodes them back', () => {
    expect(encodeSyncInstallationAccount(account)).toEqual(accountWire);
    expect(decodeSyncInstallationAccount(accountWire)).toEqual(account);
    expect(decodeSyncInstallationAccount(concatBytes(accountWire, unknownFields()))).toEqual(account);
  });

  it('round-trips any message', () => {
    assertRoundTrips(accounts, encodeSyncInstallationAccount, decodeSyncInstallationAccount);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(accounts, encodeSyncInstallationAccount, decodeSyncInstallationAccount);
  });
});

describe('SyncInstallationPublicChat', () => {
  it('encodes to the hand-built bytes and decodes them back', () => {
    expect(encodeSyncInstallationPublicChat(chat)).toEqual(chatWire);
    expect(decodeSyncInstallationPublicChat(chatWire)).toEqual(chat);
    expect(decodeSyncInstallationPublicChat(concatBytes(chatWire, unknownFields()))).toEqual(chat);
  });

  it('round-trips any message', () => {
    assertRoundTrips(chats, encodeSyncInstallationPublicChat, decodeSyncInstallationPublicChat);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(chats, encodeSyncInstallationPublicChat, decodeSyncInstallationPublicChat);
  });
});

describe('SyncInstallation', () => {
  it('encodes to the hand-built bytes and decodes them back', () => {
    expect(encodeSyncInstallation(sync)).toEqual(syncWire);
    expect(decodeSyncInstallation(syncWire)).toEqual(sync);
    expect(decodeSyncInstallation(concatBytes(syncWire, unknownFields()))).toEqual(sync);
  });

  it('tells an absent account from a present empty one', () => {
    const without = { contacts: [], publicChats: [] };
    expect(encodeSyncInstallation(without)).toEqual(new Uint8Array());
    expect(decodeSyncInstallation(new Uint8Array())).toEqual(without);
    const empty = { ...without, account: { clock: 0, profileImage: '', lastUpdated: 0 } };
    expect(encodeSyncInstallation(empty)).toEqual(Uint8Array.of(0x1a, 0));
    expect(decodeSyncInstallation(Uint8Array.of(0x1a, 0))).toEqual(empty);
  });

  it('refuses a contact with a bad id when building', () => {
    expect(() => encodeSyncInstallation({ ...sync, contacts: [{ ...contact, id: 'x' }] })).toThrow(
      code('ERR_PAYLOAD_INVALID_FIELD'),
    );
  });

  it(`accepts ${MAX_SYNC_INSTALLATION_CONTACTS} contacts and refuses more`, () => {
    const minimal = { ...contact, profileImage: '', ensName: '', systemTags: [], localNickname: '' };
    const atLimit = {
      contacts: Array.from({ length: MAX_SYNC_INSTALLATION_CONTACTS }, () => minimal),
      publicChats: [],
    };
    const bytes = encodeSyncInstallation(atLimit);
    expect(decodeSyncInstallation(bytes).contacts).toHaveLength(MAX_SYNC_INSTALLATION_CONTACTS);
    expect(() => encodeSyncInstallation({ ...atLimit, contacts: [...atLimit.contacts, minimal] })).toThrow(
      code('ERR_PAYLOAD_TOO_LARGE'),
    );
    const over = proto().raw(bytes).lengthDelimited(1, new Uint8Array()).finish();
    expect(() => decodeSyncInstallation(over)).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
  });

  it(`accepts ${MAX_SYNC_INSTALLATION_PUBLIC_CHATS} public chats and refuses more`, () => {
    const atLimit = {
      contacts: [],
      publicChats: Array.from({ length: MAX_SYNC_INSTALLATION_PUBLIC_CHATS }, () => chat),
    };
    const bytes = encodeSyncInstallation(atLimit);
    expect(decodeSyncInstallation(bytes).publicChats).toHaveLength(MAX_SYNC_INSTALLATION_PUBLIC_CHATS);
    expect(() => encodeSyncInstallation({ ...atLimit, publicChats: [...atLimit.publicChats, chat] })).toThrow(
      code('ERR_PAYLOAD_TOO_LARGE'),
    );
    const over = proto().raw(bytes).lengthDelimited(2, new Uint8Array()).finish();
    expect(() => decodeSyncInstallation(over)).toThrow(code('ERR_PAYLOAD_TOO_LARGE'));
  });

  it('round-trips any valid message', () => {
    assertRoundTrips(syncs, encodeSyncInstallation, decodeSyncInstallation);
  });

  it('decodes or throws a PayloadError on hostile bytes', () => {
    assertHostileBytesSafe(syncs, encodeSyncInstallation, decodeSyncInstallation);
  });
});
