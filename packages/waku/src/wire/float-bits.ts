import type { RlpItem } from '@status-ts/enr';
import { rlpToBigInt } from '@status-ts/enr';
import { WakuError, WakuErrorCode } from '../errors.js';

const scratch = new DataView(new ArrayBuffer(8));

/** IEEE-754 bits of a float64 as an unsigned 64-bit integer (Go `math.Float64bits`). */
export function float64ToBits(value: number): bigint {
  scratch.setFloat64(0, value);
  return scratch.getBigUint64(0);
}

export function bitsToFloat64(bits: bigint): number {
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
}

/** Throws ERR_WAKU_BAD_STATUS unless `pow` is a finite number >= 0 (NaN, infinities and negatives are invalid). */
export function assertValidPow(pow: number, what = 'PoW requirement'): void {
  if (!Number.isFinite(pow) || pow < 0) {
    throw new WakuError(WakuErrorCode.BadStatus, `${what} must be a finite number >= 0, got ${pow}`);
  }
}

/** Reads a PoW requirement sent as float64 bits in an RLP uint64 (WAKU-02, SHH-01). */
export function decodePowBits(item: RlpItem, what = 'PoW requirement'): number {
  let pow: number;
  try {
    pow = bitsToFloat64(rlpToBigInt(item, 8, what));
  } catch (cause) {
    throw new WakuError(WakuErrorCode.BadStatus, `malformed ${what}`, { cause });
  }
  assertValidPow(pow, what);
  return pow;
}
