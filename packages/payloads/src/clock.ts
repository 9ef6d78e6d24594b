import { PayloadError, PayloadErrorCode } from './errors.js';
import { MAX_CLOCK_FUTURE_DRIFT_MS } from './limits.js';

/**
 * The Lamport clock of the next message in a chat: `max(now, last + 1)` in milliseconds. The first
 * message of a chat (`lastClock` 0 or undefined) takes `now`, which is also its timestamp.
 */
export function nextChatClock(lastClock: number | undefined, nowMs: number): number {
  const now = Math.floor(nowMs);
  if (lastClock === undefined || lastClock <= 0) return now;
  return Math.max(now, lastClock + 1);
}

/**
 * Lamport update on receipt: the chat's clock moves to the highest clock seen, so the next message we
 * send sorts after everything we have read.
 */
export function observeChatClock(lastClock: number | undefined, receivedClock: number): number {
  return Math.max(lastClock ?? 0, receivedClock);
}

/**
 * status-go's validateClockValue: a clock of 0 is invalid, and a clock more than 120 s
 * (MAX_CLOCK_FUTURE_DRIFT_MS) ahead of the envelope's send time (in ms) is refused. A clock far behind
 * the envelope time is allowed (messages from mailservers and late devices are old); `isClockBehind`
 * tells the caller when to flag it.
 */
export function validateClock(clock: number, envelopeTimeMs: number, field = 'clock'): void {
  if (clock === 0) {
    throw new PayloadError(PayloadErrorCode.InvalidField, `${field} can't be 0`, { details: { field } });
  }
  if (clock > envelopeTimeMs && clock - envelopeTimeMs > MAX_CLOCK_FUTURE_DRIFT_MS) {
    throw new PayloadError(
      PayloadErrorCode.InvalidField,
      `${field} ${clock} is more than ${MAX_CLOCK_FUTURE_DRIFT_MS} ms ahead of the envelope time ${envelopeTimeMs}`,
      { details: { field, clock, envelopeTimeMs } },
    );
  }
}

/** True when `clock` is more than 120 s behind the envelope time: the spec lets a client flag it. */
export function isClockBehind(clock: number, envelopeTimeMs: number): boolean {
  return envelopeTimeMs - clock > MAX_CLOCK_FUTURE_DRIFT_MS;
}

/** Something ordered in a chat: by clock, then by message id (hex) so equal clocks sort the same everywhere. */
export interface ClockOrdered {
  readonly clock: number;
  readonly id: string;
}

/** Comparator for chat order: clock ascending, then id ascending. */
export function compareChatOrder(a: ClockOrdered, b: ClockOrdered): number {
  if (a.clock !== b.clock) return a.clock < b.clock ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}
