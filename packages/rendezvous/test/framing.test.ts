import { EnrError, rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import { decodeMessageType, FrameReader, rlpItemSize } from '../src/index.js';
import { failure } from './helpers/failure.js';

const bytes = (...b: number[]) => new Uint8Array(b);

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

describe('rlpItemSize', () => {
  it('sizes single bytes and short strings from the prefix', () => {
    expect(rlpItemSize(bytes(0x00), 100)).toBe(1);
    expect(rlpItemSize(bytes(0x7f), 100)).toBe(1);
    expect(rlpItemSize(bytes(0x80), 100)).toBe(1);
    expect(rlpItemSize(bytes(0x81), 100)).toBe(2);
    expect(rlpItemSize(bytes(0xb7), 100)).toBe(56);
  });

  it('sizes short lists from the prefix', () => {
    expect(rlpItemSize(bytes(0xc0), 100)).toBe(1);
    expect(rlpItemSize(bytes(0xc3), 100)).toBe(4);
    expect(rlpItemSize(bytes(0xf7), 100)).toBe(56);
  });

  it('accepts the long form from 56 bytes on and rejects it below (strings and lists)', () => {
    expect(rlpItemSize(bytes(0xb8, 56), 100)).toBe(58);
    expect(rlpItemSize(bytes(0xf8, 56), 100)).toBe(58);
    expect(rlpItemSize(bytes(0xb9, 0x01, 0x00), 1000)).toBe(259);
    expect(failure(() => rlpItemSize(bytes(0xb8, 55), 100)).code).toBe('ERR_RENDEZVOUS_BAD_FRAMING');
    expect(failure(() => rlpItemSize(bytes(0xf8, 55), 100)).code).toBe('ERR_RENDEZVOUS_BAD_FRAMING');
  });

  it('reads an 8-byte length after 0xbf', () => {
    const err = failure(() => rlpItemSize(bytes(0xbf, 1, 0, 0, 0, 0, 0, 0, 0), 1000));
    expect(err.code).toBe('ERR_RENDEZVOUS_MESSAGE_TOO_LARGE');
    expect(rlpItemSize(bytes(0xbf, 1, 0, 0), 1000)).toBeUndefined();
  });

  it('waits while the long-form length is incomplete', () => {
    expect(rlpItemSize(bytes(), 100)).toBeUndefined();
    expect(rlpItemSize(bytes(0xb8), 100)).toBeUndefined();
    expect(rlpItemSize(bytes(0xb9, 0x01), 1000)).toBeUndefined();
    expect(rlpItemSize(bytes(0xf9, 0x01), 1000)).toBeUndefined();
    expect(rlpItemSize(bytes(0xf9, 0x01, 0x00), 1000)).toBe(259);
  });

  it('reports the size and the limit of an item that is too large', () => {
    const err = failure(() => rlpItemSize(bytes(0xb9, 0x40, 0x01), 1024));
    expect(err.code).toBe('ERR_RENDEZVOUS_MESSAGE_TOO_LARGE');
    expect(err.details).toEqual({ size: 16388, maxSize: 1024 });
  });
});

describe('decodeMessageType', () => {
  it('reports an unknown type as a decimal string', () => {
    const err = failure(() => decodeMessageType(rlpEncode(7)));
    expect(err.code).toBe('ERR_RENDEZVOUS_UNEXPECTED_TYPE');
    expect(err.details).toEqual({ type: '7' });
    expect(failure(() => decodeMessageType(rlpEncode(256 + 1))).details).toEqual({ type: '257' });
  });

  it('keeps the RLP error as the cause of a bad type item', () => {
    const err = failure(() => decodeMessageType(rlpEncode([])));
    expect(err.code).toBe('ERR_RENDEZVOUS_BAD_FRAMING');
    expect(err.cause).toBeInstanceOf(EnrError);
  });
});

describe('FrameReader', () => {
  it('counts the bytes received but not yet returned', async () => {
    const reader = new FrameReader(chunks(bytes(0x01, 0x83, 0x61)));
    expect(reader.buffered).toBe(0);
    expect(await reader.next()).toEqual(bytes(0x01));
    expect(reader.buffered).toBe(2);
  });

  it('reports how many bytes were left when the stream ends inside an item', async () => {
    const reader = new FrameReader(chunks(bytes(0x83, 0x61), bytes(0x62)));
    await expect(reader.next()).rejects.toMatchObject({
      code: 'ERR_RENDEZVOUS_UNEXPECTED_EOF',
      details: { buffered: 3 },
    });
  });

  it('skips empty chunks', async () => {
    const reader = new FrameReader(chunks(bytes(), bytes(0x82), bytes(), bytes(0x61, 0x62), bytes()));
    expect(await reader.next()).toEqual(bytes(0x82, 0x61, 0x62));
    expect(await reader.next()).toBeUndefined();
  });

  it('never pulls from a source that has ended', async () => {
    let pulls = 0;
    const source: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          pulls++;
          if (pulls === 1) return { done: false, value: bytes(0x01) };
          if (pulls === 2) return { done: true, value: undefined };
          throw new Error('pulled after the end of the stream');
        },
      }),
    };
    const reader = new FrameReader(source);
    expect(await reader.next()).toEqual(bytes(0x01));
    expect(await reader.next()).toBeUndefined();
    expect(await reader.next()).toBeUndefined();
    expect(pulls).toBe(2);
  });
});
