import { bloomOfTopics } from '@status-ts/waku';
import { describe, expect, it } from 'vitest';
import { MailserverError, MailserverErrorCode } from '../src/errors.js';
import { checkQuery, topicMatcher } from '../src/store/matching.js';
import type { HistoryQuery } from '../src/store/types.js';
import { TOPIC_A, TOPIC_B } from './helpers/envelopes.js';

const query = (q: Partial<HistoryQuery> = {}): HistoryQuery => ({ lower: 0, upper: 100, limit: 10, ...q });

function refusal(q: Partial<HistoryQuery>): MailserverError {
  try {
    checkQuery(query(q));
  } catch (err) {
    expect(err).toBeInstanceOf(MailserverError);
    return err as MailserverError;
  }
  throw new Error('checkQuery accepted the query');
}

describe('topicMatcher', () => {
  it('an empty topic list falls back to the bloom', () => {
    const matches = topicMatcher(query({ topics: [], bloom: bloomOfTopics([TOPIC_A]) }));
    expect(matches(TOPIC_A)).toBe(true);
    expect(matches(TOPIC_B)).toBe(false);
  });

  it('no topics and no bloom (absent or empty) match everything', () => {
    expect(topicMatcher(query())(TOPIC_B)).toBe(true);
    expect(topicMatcher(query({ bloom: new Uint8Array(0) }))(TOPIC_B)).toBe(true);
  });

  it('a topic of another length matches only a requested topic equal to it', () => {
    const odd = Uint8Array.of(0x11, 0x22, 0x33);
    const long = Uint8Array.of(0x11, 0x22, 0x33, 0x44, 0x55);
    const matches = topicMatcher(query({ topics: [TOPIC_B, odd, long] }));
    expect(matches(Uint8Array.of(0x11, 0x22, 0x33))).toBe(true);
    expect(matches(Uint8Array.of(0x11, 0x22, 0x33, 0x44, 0x55))).toBe(true);
    expect(matches(Uint8Array.of(0x11, 0x22))).toBe(false);
    // The 3-byte topic read as a number is 0x11223300: it must not stand for that 4-byte topic.
    expect(matches(Uint8Array.of(0x11, 0x22, 0x33, 0x00))).toBe(false);
    // And the 5-byte one read as a number is TOPIC_A's.
    expect(matches(TOPIC_A)).toBe(false);
    expect(matches(TOPIC_B)).toBe(true);
  });
});

describe('checkQuery', () => {
  it('accepts uint32 time bounds at both ends', () => {
    expect(() => checkQuery(query({ lower: 0, upper: 0xffffffff }))).not.toThrow();
  });

  it.each([
    ['lower', -1],
    ['lower', 1.5],
    ['lower', 2 ** 32],
    ['upper', -1],
    ['upper', 0.5],
    ['upper', 2 ** 32],
  ] as const)('refuses %s = %d with the field in the details', (field, value) => {
    const err = refusal({ [field]: value });
    expect(err.code).toBe(MailserverErrorCode.InvalidRequest);
    expect(err.details).toEqual({ field, value });
  });

  it.each([0, 1.5])('refuses limit %d with the field in the details', (limit) => {
    const err = refusal({ limit });
    expect(err.code).toBe(MailserverErrorCode.InvalidRequest);
    expect(err.details).toEqual({ field: 'limit', value: limit });
  });

  it('refuses a bloom of a length other than 0 or 64, naming its length', () => {
    const err = refusal({ bloom: new Uint8Array(63) });
    expect(err.code).toBe(MailserverErrorCode.InvalidRequest);
    expect(err.details).toEqual({ field: 'bloom', value: 63 });
    expect(() => checkQuery(query({ bloom: new Uint8Array(0) }))).not.toThrow();
    expect(() => checkQuery(query({ bloom: new Uint8Array(64) }))).not.toThrow();
  });

  it('an empty cursor is no cursor; a short one is refused', () => {
    expect(() => checkQuery(query({ cursor: new Uint8Array(0) }))).not.toThrow();
    expect(refusal({ cursor: new Uint8Array(35) }).code).toBe(MailserverErrorCode.InvalidRequest);
  });
});
