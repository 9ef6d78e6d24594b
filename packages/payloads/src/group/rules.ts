import type { SignedMembershipEvent } from './signed-event.js';

/** The mutable sets a group is made of while events apply. JS Sets keep status-go's stringSet order. */
export interface GroupSets {
  name: string;
  readonly members: Set<string>;
  readonly admins: Set<string>;
  readonly joined: Set<string>;
}

/** Why status-go's validateEvent refuses an event in the current group. */
export type GroupRuleViolation =
  /** CHAT_CREATED while the group has admins or members. */
  | 'already-created'
  /** NAME_CHANGED, MEMBERS_ADDED, ADMINS_ADDED, ADMIN_REMOVED, or removing someone else, by a non-admin. */
  | 'not-admin'
  /** NAME_CHANGED to an empty name. */
  | 'empty-name'
  /** MEMBER_JOINED by someone who is not a member. */
  | 'not-member'
  /** MEMBER_REMOVED or ADMIN_REMOVED without exactly one member. */
  | 'member-count'
  /** An admin removing another admin (admins can only leave by themselves). */
  | 'target-is-admin'
  /** ADMIN_REMOVED of someone else: an admin may only demote itself. */
  | 'not-self'
  /** ADMINS_ADDED where no listed key is a current member. */
  | 'no-listed-member'
  /** A type this proto version does not know. */
  | 'unknown-type';

/** A new, empty group. */
export function emptyGroupSets(): GroupSets {
  return { name: '', members: new Set(), admins: new Set(), joined: new Set() };
}

/**
 * status-go v0.62.0's Group.validateEvent: undefined when `event` may apply to `group`, else why not.
 * The author is always set here (it was recovered), which is status-go's first check.
 */
export function ruleViolation(
  group: GroupSets,
  event: SignedMembershipEvent,
): GroupRuleViolation | undefined {
  const isAdmin = group.admins.has(event.from);
  switch (event.type) {
    case 'CHAT_CREATED':
      return group.admins.size === 0 && group.members.size === 0 ? undefined : 'already-created';
    case 'NAME_CHANGED':
      if (!isAdmin) return 'not-admin';
      return event.name.length > 0 ? undefined : 'empty-name';
    case 'MEMBERS_ADDED':
      return isAdmin ? undefined : 'not-admin';
    case 'MEMBER_JOINED':
      return group.members.has(event.from) ? undefined : 'not-member';
    case 'MEMBER_REMOVED': {
      const [target] = event.members;
      if (event.members.length !== 1 || target === undefined) return 'member-count';
      if (event.from === target) return undefined;
      if (!isAdmin) return 'not-admin';
      return group.admins.has(target) ? 'target-is-admin' : undefined;
    }
    case 'ADMINS_ADDED':
      if (!isAdmin) return 'not-admin';
      // status-go calls stringSliceSubset(event.Members, members) here, but that function returns true as
      // soon as ONE current member is listed, not when all listed keys are members. We match it on
      // purpose: a stricter check would refuse logs status-go accepts and the groups would diverge.
      return event.members.some((key) => group.members.has(key)) ? undefined : 'no-listed-member';
    case 'ADMIN_REMOVED': {
      const [target] = event.members;
      if (event.members.length !== 1 || target === undefined) return 'member-count';
      if (!isAdmin) return 'not-admin';
      return event.from === target ? undefined : 'not-self';
    }
    default:
      return 'unknown-type';
  }
}

/** status-go's Group.processEvent: applies an event that passed ruleViolation. */
export function applyRule(group: GroupSets, event: SignedMembershipEvent): void {
  switch (event.type) {
    case 'CHAT_CREATED':
      group.name = event.name;
      group.members.add(event.from);
      group.joined.add(event.from);
      group.admins.add(event.from);
      return;
    case 'NAME_CHANGED':
      group.name = event.name;
      return;
    case 'ADMINS_ADDED':
      // Every listed key, member or not (status-go adds them all).
      for (const key of event.members) group.admins.add(key);
      return;
    case 'ADMIN_REMOVED':
      group.admins.delete(event.members[0]!);
      return;
    case 'MEMBERS_ADDED':
      for (const key of event.members) group.members.add(key);
      return;
    case 'MEMBER_REMOVED': {
      const target = event.members[0]!;
      group.admins.delete(target);
      group.joined.delete(target);
      group.members.delete(target);
      return;
    }
    case 'MEMBER_JOINED':
      group.joined.add(event.from);
      return;
    default:
      return;
  }
}
