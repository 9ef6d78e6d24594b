import { invalid } from './checks.js';

/** A position in chat order: clock, then message id. */
export interface ChatPosition {
  readonly clock: number;
  readonly id: string;
}

// `<clock>:<id>`: opaque to callers, but readable in logs and stable across store implementations, so a
// cursor from one page request stays valid after a restart.
const CURSOR = /^(0|[1-9][0-9]{0,15}):(0x[0-9a-f]{64})$/;

/** The cursor naming a message's position. */
export function encodeCursor(position: ChatPosition): string {
  return `${position.clock}:${position.id}`;
}

/** The position a cursor names (ERR_CLIENT_INVALID_ARGUMENT for anything `encodeCursor` cannot produce). */
export function decodeCursor(cursor: unknown): ChatPosition {
  const match = typeof cursor === 'string' ? CURSOR.exec(cursor) : null;
  const clock = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(clock)) invalid('before', 'is not a message store cursor');
  return { clock, id: match[2]! };
}
