import { create, toBinary } from '@bufbuild/protobuf';
import { concatBytes, utf8ToBytes } from '@status-ts/core';
import { getPublicKey } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import { PayloadError, PayloadErrorCode } from '../src/errors.js';
import {
  adminRemoved,
  adminsAdded,
  chatCreated,
  checkGroupChatEntity,
  checkMembershipUpdate,
  deriveGroupState,
  type GroupState,
  type MembershipEvent,
  type MembershipUpdateCheck,
  memberJoined,
  memberRemoved,
  membersAdded,
  mergeGroupEvents,
  nameChanged,
  newGroupChatId,
  type SignedMembershipEvent,
  signMembershipEvent,
} from '../src/group/index.js';
import { MembershipUpdateEventSchema } from '../src/proto.js';
import { signKeccak } from '../src/signature.js';
import { codeOf } from './support/errors.js';
import { type Person, person } from './support/people.js';

const creator = person();
const alice = person();
const bob = person();
const carol = person();
const mallory = person();
const chatId = newGroupChatId(creator.id);

const by = (who: Person, event: MembershipEvent, chat = chatId): SignedMembershipEvent =>
  signMembershipEvent(chat, event, who.key);

/** An entry our builders refuse to make but a peer can send. */
function signRaw(
  who: Person,
  fields: { clock: bigint; members?: string[]; name?: string; type: number },
): Uint8Array {
  const encoded = toBinary(MembershipUpdateEventSchema, create(MembershipUpdateEventSchema, fields));
  return concatBytes(signKeccak(who.key, concatBytes(utf8ToBytes(chatId), encoded)), encoded);
}

// The group everyone starts from: creator, with alice, bob and carol added; alice and bob joined; alice admin.
const base: SignedMembershipEvent[] = [
  by(creator, chatCreated('friends', 10)),
  by(creator, membersAdded([alice.id, bob.id, carol.id], 20)),
  by(alice, memberJoined(30)),
  by(bob, memberJoined(31)),
  by(creator, adminsAdded([alice.id], 40)),
];

function derive(...more: (SignedMembershipEvent | Uint8Array)[]): GroupState {
  return deriveGroupState(chatId, [...base, ...more]);
}
function skipReasons(state: GroupState): string[] {
  return state.skipped.map((skip) => skip.reason);
}
function rejectedReason(check: MembershipUpdateCheck): unknown {
  expect(check.accepted).toBe(false);
  return check.accepted ? undefined : check.error.details?.reason;
}

describe('group state: the base log', () => {
  it('applies in clock order with status-go insertion order for the lists', () => {
    const state = deriveGroupState(chatId, [...base].reverse());
    expect(state).toMatchObject({
      chatId,
      creator: creator.id,
      created: true,
      name: 'friends',
      members: [creator.id, alice.id, bob.id, carol.id],
      admins: [creator.id, alice.id],
      joined: [creator.id, alice.id, bob.id],
      lastClock: 40,
      skipped: [],
    });
    expect(state.events).toEqual(base);
    expect(state.isMember(carol.id)).toBe(true);
    expect(state.isMember(getPublicKey(carol.key, 'compressed'))).toBe(true);
    expect(state.isAdmin(alice.id)).toBe(true);
    expect(state.isAdmin(bob.id)).toBe(false);
    expect(state.hasJoined(carol.id)).toBe(false);
    expect(state.isMember(mallory.id)).toBe(false);
    expect(Object.isFrozen(state)).toBe(true);
  });

  it('status-go accepts it (strict check) with the same state', () => {
    const check = checkMembershipUpdate(chatId, base, { self: carol.id });
    expect(check.accepted).toBe(true);
    if (check.accepted) expect(check.state.members).toEqual(derive().members);
  });
});

describe('group rules (status-go v0.62.0 validateEvent), each both ways', () => {
  it('NAME_CHANGED: admins only, non-empty name', () => {
    expect(derive(by(alice, nameChanged('by alice', 50))).name).toBe('by alice');
    const byBob = derive(by(bob, nameChanged('by bob', 50)));
    expect(byBob.name).toBe('friends');
    expect(skipReasons(byBob)).toEqual(['not-admin']);
    const empty = derive(signRaw(alice, { clock: 50n, type: 2 }));
    expect(empty.name).toBe('friends');
    expect(skipReasons(empty)).toEqual(['empty-name']);
  });

  it('MEMBERS_ADDED: admins only', () => {
    expect(derive(by(alice, membersAdded([mallory.id], 50))).isMember(mallory.id)).toBe(true);
    const byBob = derive(by(bob, membersAdded([mallory.id], 50)));
    expect(byBob.isMember(mallory.id)).toBe(false);
    expect(skipReasons(byBob)).toEqual(['not-admin']);
  });

  it('ADMINS_ADDED: admins only, and (status-go quirk) at least one listed key must be a member', () => {
    expect(derive(by(alice, adminsAdded([bob.id], 50))).admins).toEqual([creator.id, alice.id, bob.id]);
    expect(skipReasons(derive(by(bob, adminsAdded([bob.id], 50))))).toEqual(['not-admin']);
    expect(skipReasons(derive(by(alice, adminsAdded([mallory.id], 50))))).toEqual(['no-listed-member']);
    // stringSliceSubset returns true when ONE current member is listed: mallory becomes admin, not member.
    const quirk = derive(by(alice, adminsAdded([mallory.id, bob.id], 50)));
    expect(quirk.admins).toEqual([creator.id, alice.id, mallory.id, bob.id]);
    expect(quirk.isMember(mallory.id)).toBe(false);
    expect(
      checkMembershipUpdate(chatId, [...base, by(alice, adminsAdded([mallory.id, bob.id], 50))]).accepted,
    ).toBe(true);
  });

  it('MEMBER_JOINED: members only', () => {
    expect(derive(by(carol, memberJoined(50))).hasJoined(carol.id)).toBe(true);
    const outsider = derive(by(mallory, memberJoined(50)));
    expect(outsider.hasJoined(mallory.id)).toBe(false);
    expect(skipReasons(outsider)).toEqual(['not-member']);
  });

  it('MEMBER_REMOVED: anyone may leave; an admin may remove a non-admin but not another admin', () => {
    const left = derive(by(bob, memberRemoved(bob.id, 50)));
    expect(left.members).toEqual([creator.id, alice.id, carol.id]);
    expect(left.joined).toEqual([creator.id, alice.id]);
    const adminLeft = derive(by(alice, memberRemoved(alice.id, 50)));
    expect(adminLeft.admins).toEqual([creator.id]);
    expect(adminLeft.isMember(alice.id)).toBe(false);

    expect(derive(by(alice, memberRemoved(bob.id, 50))).isMember(bob.id)).toBe(false);
    const adminRemovesAdmin = derive(by(alice, memberRemoved(creator.id, 50)));
    expect(adminRemovesAdmin.isMember(creator.id)).toBe(true);
    expect(skipReasons(adminRemovesAdmin)).toEqual(['target-is-admin']);
    const memberRemovesMember = derive(by(bob, memberRemoved(carol.id, 50)));
    expect(memberRemovesMember.isMember(carol.id)).toBe(true);
    expect(skipReasons(memberRemovesMember)).toEqual(['not-admin']);
    const two = derive(signRaw(alice, { clock: 50n, members: [bob.id, carol.id], type: 5 }));
    expect(two.members).toHaveLength(4);
    expect(skipReasons(two)).toEqual(['member-count']);
    // Leaving a group one is not in is valid in status-go (a no-op)
    expect(derive(by(mallory, memberRemoved(mallory.id, 50))).events).toHaveLength(base.length + 1);
  });

  it('re-adding a removed member puts it last, as status-go stringSet does', () => {
    const state = derive(by(alice, memberRemoved(bob.id, 50)), by(alice, membersAdded([bob.id], 60)));
    expect(state.members).toEqual([creator.id, alice.id, carol.id, bob.id]);
    expect(state.hasJoined(bob.id)).toBe(false);
  });

  it('ADMIN_REMOVED: an admin may only demote itself', () => {
    const stepDown = derive(by(alice, adminRemoved(alice.id, 50)));
    expect(stepDown.admins).toEqual([creator.id]);
    expect(stepDown.isMember(alice.id)).toBe(true);
    const demoteOther = derive(by(creator, adminRemoved(alice.id, 50)));
    expect(demoteOther.admins).toEqual([creator.id, alice.id]);
    expect(skipReasons(demoteOther)).toEqual(['not-self']);
    expect(skipReasons(derive(by(bob, adminRemoved(bob.id, 50))))).toEqual(['not-admin']);
    const two = signRaw(alice, { clock: 50n, members: [alice.id, creator.id], type: 7 });
    expect(skipReasons(derive(two))).toEqual(['member-count']);
  });

  it('CHAT_CREATED: a second one is ignored; events before it are dropped', () => {
    const again = derive(by(creator, chatCreated('again', 50)));
    expect(again.name).toBe('friends');
    expect(skipReasons(again)).toEqual(['already-created']);
    const early = derive(by(creator, membersAdded([mallory.id], 5)), by(creator, nameChanged('early', 9)));
    expect(early.isMember(mallory.id)).toBe(false);
    expect(early.name).toBe('friends');
    expect(skipReasons(early)).toEqual(['before-creation', 'before-creation']);
  });

  it('CHAT_CREATED by anyone but the creator the chat id names does not create the group', () => {
    const hijack = derive(by(mallory, chatCreated('mine', 1)));
    expect(hijack.name).toBe('friends');
    expect(hijack.admins).toEqual([creator.id, alice.id]);
    expect(skipReasons(hijack)).toEqual(['not-creator']);
    // In mallory's own chat id the creator's events are the foreign ones
    const otherId = newGroupChatId(mallory.id);
    const state = deriveGroupState(otherId, [by(creator, chatCreated('x', 1), otherId)]);
    expect(state).toMatchObject({ created: false, creator: mallory.id, members: [], name: '' });
    expect(skipReasons(state)).toEqual(['not-creator']);
    expect(() => deriveGroupState('not-a-group', base)).toThrow(PayloadError);
  });

  it('status-go lets anyone re-create a group everyone left (matched on purpose)', () => {
    const state = deriveGroupState(chatId, [
      by(creator, chatCreated('friends', 10)),
      by(creator, memberRemoved(creator.id, 20)),
      by(mallory, chatCreated('taken', 30)),
    ]);
    expect(state).toMatchObject({ name: 'taken', members: [mallory.id], admins: [mallory.id] });
  });

  it('unknown event types are skipped, never thrown', () => {
    const state = derive(signRaw(alice, { clock: 50n, type: 42 }), signRaw(alice, { clock: 51n, type: 0 }));
    expect(skipReasons(state)).toEqual(['unknown-type', 'unknown-type']);
    expect(state.skipped[0]?.event?.type).toBe('UNKNOWN');
  });
});

describe('group state: what does not verify', () => {
  it('events of another chat id are skipped as other-chat; raw entries of another chat recover a stranger', () => {
    const foreign = by(alice, nameChanged('elsewhere', 50), newGroupChatId(alice.id));
    const state = derive(foreign, foreign.bytes);
    expect(state.name).toBe('friends');
    expect(skipReasons(state).sort()).toEqual(['not-admin', 'other-chat']);
  });

  it('unverifiable raw entries are skipped with the typed error', () => {
    const short = new Uint8Array(10);
    const badV = by(alice, nameChanged('x', 50)).bytes.slice();
    badV[64] = 9;
    const state = derive(short, badV);
    expect(state.name).toBe('friends');
    expect(state.skipped.map((skip) => [skip.reason, skip.error?.code])).toEqual(
      expect.arrayContaining([
        ['unverifiable', PayloadErrorCode.Malformed],
        ['unverifiable', PayloadErrorCode.BadSignature],
      ]),
    );
  });

  it('a hand-made event object is re-verified from its bytes: a forged `from` does not count', () => {
    const real = by(bob, nameChanged('by bob', 50));
    const forged = { ...real, from: alice.id } as SignedMembershipEvent;
    const state = derive(forged);
    expect(state.name).toBe('friends');
    expect(state.skipped[0]).toMatchObject({ reason: 'not-admin', event: { from: bob.id } });
  });
});

describe('mergeGroupEvents', () => {
  it('an event skipped for arriving early applies once the older event arrives', () => {
    const join = by(mallory, memberJoined(60));
    const first = derive(join);
    expect(skipReasons(first)).toEqual(['not-member']);
    const merged = mergeGroupEvents(first, [by(alice, membersAdded([mallory.id], 50))]);
    expect(merged.hasJoined(mallory.id)).toBe(true);
    expect(merged.skipped).toEqual([]);
    expect(merged.lastClock).toBe(60);
  });

  it('merging duplicates changes nothing', () => {
    const state = derive(by(alice, nameChanged('x', 50)));
    const again = mergeGroupEvents(state, [...base, ...state.events.map((event) => event.bytes)]);
    expect(again.events).toEqual(state.events);
    expect(again.name).toBe('x');
  });
});

describe('checkMembershipUpdate: strict, as status-go', () => {
  it('rejects the whole update for one invalid event (deriveGroupState only skips it)', () => {
    const update = [...base, by(bob, nameChanged('by bob', 50))];
    expect(rejectedReason(checkMembershipUpdate(chatId, update))).toBe('not-admin');
    expect(deriveGroupState(chatId, update).name).toBe('friends');
  });

  it('rejects an update without CHAT_CREATED first, or whose chat id names someone else', () => {
    expect(rejectedReason(checkMembershipUpdate(chatId, base.slice(1)))).toBe('not-admin');
    expect(rejectedReason(checkMembershipUpdate(chatId, [by(bob, memberRemoved(bob.id, 5))]))).toBe(
      'before-creation',
    );
    expect(rejectedReason(checkMembershipUpdate(chatId, [by(mallory, chatCreated('mine', 5))]))).toBe(
      'not-creator',
    );
    expect(checkMembershipUpdate(chatId, []).accepted).toBe(false);
    expect(
      checkMembershipUpdate('not-a-group', [by(creator, chatCreated('x', 1), 'not-a-group')]).accepted,
    ).toBe(false);
  });

  it('rejects exact duplicates status-go would apply twice (a second CHAT_CREATED)', () => {
    expect(rejectedReason(checkMembershipUpdate(chatId, [...base, base[0]!]))).toBe('already-created');
    expect(deriveGroupState(chatId, [...base, base[0]!]).skipped).toEqual([]);
  });

  it('rejects entries that do not verify, events of another chat, and a new chat without us', () => {
    const bad = checkMembershipUpdate(chatId, [...base, new Uint8Array(65)]);
    expect(bad.accepted ? undefined : bad.error.code).toBe(PayloadErrorCode.Malformed);
    const foreign = by(alice, memberJoined(50), newGroupChatId(alice.id));
    expect(rejectedReason(checkMembershipUpdate(chatId, [...base, foreign]))).toBe('other-chat');
    expect(rejectedReason(checkMembershipUpdate(chatId, base, { self: mallory.id }))).toBe('not-member');
    expect(checkMembershipUpdate(chatId, base, { self: getPublicKey(bob.key) }).accepted).toBe(true);
  });

  it('applies status-go clock validation against the given time', () => {
    const update = [...base, by(alice, nameChanged('later', 120_100))];
    expect(checkMembershipUpdate(chatId, update, { timeMs: 100 }).accepted).toBe(true);
    const ahead = checkMembershipUpdate(chatId, update, { timeMs: 99 });
    expect(ahead.accepted ? undefined : ahead.error.code).toBe(PayloadErrorCode.InvalidField);
  });

  it('with existing events: the update must stand alone AND the merged log must pass', () => {
    const existing = [...base, by(creator, memberRemoved(carol.id, 60))];
    const next = by(alice, nameChanged('renamed', 70));
    const ok = checkMembershipUpdate(chatId, [...base, next], { existing });
    expect(ok.accepted).toBe(true);
    if (ok.accepted) {
      expect(ok.state.name).toBe('renamed');
      expect(ok.state.isMember(carol.id)).toBe(false);
    }
    // status-go requires each update to carry the log from CHAT_CREATED
    expect(rejectedReason(checkMembershipUpdate(chatId, [next], { existing }))).toBe('not-admin');
    // alone valid (carol promoted at 55, renames at 65), merged invalid (creator removes an admin at 60)
    const update = [...base, by(creator, adminsAdded([carol.id], 55)), by(carol, nameChanged('carol', 65))];
    expect(checkMembershipUpdate(chatId, update).accepted).toBe(true);
    expect(rejectedReason(checkMembershipUpdate(chatId, update, { existing }))).toBe('target-is-admin');
    // while the set derivation keeps the valid part
    const state = deriveGroupState(chatId, [...existing, ...update]);
    expect(state.name).toBe('carol');
    expect(skipReasons(state)).toEqual(['target-is-admin']);
  });
});

describe('group chat messages (status-go matchChatEntity)', () => {
  it('are shown when both the author and we have joined, and refused otherwise', () => {
    const state = derive();
    const check = (author: Person, self: Person, id = chatId) =>
      codeOf(() =>
        checkGroupChatEntity(state, { chatId: id, author: getPublicKey(author.key), self: self.id }),
      );
    expect(check(alice, bob)).toBeUndefined();
    expect(check(creator, alice)).toBeUndefined();
    expect(check(carol, alice)).toBe(PayloadErrorCode.InvalidField); // added, never joined
    expect(check(alice, carol)).toBe(PayloadErrorCode.InvalidField); // we never joined
    expect(check(mallory, alice)).toBe(PayloadErrorCode.InvalidField); // not a member
    expect(check(alice, bob, `${chatId}x`)).toBe(PayloadErrorCode.InvalidField); // another group
    const left = derive(by(bob, memberRemoved(bob.id, 50)));
    expect(codeOf(() => checkGroupChatEntity(left, { chatId, author: bob.id, self: alice.id }))).toBe(
      PayloadErrorCode.InvalidField,
    );
  });
});
