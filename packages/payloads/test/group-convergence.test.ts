import { bigIntToBytes, bytesToBigInt, bytesToHex, concatBytes } from '@status-ts/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adminRemoved,
  adminsAdded,
  chatCreated,
  checkMembershipUpdate,
  deriveGroupState,
  type GroupState,
  type MembershipEvent,
  memberJoined,
  memberRemoved,
  membersAdded,
  mergeGroupEvents,
  nameChanged,
  newGroupChatId,
  type SignedMembershipEvent,
  signMembershipEvent,
  verifyMembershipEvent,
} from '../src/group/index.js';
import { replayLikeStatusGo } from '../src/group/status-go-group.js';
import { type Person, person } from './support/people.js';

/** What must be equal for two derivations to be "the same state". */
function core(state: GroupState) {
  return {
    created: state.created,
    name: state.name,
    members: state.members,
    admins: state.admins,
    joined: state.joined,
    lastClock: state.lastClock,
    events: state.events.map((event) => bytesToHex(event.bytes)),
  };
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe('convergence: any permutation of a valid log with duplicates and forgeries', () => {
  const [creator, alice, m1, m2, m3, yan, mallory] = Array.from({ length: 7 }, person) as [
    Person,
    Person,
    Person,
    Person,
    Person,
    Person,
    Person,
  ];
  const chatId = newGroupChatId(creator.id);
  const otherChatId = newGroupChatId(creator.id);
  const by = (who: Person, event: MembershipEvent, chat = chatId) =>
    signMembershipEvent(chat, event, who.key);

  // The valid log, in order: every event is valid where it stands.
  const valid: SignedMembershipEvent[] = [
    by(creator, chatCreated('g', 100)),
    by(creator, membersAdded([alice.id, m1.id, m2.id, m3.id], 110)),
    by(alice, memberJoined(120)),
    by(m1, memberJoined(130)),
    by(creator, adminsAdded([alice.id], 140)),
    by(alice, nameChanged('g2', 150)),
    by(alice, memberRemoved(m2.id, 160)),
    by(m3, memberRemoved(m3.id, 170)),
    by(alice, membersAdded([yan.id], 180)),
    by(yan, memberJoined(190)),
    by(alice, adminRemoved(alice.id, 200)),
    by(creator, nameChanged('g3', 210)),
    by(creator, adminsAdded([m1.id], 220)),
    by(m1, nameChanged('g4', 230)),
  ];
  const expected = deriveGroupState(chatId, valid);

  const flip = (bytes: Uint8Array, at: number, mask = 0x01): Uint8Array => {
    const out = bytes.slice();
    out[at]! ^= mask;
    return out;
  };
  // The same event with the other valid signature (r, n - s, v ^ 1): same author, same statement.
  const malleate = (event: SignedMembershipEvent): Uint8Array => {
    const s = bytesToBigInt(event.signature.subarray(32, 64));
    const v = event.signature[64]! ^ 1;
    return concatBytes(
      event.signature.subarray(0, 32),
      bigIntToBytes(SECP256K1_N - s, 32),
      Uint8Array.of(v),
      event.encodedEvent,
    );
  };

  // Forgeries, each invalid (or filtered) wherever it sorts. Raw forgeries: bad signature bytes, an
  // unusable recovery id, a mutated encoded event, an event signed for another chat id.
  const forgedRaw: Uint8Array[] = [
    ...valid.map((event, i) => flip(event.bytes, i % 64, 0x10)),
    ...valid.map((event) => flip(event.bytes, 64, 0x06)),
    ...valid.map((event, i) => flip(event.bytes, 65 + (i % event.encodedEvent.length), 0x04)),
    ...valid.map((event) => by(alice, event, otherChatId).bytes),
  ];
  const forgedEvents: SignedMembershipEvent[] = [
    ...valid.slice(0, 6).map((event) => by(m1, event, otherChatId)), // signed for another chat
    by(mallory, chatCreated('mine', 50)), // before creation, not the creator
    by(mallory, chatCreated('mine', 300)),
    by(mallory, nameChanged('pwned', 155)),
    by(mallory, membersAdded([mallory.id], 115)),
    by(mallory, adminsAdded([mallory.id, m1.id], 145)),
    by(mallory, memberRemoved(creator.id, 175)),
    by(mallory, adminRemoved(creator.id, 205)),
    by(mallory, memberJoined(125)),
    by(m1, nameChanged('too early', 215)), // m1 is an admin only from 220
    by(m2, memberJoined(165)), // removed at 160
    by(alice, nameChanged('stepped down', 205)), // alice stepped down at 200
    by(yan, nameChanged('not admin', 195)),
    by(alice, memberRemoved(creator.id, 155)), // an admin removing an admin
    by(creator, adminRemoved(alice.id, 145)), // demoting someone else
    by(creator, chatCreated('again', 105)), // a second creation
  ];
  // Raw entries are also pre-verified where they verify, so most runs pass objects and the property stays
  // fast; a sample of each kind stays raw so verification inside the derivation is exercised too.
  const preVerified = forgedRaw.flatMap((bytes) => {
    try {
      return [verifyMembershipEvent(chatId, bytes)];
    } catch {
      return [];
    }
  });
  const rawSample = forgedRaw.filter((_, i) => i % valid.length < 2);
  const forgedPool: (SignedMembershipEvent | Uint8Array)[] = [...forgedEvents, ...rawSample, ...preVerified];
  const malleated = valid.map(malleate);

  it('the fixtures are what they claim', () => {
    expect(expected).toMatchObject({
      created: true,
      name: 'g4',
      members: [creator.id, alice.id, m1.id, yan.id],
      admins: [creator.id, m1.id],
      joined: [creator.id, alice.id, m1.id, yan.id],
      lastClock: 230,
      skipped: [],
    });
    expect(expected.events).toEqual(valid);
    expect(checkMembershipUpdate(chatId, valid).accepted).toBe(true);
    // malleated signatures recover the same author (the dedupe must treat them as the same event)
    expect(verifyMembershipEvent(chatId, malleated[3]!).from).toBe(m1.id);
    // every forgery alone next to the valid log changes nothing
    for (const forged of [...forgedPool, ...forgedRaw])
      expect(core(deriveGroupState(chatId, [...valid, forged]))).toEqual(core(expected));
  });

  const scenario = fc.record({
    forged: fc.subarray(forgedPool),
    duplicates: fc.array(fc.nat(valid.length - 1), { maxLength: 10 }),
    malleated: fc.subarray(malleated, { maxLength: 4 }),
    rawValid: fc.array(fc.nat(5), { minLength: valid.length, maxLength: valid.length }),
    order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 200, maxLength: 200 }),
    split: fc.double({ min: 0, max: 1, noNaN: true }),
  });

  it('converges to the state of the ordered valid log (1,000 runs), also when merged in two parts', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const items: (SignedMembershipEvent | Uint8Array)[] = [
          ...valid.map((event, i) => (s.rawValid[i] === 0 ? event.bytes : event)),
          ...s.duplicates.map((i, n) => (n % 4 === 0 ? valid[i]!.bytes : valid[i]!)),
          ...s.malleated,
          ...s.forged,
        ];
        const shuffled = items
          .map((item, i) => ({ item, rank: s.order[i] ?? 0, i }))
          .sort((a, b) => a.rank - b.rank || a.i - b.i)
          .map(({ item }) => item);
        const state = deriveGroupState(chatId, shuffled);
        expect(core(state)).toEqual(core(expected));

        const cut = Math.floor(s.split * shuffled.length);
        const merged = mergeGroupEvents(
          deriveGroupState(chatId, shuffled.slice(0, cut)),
          shuffled.slice(cut),
        );
        expect(core(merged)).toEqual(core(state));
        expect(merged.skipped.map((skip) => [skip.reason, bytesToHex(skip.bytes)])).toEqual(
          state.skipped.map((skip) => [skip.reason, bytesToHex(skip.bytes)]),
        );
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('equivalence with status-go on random logs', () => {
  const people = Array.from({ length: 4 }, person);
  const [creator] = people as [Person];
  const chatId = newGroupChatId(creator.id);

  // A random event: author, type and targets drawn from 4 people.
  const descriptor = fc.record({
    author: fc.nat(3),
    kind: fc.nat(6),
    target: fc.nat(3),
    other: fc.nat(3),
    name: fc.constantFrom('a', 'b', 'c'),
  });
  type Descriptor = typeof descriptor extends fc.Arbitrary<infer T> ? T : never;
  const cache = new Map<string, SignedMembershipEvent>();
  // Signing is the slow part: events are cached by the fields their type uses, and the clock.
  function signed(d: Descriptor, clock: number): SignedMembershipEvent {
    const used = [
      d.author,
      d.kind,
      d.kind < 2 ? d.name : '',
      d.kind >= 2 && d.kind !== 3 ? d.target : '',
      d.kind === 2 ? d.other : '',
    ];
    const id = `${used.join('/')}@${clock}`;
    const hit = cache.get(id);
    if (hit) return hit;
    const target = people[d.target]!.id;
    const events: MembershipEvent[] = [
      chatCreated(d.name, clock),
      nameChanged(d.name, clock),
      membersAdded([target, people[d.other]!.id], clock),
      memberJoined(clock),
      memberRemoved(target, clock),
      adminsAdded([target], clock),
      adminRemoved(target, clock),
    ];
    const event = signMembershipEvent(chatId, events[d.kind]!, people[d.author]!.key);
    cache.set(id, event);
    return event;
  }
  const creation: Descriptor = { author: 0, kind: 0, target: 0, other: 0, name: 'a' };

  it('the accepted events of any derivation form a log status-go accepts, with the same group (1,000 runs)', () => {
    // Clocks from a small range, so equal clocks and out-of-order events are common; the creator's
    // CHAT_CREATED leads half of the logs so that many of them create the group.
    const logs = fc.tuple(
      fc.boolean(),
      fc.array(fc.tuple(descriptor, fc.integer({ min: 1, max: 12 })), { minLength: 1, maxLength: 12 }),
    );
    let created = 0;
    fc.assert(
      fc.property(logs, ([start, rest]) => {
        const events = [
          ...(start ? [signed(creation, 1)] : []),
          ...rest.map(([d, clock]) => signed(d, clock)),
        ];
        const state = deriveGroupState(chatId, events);
        if (!state.created) {
          expect(state.events).toEqual([]);
          return;
        }
        created++;
        // Skipping an event is the same as never having received it: status-go accepts what applied.
        const replay = replayLikeStatusGo(chatId, [...state.events]);
        expect(replay.ok).toBe(true);
        if (!replay.ok) return;
        expect([...replay.group.members]).toEqual(state.members);
        expect([...replay.group.admins]).toEqual(state.admins);
        expect([...replay.group.joined]).toEqual(state.joined);
        expect(replay.group.name).toBe(state.name);
      }),
      { numRuns: 1_000 },
    );
    expect(created).toBeGreaterThan(300);
  });

  it('any log status-go accepts (distinct clocks), in any order, derives to status-go group (1,000 runs)', () => {
    // Logs status-go accepts: random events at clocks 2, 3, … after the creation, keeping those valid
    // where they stand (status-go's own rules decide, replayed event by event).
    const logs = fc.tuple(
      fc.array(descriptor, { minLength: 1, maxLength: 12 }),
      fc.array(fc.nat(), { minLength: 13, maxLength: 13 }),
    );
    fc.assert(
      fc.property(logs, ([descriptors, order]) => {
        const log = [signed(creation, 1)];
        for (const [i, d] of descriptors.entries()) {
          const candidate = signed(d, i + 2);
          if (replayLikeStatusGo(chatId, [...log, candidate]).ok) log.push(candidate);
        }
        const replay = replayLikeStatusGo(chatId, log);
        expect(replay.ok).toBe(true);
        if (!replay.ok) return;
        const shuffled = log
          .map((event, i) => ({ event, rank: order[i] ?? 0, i }))
          .sort((a, b) => a.rank - b.rank || a.i - b.i)
          .map(({ event }) => event);
        const state = deriveGroupState(chatId, shuffled);
        expect(state.skipped).toEqual([]);
        expect(state.events).toEqual(log);
        expect(state.members).toEqual([...replay.group.members]);
        expect(state.admins).toEqual([...replay.group.admins]);
        expect(state.joined).toEqual([...replay.group.joined]);
        expect(state.name).toBe(replay.group.name);
        expect(checkMembershipUpdate(chatId, shuffled).accepted).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });
});
