import { type DescMessage, type MessageShape, toBinary } from '@bufbuild/protobuf';
import { validateClock } from '../clock.js';
import { decodeProto } from '../decode.js';
import { PayloadError, PayloadErrorCode } from '../errors.js';
import { MAX_APPLICATION_PAYLOAD_BYTES } from '../limits.js';

// Shared plumbing of the message codecs in this folder. Error policy, the same for every family:
// - ERR_PAYLOAD_INVALID_ARGUMENT: a value that cannot be put on the wire at all (a clock that is not a
//   non-negative safe integer, an enum name the proto does not have, a string that is not well-formed
//   Unicode and so has no UTF-8 form);
// - ERR_PAYLOAD_INVALID_FIELD: a value the wire can carry but status-go's receive-side checks refuse.
//   Encoders run the same checks as the validators (all but the clock-drift rule, which needs the
//   envelope time), so what we build, status-go accepts, and the error is the one its receiver would see;
// - ERR_PAYLOAD_TOO_LARGE: a list longer than its limit, or bytes longer than the payload limit.

/** Options of every `decodeX` in this folder. */
export interface MessageDecodeOptions {
  /** Largest input accepted, checked before parsing (default MAX_APPLICATION_PAYLOAD_BYTES). */
  readonly maxBytes?: number;
}

/** Parses `bytes` as `schema` under the size limit of `options` (typed errors from decodeProto). */
export function decodeMessage<Desc extends DescMessage>(
  schema: Desc,
  bytes: Uint8Array,
  options: MessageDecodeOptions | undefined,
): MessageShape<Desc> {
  const maxBytes = options?.maxBytes ?? MAX_APPLICATION_PAYLOAD_BYTES;
  // A NaN or negative limit would compare false with every length and so disable the check.
  if (!Number.isInteger(maxBytes) || maxBytes < 0) {
    throw new PayloadError(PayloadErrorCode.InvalidArgument, 'maxBytes must be a non-negative integer', {
      details: { maxBytes },
    });
  }
  return decodeProto(schema, bytes, maxBytes);
}

/** Serializes `message`; ERR_PAYLOAD_TOO_LARGE when it would not fit an application payload. */
export function encodeMessage<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
): Uint8Array {
  const bytes = toBinary(schema, message);
  if (bytes.length > MAX_APPLICATION_PAYLOAD_BYTES) {
    throw new PayloadError(
      PayloadErrorCode.TooLarge,
      `${schema.name} of ${bytes.length} bytes exceeds the limit of ${MAX_APPLICATION_PAYLOAD_BYTES}`,
      { details: { size: bytes.length, limit: MAX_APPLICATION_PAYLOAD_BYTES } },
    );
  }
  return bytes;
}

/** ERR_PAYLOAD_TOO_LARGE when `list` has more than `limit` entries. */
export function checkListLength(list: readonly unknown[], limit: number, field: string): void {
  if (list.length > limit) {
    throw new PayloadError(
      PayloadErrorCode.TooLarge,
      `${field} has ${list.length} entries, more than the limit of ${limit}`,
      { details: { field, count: list.length, limit } },
    );
  }
}

/** An ERR_PAYLOAD_INVALID_FIELD error for `field`. */
export function invalidField(
  field: string,
  message: string,
  details: Record<string, unknown> = {},
): PayloadError {
  return new PayloadError(PayloadErrorCode.InvalidField, message, { details: { field, ...details } });
}

/** status-go's `len(x) == 0` check: the string or bytes must not be empty. */
export function requireNonEmpty(value: string | Uint8Array, field: string): void {
  if (value.length === 0) throw invalidField(field, `${field} can't be empty`);
}

/**
 * The zero rule of validateClock alone, for encoders: with the envelope time equal to the clock the
 * drift rule cannot fire, so this reuses the one definition of "a clock status-go refuses".
 */
export function requireClock(clock: number, field = 'clock'): void {
  validateClock(clock, clock, field);
}
