import { generatePrivateKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeApplicationPayload,
  encodeContactUpdate,
  encodeEmojiReaction,
  messageSigner,
  newChatMessage,
  PayloadError,
  PayloadErrorCode,
  proto,
  unwrapApplicationMessage,
  wrapApplicationMessage,
  wrapChatMessage,
} from '../src/index.js';

const signer = messageSigner(generatePrivateKey());
const NOW = 1_700_000_000_000;

describe('decodeApplicationPayload', () => {
  it('has a decoder for every type of the v0.62.0 enum', () => {
    const names = proto.ApplicationMetadataMessage_TypeSchema.values.map((value) => value.name);
    for (const name of names) {
      const type = name as Parameters<typeof decodeApplicationPayload>[0]['type'];
      const decoded = decodeApplicationPayload({ type, typeCode: 0, payload: new Uint8Array(0) });
      expect(decoded.type).toBe(type);
      if (type === 'UNKNOWN') expect(decoded).toMatchObject({ typeCode: 0 });
      else if (type === 'PUSH_NOTIFICATION_REGISTRATION')
        expect(decoded).toMatchObject({ encrypted: new Uint8Array(0) });
      else expect(decoded).toHaveProperty('message');
    }
  });

  it('decodes what was wrapped, by type', () => {
    const chat = wrapChatMessage(
      newChatMessage({ chat: { kind: 'public', name: 'status' }, text: 'hi', now: NOW }),
      signer,
    );
    const chatPayload = decodeApplicationPayload(unwrapApplicationMessage(chat.bytes));
    expect(chatPayload.type === 'CHAT_MESSAGE' && chatPayload.message.text).toBe('hi');

    const reaction = wrapApplicationMessage({
      type: 'EMOJI_REACTION',
      payload: encodeEmojiReaction({
        clock: NOW,
        chatId: 'status',
        messageId: '0x01',
        messageType: 'PUBLIC_GROUP',
        type: 'THUMBS_UP',
        retracted: false,
      }),
      signer,
    });
    const reactionPayload = decodeApplicationPayload(unwrapApplicationMessage(reaction.bytes));
    expect(reactionPayload.type === 'EMOJI_REACTION' && reactionPayload.message.type).toBe('THUMBS_UP');

    const contact = wrapApplicationMessage({
      type: 'CONTACT_UPDATE',
      payload: encodeContactUpdate({ clock: NOW, ensName: 'alice.stateofus.eth', profileImage: '' }),
      signer,
    });
    const contactPayload = decodeApplicationPayload(unwrapApplicationMessage(contact.bytes));
    expect(contactPayload.type === 'CONTACT_UPDATE' && contactPayload.message.ensName).toBe(
      'alice.stateofus.eth',
    );
  });

  it('keeps unknown types and encrypted registrations as bytes, and turns garbage into a typed error', () => {
    expect(decodeApplicationPayload({ type: 'UNKNOWN', typeCode: 99, payload: Uint8Array.of(1) })).toEqual({
      type: 'UNKNOWN',
      typeCode: 99,
      payload: Uint8Array.of(1),
    });
    try {
      decodeApplicationPayload({ type: 'CHAT_MESSAGE', typeCode: 1, payload: Uint8Array.of(0xff, 0xff) });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PayloadError);
      expect((error as PayloadError).code).toBe(PayloadErrorCode.Malformed);
    }
  });
});
