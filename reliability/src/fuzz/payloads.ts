import { bytesToHex } from '@status-ts/core';
import { getPublicKey } from '@status-ts/crypto';
import {
  type ApplicationMessageType,
  chatCreated,
  decodeAcceptRequestAddressForTransaction,
  decodeApplicationPayload,
  decodeChatMessage,
  decodeContactCodeAdvertisement,
  decodeContactUpdate,
  decodeDeclineRequestAddressForTransaction,
  decodeDeclineRequestTransaction,
  decodeEmojiReaction,
  decodeGroupChatInvitation,
  decodeMembershipEvent,
  decodeMembershipUpdate,
  decodePairInstallation,
  decodePushNotificationQuery,
  decodePushNotificationQueryResponse,
  decodePushNotificationRegistration,
  decodePushNotificationRegistrationResponse,
  decodePushNotificationRequest,
  decodePushNotificationResponse,
  decodeRequestAddressForTransaction,
  decodeRequestTransaction,
  decodeSendTransaction,
  decodeSyncInstallation,
  decodeSyncInstallationAccount,
  decodeSyncInstallationContact,
  decodeSyncInstallationPublicChat,
  detectAudioType,
  detectImageType,
  encodeChatMessage,
  encodeMembershipUpdate,
  extractMentions,
  membersAdded,
  messageSigner,
  nameChanged,
  newChatMessage,
  newGroupChatId,
  oneToOneChatPeer,
  openFromPeer,
  parseGroupChatId,
  proto,
  recoverKeccakSigner,
  sealForPeer,
  signMembershipEvent,
  unwrapApplicationMessage,
  unwrapChatMessage,
  wrapApplicationMessage,
  wrapChatMessage,
} from '@status-ts/payloads';
import fc from 'fast-check';
import { bytesFrom, HEX, pool, protoFrom, protoShaped, textFrom } from './arbitraries.js';
import { fixedKey } from './fixtures.js';
import { each, entry, type FuzzEntry, type LayerEntry, layer } from './harness.js';

const now = 1_750_000_000_000;
const authorKey = fixedKey('payloads 1');
const author = getPublicKey(authorKey);
const signer = messageSigner(authorKey);
const peerKey = `0x${bytesToHex(getPublicKey(fixedKey('payloads 2')))}`;
const groupChatId = newGroupChatId(author);

// Valid chat messages of every content kind, encoded (and a few wrapped and signed: a pool).
const chatMessages = [
  newChatMessage({ chat: { kind: 'public', name: 'status' }, text: 'hello', now }),
  newChatMessage({
    chat: { kind: 'one-to-one', peer: getPublicKey(fixedKey('payloads 3')) },
    text: `hi @${peerKey} .`,
    now,
  }),
  newChatMessage({ chat: { kind: 'group', chatId: groupChatId }, text: '🙂', contentType: 'EMOJI', now }),
  newChatMessage({
    chat: { kind: 'public', name: 'status' },
    content: { kind: 'sticker', hash: 'e30101', pack: 1 },
    now,
  }),
  newChatMessage({
    chat: { kind: 'public', name: 'status' },
    content: { kind: 'image', payload: Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2) },
    now,
  }),
];
const chatMessageBytes = chatMessages.map((m) => encodeChatMessage(m));
const wrappedChats = chatMessages.map((m) => wrapChatMessage(m, signer).bytes);

// A signed membership update: creation, a name change, members added.
const events = [
  chatCreated('fuzz group', now),
  nameChanged('renamed', now + 1),
  membersAdded([peerKey], now + 2),
].map((e) => signMembershipEvent(groupChatId, e, authorKey));
const membershipUpdate = encodeMembershipUpdate({ chatId: groupChatId, events });

const peerPrivate = fixedKey('payloads 4');
const peerPublic = getPublicKey(peerPrivate);
const sealedArb = fc.uint8Array({ maxLength: 80 }).map((plain) => sealForPeer(plain, authorKey, peerPublic));

const typeNames = (
  proto.ApplicationMetadataMessage_TypeSchema as unknown as { values: { name: string }[] }
).values.map((v) => v.name as ApplicationMessageType);

/** One decoder of a Status protobuf message and its schema (for protobuf-shaped inputs). */
function messageEntry(
  name: string,
  schema: object,
  decode: (bytes: Uint8Array) => unknown,
  valid?: fc.Arbitrary<Uint8Array>,
): LayerEntry<never> {
  return entry({
    name,
    arbitrary: protoFrom(schema, valid),
    how: `random bytes, protobuf-shaped ${name.replace(/^decode/, '')} fields (plus unknown fields and wrong wire types), with byte edits${valid ? ', mutated valid encodings' : ''}`,
    decode,
  });
}

export const payloadsEntries: FuzzEntry[] = layer('payloads', [
  messageEntry(
    'decodeChatMessage',
    proto.ChatMessageSchema,
    (b) => decodeChatMessage(b),
    pool(chatMessageBytes),
  ),
  messageEntry('decodeContactUpdate', proto.ContactUpdateSchema, (b) => decodeContactUpdate(b)),
  messageEntry('decodeContactCodeAdvertisement', proto.ContactCodeAdvertisementSchema, (b) =>
    decodeContactCodeAdvertisement(b),
  ),
  messageEntry('decodeEmojiReaction', proto.EmojiReactionSchema, (b) => decodeEmojiReaction(b)),
  messageEntry('decodeGroupChatInvitation', proto.GroupChatInvitationSchema, (b) =>
    decodeGroupChatInvitation(b),
  ),
  messageEntry('decodePairInstallation', proto.PairInstallationSchema, (b) => decodePairInstallation(b)),
  messageEntry('decodeSyncInstallation', proto.SyncInstallationSchema, (b) => decodeSyncInstallation(b)),
  messageEntry('decodeSyncInstallationAccount', proto.SyncInstallationAccountSchema, (b) =>
    decodeSyncInstallationAccount(b),
  ),
  messageEntry('decodeSyncInstallationContact', proto.SyncInstallationContactSchema, (b) =>
    decodeSyncInstallationContact(b),
  ),
  messageEntry('decodeSyncInstallationPublicChat', proto.SyncInstallationPublicChatSchema, (b) =>
    decodeSyncInstallationPublicChat(b),
  ),
  messageEntry('decodePushNotificationRegistration', proto.PushNotificationRegistrationSchema, (b) =>
    decodePushNotificationRegistration(b),
  ),
  messageEntry(
    'decodePushNotificationRegistrationResponse',
    proto.PushNotificationRegistrationResponseSchema,
    (b) => decodePushNotificationRegistrationResponse(b),
  ),
  messageEntry('decodePushNotificationQuery', proto.PushNotificationQuerySchema, (b) =>
    decodePushNotificationQuery(b),
  ),
  messageEntry('decodePushNotificationQueryResponse', proto.PushNotificationQueryResponseSchema, (b) =>
    decodePushNotificationQueryResponse(b),
  ),
  messageEntry('decodePushNotificationRequest', proto.PushNotificationRequestSchema, (b) =>
    decodePushNotificationRequest(b),
  ),
  messageEntry('decodePushNotificationResponse', proto.PushNotificationResponseSchema, (b) =>
    decodePushNotificationResponse(b),
  ),
  messageEntry('decodeRequestAddressForTransaction', proto.RequestAddressForTransactionSchema, (b) =>
    decodeRequestAddressForTransaction(b),
  ),
  messageEntry(
    'decodeAcceptRequestAddressForTransaction',
    proto.AcceptRequestAddressForTransactionSchema,
    (b) => decodeAcceptRequestAddressForTransaction(b),
  ),
  messageEntry(
    'decodeDeclineRequestAddressForTransaction',
    proto.DeclineRequestAddressForTransactionSchema,
    (b) => decodeDeclineRequestAddressForTransaction(b),
  ),
  messageEntry('decodeDeclineRequestTransaction', proto.DeclineRequestTransactionSchema, (b) =>
    decodeDeclineRequestTransaction(b),
  ),
  messageEntry('decodeRequestTransaction', proto.RequestTransactionSchema, (b) =>
    decodeRequestTransaction(b),
  ),
  messageEntry('decodeSendTransaction', proto.SendTransactionSchema, (b) => decodeSendTransaction(b)),
  messageEntry(
    'decodeMembershipEvent',
    proto.MembershipUpdateEventSchema,
    (b) => decodeMembershipEvent(b),
    pool(events.map((e) => e.encodedEvent)),
  ),
  entry({
    name: 'decodeMembershipUpdate',
    arbitrary: fc.tuple(
      protoFrom(proto.MembershipUpdateMessageSchema, pool([membershipUpdate])),
      fc.boolean(),
    ),
    how: 'random bytes, protobuf-shaped updates, a signed three-event update with byte edits; with and without the clock check',
    decode: ([bytes, clock]) => decodeMembershipUpdate(bytes, clock ? { timeMs: now } : {}),
    slow: { share: 0.5, why: 'signature recovery per 65-byte-or-longer event entry' },
  }),
  entry({
    name: 'unwrapApplicationMessage',
    arbitrary: fc.tuple(protoFrom(proto.ApplicationMetadataMessageSchema, pool(wrappedChats)), fc.boolean()),
    how: 'random bytes, protobuf-shaped wrappers, signed chat wrappers with byte edits; with and without requireSignature',
    decode: ([bytes, requireSignature]) => unwrapApplicationMessage(bytes, { requireSignature }),
    slow: { share: 0.5, why: 'signature recovery per 65-byte signature' },
  }),
  entry({
    name: 'unwrapChatMessage',
    arbitrary: bytesFrom(pool(wrappedChats), 300),
    how: 'random bytes, signed chat wrappers with byte edits, checked against the envelope time',
    decode: (bytes) => unwrapChatMessage(bytes, { envelopeTimeMs: now }),
    slow: { share: 0.5, why: 'signature recovery per intact wrapper' },
  }),
  entry({
    name: 'unwrapApplicationMessage → decodeApplicationPayload (every type)',
    // Matching and mismatched payloads: the type decides the decoder, whatever the bytes are.
    arbitrary: fc.tuple(
      fc.nat(typeNames.length - 1),
      bytesFrom(fc.oneof(...typeNames.map((t) => protoShaped(schemaOf(t)))), 120),
    ),
    how: 'unsigned wrappers of each type around protobuf-shaped payloads of a random type, with byte edits',
    decode: ([typeIndex, payload]) => {
      const type = typeNames[typeIndex]!;
      // UNKNOWN cannot be wrapped; it still goes through decodeApplicationPayload directly.
      const wrapper =
        type === 'UNKNOWN'
          ? { type, typeCode: 0, payload }
          : unwrapApplicationMessage(wrapApplicationMessage({ type, payload }).bytes);
      return decodeApplicationPayload(wrapper);
    },
  }),
  entry({
    name: 'parseGroupChatId',
    arbitrary: textFrom(fc.constant(groupChatId), HEX, 200),
    how: 'random text, edited group chat ids',
    decode: (text) => parseGroupChatId(text),
  }),
  entry({
    name: 'oneToOneChatPeer (chat id text)',
    arbitrary: textFrom(fc.constant(peerKey), HEX, 140),
    how: 'random text, edited 0x04… chat ids',
    decode: (text) => oneToOneChatPeer(text),
  }),
  entry({
    name: 'extractMentions (message text)',
    arbitrary: textFrom(
      fc.constantFrom(`hi @${peerKey} .`, `\`@${peerKey}\` and @${peerKey}`, '```@0x```'),
      `${HEX}@\` .,:;\n`,
      300,
    ),
    how: 'random text, edited texts with mentions and code spans',
    decode: (text) => extractMentions(text),
  }),
  entry({
    name: 'detectImageType / detectAudioType',
    arbitrary: bytesFrom(
      fc.constantFrom(
        Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
        Uint8Array.of(0xff, 0xd8, 0xff, 0xe0),
        Uint8Array.of(0x47, 0x49, 0x46, 0x38, 0x39, 0x61),
        Uint8Array.of(0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50),
        Uint8Array.of(0x23, 0x21, 0x41, 0x4d, 0x52, 0x0a),
        Uint8Array.of(0xff, 0xf1, 0x50, 0x80),
      ),
      24,
    ),
    how: 'random bytes, edited image and audio magic numbers',
    decode: (bytes) => each([() => detectImageType(bytes), () => detectAudioType(bytes)]),
  }),
  entry({
    name: 'recoverKeccakSigner',
    arbitrary: fc.tuple(
      bytesFrom(pool([wrapChatMessage(chatMessages[0]!, signer).signature!]), 80),
      fc.constant(chatMessageBytes[0]!),
    ),
    how: 'random and edited 65-byte signatures over a chat message',
    decode: ([signature, bytes]) => recoverKeccakSigner(signature, bytes),
    slow: { share: 0.5, why: 'signature recovery per 65-byte signature' },
  }),
  entry({
    name: 'openFromPeer (push notification payload)',
    arbitrary: bytesFrom(sealedArb, 120),
    how: 'random bytes, sealed payloads with byte edits',
    decode: (sealed) => openFromPeer(sealed, peerPrivate, author),
    slow: { share: 0.3, why: 'ECDH per case' },
  }),
]);

/** The schema of a wrapper type's payload (the ChatMessage schema for types without their own). */
function schemaOf(type: string): object {
  const byType: Record<string, object> = {
    CHAT_MESSAGE: proto.ChatMessageSchema,
    CONTACT_UPDATE: proto.ContactUpdateSchema,
    MEMBERSHIP_UPDATE_MESSAGE: proto.MembershipUpdateMessageSchema,
    PAIR_INSTALLATION: proto.PairInstallationSchema,
    SYNC_INSTALLATION: proto.SyncInstallationSchema,
    REQUEST_ADDRESS_FOR_TRANSACTION: proto.RequestAddressForTransactionSchema,
    ACCEPT_REQUEST_ADDRESS_FOR_TRANSACTION: proto.AcceptRequestAddressForTransactionSchema,
    DECLINE_REQUEST_ADDRESS_FOR_TRANSACTION: proto.DeclineRequestAddressForTransactionSchema,
    REQUEST_TRANSACTION: proto.RequestTransactionSchema,
    SEND_TRANSACTION: proto.SendTransactionSchema,
    DECLINE_REQUEST_TRANSACTION: proto.DeclineRequestTransactionSchema,
    SYNC_INSTALLATION_CONTACT: proto.SyncInstallationContactSchema,
    SYNC_INSTALLATION_ACCOUNT: proto.SyncInstallationAccountSchema,
    SYNC_INSTALLATION_PUBLIC_CHAT: proto.SyncInstallationPublicChatSchema,
    CONTACT_CODE_ADVERTISEMENT: proto.ContactCodeAdvertisementSchema,
    PUSH_NOTIFICATION_REGISTRATION: proto.PushNotificationRegistrationSchema,
    PUSH_NOTIFICATION_REGISTRATION_RESPONSE: proto.PushNotificationRegistrationResponseSchema,
    PUSH_NOTIFICATION_QUERY: proto.PushNotificationQuerySchema,
    PUSH_NOTIFICATION_QUERY_RESPONSE: proto.PushNotificationQueryResponseSchema,
    PUSH_NOTIFICATION_REQUEST: proto.PushNotificationRequestSchema,
    PUSH_NOTIFICATION_RESPONSE: proto.PushNotificationResponseSchema,
    EMOJI_REACTION: proto.EmojiReactionSchema,
    GROUP_CHAT_INVITATION: proto.GroupChatInvitationSchema,
  };
  return byType[type] ?? proto.ChatMessageSchema;
}
