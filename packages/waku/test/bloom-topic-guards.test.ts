import { describe, expect, it } from 'vitest';
import { assertBloom, bloomOfTopics, topicToBloom } from '../src/envelope/bloom.js';
import { decodeEnvelopeList, listItemSpans } from '../src/envelope/envelope-list.js';
import { WakuErrorCode } from '../src/errors.js';
import { assertTopic, topicFromHex } from '../src/topics.js';
import { thrown } from './helpers/thrown.js';

describe('assertBloom', () => {
  it('accepts 64 bytes and rejects other lengths and non-bytes with the length in details', () => {
    expect(() => assertBloom(new Uint8Array(64))).not.toThrow();
    for (const [bloom, length] of [
      [new Uint8Array(63), 63],
      [new Uint8Array(65), 65],
      [Array.from({ length: 64 }, () => 0), 64],
      [undefined, undefined],
    ] as const) {
      const err = thrown(() => assertBloom(bloom as unknown as Uint8Array));
      expect(err.code).toBe(WakuErrorCode.BadBloom);
      expect(err.details).toStrictEqual({ length });
    }
  });

  it('bloomOfTopics is the OR of the topic blooms', () => {
    const a = Uint8Array.of(1, 2, 3, 0);
    const b = Uint8Array.of(200, 100, 50, 7);
    const expected = topicToBloom(a).map((x, i) => x | topicToBloom(b)[i]!);
    expect(bloomOfTopics([a, b])).toEqual(expected);
    expect(bloomOfTopics([a, b]).length).toBe(64);
  });
});

describe('topic guards', () => {
  it('assertTopic puts the length in details', () => {
    for (const [topic, length] of [
      [new Uint8Array(3), 3],
      [undefined, undefined],
      ['abcd', 4],
    ] as const) {
      const err = thrown(() => assertTopic(topic));
      expect(err.code).toBe(WakuErrorCode.BadTopic);
      expect(err.details).toStrictEqual({ length });
    }
    expect(() => assertTopic(new Uint8Array(4))).not.toThrow();
  });

  it('topicFromHex keeps the hex error as cause and reports a wrong length', () => {
    const bad = thrown(() => topicFromHex('0xzz'));
    expect(bad.code).toBe(WakuErrorCode.BadTopic);
    expect(bad.cause).toBeInstanceOf(Error);
    const short = thrown(() => topicFromHex('0x0102'));
    expect(short.code).toBe(WakuErrorCode.BadTopic);
    expect(short.details).toStrictEqual({ length: 2 });
    expect(topicFromHex('01020304')).toEqual(Uint8Array.of(1, 2, 3, 4));
  });
});

describe('envelope list framing errors', () => {
  it('keeps the RLP error as cause for a truncated list or item, none for a non-list', () => {
    const truncatedList = thrown(() => decodeEnvelopeList(Uint8Array.of(0xc3, 0x01)));
    expect(truncatedList.code).toBe(WakuErrorCode.BadPacket);
    expect(truncatedList.cause).toBeInstanceOf(Error);
    const truncatedItem = thrown(() => listItemSpans(Uint8Array.of(0xc2, 0x82, 0x01), 'list'));
    expect(truncatedItem.code).toBe(WakuErrorCode.BadPacket);
    expect(truncatedItem.cause).toBeInstanceOf(Error);
    const notList = thrown(() => decodeEnvelopeList(Uint8Array.of(0x82, 0x01, 0x02)));
    expect(notList.code).toBe(WakuErrorCode.BadPacket);
    expect(notList.cause).toBeUndefined();
    expect(listItemSpans(Uint8Array.of(0xc4, 0x01, 0x82, 0x02, 0x03), 'list')).toEqual([
      [1, 2],
      [2, 5],
    ]);
  });
});
