import { describe, expect, it } from 'vitest';
import { decodeCursor } from '../src/store/cursor.js';
import { DELIVERY_STATES, deliveryStateApplies, encodeCursor } from '../src/store/index.js';
import { compareText } from '../src/store/text-order.js';
import { msgId } from './helpers/store-contract.js';

// The pure rules both stores share, checked on their own.

describe('store rules', () => {
  it('delivery states only move forward; failed until acknowledged; from failed a retry or a late ack', () => {
    const applies = Object.fromEntries(
      DELIVERY_STATES.map((from) => [
        from,
        DELIVERY_STATES.filter((to) => deliveryStateApplies(from, to)).join(' '),
      ]),
    );
    expect(applies).toEqual({
      sending: 'sent confirmed acknowledged failed',
      sent: 'confirmed acknowledged failed',
      confirmed: 'acknowledged failed',
      acknowledged: '',
      failed: 'sending acknowledged',
    });
    expect(DELIVERY_STATES.every((to) => deliveryStateApplies(undefined, to))).toBe(true);
  });

  it('a cursor names a position and decodes back to it', () => {
    expect(encodeCursor({ clock: 20, id: msgId(4) })).toBe(`20:${msgId(4)}`);
    expect(decodeCursor(`0:${msgId(1)}`)).toEqual({ clock: 0, id: msgId(1) });
    expect(decodeCursor(`${Number.MAX_SAFE_INTEGER}:${msgId(2)}`)).toEqual({
      clock: Number.MAX_SAFE_INTEGER,
      id: msgId(2),
    });
  });

  it('text order is code point order (UTF-8 byte order), not UTF-16 unit order', () => {
    const words = ['b', '\u{1F600}', 'a', '\uFFFD', '', 'ab', '\u00E9', '\u{10FFFF}', '\uE000'];
    const sorted = [...words].sort(compareText);
    expect(sorted).toEqual(['', 'a', 'ab', 'b', '\u00E9', '\uE000', '\uFFFD', '\u{1F600}', '\u{10FFFF}']);
    const utf8 = (s: string) =>
      [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(sorted.map(utf8)).toEqual([...words.map(utf8)].sort());
  });
});
