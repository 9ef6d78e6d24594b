import { bytesToHex } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import { PayloadErrorCode } from '../src/errors.js';
import {
  isGroupChatId,
  MAX_GROUP_CHAT_ID_LENGTH,
  newGroupChatId,
  parseGroupChatId,
  toMemberId,
} from '../src/group/index.js';
import { codeOf } from './support/errors.js';

const key = getPublicKey(generatePrivateKey(), 'uncompressed');
const creator = `0x${bytesToHex(key)}`;

describe('group chat ids', () => {
  it('newGroupChatId is <uuid v4>-0x<creator key> and parses back', () => {
    const id = newGroupChatId(getPublicKey(generatePrivateKey(), 'compressed'));
    expect(id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-0x04[0-9a-f]{128}$/,
    );
    const mine = newGroupChatId(key);
    const parts = parseGroupChatId(mine);
    expect(parts.creator).toBe(creator);
    expect(parts.creatorKey).toEqual(key);
    expect(parts.prefix).toHaveLength(36);
    expect(parts.standardForm).toBe(true);
    expect(isGroupChatId(mine)).toBe(true);
    expect(newGroupChatId(creator)).not.toBe(mine);
    expect(newGroupChatId(creator).endsWith(creator)).toBe(true);
  });

  it('accepts any non-empty prefix, as status-go (which only checks the creator suffix)', () => {
    const parts = parseGroupChatId(`x${creator}`);
    expect(parts).toMatchObject({ prefix: 'x', creator, standardForm: false });
    expect(parseGroupChatId(`-${creator}`).prefix).toBe('');
    expect(isGroupChatId(`anything-at-all-${creator}`)).toBe(true);
  });

  it('refuses ids without a creator key suffix, or with nothing before it', () => {
    for (const id of [
      creator,
      '',
      'chat-id',
      `uuid-${creator.toUpperCase().replace('0X', '0x')}`,
      `uuid-${creator.slice(0, -1)}`,
      `uuid-0x04${'0'.repeat(128)}`, // not a point on the curve
      `uuid-${creator}-`,
    ]) {
      expect(isGroupChatId(id), id).toBe(false);
      expect(
        codeOf(() => parseGroupChatId(id)),
        id,
      ).toBe(PayloadErrorCode.InvalidField);
    }
    expect(codeOf(() => newGroupChatId('0x04zz'))).toBe(PayloadErrorCode.InvalidField);
    expect(codeOf(() => newGroupChatId(new Uint8Array(3)))).toBe(PayloadErrorCode.InvalidField);
  });

  it(`MAX_GROUP_CHAT_ID_LENGTH = ${MAX_GROUP_CHAT_ID_LENGTH}: longer ids are TOO_LARGE`, () => {
    const fits = `${'a'.repeat(MAX_GROUP_CHAT_ID_LENGTH - creator.length)}${creator}`;
    expect(parseGroupChatId(fits).creator).toBe(creator);
    expect(isGroupChatId(`a${fits}`)).toBe(false);
    expect(codeOf(() => parseGroupChatId(`a${fits}`))).toBe(PayloadErrorCode.TooLarge);
  });

  it('toMemberId normalises keys and refuses misspelled ids', () => {
    expect(toMemberId(getPublicKey(generatePrivateKey(), 'compressed'))).toMatch(/^0x04[0-9a-f]{128}$/);
    expect(toMemberId(creator)).toBe(creator);
    expect(codeOf(() => toMemberId(creator.slice(2)))).toBe(PayloadErrorCode.InvalidField);
  });
});
