import type { DeliveryState } from './types.js';

/** Every delivery state, in the order a message goes through them ('failed': given up on, never acknowledged). */
export const DELIVERY_STATES: readonly DeliveryState[] = Object.freeze([
  'sending',
  'sent',
  'confirmed',
  'acknowledged',
  'failed',
]);

// How far along a message not yet given up on is. Events arrive out of order (an MVDS ack can come before
// the envelope confirmation), so these states only move forward.
const PROGRESS: Readonly<Record<Exclude<DeliveryState, 'failed'>, number>> = {
  sending: 0,
  sent: 1,
  confirmed: 2,
  acknowledged: 3,
};

/**
 * True when an outgoing message in `current` should move to `next` (see `MessageStore.setDeliveryState`):
 * forward through sending, sent, confirmed, acknowledged; `failed` (MVDS gave up waiting for the ack) from
 * any state but acknowledged; from `failed`, only a retry (`sending`) or a late acknowledgement.
 */
export function deliveryStateApplies(current: DeliveryState | undefined, next: DeliveryState): boolean {
  if (current === undefined) return true;
  if (current === next || current === 'acknowledged') return false;
  if (next === 'acknowledged' || next === 'failed') return true;
  if (current === 'failed') return next === 'sending';
  return PROGRESS[next] > PROGRESS[current];
}
