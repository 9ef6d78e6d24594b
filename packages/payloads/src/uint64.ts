import { PayloadError, PayloadErrorCode } from './errors.js';

/**
 * uint64 fields (clocks, timestamps, versions) are JavaScript numbers in the typed API: every value
 * Status writes is a count of milliseconds or smaller, far below 2^53. A larger value cannot be a valid
 * clock (it would be thousands of centuries ahead of any envelope), so decoders reject it with
 * ERR_PAYLOAD_INVALID_FIELD instead of rounding it silently.
 */
export function uint64ToNumber(value: bigint, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new PayloadError(PayloadErrorCode.InvalidField, `${field} ${value} is above 2^53 - 1`, {
      details: { field, value: value.toString() },
    });
  }
  return Number(value);
}

/** A non-negative safe integer as a uint64 field value; ERR_PAYLOAD_INVALID_ARGUMENT otherwise. */
export function numberToUint64(value: number, field: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new PayloadError(PayloadErrorCode.InvalidArgument, `${field} must be a non-negative safe integer`, {
      details: { field, value },
    });
  }
  return BigInt(value);
}
