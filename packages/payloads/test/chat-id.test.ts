import { bytesToHex } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  isOneToOneChatId,
  isValidPublicChatName,
  oneToOneChatId,
  oneToOneChatPeer,
  PayloadErrorCode,
  publicChatId,
  receivedChatId,
} from '../src/index.js';
import { codeOf } from './support/errors.js';

const alice = getPublicKey(generatePrivateKey(), 'uncompressed');
const bob = getPublicKey(generatePrivateKey(), 'uncompressed');

describe('public chat names', () => {
  it('allow a-z, 0-9 and - only', () => {
    for (const name of ['status', 'status-ts-vector', 'a', '1-2-3', 'x-'])
      expect(isValidPublicChatName(name)).toBe(true);
    for (const name of ['', 'Status', 'with space', 'ümlaut', 'a_b', '#status', 'a.b']) {
      expect(isValidPublicChatName(name)).toBe(false);
      expect(codeOf(() => publicChatId(name))).toBe(PayloadErrorCode.InvalidField);
    }
  });

  it('a name that spells a 1:1 chat id (a public key) is refused', () => {
    expect(isValidPublicChatName(`0x${bytesToHex(alice)}`)).toBe(false);
    expect(isValidPublicChatName(bytesToHex(alice))).toBe(true); // without 0x it is just a long name
  });
});

describe('1:1 chat ids', () => {
  it('are 0x + the uncompressed key in lowercase hex, from any key form', () => {
    const id = oneToOneChatId(alice);
    expect(id).toBe(`0x${bytesToHex(alice)}`);
    expect(oneToOneChatId(getPublicKey(generatePrivateKey(), 'compressed'))).toMatch(/^0x04[0-9a-f]{128}$/);
    expect(isOneToOneChatId(id)).toBe(true);
    expect(oneToOneChatPeer(id)).toEqual(alice);
  });

  it('refuse off-curve points, wrong lengths and upper case', () => {
    const offCurve = `0x04${'11'.repeat(64)}`;
    expect(isOneToOneChatId(offCurve)).toBe(false);
    expect(isOneToOneChatId(oneToOneChatId(alice).toUpperCase().replace('0X', '0x'))).toBe(false);
    expect(isOneToOneChatId(oneToOneChatId(alice).slice(0, -2))).toBe(false);
    expect(codeOf(() => oneToOneChatPeer(offCurve))).toBe(PayloadErrorCode.InvalidField);
    expect(codeOf(() => oneToOneChatId(new Uint8Array(65)))).toBe(PayloadErrorCode.InvalidField);
  });
});

describe('filing a received message', () => {
  it('a 1:1 message from someone else goes under the author, whatever its chat_id says', () => {
    expect(
      receivedChatId({ messageType: 'ONE_TO_ONE', chatId: 'anything', author: alice, self: bob }),
    ).toEqual({
      kind: 'one-to-one',
      chatId: oneToOneChatId(alice),
    });
  });

  it('a 1:1 message from our own other device goes under its chat_id, which must be a key', () => {
    expect(
      receivedChatId({ messageType: 'ONE_TO_ONE', chatId: oneToOneChatId(bob), author: alice, self: alice }),
    ).toEqual({
      kind: 'one-to-one',
      chatId: oneToOneChatId(bob),
    });
    expect(
      codeOf(() =>
        receivedChatId({ messageType: 'ONE_TO_ONE', chatId: 'status', author: alice, self: alice }),
      ),
    ).toBe(PayloadErrorCode.InvalidField);
  });

  it('public and group messages go under their chat_id', () => {
    expect(
      receivedChatId({ messageType: 'PUBLIC_GROUP', chatId: 'status', author: alice, self: bob }),
    ).toEqual({
      kind: 'public',
      chatId: 'status',
    });
    expect(receivedChatId({ messageType: 'PRIVATE_GROUP', chatId: 'g', author: alice, self: bob })).toEqual({
      kind: 'group',
      chatId: 'g',
    });
    expect(
      codeOf(() =>
        receivedChatId({ messageType: 'UNKNOWN' as 'ONE_TO_ONE', chatId: 'g', author: alice, self: bob }),
      ),
    ).toBe(PayloadErrorCode.InvalidField);
  });
});
