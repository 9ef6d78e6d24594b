import { bytesToHex } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  assertBloom,
  bloomMatches,
  bloomOfTopics,
  Envelope,
  emptyBloom,
  FULL_INTEREST,
  fullBloom,
  interestFromBloom,
  interestFromTopics,
  interestMatches,
  isFullBloom,
  publicChat,
  topicFromHex,
  topicToBloom,
  topicToString,
} from '../src/index.js';
import { code } from './helpers/errors.js';

describe('topics', () => {
  it('parses and formats topics, refusing other lengths and bad hex', () => {
    expect(topicToString(topicFromHex('0xDEADBEEF'))).toBe('0xdeadbeef');
    expect(code(() => topicFromHex('0x0102'))).toBe('ERR_WAKU_BAD_TOPIC');
    expect(code(() => topicFromHex('zz000000'))).toBe('ERR_WAKU_BAD_TOPIC');
    expect(code(() => topicToString(new Uint8Array(3)))).toBe('ERR_WAKU_BAD_TOPIC');
  });

  it('gives a public chat its topic and key together', () => {
    const chat = publicChat('status');
    expect(bytesToHex(chat.topic)).toBe('cd423760');
    expect(chat.symKey).toHaveLength(32);
  });
});

describe('bloom filters (WAKU-08)', () => {
  it('matches when every sample bit is in the filter', () => {
    const a = Uint8Array.of(1, 2, 3, 4);
    const b = Uint8Array.of(5, 6, 7, 8);
    const both = bloomOfTopics([a, b]);
    expect(bloomMatches(both, topicToBloom(a))).toBe(true);
    expect(bloomMatches(topicToBloom(a), topicToBloom(b))).toBe(false);
    expect(bloomMatches(fullBloom(), topicToBloom(b))).toBe(true);
    expect(bloomMatches(emptyBloom(), topicToBloom(b))).toBe(false);
  });

  it('knows full blooms (status-go: a zero-length bloom too)', () => {
    expect(isFullBloom(fullBloom())).toBe(true);
    expect(isFullBloom(new Uint8Array(0))).toBe(true);
    expect(isFullBloom(emptyBloom())).toBe(false);
    expect(code(() => assertBloom(new Uint8Array(63)))).toBe('ERR_WAKU_BAD_BLOOM');
    expect(code(() => topicToBloom(new Uint8Array(5)))).toBe('ERR_WAKU_BAD_TOPIC');
  });

  it('turns blooms and topic lists into interests', () => {
    const topic = Uint8Array.of(1, 2, 3, 4);
    const e = Envelope.create({ expiry: 1, ttl: 1, topic, data: new Uint8Array(1) });
    expect(interestFromBloom(fullBloom())).toBe(FULL_INTEREST);
    expect(interestFromBloom(new Uint8Array(0))).toBe(FULL_INTEREST);
    expect(interestMatches(interestFromBloom(emptyBloom()), e)).toBe(false);
    expect(interestMatches(interestFromBloom(topicToBloom(topic)), e)).toBe(true);
    expect(interestMatches(interestFromTopics([topic]), e)).toBe(true);
    expect(interestMatches(interestFromTopics([]), e)).toBe(false);
  });
});
