/**
 * Fixtures for the group state benchmark (bench/payloads.bench.ts times them) and the group tests: a
 * realistic, valid membership log of any size, and its derivation from the raw wire entries. No timing
 * code here.
 */
import { utf8ToBytes } from '@status-ts/core';
import { getPublicKey, keccak256 } from '@status-ts/crypto';
import {
  adminRemoved,
  adminsAdded,
  chatCreated,
  deriveGroupState,
  type GroupState,
  type MembershipEvent,
  memberJoined,
  memberRemoved,
  membersAdded,
  nameChanged,
  newGroupChatId,
  type SignedMembershipEvent,
  signMembershipEvent,
  toMemberId,
} from '../src/group/index.js';
import { applyRule, emptyGroupSets, ruleViolation } from '../src/group/rules.js';

/** A signed membership log as a receiver gets it. */
export interface GroupLog {
  readonly chatId: string;
  /** The events in the order they were made (clock order). */
  readonly events: readonly SignedMembershipEvent[];
  /** The same events as wire entries (signature ‖ event), to derive from as on receipt. */
  readonly entries: readonly Uint8Array[];
  /** Private keys by member id, for tests that sign more events in the same group. */
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

/** Deterministic private key number `i` (Keccak-256 of a label: valid with overwhelming probability). */
export function benchPrivateKey(i: number): Uint8Array {
  return keccak256(utf8ToBytes(`status-ts group bench key ${i}`));
}

// mulberry32: a tiny seeded PRNG so a given size always yields the same log shape.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Signs a valid log of `size` events (size >= 1): the creator's CHAT_CREATED, then a mix drawn by a
 * seeded generator of what real groups see: admins adding people, invitees joining, renames, promotions,
 * admins removing members, members leaving, admins stepping down, from a pool of 40 people. Every event
 * is valid where it stands, so deriving the log applies all of them.
 */
export function buildGroupLog(size: number, poolSize = 40): GroupLog {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError('size must be a positive integer');
  const keys = new Map<string, Uint8Array>();
  const ids: string[] = [];
  for (let i = 0; i <= poolSize; i++) {
    const key = benchPrivateKey(i);
    const id = toMemberId(getPublicKey(key, 'uncompressed'));
    keys.set(id, key);
    ids.push(id);
  }
  const creator = ids[0]!;
  const chatId = newGroupChatId(creator);
  const random = prng(size);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const group = emptyGroupSets();
  const events: SignedMembershipEvent[] = [];
  let clock = 1_600_000_000_000;

  const emit = (author: string, event: MembershipEvent): void => {
    const signed = signMembershipEvent(chatId, event, keys.get(author)!);
    // The generator only proposes valid events; this guards the fixture against its own mistakes.
    if (ruleViolation(group, signed) !== undefined) throw new Error(`bench log generator made ${event.type}`);
    applyRule(group, signed);
    events.push(signed);
  };

  emit(creator, chatCreated('bench group', ++clock));
  while (events.length < size) {
    const admins = [...group.admins].filter((id) => group.members.has(id));
    const members = [...group.members];
    const outsiders = ids.filter((id) => !group.members.has(id));
    const waiting = members.filter((id) => !group.joined.has(id));
    const plain = members.filter((id) => !group.admins.has(id));
    const roll = random();
    const admin = admins.length > 0 ? pick(admins) : creator;
    if (admins.length === 0) break; // cannot happen: the creator never leaves
    if (roll < 0.25 && outsiders.length > 0) {
      const count = 1 + Math.floor(random() * Math.min(3, outsiders.length));
      emit(admin, membersAdded(outsiders.slice(0, count), ++clock));
    } else if (roll < 0.5 && waiting.length > 0) {
      emit(pick(waiting), memberJoined(++clock));
    } else if (roll < 0.62) {
      emit(admin, nameChanged(`bench group ${events.length}`, ++clock));
    } else if (roll < 0.72 && plain.length > 0) {
      emit(admin, adminsAdded([pick(plain)], ++clock));
    } else if (roll < 0.84 && plain.length > 0) {
      const target = pick(plain);
      emit(admin, memberRemoved(target, ++clock));
    } else if (roll < 0.94 && plain.length > 0) {
      const leaver = pick(plain);
      emit(leaver, memberRemoved(leaver, ++clock));
    } else if (admins.length > 1) {
      const stepping = pick(admins.filter((id) => id !== creator));
      emit(stepping, adminRemoved(stepping, ++clock));
    } else {
      emit(admin, nameChanged(`bench group ${events.length}`, ++clock));
    }
  }
  return { chatId, events, entries: events.map((event) => event.bytes), keys };
}

/** Derives the group from the log's wire entries: verify every signature, order, apply. */
export function deriveLog(log: GroupLog): GroupState {
  return deriveGroupState(log.chatId, log.entries);
}
