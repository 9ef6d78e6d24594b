import { bytesToHex, compareBytes } from '@status-ts/core';
import { PayloadError } from '../errors.js';
import { parseGroupChatId } from './group-chat-id.js';
import { type GroupMemberId, toMemberId } from './keys.js';
import { applyRule, emptyGroupSets, type GroupRuleViolation, ruleViolation } from './rules.js';
import { type SignedMembershipEvent, toVerifiedMembershipEvent } from './signed-event.js';

/** Why an event did not apply to the group. */
export type GroupSkipReason =
  | GroupRuleViolation
  /** The entry does not verify (malformed, no recoverable signature, over a limit): see `error`. */
  | 'unverifiable'
  /** The event was signed for another chat id. */
  | 'other-chat'
  /** No CHAT_CREATED by the chat id's creator applied yet (this also drops events clocked before it). */
  | 'before-creation'
  /** A CHAT_CREATED before the group exists, by someone other than the creator the chat id names. */
  | 'not-creator';

/** An entry that did not apply, with the reason. */
export interface SkippedMembershipEvent {
  readonly reason: GroupSkipReason;
  /** The entry's wire bytes (signature ‖ event), or empty when the entry had none. */
  readonly bytes: Uint8Array;
  /** The verified event; absent for `unverifiable` entries. */
  readonly event?: SignedMembershipEvent;
  /** What verification threw, for `unverifiable` entries. */
  readonly error?: PayloadError;
}

/** A private group as derived from its membership events. Immutable. */
export interface GroupState {
  readonly chatId: string;
  /** The creator the chat id names. */
  readonly creator: GroupMemberId;
  /** True once the creator's CHAT_CREATED applied; until then the group has no name, members or admins. */
  readonly created: boolean;
  readonly name: string;
  /** Members, admins and joined members in status-go's order (insertion order; re-added keys go last). */
  readonly members: readonly string[];
  readonly admins: readonly string[];
  readonly joined: readonly string[];
  /** The events that applied, in the order they applied. */
  readonly events: readonly SignedMembershipEvent[];
  /** Everything else, each with its reason: junk first (by bytes), then rule skips in clock order. */
  readonly skipped: readonly SkippedMembershipEvent[];
  /** Clock of the last applied event (status-go's LastClockValue), 0 when none applied. */
  readonly lastClock: number;
  /** True when `key` (a `0x04…` id, compared exactly as status-go does, or a public key) is a member. */
  isMember(key: string | Uint8Array): boolean;
  /** True when `key` is an admin. */
  isAdmin(key: string | Uint8Array): boolean;
  /** True when `key` has joined (accepted the invitation, or created the group). */
  hasJoined(key: string | Uint8Array): boolean;
}

// Input entries as deriveGroupState receives them, or as mergeGroupEvents carries them over.
type Entry = SignedMembershipEvent | Uint8Array | SkippedMembershipEvent;

function compareEvents(a: SignedMembershipEvent, b: SignedMembershipEvent): number {
  if (a.clock !== b.clock) return a.clock - b.clock;
  // Equal clocks (concurrent changes by different admins) need an order every peer agrees on whatever
  // the arrival order: the signed bytes are unique per event.
  return compareBytes(a.bytes, b.bytes);
}

function bySkippedBytes(a: SkippedMembershipEvent, b: SkippedMembershipEvent): number {
  return compareBytes(a.bytes, b.bytes);
}

function isCarriedSkip(entry: Entry): entry is SkippedMembershipEvent {
  return !(entry instanceof Uint8Array) && 'reason' in entry;
}

// The bytes of an event object that failed verification (it may not even have them).
function bytesOf(event: SignedMembershipEvent): Uint8Array {
  const bytes: unknown = (event as { bytes?: unknown } | null)?.bytes;
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(0);
}

function lookupKey(key: string | Uint8Array): string {
  return typeof key === 'string' ? key : toMemberId(key);
}

function derive(chatId: string, entries: Iterable<Entry>): GroupState {
  const { creator } = parseGroupChatId(chatId);
  // Junk (unverifiable, other chat) keyed by its bytes, events by author and event bytes: the same
  // statement by the same author is one event even if its signature was re-encoded (ECDSA malleability),
  // and two entries sharing a signature but not the event bytes stay two entries (the second recovers to
  // another key and fails the rules), so the outcome never depends on which copy arrived first.
  const junk = new Map<string, SkippedMembershipEvent>();
  const unique = new Map<string, SignedMembershipEvent>();
  for (const entry of entries) {
    if (isCarriedSkip(entry) && (entry.event === undefined || entry.reason === 'other-chat')) {
      // Junk carried over by mergeGroupEvents: it can never apply, so it is not verified again.
      junk.set(bytesToHex(entry.bytes), entry);
      continue;
    }
    const input = isCarriedSkip(entry) ? entry.event! : entry;
    let event: SignedMembershipEvent;
    try {
      event = toVerifiedMembershipEvent(chatId, input);
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      const bytes = input instanceof Uint8Array ? input : bytesOf(input);
      junk.set(bytesToHex(bytes), Object.freeze({ reason: 'unverifiable', bytes, error }));
      continue;
    }
    if (event.chatId !== chatId) {
      junk.set(bytesToHex(event.bytes), Object.freeze({ reason: 'other-chat', bytes: event.bytes, event }));
      continue;
    }
    const id = `${event.from}/${bytesToHex(event.encodedEvent)}`;
    const seen = unique.get(id);
    if (seen === undefined || compareBytes(event.bytes, seen.bytes) < 0) unique.set(id, event);
  }

  const ordered = [...unique.values()].sort(compareEvents);
  const group = emptyGroupSets();
  const applied: SignedMembershipEvent[] = [];
  const ruleSkips: SkippedMembershipEvent[] = [];
  let created = false;
  for (const event of ordered) {
    let reason: GroupSkipReason | undefined;
    if (!created) {
      // Until the group exists only its creator's CHAT_CREATED counts: status-go requires the first
      // event to be CHAT_CREATED by the key the chat id ends with, and refuses the whole log otherwise.
      if (event.type !== 'CHAT_CREATED') reason = 'before-creation';
      else if (event.from !== creator) reason = 'not-creator';
    } else {
      reason = ruleViolation(group, event);
    }
    if (reason !== undefined) {
      ruleSkips.push(Object.freeze({ reason, bytes: event.bytes, event }));
      continue;
    }
    applyRule(group, event);
    applied.push(event);
    created = true;
  }

  const members = Object.freeze([...group.members]);
  const admins = Object.freeze([...group.admins]);
  const joined = Object.freeze([...group.joined]);
  return Object.freeze({
    chatId,
    creator,
    created,
    name: group.name,
    members,
    admins,
    joined,
    events: Object.freeze(applied),
    skipped: Object.freeze([...[...junk.values()].sort(bySkippedBytes), ...ruleSkips]),
    lastClock: applied.at(-1)?.clock ?? 0,
    isMember: (key: string | Uint8Array) => group.members.has(lookupKey(key)),
    isAdmin: (key: string | Uint8Array) => group.admins.has(lookupKey(key)),
    hasJoined: (key: string | Uint8Array) => group.joined.has(lookupKey(key)),
  });
}

/**
 * The state of group `chatId` from a SET of membership events, in any order, with any duplicates: a pure
 * function of the set. Entries are verified events or raw wire entries (verified here for `chatId`);
 * unverifiable entries and events of another chat are skipped, duplicates collapse, the rest apply in
 * (clock, signed bytes) order under status-go v0.62.0's rules, and each event that breaks a rule is
 * skipped with its reason instead of failing the whole log as status-go does. For every log status-go
 * accepts whose clocks are distinct, the name, members, admins and joined lists equal status-go's.
 * Throws ERR_PAYLOAD_INVALID_FIELD when `chatId` is not a group chat id (see parseGroupChatId).
 */
export function deriveGroupState(
  chatId: string,
  events: Iterable<SignedMembershipEvent | Uint8Array>,
): GroupState {
  return derive(chatId, events);
}

/**
 * `state` with `events` added: the derivation over the union of everything `state` was derived from and
 * `events`, so the result equals deriveGroupState over both sets, whatever order they arrived in. Rule
 * skips are re-tried (an event skipped earlier may apply once an older event arrives).
 */
export function mergeGroupEvents(
  state: GroupState,
  events: Iterable<SignedMembershipEvent | Uint8Array>,
): GroupState {
  return derive(state.chatId, [...state.events, ...state.skipped, ...events]);
}
