import { bytesToHex, hexToBytes } from '@status-ts/core';
import { publicChat } from '@status-ts/waku';
import { describe, expect, it } from 'vitest';
import { readVectors } from '../../../tools/vectors.js';
import {
  decodeChatMessage,
  encodeChatMessage,
  messageIdToHex,
  messageSigner,
  publicChatId,
  receivedChatId,
  unwrapApplicationMessage,
  unwrapChatMessage,
  wrapChatMessage,
} from '../src/index.js';

// Messages a status-go v0.79.11 Messenger sent (captured off the wire, decrypted by the capture harness
// and re-checked independently; vectors/README.md). They are the ground truth for bytes and ids.
const messenger = readVectors('captured-status-go.json').items.messenger;
const sender = messenger.keys.sender_identity_key;
const recipient = messenger.keys.dm_recipient_key;
const publicEnvelope = messenger.public_chat.envelopes[0].protocol_message.public_message;
const directEnvelope =
  messenger.one_to_one.envelopes[0].protocol_message.mvds_payload.messages[0].body_app_metadata;

// Waku's send time of the recorded envelope, in ms: the clock rule is checked against it.
function envelopeTimeMs(envelope: { envelope: { sent_time: number } }): number {
  return envelope.envelope.sent_time * 1000;
}

const cases = [
  {
    name: 'public chat',
    recorded: publicEnvelope,
    messageId: messenger.public_chat.message_id,
    sentMs: envelopeTimeMs(messenger.public_chat.envelopes[0]),
  },
  {
    name: '1:1',
    recorded: directEnvelope,
    messageId: messenger.one_to_one.message_id,
    sentMs: envelopeTimeMs(messenger.one_to_one.envelopes[0]),
  },
] as const;

describe('captured status-go messages', () => {
  for (const { name, recorded, messageId, sentMs } of cases) {
    describe(name, () => {
      const bytes = hexToBytes(recorded.bytes);

      it('unwrap to the recorded type, payload, signature, author and message id', () => {
        const wrapper = unwrapApplicationMessage(bytes);
        expect(wrapper.type).toBe(recorded.type);
        expect(wrapper.typeCode).toBe(recorded.type_num);
        expect(wrapper.signed).toBe(true);
        expect(`0x${bytesToHex(wrapper.payload)}`).toBe(recorded.payload);
        expect(`0x${bytesToHex(wrapper.signature!)}`).toBe(recorded.signature_rsv);
        expect(`0x${bytesToHex(wrapper.author!)}`).toBe(recorded.recovered_author_pubkey);
        expect(`0x${bytesToHex(wrapper.author!)}`).toBe(sender.public_uncompressed);
        expect(messageIdToHex(wrapper.id)).toBe(messageId);
      });

      it('decode to the recorded ChatMessage fields and pass status-go validation', () => {
        const { message } = unwrapChatMessage(bytes, { envelopeTimeMs: sentMs });
        const fields = recorded.chat_message;
        expect(message.clock).toBe(fields.clock);
        expect(message.timestamp).toBe(fields.timestamp);
        expect(message.text).toBe(fields.text);
        expect(message.chatId).toBe(fields.chat_id);
        expect(message.messageType).toBe(fields.message_type);
        expect(message.contentType).toBe(fields.content_type);
        expect(message.responseTo).toBe(fields.response_to);
        expect(message.ensName).toBe(fields.ens_name);
        expect(message.content).toBeUndefined();
      });

      it('our encoder reproduces the payload and the whole signed wrapper byte for byte', () => {
        const message = decodeChatMessage(hexToBytes(recorded.payload));
        expect(`0x${bytesToHex(encodeChatMessage(message))}`).toBe(recorded.payload);
        // go-ethereum signs with RFC 6979 nonces, like us, so the signature and the id are reproducible.
        const wrapped = wrapChatMessage(message, messageSigner(hexToBytes(sender.private)));
        expect(`0x${bytesToHex(wrapped.bytes)}`).toBe(recorded.bytes);
        expect(messageIdToHex(wrapped.id)).toBe(messageId);
      });
    });
  }

  it('a public chat name validates and derives the recorded Waku topic and key (through waku)', () => {
    const { topic, symKey } = publicChat(publicChatId(messenger.public_chat.chat_name));
    expect(`0x${bytesToHex(topic)}`).toBe(messenger.keys.public_chat_topic.topic);
    expect(`0x${bytesToHex(symKey)}`).toBe(messenger.keys.public_chat_symkey.key);
  });

  it('the 1:1 message is filed under the sender key by the recipient and under its chat_id by the sender', () => {
    const { wrapper, message } = unwrapChatMessage(hexToBytes(directEnvelope.bytes), {
      envelopeTimeMs: cases[1].sentMs,
    });
    const received = receivedChatId({
      messageType: message.messageType as 'ONE_TO_ONE',
      chatId: message.chatId,
      author: wrapper.author!,
      self: hexToBytes(recipient.public_uncompressed),
    });
    expect(received).toEqual({ kind: 'one-to-one', chatId: sender.public_uncompressed });
    const ownDevice = receivedChatId({
      messageType: 'ONE_TO_ONE',
      chatId: message.chatId,
      author: wrapper.author!,
      self: wrapper.author!,
    });
    expect(ownDevice).toEqual({ kind: 'one-to-one', chatId: messenger.one_to_one.chat_id });
  });
});
