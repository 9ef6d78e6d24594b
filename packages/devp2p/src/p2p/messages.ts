import { type RlpItem, rlpDecode, rlpEncode } from '@status-ts/enr';
import { DisconnectReason } from './disconnect.js';

/** Message ids of the p2p base protocol. */
export const P2pMessageCode = {
  Hello: 0x00,
  Disconnect: 0x01,
  Ping: 0x02,
  Pong: 0x03,
} as const;

/** Ping and Pong carry an empty list. */
export const EMPTY_LIST = Uint8Array.of(0xc0);

export function encodeDisconnect(reason: number): Uint8Array {
  return rlpEncode([reason]);
}

function reasonOf(item: RlpItem): number | undefined {
  if (item instanceof Uint8Array) {
    if (item.length === 0) return DisconnectReason.DisconnectRequested;
    return item.length === 1 ? item[0] : undefined;
  }
  return item.length === 0 ? DisconnectReason.DisconnectRequested : reasonOf(item[0]!);
}

/**
 * The reason of a Disconnect payload, or undefined when it is not one. Accepts `[reason]` (the spec),
 * a bare `reason` (some clients send it) and an empty list or string (reason 0x00).
 */
export function decodeDisconnect(payload: Uint8Array): number | undefined {
  let item: RlpItem;
  try {
    item = rlpDecode(payload, { allowTrailing: true, maxItems: 16 });
  } catch {
    return undefined;
  }
  return reasonOf(item);
}
