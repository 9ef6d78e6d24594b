import { create, toBinary } from '@bufbuild/protobuf';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readVectors } from '../../../tools/vectors.js';
import { PayloadError, PayloadErrorCode } from '../src/errors.js';
import {
  adminRemoved,
  adminsAdded,
  chatCreated,
  decodeMembershipEvent,
  encodeMembershipEvent,
  MAX_GROUP_MEMBER_ID_LENGTH,
  MAX_GROUP_NAME_BYTES,
  MAX_MEMBERSHIP_EVENT_MEMBERS,
  type MembershipEvent,
  memberJoined,
  memberRemoved,
  membersAdded,
  nameChanged,
  signMembershipEvent,
  toMemberId,
  verifyMembershipEvent,
} from '../src/group/index.js';
import { type MembershipUpdateEvent_EventType, MembershipUpdateEventSchema } from '../src/proto.js';
import { codeOf } from './support/errors.js';

const example = readVectors('payloads.json').membership_update_example;
const vectorKey = hexToBytes(example.private_key);

const alice = generatePrivateKey();
const aliceId = toMemberId(getPublicKey(alice));
const bobId = toMemberId(getPublicKey(generatePrivateKey()));

describe('membership events: vectors/payloads.json membership_update_example', () => {
  const [created, added] = example.events;
  const events: MembershipEvent[] = [
    chatCreated(created.name, Number(created.clock)),
    membersAdded(added.members, Number(added.clock)),
  ];

  it('encodes each event to the vector bytes and signs it to the vector signature (RFC 6979)', () => {
    for (const [i, event] of events.entries()) {
      const vector = example.events[i];
      expect(bytesToHex(encodeMembershipEvent(event))).toBe(vector.encoded);
      const signed = signMembershipEvent(example.chat_id, event, vectorKey);
      expect(bytesToHex(signed.encodedEvent)).toBe(vector.encoded);
      expect(bytesToHex(signed.signature)).toBe(vector.signature);
      expect(bytesToHex(signed.bytes)).toBe(vector.signature + vector.encoded);
      expect(signed.from).toBe(`0x${bytesToHex(getPublicKey(vectorKey, 'uncompressed'))}`);
    }
  });

  it('verifies the vector entries to the key of the private key, with the decoded fields', () => {
    for (const vector of example.events) {
      const event = verifyMembershipEvent(example.chat_id, hexToBytes(vector.signature + vector.encoded));
      expect(event.from).toBe(toMemberId(getPublicKey(vectorKey)));
      expect(event.clock).toBe(Number(vector.clock));
      expect(event.chatId).toBe(example.chat_id);
      expect(bytesToHex(event.encodedEvent)).toBe(vector.encoded);
    }
    const first = verifyMembershipEvent(example.chat_id, hexToBytes(created.signature + created.encoded));
    expect(first).toMatchObject({ type: 'CHAT_CREATED', name: 'thathata', members: [] });
    const second = verifyMembershipEvent(example.chat_id, hexToBytes(added.signature + added.encoded));
    expect(second).toMatchObject({ type: 'MEMBERS_ADDED', name: '', members: added.members });
  });

  it('a signature checked against another chat id recovers another author', () => {
    const event = verifyMembershipEvent('other-chat', hexToBytes(created.signature + created.encoded));
    expect(event.from).not.toBe(toMemberId(getPublicKey(vectorKey)));
  });
});

describe('membership event constructors and encoder', () => {
  it('build every type with the fields status-go uses', () => {
    expect(chatCreated('g', 1)).toEqual({ type: 'CHAT_CREATED', clock: 1, members: [], name: 'g' });
    expect(nameChanged('h', 2)).toEqual({ type: 'NAME_CHANGED', clock: 2, members: [], name: 'h' });
    expect(membersAdded([aliceId, getPublicKey(generatePrivateKey(), 'compressed')], 3).members).toHaveLength(
      2,
    );
    expect(memberJoined(4)).toEqual({ type: 'MEMBER_JOINED', clock: 4, members: [], name: '' });
    expect(memberRemoved(aliceId, 5).members).toEqual([aliceId]);
    expect(adminsAdded([bobId], 6).members).toEqual([bobId]);
    expect(adminRemoved(aliceId, 7).members).toEqual([aliceId]);
    expect(membersAdded([], 8).members).toEqual([]);
  });

  it('refuse what status-go would reject', () => {
    expect(codeOf(() => nameChanged('', 1))).toBe(PayloadErrorCode.InvalidField);
    expect(codeOf(() => membersAdded(['0x04abc'], 1))).toBe(PayloadErrorCode.InvalidField);
    expect(codeOf(() => membersAdded([aliceId.toUpperCase().replace('0X', '0x')], 1))).toBe(
      PayloadErrorCode.InvalidField,
    );
    expect(codeOf(() => adminsAdded([], 1))).toBe(PayloadErrorCode.InvalidField);
    expect(codeOf(() => memberJoined(0))).toBe(PayloadErrorCode.InvalidArgument);
    expect(codeOf(() => memberJoined(-1))).toBe(PayloadErrorCode.InvalidArgument);
    expect(codeOf(() => memberJoined(1.5))).toBe(PayloadErrorCode.InvalidArgument);
    expect(codeOf(() => chatCreated('\ud800', 1))).toBe(PayloadErrorCode.InvalidArgument);
    const removal = (members: string[]): MembershipEvent => ({
      type: 'MEMBER_REMOVED',
      clock: 1,
      members,
      name: '',
    });
    expect(codeOf(() => encodeMembershipEvent(removal([])))).toBe(PayloadErrorCode.InvalidField);
    expect(codeOf(() => encodeMembershipEvent(removal([aliceId, bobId])))).toBe(
      PayloadErrorCode.InvalidField,
    );
    const demotion: MembershipEvent = {
      type: 'ADMIN_REMOVED',
      clock: 1,
      members: [aliceId, bobId],
      name: '',
    };
    expect(codeOf(() => encodeMembershipEvent(demotion))).toBe(PayloadErrorCode.InvalidField);
    const unknown: MembershipEvent = { type: 'UNKNOWN', clock: 1, members: [], name: '' };
    expect(codeOf(() => encodeMembershipEvent(unknown))).toBe(PayloadErrorCode.InvalidField);
    const misplaced: MembershipEvent = { type: 'MEMBER_JOINED', clock: 1, members: [aliceId], name: 'x' };
    expect(codeOf(() => encodeMembershipEvent(misplaced))).toBe(PayloadErrorCode.InvalidField);
    expect(codeOf(() => signMembershipEvent('', memberJoined(1), alice))).toBe(
      PayloadErrorCode.InvalidArgument,
    );
    expect(codeOf(() => signMembershipEvent('c', memberJoined(1), new Uint8Array(32)))).toBe(
      PayloadErrorCode.InvalidArgument,
    );
  });
});

describe('membership event decoding', () => {
  it('tolerates unknown fields and decodes an unknown type number as UNKNOWN', () => {
    const base = toBinary(
      MembershipUpdateEventSchema,
      create(MembershipUpdateEventSchema, {
        clock: 9n,
        name: 'x',
        type: 42 as MembershipUpdateEvent_EventType,
      }),
    );
    // field 15, varint 1, appended after the known fields
    const withUnknown = concatBytes(base, new Uint8Array([0x78, 0x01]));
    expect(decodeMembershipEvent(withUnknown)).toEqual({ type: 'UNKNOWN', clock: 9, members: [], name: 'x' });
  });

  it('rejects clocks above 2^53 - 1, invalid UTF-8 (as Go does) and garbage with typed errors', () => {
    const big = toBinary(
      MembershipUpdateEventSchema,
      create(MembershipUpdateEventSchema, { clock: 2n ** 53n, type: 4 }),
    );
    expect(codeOf(() => decodeMembershipEvent(big))).toBe(PayloadErrorCode.InvalidField);
    // name (field 3) = 0xff, not UTF-8
    expect(codeOf(() => decodeMembershipEvent(new Uint8Array([0x1a, 0x01, 0xff])))).toBe(
      PayloadErrorCode.Malformed,
    );
    // members (field 2) with a truncated UTF-8 sequence
    expect(codeOf(() => decodeMembershipEvent(new Uint8Array([0x12, 0x01, 0xe2])))).toBe(
      PayloadErrorCode.Malformed,
    );
    // a real U+FFFD is fine
    expect(decodeMembershipEvent(concatBytes(new Uint8Array([0x1a, 0x03]), utf8ToBytes('\ufffd'))).name).toBe(
      '\ufffd',
    );
    expect(codeOf(() => decodeMembershipEvent(new Uint8Array([0x0a, 0x05, 0x01])))).toBe(
      PayloadErrorCode.Malformed,
    );
  });

  it('verification refuses entries of 65 bytes or fewer and unrecoverable signatures', () => {
    const signed = signMembershipEvent('chat', memberJoined(1), alice);
    expect(codeOf(() => verifyMembershipEvent('chat', signed.bytes.subarray(0, 65)))).toBe(
      PayloadErrorCode.Malformed,
    );
    expect(codeOf(() => verifyMembershipEvent('chat', new Uint8Array(0)))).toBe(PayloadErrorCode.Malformed);
    const badV = signed.bytes.slice();
    badV[64] = 7;
    expect(codeOf(() => verifyMembershipEvent('chat', badV))).toBe(PayloadErrorCode.BadSignature);
    const zeroR = signed.bytes.slice();
    zeroR.fill(0, 0, 32);
    expect(codeOf(() => verifyMembershipEvent('chat', zeroR))).toBe(PayloadErrorCode.BadSignature);
  });

  it('verification keeps its own copy of the bytes', () => {
    const signed = signMembershipEvent('chat', memberJoined(1), alice);
    const buffer = signed.bytes.slice();
    const event = verifyMembershipEvent('chat', buffer);
    buffer.fill(0);
    expect(event.bytes).toEqual(signed.bytes);
    expect(event.from).toBe(aliceId);
  });
});

describe('membership event limits', () => {
  const keys = Array.from(
    { length: MAX_MEMBERSHIP_EVENT_MEMBERS + 1 },
    (_, i) => `0x04${i.toString(16).padStart(128, '0')}`,
  );

  it(`MAX_MEMBERSHIP_EVENT_MEMBERS = ${MAX_MEMBERSHIP_EVENT_MEMBERS}: decoding more is TOO_LARGE`, () => {
    const encode = (count: number) =>
      toBinary(
        MembershipUpdateEventSchema,
        create(MembershipUpdateEventSchema, { clock: 1n, members: keys.slice(0, count), type: 3 }),
      );
    expect(decodeMembershipEvent(encode(MAX_MEMBERSHIP_EVENT_MEMBERS)).members).toHaveLength(
      MAX_MEMBERSHIP_EVENT_MEMBERS,
    );
    expect(codeOf(() => decodeMembershipEvent(encode(MAX_MEMBERSHIP_EVENT_MEMBERS + 1)))).toBe(
      PayloadErrorCode.TooLarge,
    );
  });

  it('MAX_MEMBERSHIP_EVENT_MEMBERS: building more is TOO_LARGE', () => {
    const real = Array.from({ length: MAX_MEMBERSHIP_EVENT_MEMBERS + 1 }, () => aliceId);
    expect(membersAdded(real.slice(1), 1).members).toHaveLength(MAX_MEMBERSHIP_EVENT_MEMBERS);
    expect(codeOf(() => membersAdded(real, 1))).toBe(PayloadErrorCode.TooLarge);
  });

  it(`MAX_GROUP_MEMBER_ID_LENGTH = ${MAX_GROUP_MEMBER_ID_LENGTH}: longer member strings are TOO_LARGE`, () => {
    const encode = (member: string) =>
      toBinary(
        MembershipUpdateEventSchema,
        create(MembershipUpdateEventSchema, { clock: 1n, members: [member], type: 3 }),
      );
    // status-go keeps member strings that are not keys: so do we, up to the limit
    expect(decodeMembershipEvent(encode('x'.repeat(MAX_GROUP_MEMBER_ID_LENGTH))).members[0]).toHaveLength(
      MAX_GROUP_MEMBER_ID_LENGTH,
    );
    expect(codeOf(() => decodeMembershipEvent(encode('x'.repeat(MAX_GROUP_MEMBER_ID_LENGTH + 1))))).toBe(
      PayloadErrorCode.TooLarge,
    );
  });

  it(`MAX_GROUP_NAME_BYTES = ${MAX_GROUP_NAME_BYTES}: longer names are TOO_LARGE both ways`, () => {
    const fits = 'é'.repeat(MAX_GROUP_NAME_BYTES / 2);
    const over = `${fits}a`;
    expect(decodeMembershipEvent(encodeMembershipEvent(nameChanged(fits, 1))).name).toBe(fits);
    expect(codeOf(() => nameChanged(over, 1))).toBe(PayloadErrorCode.TooLarge);
    expect(codeOf(() => chatCreated(over, 1))).toBe(PayloadErrorCode.TooLarge);
    const encoded = toBinary(
      MembershipUpdateEventSchema,
      create(MembershipUpdateEventSchema, { clock: 1n, name: over, type: 2 }),
    );
    expect(codeOf(() => decodeMembershipEvent(encoded))).toBe(PayloadErrorCode.TooLarge);
  });
});

describe('membership event decoder fuzz (fast-check, 10,000 cases each)', () => {
  const keys = Array.from({ length: 4 }, () => toMemberId(getPublicKey(generatePrivateKey())));
  const clock = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
  const someKeys = fc.uniqueArray(fc.constantFrom(...keys), { minLength: 1, maxLength: 4 });
  const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
  const event: fc.Arbitrary<MembershipEvent> = fc.oneof(
    fc.tuple(name, clock).map(([n, c]) => chatCreated(n, c)),
    fc.tuple(name, clock).map(([n, c]) => nameChanged(n, c)),
    fc.tuple(someKeys, clock).map(([m, c]) => membersAdded(m, c)),
    clock.map((c) => memberJoined(c)),
    fc.tuple(fc.constantFrom(...keys), clock).map(([m, c]) => memberRemoved(m, c)),
    fc.tuple(someKeys, clock).map(([m, c]) => adminsAdded(m, c)),
    fc.tuple(fc.constantFrom(...keys), clock).map(([m, c]) => adminRemoved(m, c)),
  );

  it('valid events round-trip', () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(decodeMembershipEvent(encodeMembershipEvent(e))).toEqual(e);
      }),
      { numRuns: 10_000 },
    );
  });

  it('mutated and arbitrary bytes decode or throw a PayloadError', () => {
    fc.assert(
      fc.property(event, fc.nat(), fc.nat(255), fc.uint8Array({ maxLength: 80 }), (e, at, value, noise) => {
        const bytes = encodeMembershipEvent(e).slice();
        if (bytes.length > 0) bytes[at % bytes.length] = value;
        for (const input of [bytes, noise]) {
          try {
            decodeMembershipEvent(input);
          } catch (error) {
            expect(error).toBeInstanceOf(PayloadError);
          }
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
