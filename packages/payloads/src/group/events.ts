import { create, toBinary } from '@bufbuild/protobuf';
import { isOneToOneChatId } from '../chat-id.js';
import { decodeProto } from '../decode.js';
import { decodeEnum, type EnumName, enumValueOf } from '../enums.js';
import { PayloadError, PayloadErrorCode } from '../errors.js';
import { checkText, utf8Length } from '../go-text.js';
import {
  type MembershipUpdateEvent_EventType,
  MembershipUpdateEvent_EventTypeSchema,
  MembershipUpdateEventSchema,
} from '../proto.js';
import { numberToUint64, uint64ToNumber } from '../uint64.js';
import { type GroupMemberId, toMemberId } from './keys.js';
import {
  MAX_GROUP_MEMBER_ID_LENGTH,
  MAX_GROUP_NAME_BYTES,
  MAX_MEMBERSHIP_EVENT_MEMBERS,
  MAX_MEMBERSHIP_UPDATE_BYTES,
} from './limits.js';

/**
 * The kind of a membership event. `UNKNOWN` is what a type number this proto version does not define
 * decodes to; such an event is never valid in a group, and we never build one.
 */
export type MembershipEventType = EnumName<typeof MembershipUpdateEvent_EventType>;

/** One change to a group, as signed by its author (MembershipUpdateEvent without the signature). */
export interface MembershipEvent {
  readonly type: MembershipEventType;
  /** Lamport clock (ms); events apply in clock order. */
  readonly clock: number;
  /** Keys the event acts on: added members or admins, the removed member or the demoted admin. */
  readonly members: readonly GroupMemberId[];
  /** The group name of CHAT_CREATED and NAME_CHANGED; empty otherwise. */
  readonly name: string;
}

/** Which event types carry a name, and how many members each carries (min, max). */
const NAMED: ReadonlySet<MembershipEventType> = new Set(['CHAT_CREATED', 'NAME_CHANGED']);
const MEMBER_COUNT: Readonly<Record<MembershipEventType, readonly [number, number]>> = {
  UNKNOWN: [0, 0],
  CHAT_CREATED: [0, 0],
  NAME_CHANGED: [0, 0],
  MEMBER_JOINED: [0, 0],
  // status-go's CreateGroupChatWithMembers sends MEMBERS_ADDED even when no one was picked.
  MEMBERS_ADDED: [0, MAX_MEMBERSHIP_EVENT_MEMBERS],
  // status-go accepts ADMINS_ADDED only when one listed key is a member: an empty list never is.
  ADMINS_ADDED: [1, MAX_MEMBERSHIP_EVENT_MEMBERS],
  MEMBER_REMOVED: [1, 1],
  ADMIN_REMOVED: [1, 1],
};

function invalid(message: string, details: Record<string, unknown> = {}): PayloadError {
  return new PayloadError(PayloadErrorCode.InvalidField, message, { details });
}

/**
 * Throws unless status-go would accept `event` in a group where its author has the needed role: a known
 * type, a clock in 1..2^53-1 (status-go refuses clock 0), a name only where the type has one (non-empty
 * for NAME_CHANGED, at most MAX_GROUP_NAME_BYTES, no lone surrogate), and members only where the type
 * has them, each a `0x04…` key id (exactly one for removals, at least one for ADMINS_ADDED, at most
 * MAX_MEMBERSHIP_EVENT_MEMBERS). Codes: INVALID_FIELD, INVALID_ARGUMENT (clock), TOO_LARGE (limits).
 */
export function assertBuildableMembershipEvent(event: MembershipEvent): void {
  const counts = MEMBER_COUNT[event.type];
  if (counts === undefined || event.type === 'UNKNOWN') {
    throw invalid(`unknown membership event type ${JSON.stringify(event.type)}`, { type: event.type });
  }
  numberToUint64(event.clock, 'clock');
  if (event.clock === 0) {
    throw new PayloadError(PayloadErrorCode.InvalidArgument, "clock can't be 0 (status-go refuses it)", {
      details: { field: 'clock' },
    });
  }
  assertBuildableName(event);
  const [min, max] = counts;
  if (event.members.length > MAX_MEMBERSHIP_EVENT_MEMBERS) {
    throw new PayloadError(
      PayloadErrorCode.TooLarge,
      `${event.members.length} members exceed the limit of ${MAX_MEMBERSHIP_EVENT_MEMBERS}`,
      { details: { size: event.members.length, limit: MAX_MEMBERSHIP_EVENT_MEMBERS } },
    );
  }
  if (event.members.length < min || event.members.length > max) {
    const expected = min === max ? `exactly ${min}` : `${min} to ${max}`;
    throw invalid(`${event.type} needs ${expected} members, got ${event.members.length}`, {
      type: event.type,
      members: event.members.length,
    });
  }
  for (const member of event.members) {
    if (!isOneToOneChatId(member)) {
      throw invalid('member must be 0x04 + 128 lowercase hex digits of a public key', {
        member: String(member).slice(0, 140),
      });
    }
  }
}

function assertBuildableName(event: MembershipEvent): void {
  if (!NAMED.has(event.type)) {
    if (event.name !== '') throw invalid(`${event.type} carries no name`, { type: event.type });
    return;
  }
  if (event.type === 'NAME_CHANGED' && event.name.length === 0) {
    throw invalid("group name can't be empty (status-go refuses an empty NAME_CHANGED)");
  }
  const bytes = utf8Length(event.name);
  if (bytes > MAX_GROUP_NAME_BYTES) {
    throw new PayloadError(
      PayloadErrorCode.TooLarge,
      `group name of ${bytes} bytes exceeds the limit of ${MAX_GROUP_NAME_BYTES}`,
      { details: { size: bytes, limit: MAX_GROUP_NAME_BYTES } },
    );
  }
  // A lone surrogate would be sent as U+FFFD, so the signed name would not be `name`.
  checkText(event.name, 'group name');
}

/**
 * The protobuf MembershipUpdateEvent bytes of `event`, which is first checked by
 * assertBuildableMembershipEvent. Fields in number order with proto3 defaults omitted, as Go writes them,
 * so the bytes (and the signature over them) match status-go's.
 */
export function encodeMembershipEvent(event: MembershipEvent): Uint8Array {
  assertBuildableMembershipEvent(event);
  return toBinary(
    MembershipUpdateEventSchema,
    create(MembershipUpdateEventSchema, {
      clock: BigInt(event.clock),
      members: [...event.members],
      name: event.name,
      type: enumValueOf(MembershipUpdateEvent_EventTypeSchema, event.type),
    }),
  );
}

/**
 * Decodes MembershipUpdateEvent bytes as received. Unknown fields are skipped and an unknown type number
 * becomes `UNKNOWN` (invalid later, never a throw here). Member strings are kept as written, even when
 * they are not keys (status-go keeps them too), within MAX_GROUP_MEMBER_ID_LENGTH. Throws
 * ERR_PAYLOAD_MALFORMED (not protobuf, or a string that is not UTF-8, which status-go refuses),
 * ERR_PAYLOAD_TOO_LARGE (member count, member length, name bytes) or ERR_PAYLOAD_INVALID_FIELD (clock
 * above 2^53 - 1).
 */
export function decodeMembershipEvent(encoded: Uint8Array): MembershipEvent {
  const raw = decodeProto(MembershipUpdateEventSchema, encoded, MAX_MEMBERSHIP_UPDATE_BYTES);
  if (raw.members.length > MAX_MEMBERSHIP_EVENT_MEMBERS) {
    throw new PayloadError(
      PayloadErrorCode.TooLarge,
      `event of ${raw.members.length} members exceeds the limit of ${MAX_MEMBERSHIP_EVENT_MEMBERS}`,
      { details: { size: raw.members.length, limit: MAX_MEMBERSHIP_EVENT_MEMBERS } },
    );
  }
  for (const member of raw.members) {
    if (member.length > MAX_GROUP_MEMBER_ID_LENGTH) {
      throw new PayloadError(
        PayloadErrorCode.TooLarge,
        `member id of ${member.length} characters exceeds the limit of ${MAX_GROUP_MEMBER_ID_LENGTH}`,
        { details: { size: member.length, limit: MAX_GROUP_MEMBER_ID_LENGTH } },
      );
    }
  }
  const nameBytes = utf8Length(raw.name);
  if (nameBytes > MAX_GROUP_NAME_BYTES) {
    throw new PayloadError(
      PayloadErrorCode.TooLarge,
      `group name of ${nameBytes} bytes exceeds the limit of ${MAX_GROUP_NAME_BYTES}`,
      { details: { size: nameBytes, limit: MAX_GROUP_NAME_BYTES } },
    );
  }
  return Object.freeze({
    type: decodeEnum<MembershipEventType>(MembershipUpdateEvent_EventTypeSchema, raw.type, 'UNKNOWN'),
    clock: uint64ToNumber(raw.clock, 'clock'),
    members: Object.freeze(raw.members),
    name: raw.name,
  });
}

function build(
  type: MembershipEventType,
  clock: number,
  members: GroupMemberId[],
  name = '',
): MembershipEvent {
  const event: MembershipEvent = Object.freeze({ type, clock, members: Object.freeze(members), name });
  assertBuildableMembershipEvent(event);
  return event;
}

/** CHAT_CREATED: starts the group; its author becomes the first member, joined and admin. */
export function chatCreated(name: string, clock: number): MembershipEvent {
  return build('CHAT_CREATED', clock, [], name);
}

/** NAME_CHANGED (admins only; the name must not be empty). */
export function nameChanged(name: string, clock: number): MembershipEvent {
  return build('NAME_CHANGED', clock, [], name);
}

/** MEMBERS_ADDED (admins only): `members` become members (not yet joined). */
export function membersAdded(members: readonly (Uint8Array | string)[], clock: number): MembershipEvent {
  return build('MEMBERS_ADDED', clock, members.map(toMemberId));
}

/** MEMBER_JOINED (members only): the author accepts the invitation. */
export function memberJoined(clock: number): MembershipEvent {
  return build('MEMBER_JOINED', clock, []);
}

/** MEMBER_REMOVED: the author leaves (`member` is the author) or an admin removes a non-admin member. */
export function memberRemoved(member: Uint8Array | string, clock: number): MembershipEvent {
  return build('MEMBER_REMOVED', clock, [toMemberId(member)]);
}

/** ADMINS_ADDED (admins only): `admins` become admins; status-go needs at least one of them to be a member. */
export function adminsAdded(admins: readonly (Uint8Array | string)[], clock: number): MembershipEvent {
  return build('ADMINS_ADDED', clock, admins.map(toMemberId));
}

/** ADMIN_REMOVED: an admin gives up its own admin role (status-go lets no one demote another admin). */
export function adminRemoved(admin: Uint8Array | string, clock: number): MembershipEvent {
  return build('ADMIN_REMOVED', clock, [toMemberId(admin)]);
}
