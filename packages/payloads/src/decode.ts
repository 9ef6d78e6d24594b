import { type DescMessage, fromBinary, type MessageShape } from '@bufbuild/protobuf';
import { reflect } from '@bufbuild/protobuf/reflect';
import { PayloadError, PayloadErrorCode } from './errors.js';
import { applyStringFixes, checkStrictWire } from './strict-wire.js';

/**
 * Decodes `bytes` as `schema` or throws ERR_PAYLOAD_TOO_LARGE / ERR_PAYLOAD_MALFORMED. Unknown fields are
 * skipped (proto3: a newer sender's additions are ignored); unknown enum values are kept as numbers.
 * Strings must be UTF-8 and known fields must have their wire type, as status-go's Go protobuf requires,
 * so we never accept a message the reference client drops; a leading U+FEFF stays in its string, as in Go
 * (`checkStrictWire`).
 */
export function decodeProto<Desc extends DescMessage>(
  schema: Desc,
  bytes: Uint8Array,
  maxBytes: number,
): MessageShape<Desc> {
  if (bytes.length > maxBytes) {
    throw new PayloadError(
      PayloadErrorCode.TooLarge,
      `${schema.name} of ${bytes.length} bytes exceeds the limit of ${maxBytes}`,
      { details: { size: bytes.length, limit: maxBytes } },
    );
  }
  try {
    const fixes = checkStrictWire(schema, bytes);
    const message = fromBinary(schema, bytes, { readUnknownFields: false });
    if (fixes.length > 0) applyStringFixes(reflect(schema, message), fixes);
    return message;
  } catch (cause) {
    // protobuf-es and the strict walk throw plain Errors (RangeError on truncation): all mean malformed.
    throw new PayloadError(PayloadErrorCode.Malformed, `malformed ${schema.name}`, { cause });
  }
}
