import { create, toBinary } from '@bufbuild/protobuf';
import { bytesToHex, hexToBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readVectors } from '../../../tools/vectors.js';
import { PayloadError, PayloadErrorCode } from '../src/errors.js';
import {
  adminsAdded,
  chatCreated,
  decodeMembershipUpdate,
  encodeMembershipUpdate,
  MAX_GROUP_CHAT_ID_LENGTH,
  MAX_MEMBERSHIP_EVENTS_PER_UPDATE,
  MAX_MEMBERSHIP_UPDATE_BYTES,
  type MembershipUpdateChatEntity,
  memberJoined,
  membersAdded,
  nameChanged,
  newGroupChatId,
  type SignedMembershipEvent,
  signMembershipEvent,
  toMemberId,
  verifyMembershipEvent,
} from '../src/group/index.js';
import { MembershipUpdateMessageSchema } from '../src/proto.js';
import { codeOf } from './support/errors.js';

interface VectorEvent {
  readonly name?: string;
  readonly members?: string[];
  readonly clock: string;
  readonly encoded: string;
  readonly signature: string;
}
const example = readVectors<{
  membership_update_example: {
    private_key: string;
    chat_id: string;
    events: [VectorEvent, VectorEvent];
    membership_update_message_bytes: string;
  };
}>('payloads.json').membership_update_example;

const creatorKey = generatePrivateKey();
const aliceKey = generatePrivateKey();
const creator = toMemberId(getPublicKey(creatorKey));
const alice = toMemberId(getPublicKey(aliceKey));
const chatId = newGroupChatId(creator);
const log: SignedMembershipEvent[] = [
  signMembershipEvent(chatId, chatCreated('group', 1), creatorKey),
  signMembershipEvent(chatId, membersAdded([alice], 2), creatorKey),
  signMembershipEvent(chatId, memberJoined(3), aliceKey),
  signMembershipEvent(chatId, adminsAdded([alice], 4), creatorKey),
  signMembershipEvent(chatId, nameChanged('renamed', 5), aliceKey),
];
const chatMessage: MembershipUpdateChatEntity = {
  case: 'message',
  value: {
    clock: 7,
    timestamp: 8,
    text: 'hello group',
    responseTo: '',
    ensName: '',
    chatId,
    messageType: 'PRIVATE_GROUP',
    contentType: 'TEXT_PLAIN',
  },
};
const reaction: MembershipUpdateChatEntity = {
  case: 'emojiReaction',
  value: {
    clock: 9,
    chatId,
    messageId: '0x01',
    messageType: 'PRIVATE_GROUP',
    type: 'LOVE',
    retracted: false,
  },
};

/** A MembershipUpdateMessage written directly with protobuf-es, for inputs our encoder refuses. */
function rawMessage(chat: string, events: Uint8Array[]): Uint8Array {
  return toBinary(
    MembershipUpdateMessageSchema,
    create(MembershipUpdateMessageSchema, { chatId: chat, events }),
  );
}

describe('MembershipUpdateMessage: vectors/payloads.json membership_update_example', () => {
  const key = hexToBytes(example.private_key);
  const [created, added] = example.events;

  it('encodes the signed vector events to membership_update_message_bytes', () => {
    const events = [
      signMembershipEvent(example.chat_id, chatCreated(created.name ?? '', Number(created.clock)), key),
      signMembershipEvent(example.chat_id, membersAdded(added.members ?? [], Number(added.clock)), key),
    ];
    expect(bytesToHex(encodeMembershipUpdate({ chatId: example.chat_id, events }))).toBe(
      example.membership_update_message_bytes,
    );
  });

  it('decodes membership_update_message_bytes to the events, authored by the vector key', () => {
    const decoded = decodeMembershipUpdate(hexToBytes(example.membership_update_message_bytes));
    expect(decoded.chatId).toBe('chat-id');
    expect(decoded.rejected).toEqual([]);
    expect(decoded.chatEntity).toBeUndefined();
    expect(decoded.entries.map(bytesToHex)).toEqual(example.events.map((e) => e.signature + e.encoded));
    expect(decoded.events.map((event) => event.from)).toEqual([
      toMemberId(getPublicKey(key)),
      toMemberId(getPublicKey(key)),
    ]);
    expect(decoded.events.map((event) => [event.type, event.clock])).toEqual([
      ['CHAT_CREATED', Number(created.clock)],
      ['MEMBERS_ADDED', Number(added.clock)],
    ]);
  });
});

describe('MembershipUpdateMessage codec', () => {
  it('round-trips the log with either chat entity or none', () => {
    for (const chatEntity of [undefined, chatMessage, reaction]) {
      const bytes = encodeMembershipUpdate(
        chatEntity ? { chatId, events: log, chatEntity } : { chatId, events: log },
      );
      const decoded = decodeMembershipUpdate(bytes);
      expect(decoded.chatId).toBe(chatId);
      expect(decoded.events.map((event) => bytesToHex(event.bytes))).toEqual(
        log.map((e) => bytesToHex(e.bytes)),
      );
      expect(decoded.events.map((event) => event.from)).toEqual(log.map((event) => event.from));
      expect(decoded.chatEntity?.case).toBe(chatEntity?.case);
      if (chatEntity !== undefined)
        expect(decoded.chatEntity?.value).toEqual({ content: undefined, ...chatEntity.value });
    }
  });

  it('lists bad entries by index with typed errors instead of failing the message', () => {
    const forged = log[1]!.bytes.slice();
    forged[64] = 5;
    const decoded = decodeMembershipUpdate(rawMessage(chatId, [log[0]!.bytes, new Uint8Array(65), forged]));
    expect(decoded.events).toHaveLength(1);
    expect(decoded.rejected.map((r) => [r.index, r.error.code])).toEqual([
      [1, PayloadErrorCode.Malformed],
      [2, PayloadErrorCode.BadSignature],
    ]);
    expect(decoded.entries).toHaveLength(3);
  });

  it('applies the clock check when given the time', () => {
    const bytes = encodeMembershipUpdate({ chatId, events: log });
    expect(decodeMembershipUpdate(bytes, { timeMs: 0 }).events).toHaveLength(log.length); // 5 ms ahead of 0
    const late = signMembershipEvent(chatId, nameChanged('x', 200_000), aliceKey);
    const decoded = decodeMembershipUpdate(encodeMembershipUpdate({ chatId, events: [...log, late] }), {
      timeMs: 0,
    });
    expect(decoded.rejected.map((r) => [r.index, r.error.code])).toEqual([
      [5, PayloadErrorCode.InvalidField],
    ]);
  });

  it('refuses to send an event signed for another chat id', () => {
    const other = signMembershipEvent('other', memberJoined(1), aliceKey);
    expect(codeOf(() => encodeMembershipUpdate({ chatId, events: [...log, other] }))).toBe(
      PayloadErrorCode.InvalidArgument,
    );
  });

  it('refuses a chat id that is not UTF-8 (status-go cannot unmarshal it)', () => {
    const bytes = new Uint8Array([0x0a, 0x02, 0xc3, 0x28]);
    expect(codeOf(() => decodeMembershipUpdate(bytes))).toBe(PayloadErrorCode.Malformed);
    expect(decodeMembershipUpdate(rawMessage('\ufffd', [])).chatId).toBe('\ufffd');
    // protobuf-es reads a string field sent with the varint wire type; the strict re-read refuses it
    expect(codeOf(() => decodeMembershipUpdate(Uint8Array.from([8, 1, 128])))).toBe(
      PayloadErrorCode.Malformed,
    );
  });
});

describe('MembershipUpdateMessage limits', () => {
  it(`MAX_MEMBERSHIP_UPDATE_BYTES = ${MAX_MEMBERSHIP_UPDATE_BYTES}: larger is TOO_LARGE both ways`, () => {
    // One junk entry sized so the message is exactly at the limit: it decodes (the entry is rejected).
    const overhead =
      rawMessage('c', [new Uint8Array(MAX_MEMBERSHIP_UPDATE_BYTES - 100)]).length -
      (MAX_MEMBERSHIP_UPDATE_BYTES - 100);
    const atLimit = rawMessage('c', [new Uint8Array(MAX_MEMBERSHIP_UPDATE_BYTES - overhead)]);
    expect(atLimit.length).toBe(MAX_MEMBERSHIP_UPDATE_BYTES);
    expect(decodeMembershipUpdate(atLimit).rejected).toHaveLength(1);
    const over = rawMessage('c', [new Uint8Array(MAX_MEMBERSHIP_UPDATE_BYTES - overhead + 1)]);
    expect(codeOf(() => decodeMembershipUpdate(over))).toBe(PayloadErrorCode.TooLarge);
    const huge: MembershipUpdateChatEntity = {
      case: 'message',
      value: {
        ...chatMessage.value,
        text: 'x'.repeat(MAX_MEMBERSHIP_UPDATE_BYTES),
      } as typeof chatMessage.value,
    };
    expect(codeOf(() => encodeMembershipUpdate({ chatId, events: log, chatEntity: huge }))).toBe(
      PayloadErrorCode.TooLarge,
    );
  });

  it(`MAX_MEMBERSHIP_EVENTS_PER_UPDATE = ${MAX_MEMBERSHIP_EVENTS_PER_UPDATE}: more is TOO_LARGE both ways`, () => {
    const tiny = (count: number) =>
      rawMessage(
        chatId,
        Array.from({ length: count }, () => new Uint8Array(1)),
      );
    expect(decodeMembershipUpdate(tiny(MAX_MEMBERSHIP_EVENTS_PER_UPDATE)).rejected).toHaveLength(
      MAX_MEMBERSHIP_EVENTS_PER_UPDATE,
    );
    expect(codeOf(() => decodeMembershipUpdate(tiny(MAX_MEMBERSHIP_EVENTS_PER_UPDATE + 1)))).toBe(
      PayloadErrorCode.TooLarge,
    );
    const many = Array.from({ length: MAX_MEMBERSHIP_EVENTS_PER_UPDATE + 1 }, () => log[0]!);
    expect(encodeMembershipUpdate({ chatId, events: many.slice(1) }).length).toBeGreaterThan(0);
    expect(codeOf(() => encodeMembershipUpdate({ chatId, events: many }))).toBe(PayloadErrorCode.TooLarge);
  });

  it(`MAX_GROUP_CHAT_ID_LENGTH = ${MAX_GROUP_CHAT_ID_LENGTH}: longer chat ids are TOO_LARGE everywhere`, () => {
    const fits = 'c'.repeat(MAX_GROUP_CHAT_ID_LENGTH);
    const over = `${fits}c`;
    expect(decodeMembershipUpdate(rawMessage(fits, [])).chatId).toBe(fits);
    expect(codeOf(() => decodeMembershipUpdate(rawMessage(over, [])))).toBe(PayloadErrorCode.TooLarge);
    expect(signMembershipEvent(fits, memberJoined(1), aliceKey).chatId).toBe(fits);
    expect(codeOf(() => signMembershipEvent(over, memberJoined(1), aliceKey))).toBe(
      PayloadErrorCode.TooLarge,
    );
    expect(codeOf(() => encodeMembershipUpdate({ chatId: over, events: [] }))).toBe(
      PayloadErrorCode.TooLarge,
    );
  });
});

describe('MembershipUpdateMessage decoder fuzz (fast-check)', () => {
  const valid = encodeMembershipUpdate({ chatId, events: log.slice(0, 2), chatEntity: chatMessage });
  const short = encodeMembershipUpdate({ chatId, events: log.slice(2, 3) });

  type Mutation = { kind: 'flip' | 'insert' | 'delete' | 'truncate'; at: number; byte: number };
  function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
    let out = Array.from(bytes);
    for (const { kind, at, byte } of mutations) {
      const i = out.length === 0 ? 0 : at % out.length;
      if (kind === 'flip') out[i] = (out[i] ?? 0) ^ (byte | 1);
      else if (kind === 'insert') out.splice(i, 0, byte);
      else if (kind === 'delete') out.splice(i, 1);
      else out = out.slice(0, i);
    }
    return Uint8Array.from(out);
  }
  const mutation = fc.record({
    kind: fc.constantFrom<Mutation['kind']>('flip', 'insert', 'delete', 'truncate'),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
  });

  type Case =
    | { kind: 'roundtrip'; events: SignedMembershipEvent[]; entity: MembershipUpdateChatEntity | undefined }
    | { kind: 'bytes'; bytes: Uint8Array };
  const cases: fc.Arbitrary<Case> = fc.oneof(
    fc.record({
      kind: fc.constant('roundtrip' as const),
      events: fc.subarray(log, { maxLength: 3 }),
      entity: fc.constantFrom(undefined, chatMessage, reaction),
    }),
    fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 400 }) }),
    fc
      .tuple(fc.constantFrom(valid, short), fc.array(mutation, { minLength: 1, maxLength: 4 }))
      .map(([bytes, mutations]) => ({ kind: 'bytes' as const, bytes: mutate(bytes, mutations) })),
    // A valid message with junk appended: unknown or broken trailing fields.
    fc
      .uint8Array({ minLength: 1, maxLength: 40 })
      .map((tail) => ({ kind: 'bytes' as const, bytes: Uint8Array.from([...short, ...tail]) })),
  );

  it('10,000 cases: round trips hold, anything else decodes or throws a PayloadError', () => {
    fc.assert(
      fc.property(cases, (input) => {
        if (input.kind === 'roundtrip') {
          const bytes = encodeMembershipUpdate(
            input.entity
              ? { chatId, events: input.events, chatEntity: input.entity }
              : { chatId, events: input.events },
          );
          const decoded = decodeMembershipUpdate(bytes);
          expect(decoded.rejected).toEqual([]);
          expect(decoded.events.map((e) => bytesToHex(e.bytes))).toEqual(
            input.events.map((e) => bytesToHex(e.bytes)),
          );
          expect(decoded.events.map((e) => e.from)).toEqual(input.events.map((e) => e.from));
          expect(decoded.chatEntity?.case).toBe(input.entity?.case);
          return;
        }
        let decoded: ReturnType<typeof decodeMembershipUpdate>;
        try {
          decoded = decodeMembershipUpdate(input.bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(PayloadError);
          return;
        }
        expect(decoded.events.length + decoded.rejected.length).toBe(decoded.entries.length);
        for (const { error } of decoded.rejected) expect(error).toBeInstanceOf(PayloadError);
        for (const event of decoded.events) expect(event.from).toMatch(/^0x04[0-9a-f]{128}$/);
      }),
      { numRuns: 10_000 },
    );
  });

  it('single entries: arbitrary bytes verify or throw a PayloadError (10,000 cases)', () => {
    const entry = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc
        .uint8Array({ minLength: 1, maxLength: 60 })
        .map((tail) => Uint8Array.from([...log[1]!.bytes.subarray(0, 65), ...tail])),
    );
    fc.assert(
      fc.property(entry, (bytes) => {
        try {
          expect(verifyMembershipEvent(chatId, bytes).bytes).toEqual(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(PayloadError);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('a flipped byte in the message never yields a different event under the original author', () => {
    fc.assert(
      fc.property(fc.nat({ max: short.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, mask) => {
        const bytes = short.slice();
        bytes[at]! ^= mask;
        try {
          const decoded = decodeMembershipUpdate(bytes);
          for (const event of decoded.events) {
            if (event.from === log[2]!.from) expect(event.bytes).toEqual(log[2]!.bytes);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(PayloadError);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
