import { type RlpItem, rlpToBigInt, rlpToList } from '@status-ts/enr';
import { WakuError, WakuErrorCode } from '../errors.js';

/** Rate limits as exchanged on the wire: per second, 0 = unlimited (status-go common.RateLimits). */
export interface RateLimits {
  ip: number;
  peerId: number;
  topic: number;
}

export const NO_RATE_LIMITS: Readonly<RateLimits> = Object.freeze({ ip: 0, peerId: 0, topic: 0 });

export function encodeRateLimits(limits: RateLimits): [number, number, number] {
  return [limits.ip, limits.peerId, limits.topic];
}

/** `[ip, peerId, topic]` uint64s; values above 2^53 saturate (they mean "unlimited" in practice). */
export function decodeRateLimits(item: RlpItem, what = 'rate limits'): RateLimits {
  try {
    const list = rlpToList(item, 3, what);
    if (list.length !== 3) throw new WakuError(WakuErrorCode.BadStatus, `${what} must have 3 entries`);
    const [ip, peerId, topic] = list.map((v) => {
      const n = rlpToBigInt(v, 8, what);
      return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
    }) as [number, number, number];
    return { ip, peerId, topic };
  } catch (cause) {
    if (cause instanceof WakuError) throw cause;
    throw new WakuError(WakuErrorCode.BadStatus, `malformed ${what}`, { cause });
  }
}
