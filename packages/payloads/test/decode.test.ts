import { create, toBinary } from '@bufbuild/protobuf';
import { concatBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { decodeProto } from '../src/decode.js';
import { decodeChatMessage, PayloadErrorCode, proto } from '../src/index.js';
import { codeOf } from './support/errors.js';

const valid = toBinary(
  proto.ChatMessageSchema,
  create(proto.ChatMessageSchema, {
    clock: 1n,
    timestamp: 1n,
    text: 'hi',
    chatId: 'status',
    messageType: 2,
    contentType: 1,
  }),
);

describe('decoding is as strict as status-go’s Go protobuf', () => {
  it('a string field that is not UTF-8 is malformed (protobuf-es alone would write U+FFFD)', () => {
    const badText = concatBytes(valid, Uint8Array.of(0x1a, 0x02, 0xc3, 0x28)); // text = invalid 2-byte sequence
    expect(codeOf(() => decodeChatMessage(badText))).toBe(PayloadErrorCode.Malformed);
    const goodText = concatBytes(valid, Uint8Array.of(0x1a, 0x02, 0xc3, 0xa9)); // text = "é"
    expect(decodeChatMessage(goodText).text).toBe('é');
  });

  it('invalid UTF-8 inside an embedded message is found too', () => {
    const sticker = Uint8Array.of(0x0a, 0x01, 0xff); // StickerMessage.hash = 0xff
    const bytes = concatBytes(valid, Uint8Array.of(0x4a, sticker.length), sticker); // field 9 = sticker
    expect(codeOf(() => decodeChatMessage(bytes))).toBe(PayloadErrorCode.Malformed);
  });

  it('a known field with another wire type is malformed; bytes fields may hold anything', () => {
    const clockAsBytes = concatBytes(valid, Uint8Array.of(0x0a, 0x01, 0x05)); // field 1 length-delimited
    expect(codeOf(() => decodeChatMessage(clockAsBytes))).toBe(PayloadErrorCode.Malformed);
    const image = Uint8Array.of(0x0a, 0x02, 0xff, 0xfe, 0x10, 0x01); // ImageMessage{payload: ff fe, type: PNG}
    const withImage = concatBytes(valid, Uint8Array.of(0x52, image.length), image);
    expect(decodeChatMessage(withImage).content).toEqual({
      kind: 'image',
      payload: Uint8Array.of(0xff, 0xfe),
      imageType: 'PNG',
    });
  });

  it('unknown fields of any wire type are skipped', () => {
    const extras = Uint8Array.of(0xa0, 0x06, 0x07, 0xaa, 0x06, 0x01, 0xff, 0xad, 0x06, 1, 2, 3, 4); // 100 varint, 101 bytes, 101 fixed32
    expect(decodeChatMessage(concatBytes(valid, extras)).text).toBe('hi');
  });
});

describe('strings keep a leading byte order mark, as Go does', () => {
  it('in a field, in an embedded message and in a repeated string', () => {
    const bom = Uint8Array.of(0xef, 0xbb, 0xbf);
    const text = concatBytes(Uint8Array.of(0x1a, 5), bom, Uint8Array.of(0x68, 0x69)); // text = "\ufeffhi"
    const sticker = concatBytes(Uint8Array.of(0x0a, 4), bom, Uint8Array.of(0x78)); // hash = "\ufeffx"
    const bytes = concatBytes(valid, text, Uint8Array.of(0x4a, sticker.length), sticker);
    const message = decodeChatMessage(bytes);
    expect(message.text).toBe('\ufeffhi');
    expect(message.content).toEqual({ kind: 'sticker', hash: '\ufeffx', pack: 0 });
    const tags = concatBytes(
      Uint8Array.of(0x32, 1, 0x61), // system_tags[0] = "a"
      Uint8Array.of(0x32, 4),
      bom,
      Uint8Array.of(0x62), // system_tags[1] = "\ufeffb"
    );
    const decoded = decodeProto(proto.SyncInstallationContactSchema, tags, 1000);
    expect(decoded.systemTags).toEqual(['a', '\ufeffb']);
  });
});
