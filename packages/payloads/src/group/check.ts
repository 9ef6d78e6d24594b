import { validateClock } from '../clock.js';
import { PayloadError, PayloadErrorCode } from '../errors.js';
import { toMemberId } from './keys.js';
import type { SignedMembershipEvent } from './signed-event.js';
import { toVerifiedMembershipEvent } from './signed-event.js';
import { deriveGroupState, type GroupState } from './state.js';
import { mergeLikeStatusGo, replayLikeStatusGo } from './status-go-group.js';

/** What checkMembershipUpdate needs to know beside the update. */
export interface CheckMembershipUpdateOptions {
  /**
   * Reference time (ms) for the clock check: no event may be more than 120 s ahead of it, nor 0.
   * status-go passes its current time. Omit to skip the check.
   */
  readonly timeMs?: number;
  /**
   * The events we already hold for this chat (status-go's stored log); omit when we do not have the chat
   * yet. They are ours, so one that does not verify throws instead of rejecting the update.
   */
  readonly existing?: readonly (SignedMembershipEvent | Uint8Array)[];
  /** Our own key: a chat we do not have yet is only accepted when it makes us a member. */
  readonly self?: string | Uint8Array;
}

/** The verdict of checkMembershipUpdate. */
export type MembershipUpdateCheck =
  | { readonly accepted: true; readonly state: GroupState }
  | { readonly accepted: false; readonly error: PayloadError };

function reject(error: unknown): MembershipUpdateCheck {
  if (error instanceof PayloadError) return { accepted: false, error };
  throw error;
}

/**
 * Would status-go v0.62.0 (HandleMembershipUpdate) accept this update? Strict like status-go: any entry
 * that does not verify, any clock that fails the clock check, any event invalid at its place in the
 * clock-sorted log, or a chat id that does not name the CHAT_CREATED author rejects the whole update;
 * with `existing`, the merged log (deduplicated by signature) must pass too; without it, the update alone
 * must create the group and (given `self`) include us. `events` are the message's entries in wire order.
 * On acceptance, `state` is deriveGroupState over the same events, which equals status-go's group.
 * Rejections are ERR_PAYLOAD_* errors with `details.reason` where a group rule failed.
 */
export function checkMembershipUpdate(
  chatId: string,
  events: readonly (SignedMembershipEvent | Uint8Array)[],
  options: CheckMembershipUpdateOptions = {},
): MembershipUpdateCheck {
  let update: SignedMembershipEvent[];
  try {
    update = events.map((entry) => toVerifiedMembershipEvent(chatId, entry));
    if (options.timeMs !== undefined) {
      for (const event of update) validateClock(event.clock, options.timeMs);
    }
  } catch (error) {
    return reject(error);
  }
  if (update.length === 0) {
    return reject(new PayloadError(PayloadErrorCode.InvalidField, 'a membership update needs events'));
  }
  const alone = replayLikeStatusGo(chatId, update);
  if (!alone.ok) return { accepted: false, error: alone.error };

  if (options.existing === undefined) {
    if (options.self !== undefined && !alone.group.members.has(toMemberId(options.self))) {
      return reject(
        new PayloadError(PayloadErrorCode.InvalidField, 'a new group chat must have us as a member', {
          details: { reason: 'not-member' },
        }),
      );
    }
    return { accepted: true, state: deriveGroupState(chatId, update) };
  }
  const existing = options.existing.map((entry) => toVerifiedMembershipEvent(chatId, entry));
  const merged = mergeLikeStatusGo(existing, update);
  const all = replayLikeStatusGo(chatId, merged);
  if (!all.ok) return { accepted: false, error: all.error };
  return { accepted: true, state: deriveGroupState(chatId, merged) };
}
