import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientError, ClientErrorCode } from '../../src/errors.js';
import {
  type ChatInput,
  encodeCursor,
  MESSAGE_STORE_LIMITS,
  type MessageStore,
  type NewMessage,
  type StoredReaction,
} from '../../src/store/index.js';

/** A store under test; `reopen` (persistent stores) closes it and opens the same data again. */
export interface StoreHarness {
  readonly store: MessageStore;
  close(): Promise<void>;
  reopen?(): Promise<MessageStore>;
}

/** Opens a fresh, empty store whose clock is `now`. */
export type OpenStore = (now: () => number) => Promise<StoreHarness> | StoreHarness;

// Fixtures: ids, keys and topics in the exact forms the store accepts.
const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');
/** A message (or reaction) id: 0x + 64 hex digits. */
export const msgId = (n: number): string => `0x${hex(n, 64)}`;
/** A public key / 1:1 chat id: 0x04 + 128 hex digits. */
export const key = (n: number): string => `0x04${hex(n, 128)}`;
const topic = (...bytes: number[]) => new Uint8Array(bytes);
const ME = key(0xaa);
const ALICE = key(1);
const BOB = key(2);

const publicChat: ChatInput = { id: 'status', kind: 'public', name: '#status' };
const dmChat: ChatInput = { id: ALICE, kind: 'one-to-one', name: 'Alice' };
const groupChat: ChatInput = { id: `abc-${BOB}`, kind: 'group', name: 'friends' };

/** An incoming text message `n` in `chatId` (clock n * 10 unless given). */
export function message(n: number, overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    id: msgId(n),
    chatId: 'status',
    author: ALICE,
    clock: n * 10,
    timestamp: 1_700_000_000_000 + n,
    text: `message ${n}`,
    contentType: 'TEXT_PLAIN',
    responseTo: '',
    ensName: '',
    raw: new Uint8Array([n & 0xff, 1, 2, 3]),
    outgoing: false,
    ...overrides,
  };
}

function reaction(n: number, overrides: Partial<StoredReaction> = {}): StoredReaction {
  return {
    id: msgId(0x1000 + n),
    chatId: 'status',
    messageId: msgId(1),
    author: BOB,
    emoji: 'THUMBS_UP',
    clock: 100,
    retracted: false,
    ...overrides,
  };
}

/** Fails unless `promise` rejects with a ClientError of `code`; `label` names the case in a failure. */
export async function expectCode(promise: Promise<unknown>, code: string, label?: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, label).toBeInstanceOf(ClientError);
  expect((err as ClientError).code, label).toBe(code);
}

const { InvalidArgument, StoreLimit, UnknownChat, UnknownMessage, StoreClosed } = ClientErrorCode;

/**
 * The one contract every MessageStore implementation meets (memory, SQLite, any future one): run it with a
 * factory of fresh stores. `persistent` stores also pass the reopen tests.
 */
export function describeMessageStoreContract(
  name: string,
  open: OpenStore,
  options: { persistent?: boolean } = {},
): void {
  describe(`MessageStore contract: ${name}`, () => {
    let h: StoreHarness;
    let s: MessageStore;
    let nowMs: number;
    beforeEach(async () => {
      nowMs = 5_000;
      h = await open(() => nowMs);
      s = h.store;
    });
    afterEach(async () => {
      await h.close();
    });

    describe('chats', () => {
      it('creates a chat with defaults and finds it by id', async () => {
        expect(await s.getChat('status')).toBeUndefined();
        const created = await s.upsertChat({ id: 'status', kind: 'public' });
        const expected = {
          id: 'status',
          kind: 'public',
          name: '',
          active: true,
          lastClock: 0,
          unreadCount: 0,
          createdAt: 5_000,
          lastMessageAt: 0,
          membershipEvents: [],
        };
        expect(created).toEqual(expected);
        expect(await s.getChat('status')).toEqual(expected);
      });

      it('updates only the fields given; the clock only rises; the kind never changes', async () => {
        await s.upsertChat({ ...publicChat, lastClock: 50 });
        nowMs = 9_000;
        const updated = await s.upsertChat({ id: 'status', kind: 'public', lastClock: 20 });
        expect(updated).toMatchObject({ name: '#status', active: true, lastClock: 50, createdAt: 5_000 });
        expect(
          await s.upsertChat({ id: 'status', kind: 'public', active: false, lastClock: 70 }),
        ).toMatchObject({ name: '#status', active: false, lastClock: 70 });
        await expectCode(s.upsertChat({ id: 'status', kind: 'group' }), InvalidArgument);
        expect((await s.getChat('status'))?.kind).toBe('public');
      });

      it('keeps a group’s membership events in order, replaced only when given', async () => {
        const events = [new Uint8Array([1, 2]), new Uint8Array(0), new Uint8Array(300).fill(9)];
        await s.upsertChat({ ...groupChat, membershipEvents: events });
        events[0]![0] = 0xff; // the store kept its own copy
        await s.upsertChat({ id: groupChat.id, kind: 'group', name: 'renamed' });
        const chat = await s.getChat(groupChat.id);
        expect(chat?.membershipEvents).toEqual([new Uint8Array([1, 2]), new Uint8Array(0), events[2]]);
        expect(chat?.membershipEvents[0]?.constructor).toBe(Uint8Array);
        await s.upsertChat({ ...groupChat, membershipEvents: [new Uint8Array([7])] });
        expect((await s.getChat(groupChat.id))?.membershipEvents).toEqual([new Uint8Array([7])]);
        await expectCode(s.upsertChat({ ...publicChat, membershipEvents: [] }), InvalidArgument);
      });

      it('needs a 0x04 key as the id of a 1:1 chat, and a non-empty id for the others', async () => {
        await s.upsertChat(dmChat);
        await expectCode(s.upsertChat({ id: 'alice', kind: 'one-to-one' }), InvalidArgument);
        await expectCode(s.upsertChat({ id: ALICE.toUpperCase(), kind: 'one-to-one' }), InvalidArgument);
        await expectCode(s.upsertChat({ id: '', kind: 'public' }), InvalidArgument);
        await expectCode(s.upsertChat({ id: 'x', kind: 'channel' as 'public' }), InvalidArgument);
        await expectCode(
          s.upsertChat({ id: 'x', kind: 'public', active: 1 as unknown as boolean }),
          InvalidArgument,
        );
        expect((await s.listChats()).map((c) => c.id)).toEqual([ALICE]);
      });

      it('lists active chats, most recent message first, then by id in code point order', async () => {
        for (const id of ['b', 'a', '\u{1F600}', '\uFFFD', 'left'])
          await s.upsertChat({ id, kind: 'public' });
        await s.deactivateChat('left');
        await s.saveMessages([message(1, { chatId: 'b' })]);
        expect((await s.listChats()).map((c) => c.id)).toEqual(['b', 'a', '\uFFFD', '\u{1F600}']);
        const all = await s.listChats({ includeInactive: true });
        expect(all.map((c) => c.id)).toEqual(['b', 'a', 'left', '\uFFFD', '\u{1F600}']);
      });

      it('deactivates a chat, keeping it and its messages; rejoining is an upsert', async () => {
        await s.upsertChat(publicChat);
        await s.saveMessages([message(1)]);
        expect(await s.deactivateChat('status')).toBe(true);
        expect(await s.deactivateChat('status')).toBe(false);
        expect(await s.deactivateChat('nowhere')).toBe(false);
        expect((await s.getChat('status'))?.active).toBe(false);
        expect((await s.messages('status', { limit: 10 })).messages).toHaveLength(1);
        await s.upsertChat({ id: 'status', kind: 'public', active: true });
        expect((await s.listChats()).map((c) => c.id)).toEqual(['status']);
      });

      it('marks a chat read', async () => {
        await s.upsertChat(publicChat);
        await s.saveMessages([message(1), message(2)]);
        expect((await s.getChat('status'))?.unreadCount).toBe(2);
        expect(await s.markChatRead('status')).toBe(true);
        expect((await s.getChat('status'))?.unreadCount).toBe(0);
        expect(await s.markChatRead('nowhere')).toBe(false);
      });
    });

    describe('messages', () => {
      beforeEach(async () => {
        await s.upsertChat(publicChat);
        await s.upsertChat(dmChat);
      });

      it('saves each id once and says which were new, the first copy kept', async () => {
        expect(await s.hasMessage(msgId(1))).toBe(false);
        expect(await s.saveMessages([message(1), message(2), message(1, { text: 'again' })])).toEqual([
          true,
          true,
          false,
        ]);
        expect(await s.saveMessages([message(2, { text: 'changed' }), message(3)])).toEqual([false, true]);
        expect(await s.hasMessage(msgId(1))).toBe(true);
        expect((await s.getMessage(msgId(1)))?.text).toBe('message 1');
        expect((await s.getMessage(msgId(2)))?.text).toBe('message 2');
        expect(await s.getMessage(msgId(9))).toBeUndefined();
        expect(await s.saveMessages([])).toEqual([]);
      });

      it('gives every field back, with each kind of content, as plain copies', async () => {
        const image = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
        const saved: NewMessage[] = [
          message(1, { responseTo: msgId(9), ensName: 'alice.stateofus.eth', text: 'a\u0000b 😀 é' }),
          message(2, { contentType: 'STICKER', content: { kind: 'sticker', hash: 'Qm123', pack: 7 } }),
          message(3, { contentType: 'IMAGE', content: { kind: 'image', payload: image, imageType: 'PNG' } }),
          message(4, {
            contentType: 'AUDIO',
            content: { kind: 'audio', payload: new Uint8Array(0), audioType: 'AAC', durationMs: 1_500 },
          }),
        ];
        await s.saveMessages(saved);
        image[0] = 0;
        for (const m of saved) {
          const back = await s.getMessage(m.id);
          const content =
            m.id === msgId(3)
              ? { ...m.content, payload: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) }
              : m.content;
          expect(back).toEqual({ ...m, content, deliveryState: undefined, deliveryStateAt: undefined });
          expect(back?.raw.constructor).toBe(Uint8Array);
          if (back?.content && back.content.kind !== 'sticker') {
            expect(back.content.payload.constructor).toBe(Uint8Array);
          }
          back?.raw.fill(0); // a copy: the store is unchanged
        }
        expect((await s.getMessage(msgId(1)))?.raw).toEqual(message(1).raw);
      });

      it("raises each chat's clock and last message time, and counts new incoming messages as unread", async () => {
        await s.upsertChat({ ...publicChat, lastClock: 25 });
        const outgoing = { author: ME, outgoing: true };
        await s.saveMessages([
          message(1, { clock: 10, timestamp: 900 }),
          message(2, { clock: 40, timestamp: 800 }),
          message(3, { clock: 30, timestamp: 1_000, ...outgoing }),
          message(4, { chatId: ALICE, clock: 5, timestamp: 50 }),
        ]);
        expect(await s.getChat('status')).toMatchObject({
          lastClock: 40,
          lastMessageAt: 1_000,
          unreadCount: 2,
        });
        expect(await s.getChat(ALICE)).toMatchObject({ lastClock: 5, lastMessageAt: 50, unreadCount: 1 });
        await s.saveMessages([message(1), message(5, { clock: 1, timestamp: 1 })]); // a duplicate changes nothing
        expect(await s.getChat('status')).toMatchObject({
          lastClock: 40,
          lastMessageAt: 1_000,
          unreadCount: 3,
        });
      });

      it('refuses a batch naming a chat it does not hold, saving none of it', async () => {
        await expectCode(s.saveMessages([message(1), message(2, { chatId: 'elsewhere' })]), UnknownChat);
        expect(await s.hasMessage(msgId(1))).toBe(false);
        expect((await s.getChat('status'))?.unreadCount).toBe(0);
      });

      it('refuses malformed messages with typed errors, saving none of the batch', async () => {
        const bad: [Partial<NewMessage> | Record<string, unknown>, string][] = [
          [{ id: '0x1234' }, InvalidArgument],
          [{ id: msgId(0xab).toUpperCase().replace('0X', '0x') }, InvalidArgument],
          [{ author: 'alice' }, InvalidArgument],
          [{ clock: -1 }, InvalidArgument],
          [{ clock: 1.5 }, InvalidArgument],
          [{ timestamp: Number.MAX_SAFE_INTEGER + 2 }, InvalidArgument],
          [{ text: 'half \uD800 surrogate' }, InvalidArgument],
          [{ text: 42 }, InvalidArgument],
          [{ raw: [1, 2, 3] }, InvalidArgument],
          [{ outgoing: 'yes' }, InvalidArgument],
          [{ deliveryState: 'sent' }, InvalidArgument], // incoming
          [{ outgoing: true, deliveryState: 'lost' }, InvalidArgument],
          [{ content: { kind: 'video', payload: new Uint8Array() } }, InvalidArgument],
          [{ content: { kind: 'sticker', hash: 'Qm', pack: -1 } }, InvalidArgument],
          [{ chatId: '' }, InvalidArgument],
          [{ text: 'x'.repeat(MESSAGE_STORE_LIMITS.maxTextLength + 1) }, StoreLimit],
          [{ ensName: 'x'.repeat(MESSAGE_STORE_LIMITS.maxNameLength + 1) }, StoreLimit],
        ];
        for (const [overrides, code] of bad) {
          const batch = [message(1), message(2, overrides as Partial<NewMessage>)];
          await expectCode(s.saveMessages(batch), code, JSON.stringify(overrides).slice(0, 80));
        }
        await expectCode(s.saveMessages([null as unknown as NewMessage]), InvalidArgument);
        await expectCode(s.saveMessages('nope' as unknown as NewMessage[]), InvalidArgument);
        expect(await s.hasMessage(msgId(1))).toBe(false);
        expect(await s.getChat('status')).toMatchObject({ lastClock: 0, unreadCount: 0 });
      });

      it('refuses malformed ids on reads too', async () => {
        await expectCode(s.hasMessage('0x12'), InvalidArgument);
        await expectCode(s.getMessage(msgId(0xab).toUpperCase()), InvalidArgument);
        await expectCode(s.deleteMessage(''), InvalidArgument);
        await expectCode(s.reactions('abc'), InvalidArgument);
        await expectCode(s.getReaction(42 as unknown as string), InvalidArgument);
        await expectCode(s.getChat(''), InvalidArgument);
        await expectCode(s.getInstallation(''), InvalidArgument);
      });

      it('holds the byte and batch limits: at the limit saved, over it refused', async () => {
        const max = MESSAGE_STORE_LIMITS.maxBytes;
        const atLimit = message(1, {
          raw: new Uint8Array(max).fill(1),
          content: { kind: 'image', payload: new Uint8Array(max).fill(2), imageType: 'JPEG' },
        });
        expect(await s.saveMessages([atLimit])).toEqual([true]);
        expect((await s.getMessage(msgId(1)))?.raw.length).toBe(max);
        await expectCode(s.saveMessages([message(2, { raw: new Uint8Array(max + 1) })]), StoreLimit);
        const image = { kind: 'image' as const, payload: new Uint8Array(max + 1), imageType: 'PNG' };
        await expectCode(s.saveMessages([message(3, { content: image })]), StoreLimit);
        const tooMany = Array.from({ length: MESSAGE_STORE_LIMITS.maxBatchSize + 1 }, () => message(4));
        await expectCode(s.saveMessages(tooMany), StoreLimit);
        expect(await s.hasMessage(msgId(4))).toBe(false);
      });

      it('pages back through a chat in chat order, equal clocks by id', async () => {
        // Saved out of order; clocks 10, 20, 20, 20, 30 and a message of another chat.
        await s.saveMessages([
          message(5, { clock: 30 }),
          message(3, { clock: 20 }),
          message(1, { clock: 10 }),
          message(4, { clock: 20 }),
          message(2, { clock: 20 }),
          message(6, { chatId: ALICE, clock: 15 }),
        ]);
        const ids = (page: { messages: { id: string }[] }) => page.messages.map((m) => m.id);
        const first = await s.messages('status', { limit: 2 });
        expect(ids(first)).toEqual([msgId(4), msgId(5)]);
        expect(first.cursor).toBe(encodeCursor({ clock: 20, id: msgId(4) }));
        const second = await s.messages('status', { limit: 2, before: first.cursor });
        expect(ids(second)).toEqual([msgId(2), msgId(3)]);
        const third = await s.messages('status', { limit: 2, before: second.cursor });
        expect(ids(third)).toEqual([msgId(1)]);
        expect(third.cursor).toBeUndefined();
        const whole = await s.messages('status', { limit: 5 });
        expect(ids(whole)).toEqual([1, 2, 3, 4, 5].map(msgId));
        expect(whole.cursor).toBeUndefined();
        expect(ids(await s.messages(ALICE, { limit: 10 }))).toEqual([msgId(6)]);
        expect(await s.messages('empty', { limit: 10 })).toEqual({ messages: [], cursor: undefined });
      });

      it('pages through thousands of messages without losing or repeating one', async () => {
        const total = 2_500;
        const all = Array.from({ length: total }, (_, i) => message(i + 1, { clock: (i * 7919) % 400 }));
        for (let i = 0; i < total; i += MESSAGE_STORE_LIMITS.maxBatchSize) {
          await s.saveMessages(all.slice(i, i + MESSAGE_STORE_LIMITS.maxBatchSize));
        }
        const seen: string[] = [];
        let before: string | undefined;
        do {
          const page = await s.messages('status', { limit: MESSAGE_STORE_LIMITS.maxPageSize, before });
          seen.unshift(...page.messages.map((m) => `${m.clock}:${m.id}`));
          before = page.cursor;
        } while (before !== undefined);
        const expected = all
          .map((m) => ({ clock: m.clock, id: m.id }))
          .sort((a, b) => a.clock - b.clock || (a.id < b.id ? -1 : 1))
          .map((m) => `${m.clock}:${m.id}`);
        expect(seen).toEqual(expected);
      });

      it('refuses a bad page size or cursor', async () => {
        for (const limit of [0, -1, 1.5, Number.NaN]) {
          await expectCode(s.messages('status', { limit }), InvalidArgument);
        }
        await expectCode(s.messages('status', { limit: MESSAGE_STORE_LIMITS.maxPageSize + 1 }), StoreLimit);
        expect((await s.messages('status', { limit: MESSAGE_STORE_LIMITS.maxPageSize })).messages).toEqual(
          [],
        );
        for (const before of [
          '',
          'x',
          `-1:${msgId(1)}`,
          `1:${msgId(1)}x`,
          `01:${msgId(1)}`,
          `99999999999999999:${msgId(1)}`,
        ]) {
          await expectCode(s.messages('status', { limit: 1, before }), InvalidArgument);
        }
        await expectCode(s.messages('status', undefined as unknown as { limit: number }), InvalidArgument);
      });

      it('tracks the delivery state of an outgoing message, never going back', async () => {
        await s.saveMessages([message(1, { author: ME, outgoing: true })]);
        expect(await s.getMessage(msgId(1))).toMatchObject({
          deliveryState: 'sending',
          deliveryStateAt: 5_000,
        });
        const steps: [string, boolean, string][] = [
          ['failed', true, 'failed'],
          ['sending', true, 'sending'], // a retry
          ['sending', false, 'sending'],
          ['confirmed', true, 'confirmed'], // 'sent' may be skipped
          ['sent', false, 'confirmed'], // a late report
          ['failed', true, 'failed'], // posted and confirmed, but never acknowledged: MVDS gave up
          ['confirmed', false, 'failed'],
          ['acknowledged', true, 'acknowledged'], // a late ack: the peer did get it
          ['failed', false, 'acknowledged'],
          ['confirmed', false, 'acknowledged'],
        ];
        for (const [i, [state, changed, after]] of steps.entries()) {
          nowMs = 6_000 + i;
          expect(await s.setDeliveryState(msgId(1), state as 'sent'), state).toBe(changed);
          const stored = await s.getMessage(msgId(1));
          expect(stored?.deliveryState).toBe(after);
        }
        expect((await s.getMessage(msgId(1)))?.deliveryStateAt).toBe(6_007); // the acknowledgement
      });

      it('starts an outgoing message in the state given, and refuses delivery states where none belong', async () => {
        await s.saveMessages([message(1, { outgoing: true, deliveryState: 'sent' }), message(2)]);
        expect((await s.getMessage(msgId(1)))?.deliveryState).toBe('sent');
        expect(await s.getMessage(msgId(2))).toMatchObject({
          deliveryState: undefined,
          deliveryStateAt: undefined,
        });
        await expectCode(s.setDeliveryState(msgId(2), 'sent'), InvalidArgument);
        await expectCode(s.setDeliveryState(msgId(3), 'sent'), UnknownMessage);
        await expectCode(s.setDeliveryState(msgId(1), 'delivered' as 'sent'), InvalidArgument);
        await expectCode(s.setDeliveryState('0x1', 'sent'), InvalidArgument);
      });

      it('lists outgoing messages by delivery state, least recently changed first', async () => {
        const out = { author: ME, outgoing: true };
        await s.saveMessages([message(1, out), message(2, out), message(3, out), message(4)]);
        nowMs = 7_000;
        await s.setDeliveryState(msgId(1), 'failed');
        nowMs = 8_000;
        await s.setDeliveryState(msgId(2), 'acknowledged');
        const pending = await s.messagesInDeliveryState(['sending', 'failed'], 10);
        expect(pending.map((m) => m.id)).toEqual([msgId(3), msgId(1)]);
        expect(
          (await s.messagesInDeliveryState(['failed', 'sending', 'failed'], 1)).map((m) => m.id),
        ).toEqual([msgId(3)]);
        expect(await s.messagesInDeliveryState([], 10)).toEqual([]);
        await expectCode(s.messagesInDeliveryState(['lost' as 'sent'], 10), InvalidArgument);
        await expectCode(
          s.messagesInDeliveryState(['sent'], MESSAGE_STORE_LIMITS.maxPageSize + 1),
          StoreLimit,
        );
      });

      it('deletes a message and its reactions, and never takes it back', async () => {
        await s.saveMessages([message(1), message(2)]);
        await s.saveReactions([reaction(1)]);
        expect(await s.deleteMessage(msgId(1))).toBe(true);
        expect(await s.deleteMessage(msgId(1))).toBe(false);
        expect(await s.getMessage(msgId(1))).toBeUndefined();
        expect(await s.hasMessage(msgId(1))).toBe(true);
        expect(await s.getReaction(reaction(1).id)).toBeUndefined();
        expect(await s.saveMessages([message(1)])).toEqual([false]); // history brings it again
        expect((await s.messages('status', { limit: 10 })).messages.map((m) => m.id)).toEqual([msgId(2)]);
        expect(await s.deleteMessage(msgId(7))).toBe(false); // not stored: remembered all the same
        expect(await s.saveMessages([message(7)])).toEqual([false]);
      });
    });

    describe('reactions', () => {
      beforeEach(async () => {
        await s.upsertChat(publicChat);
      });

      it('keeps the version with the highest clock per reaction id, retractions included', async () => {
        expect(await s.saveReactions([reaction(1), reaction(2, { emoji: 'LOVE', clock: 90 })])).toEqual([
          true,
          true,
        ]);
        expect((await s.reactions(msgId(1))).map((r) => r.id)).toEqual([reaction(2).id, reaction(1).id]);
        const retraction = reaction(1, { clock: 120, retracted: true });
        expect(await s.saveReactions([retraction])).toEqual([true]);
        expect(await s.saveReactions([reaction(1, { clock: 110 })])).toEqual([false]); // late copy
        expect(await s.saveReactions([reaction(1, { clock: 120 })])).toEqual([false]); // equal clock: first wins
        expect(await s.getReaction(reaction(1).id)).toEqual(retraction);
        expect((await s.reactions(msgId(1))).map((r) => r.id)).toEqual([reaction(2).id]);
        expect(await s.saveReactions([reaction(1, { clock: 130 })])).toEqual([true]); // reacts again
        expect(await s.reactions(msgId(1))).toHaveLength(2);
        expect(await s.reactions(msgId(2))).toEqual([]);
      });

      it('within one batch applies in order, and refuses bad or unknown-chat batches whole', async () => {
        expect(
          await s.saveReactions([
            reaction(1, { clock: 5 }),
            reaction(1, { clock: 3 }),
            reaction(1, { clock: 7 }),
          ]),
        ).toEqual([true, false, true]);
        expect((await s.getReaction(reaction(1).id))?.clock).toBe(7);
        await expectCode(s.saveReactions([reaction(3), reaction(4, { chatId: 'elsewhere' })]), UnknownChat);
        await expectCode(s.saveReactions([reaction(3), reaction(4, { emoji: '' })]), InvalidArgument);
        await expectCode(s.saveReactions([reaction(3), reaction(4, { messageId: 'm' })]), InvalidArgument);
        expect(await s.getReaction(reaction(3).id)).toBeUndefined();
      });
    });

    describe('contacts', () => {
      it('creates with defaults and updates only the fields given', async () => {
        const created = await s.upsertContact({ key: BOB, nickname: 'Bobby' });
        expect(created).toEqual({
          key: BOB,
          ensName: '',
          nickname: 'Bobby',
          added: false,
          blocked: false,
          profileImage: '',
          lastUpdateClock: 0,
          lastProfileSentAt: 0,
        });
        await s.upsertContact({ key: BOB, added: true, lastProfileSentAt: 4_000 });
        expect(await s.getContact(BOB)).toMatchObject({
          nickname: 'Bobby',
          added: true,
          lastProfileSentAt: 4_000,
        });
        await s.upsertContact({ key: ALICE, blocked: true });
        expect((await s.listContacts()).map((c) => c.key)).toEqual([ALICE, BOB]);
        expect(await s.getContact(key(3))).toBeUndefined();
      });

      it('applies a contact update only when its clock is newer, creating the contact if needed', async () => {
        const image = `data:image/png;base64,${'A'.repeat(1_000)}`;
        expect(
          await s.applyContactUpdate(ALICE, { clock: 10, ensName: 'alice.eth', profileImage: image }),
        ).toBe(true);
        expect(await s.getContact(ALICE)).toMatchObject({
          added: false,
          ensName: 'alice.eth',
          profileImage: image,
          lastUpdateClock: 10,
        });
        expect(await s.applyContactUpdate(ALICE, { clock: 10, ensName: 'old', profileImage: '' })).toBe(
          false,
        );
        expect(await s.applyContactUpdate(ALICE, { clock: 0, ensName: 'zero', profileImage: '' })).toBe(
          false,
        );
        await s.upsertContact({ key: ALICE, added: true, nickname: 'A' });
        expect(await s.applyContactUpdate(ALICE, { clock: 11, ensName: '', profileImage: '' })).toBe(true);
        expect(await s.getContact(ALICE)).toMatchObject({
          added: true,
          nickname: 'A',
          ensName: '',
          lastUpdateClock: 11,
        });
        expect(await s.applyContactUpdate(BOB, { clock: 0, ensName: 'x', profileImage: '' })).toBe(false);
        expect(await s.getContact(BOB)).toBeUndefined();
      });

      it('refuses malformed contacts', async () => {
        await expectCode(s.upsertContact({ key: '0x04abc' }), InvalidArgument);
        await expectCode(s.upsertContact({ key: BOB, added: 'yes' as unknown as boolean }), InvalidArgument);
        await expectCode(s.upsertContact({ key: BOB, lastProfileSentAt: -5 }), InvalidArgument);
        const huge = 'x'.repeat(MESSAGE_STORE_LIMITS.maxProfileImageLength + 1);
        await expectCode(s.upsertContact({ key: BOB, profileImage: huge }), StoreLimit);
        await expectCode(
          s.applyContactUpdate(BOB, { clock: 1, ensName: 'x', profileImage: huge }),
          StoreLimit,
        );
        await expectCode(s.getContact('bob'), InvalidArgument);
        expect(await s.listContacts()).toEqual([]);
      });
    });

    describe('history sync', () => {
      it('records per topic how far history was fetched, never moving back', async () => {
        const a = topic(1, 2, 3, 4);
        const b = topic(0xff, 0, 0, 0x10);
        expect(await s.historySyncedUntil(a)).toBeUndefined();
        await s.markHistorySynced([a, b], 1_600_000_000);
        await s.markHistorySynced([a], 1_500_000_000);
        expect(await s.historySyncedUntil(a)).toBe(1_600_000_000);
        await s.markHistorySynced([b], 1_700_000_000);
        expect(await s.historySyncState()).toEqual([
          { topic: a, syncedUntil: 1_600_000_000 },
          { topic: b, syncedUntil: 1_700_000_000 },
        ]);
        await s.forgetHistorySync([a, topic(9, 9, 9, 9)]);
        expect(await s.historySyncedUntil(a)).toBeUndefined();
        expect((await s.historySyncState()).map((t) => t.syncedUntil)).toEqual([1_700_000_000]);
      });

      it('refuses topics that are not 4 bytes and times that are not counts', async () => {
        await expectCode(s.historySyncedUntil(new Uint8Array(3)), InvalidArgument);
        await expectCode(s.markHistorySynced([topic(1, 2, 3, 4), new Uint8Array(5)], 1), InvalidArgument);
        await expectCode(s.markHistorySynced([topic(1, 2, 3, 4)], -1), InvalidArgument);
        const tooMany = Array.from({ length: MESSAGE_STORE_LIMITS.maxBatchSize + 1 }, () =>
          topic(1, 2, 3, 4),
        );
        await expectCode(s.markHistorySynced(tooMany, 1), StoreLimit);
        expect(await s.historySyncState()).toEqual([]);
      });
    });

    describe('installations', () => {
      it('creates disabled, updates the fields given, and only raises lastSeen', async () => {
        const created = await s.upsertInstallation({ id: 'b-device', deviceType: 'desktop', lastSeen: 100 });
        expect(created).toEqual({
          id: 'b-device',
          deviceType: 'desktop',
          name: '',
          enabled: false,
          lastSeen: 100,
        });
        await s.upsertInstallation({ id: 'b-device', name: 'Laptop', enabled: true, lastSeen: 50 });
        expect(await s.getInstallation('b-device')).toEqual({
          id: 'b-device',
          deviceType: 'desktop',
          name: 'Laptop',
          enabled: true,
          lastSeen: 100,
        });
        await s.upsertInstallation({ id: 'a-device', deviceType: 'ios' });
        expect((await s.listInstallations()).map((i) => i.id)).toEqual(['a-device', 'b-device']);
        expect(await s.getInstallation('none')).toBeUndefined();
        await expectCode(s.upsertInstallation({ id: '' }), InvalidArgument);
        await expectCode(
          s.upsertInstallation({ id: 'c', lastSeen: Number.POSITIVE_INFINITY }),
          InvalidArgument,
        );
      });
    });

    it('refuses every call once closed; closing twice is harmless', async () => {
      await s.upsertChat(publicChat);
      await s.close();
      await s.close();
      const calls: Promise<unknown>[] = [
        s.upsertChat(publicChat),
        s.getChat('status'),
        s.listChats(),
        s.saveMessages([message(1)]),
        s.hasMessage(msgId(1)),
        s.messages('status', { limit: 1 }),
        s.saveReactions([reaction(1)]),
        s.listContacts(),
        s.historySyncState(),
        s.listInstallations(),
      ];
      for (const call of calls) await expectCode(call, StoreClosed);
    });

    if (options.persistent) {
      describe('persistence', () => {
        it('finds everything again after a reopen', async () => {
          await s.upsertChat({
            ...groupChat,
            membershipEvents: [new Uint8Array([1]), new Uint8Array([2, 3])],
          });
          await s.upsertChat({ ...publicChat, lastClock: 3 });
          const image = { kind: 'image' as const, payload: new Uint8Array([1, 2, 3]), imageType: 'GIF' };
          await s.saveMessages([
            message(1, { content: image }),
            message(2, { chatId: groupChat.id, author: ME, outgoing: true }),
          ]);
          await s.setDeliveryState(msgId(2), 'confirmed');
          await s.saveMessages([message(3)]);
          await s.deleteMessage(msgId(3));
          await s.saveReactions([reaction(1, { retracted: true })]);
          await s.upsertContact({ key: BOB, added: true, nickname: 'B' });
          await s.markHistorySynced([topic(1, 2, 3, 4)], 1_234);
          await s.upsertInstallation({ id: 'phone', enabled: true, lastSeen: 77 });
          const snapshot = async (store: MessageStore) => ({
            chats: await store.listChats({ includeInactive: true }),
            messages: [await store.getMessage(msgId(1)), await store.getMessage(msgId(2))],
            deleted: await store.hasMessage(msgId(3)),
            reaction: await store.getReaction(reaction(1).id),
            contacts: await store.listContacts(),
            history: await store.historySyncState(),
            installations: await store.listInstallations(),
          });
          const before = await snapshot(s);
          s = await h.reopen!();
          expect(await snapshot(s)).toEqual(before);
          expect(before.chats).toHaveLength(2);
          expect(before.messages[1]?.deliveryState).toBe('confirmed');
          expect(before.deleted).toBe(true);
        });
      });
    }
  });
}
