import { equalBytes } from '@status-ts/core';
import { PayloadError, PayloadErrorCode } from '../errors.js';
import { applyRule, emptyGroupSets, type GroupSets, ruleViolation } from './rules.js';
import type { SignedMembershipEvent } from './signed-event.js';

/** The outcome of replaying a log the way status-go does. */
export type StatusGoGroupResult =
  | { readonly ok: true; readonly group: GroupSets }
  | { readonly ok: false; readonly error: PayloadError };

function refuse(message: string, details: Record<string, unknown>): StatusGoGroupResult {
  return { ok: false, error: new PayloadError(PayloadErrorCode.InvalidField, message, { details }) };
}

/**
 * status-go v0.62.0's NewGroupWithEvents(chatId, events) (Group.init): sort by clock, refuse the whole
 * log at the first invalid event, then require the first event to be CHAT_CREATED by the key the chat id
 * ends with. status-go's sort.Slice is not stable: for equal clocks its order is an accident of Go's sort
 * implementation (which keeps the given order only for the shortest slices); we keep the given order.
 */
export function replayLikeStatusGo(
  chatId: string,
  events: readonly SignedMembershipEvent[],
): StatusGoGroupResult {
  for (const [index, event] of events.entries()) {
    if (event.chatId !== chatId) {
      return refuse('membership events belong to another chat', { reason: 'other-chat', index });
    }
  }
  const sorted = [...events].sort((a, b) => a.clock - b.clock);
  const group = emptyGroupSets();
  for (const event of sorted) {
    const reason = ruleViolation(group, event);
    if (reason !== undefined) {
      return refuse(`invalid ${event.type} event from ${event.from}: ${reason}`, {
        reason,
        index: events.indexOf(event),
      });
    }
    applyRule(group, event);
  }
  const first = sorted[0];
  if (first === undefined || first.type !== 'CHAT_CREATED') {
    return refuse('the first membership event must be CHAT_CREATED', { reason: 'before-creation' });
  }
  if (!chatId.endsWith(first.from) || chatId === first.from) {
    return refuse('the chat id does not name the creator', { reason: 'not-creator' });
  }
  return { ok: true, group };
}

/**
 * status-go's MergeMembershipUpdateEvents: `existing` followed by each new event whose signature is not
 * there yet (status-go's event equality compares signatures only).
 */
export function mergeLikeStatusGo(
  existing: readonly SignedMembershipEvent[],
  update: readonly SignedMembershipEvent[],
): SignedMembershipEvent[] {
  const merged = [...existing];
  for (const event of update) {
    if (!merged.some((known) => equalBytes(known.signature, event.signature))) merged.push(event);
  }
  return merged;
}
