import type { DeliveryState } from './types.js';

/** Every delivery state, in the order a message goes through them ('failed' stands beside 'sending'). */
export const DELIVERY_STATES: readonly DeliveryState[] = Object.freeze([
  'sending',
  'sent',
  'confirmed',
  'acknowledged',
  'failed',
]);

// How far along each state is. Events arrive out of order (an MVDS ack can come before the envelope
// confirmation, a late send error after the ack), so a state only applies when it is further along; the
// two states of a message not yet out, 'sending' and 'failed', share a rank and replace each other.
const PROGRESS: Readonly<Record<DeliveryState, number>> = {
  sending: 0,
  failed: 0,
  sent: 1,
  confirmed: 2,
  acknowledged: 3,
};

/** True when an outgoing message in `current` should move to `next` (see `MessageStore.setDeliveryState`). */
export function deliveryStateApplies(current: DeliveryState | undefined, next: DeliveryState): boolean {
  if (current === undefined) return true;
  if (current === next) return false;
  return PROGRESS[next] >= PROGRESS[current];
}
