import { create, toBinary } from '@bufbuild/protobuf';
import { bytesToHex, concatBytes, hexToBytes } from '@status-ts/core';
import { generatePrivateKey, keccak256 } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import { readVectors } from '../../../tools/vectors.js';
import {
  applicationMessageId,
  encodeChatMessage,
  MAX_WRAPPED_MESSAGE_BYTES,
  messageIdToHex,
  messageSigner,
  PayloadErrorCode,
  proto,
  unwrapApplicationMessage,
  wrapApplicationMessage,
} from '../src/index.js';
import { codeOf } from './support/errors.js';

const example = readVectors('payloads.json').chat_message_example;
const signer = messageSigner(hexToBytes(example.signer_private_key));

describe('ApplicationMetadataMessage wrapping (vectors/payloads.json)', () => {
  const payload = hexToBytes(example.chat_message_bytes);

  it('the example ChatMessage fields encode to the vector bytes', () => {
    const bytes = encodeChatMessage({
      clock: example.chat_message_fields.clock,
      timestamp: example.chat_message_fields.timestamp,
      text: example.chat_message_fields.text,
      responseTo: '',
      ensName: '',
      chatId: example.chat_message_fields.chat_id,
      messageType: 'PUBLIC_GROUP',
      contentType: 'TEXT_PLAIN',
    });
    expect(bytesToHex(bytes)).toBe(example.chat_message_bytes);
  });

  it('wrap signs Keccak-256(payload) and serializes to the vector bytes and id', () => {
    const wrapped = wrapApplicationMessage({ type: 'CHAT_MESSAGE', payload, signer });
    expect(bytesToHex(wrapped.signature!)).toBe(example.application_metadata_message.signature);
    expect(bytesToHex(wrapped.bytes)).toBe(example.application_metadata_message.bytes);
    expect(messageIdToHex(wrapped.id)).toBe(example.message_id);
    expect(bytesToHex(wrapped.author!)).toBe(example.signer_public_key_uncompressed);
  });

  it('the id is Keccak-256 of the 65-byte author key followed by the wrapper bytes', () => {
    const bytes = hexToBytes(example.application_metadata_message.bytes);
    const expected = keccak256(concatBytes(hexToBytes(example.signer_public_key_uncompressed), bytes));
    expect(applicationMessageId(signer.publicKey, bytes)).toEqual(expected);
    // Not the compressed key (an older client did that) and not the payload.
    expect(messageIdToHex(expected)).toBe(example.message_id);
  });

  it('unwrap recovers the author and keeps the bytes as received for the id', () => {
    const bytes = hexToBytes(example.application_metadata_message.bytes);
    const unwrapped = unwrapApplicationMessage(bytes);
    expect(unwrapped.type).toBe('CHAT_MESSAGE');
    expect(unwrapped.signed).toBe(true);
    expect(unwrapped.author).toEqual(signer.publicKey);
    expect(unwrapped.payload).toEqual(payload);
    expect(messageIdToHex(unwrapped.id)).toBe(example.message_id);
  });

  it('a wrapper with an unknown field appended still verifies, and its id covers the extra bytes', () => {
    const bytes = hexToBytes(example.application_metadata_message.bytes);
    const extended = concatBytes(bytes, Uint8Array.of(0xa2, 0x06, 0x01, 0x2a)); // field 100, 1 byte
    const unwrapped = unwrapApplicationMessage(extended);
    expect(unwrapped.author).toEqual(signer.publicKey);
    expect(unwrapped.id).toEqual(applicationMessageId(signer.publicKey, extended));
    expect(messageIdToHex(unwrapped.id)).not.toBe(example.message_id);
  });

  it('an unknown type number reads as UNKNOWN with its number kept', () => {
    const bytes = toBinary(
      proto.ApplicationMetadataMessageSchema,
      create(proto.ApplicationMetadataMessageSchema, {
        payload,
        type: 77 as proto.ApplicationMetadataMessage_Type,
      }),
    );
    const unwrapped = unwrapApplicationMessage(bytes);
    expect(unwrapped.type).toBe('UNKNOWN');
    expect(unwrapped.typeCode).toBe(77);
  });

  it('every type of the v0.62.0 enum wraps and unwraps by name', () => {
    const names = proto.ApplicationMetadataMessage_TypeSchema.values.map((value) => value.name).slice(1);
    expect(names).toHaveLength(23);
    for (const type of names) {
      const unwrapped = unwrapApplicationMessage(
        wrapApplicationMessage({ type: type as 'CHAT_MESSAGE', payload, signer }).bytes,
      );
      expect(unwrapped.type).toBe(type);
    }
    expect(codeOf(() => wrapApplicationMessage({ type: 'UNKNOWN', payload, signer }))).toBe(
      PayloadErrorCode.InvalidArgument,
    );
  });
});

describe('signatures', () => {
  const payload = hexToBytes(example.chat_message_bytes);

  it('a tampered payload recovers a different author, so the id changes', () => {
    const wrapped = wrapApplicationMessage({ type: 'CHAT_MESSAGE', payload, signer });
    const tampered = wrapApplicationMessage({ type: 'CHAT_MESSAGE', payload: payload.slice(0, -1), signer });
    const forged = toBinary(
      proto.ApplicationMetadataMessageSchema,
      create(proto.ApplicationMetadataMessageSchema, {
        signature: wrapped.signature!,
        payload: tampered.payload,
        type: 1,
      }),
    );
    const unwrapped = unwrapApplicationMessage(forged);
    expect(unwrapped.author).not.toEqual(signer.publicKey);
  });

  it('a signature of the wrong length, a bad recovery id or an unrecoverable one is ERR_PAYLOAD_BAD_SIGNATURE', () => {
    const wrapped = wrapApplicationMessage({ type: 'CHAT_MESSAGE', payload, signer });
    const withSignature = (signature: Uint8Array) =>
      toBinary(
        proto.ApplicationMetadataMessageSchema,
        create(proto.ApplicationMetadataMessageSchema, { signature, payload, type: 1 }),
      );
    expect(codeOf(() => unwrapApplicationMessage(withSignature(wrapped.signature!.slice(0, 64))))).toBe(
      PayloadErrorCode.BadSignature,
    );
    const badV = wrapped.signature!.slice();
    badV[64] = 4;
    expect(codeOf(() => unwrapApplicationMessage(withSignature(badV)))).toBe(PayloadErrorCode.BadSignature);
    const zeroR = wrapped.signature!.slice();
    zeroR.fill(0, 0, 32);
    expect(codeOf(() => unwrapApplicationMessage(withSignature(zeroR)))).toBe(PayloadErrorCode.BadSignature);
  });

  it('unsigned wrappers are deniable: no author, id over the bytes alone, refused when a signature is required', () => {
    const wrapped = wrapApplicationMessage({ type: 'CHAT_MESSAGE', payload });
    expect(wrapped.signed).toBe(false);
    const unwrapped = unwrapApplicationMessage(wrapped.bytes);
    expect(unwrapped.signed).toBe(false);
    expect(unwrapped.author).toBeUndefined();
    expect(unwrapped.signature).toBeUndefined();
    expect(unwrapped.id).toEqual(keccak256(wrapped.bytes));
    expect(codeOf(() => unwrapApplicationMessage(wrapped.bytes, { requireSignature: true }))).toBe(
      PayloadErrorCode.Unsigned,
    );
  });

  it('messageSigner refuses an invalid private key with a typed error', () => {
    expect(codeOf(() => messageSigner(new Uint8Array(32)))).toBe(PayloadErrorCode.InvalidArgument);
    expect(messageSigner(generatePrivateKey()).publicKey).toHaveLength(65);
  });
});

describe('limits', () => {
  it(`wrappers above MAX_WRAPPED_MESSAGE_BYTES (${MAX_WRAPPED_MESSAGE_BYTES}) are refused both ways`, () => {
    const fits = new Uint8Array(MAX_WRAPPED_MESSAGE_BYTES - 200);
    expect(
      wrapApplicationMessage({ type: 'CHAT_MESSAGE', payload: fits, signer }).bytes.length,
    ).toBeLessThanOrEqual(MAX_WRAPPED_MESSAGE_BYTES);
    const tooBig = new Uint8Array(MAX_WRAPPED_MESSAGE_BYTES);
    expect(codeOf(() => wrapApplicationMessage({ type: 'CHAT_MESSAGE', payload: tooBig, signer }))).toBe(
      PayloadErrorCode.TooLarge,
    );
    expect(codeOf(() => unwrapApplicationMessage(new Uint8Array(MAX_WRAPPED_MESSAGE_BYTES + 1)))).toBe(
      PayloadErrorCode.TooLarge,
    );
    expect(codeOf(() => unwrapApplicationMessage(new Uint8Array(100), { maxBytes: 99 }))).toBe(
      PayloadErrorCode.TooLarge,
    );
  });

  it('garbage is ERR_PAYLOAD_MALFORMED', () => {
    expect(codeOf(() => unwrapApplicationMessage(Uint8Array.of(0x0a, 0x05, 0x01)))).toBe(
      PayloadErrorCode.Malformed,
    );
    expect(codeOf(() => unwrapApplicationMessage(Uint8Array.of(0xff, 0xff, 0xff)))).toBe(
      PayloadErrorCode.Malformed,
    );
  });
});
