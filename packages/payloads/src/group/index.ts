// Private group chats: membership events, their signed wire form, the MembershipUpdateMessage codec and
// the group state derived from a set of events (status-go v0.62.0 rules).

export { checkGroupChatEntity } from './chat-entity.js';
export {
  type CheckMembershipUpdateOptions,
  checkMembershipUpdate,
  type MembershipUpdateCheck,
} from './check.js';
export {
  adminRemoved,
  adminsAdded,
  assertBuildableMembershipEvent,
  chatCreated,
  decodeMembershipEvent,
  encodeMembershipEvent,
  type MembershipEvent,
  type MembershipEventType,
  memberJoined,
  memberRemoved,
  membersAdded,
  nameChanged,
} from './events.js';
export { type GroupChatIdParts, isGroupChatId, newGroupChatId, parseGroupChatId } from './group-chat-id.js';
export { type GroupMemberId, toMemberId } from './keys.js';
export {
  MAX_GROUP_CHAT_ID_LENGTH,
  MAX_GROUP_MEMBER_ID_LENGTH,
  MAX_GROUP_NAME_BYTES,
  MAX_MEMBERSHIP_EVENT_MEMBERS,
  MAX_MEMBERSHIP_EVENTS_PER_UPDATE,
  MAX_MEMBERSHIP_UPDATE_BYTES,
} from './limits.js';
export type { GroupRuleViolation } from './rules.js';
export { type SignedMembershipEvent, signMembershipEvent, verifyMembershipEvent } from './signed-event.js';
export {
  deriveGroupState,
  type GroupSkipReason,
  type GroupState,
  mergeGroupEvents,
  type SkippedMembershipEvent,
} from './state.js';
export {
  type DecodedMembershipUpdate,
  type DecodeMembershipUpdateOptions,
  decodeMembershipUpdate,
  encodeMembershipUpdate,
  type MembershipUpdateChatEntity,
  type MembershipUpdateInput,
  type RejectedMembershipEntry,
} from './update-message.js';
