import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  MAX_GROUP_ID_LENGTH,
  MAX_PAYLOAD_RECORDS,
  MAX_PAYLOAD_SIZE,
  MESSAGE_ID_LENGTH,
} from './constants.js';
import { MvdsError, MvdsErrorCode } from './errors.js';
import { PayloadSchema } from './generated/sync_pb.js';
import type { MvdsMessage } from './message.js';

/** One MVDS packet for one peer: records of every kind, any list may be empty. */
export interface MvdsPayload {
  readonly acks: readonly Uint8Array[];
  readonly offers: readonly Uint8Array[];
  readonly requests: readonly Uint8Array[];
  readonly messages: readonly MvdsMessage[];
}

/** Limits applied by `decodePayload`; each defaults to the constant of the same name. */
export interface PayloadLimits {
  /** Largest accepted encoding, checked before decoding (default `MAX_PAYLOAD_SIZE`). */
  readonly maxPayloadSize?: number;
  /** Most records in one payload (default `MAX_PAYLOAD_RECORDS`). */
  readonly maxRecords?: number;
  /** Longest message group id (default `MAX_GROUP_ID_LENGTH`). */
  readonly maxGroupIdLength?: number;
}

export const EMPTY_PAYLOAD: MvdsPayload = Object.freeze({ acks: [], offers: [], requests: [], messages: [] });

export function payloadRecordCount(payload: MvdsPayload): number {
  return payload.acks.length + payload.offers.length + payload.requests.length + payload.messages.length;
}

/** Protobuf encoding with the Status field numbers (5001-5004, 6001-6003), fields in number order. */
export function encodePayload(payload: MvdsPayload): Uint8Array {
  return toBinary(
    PayloadSchema,
    create(PayloadSchema, {
      acks: [...payload.acks],
      offers: [...payload.offers],
      requests: [...payload.requests],
      messages: payload.messages.map((m) => ({ groupId: m.groupId, timestamp: m.timestamp, body: m.body })),
    }),
  );
}

function badIds(ids: readonly Uint8Array[], kind: string): void {
  for (const id of ids) {
    if (id.length !== MESSAGE_ID_LENGTH) {
      throw new MvdsError(MvdsErrorCode.BadMessageId, `${kind} id must be ${MESSAGE_ID_LENGTH} bytes`, {
        details: { kind, length: id.length },
      });
    }
  }
}

/**
 * Strict decoder for bytes from the network: size checked first, any protobuf failure becomes
 * ERR_MVDS_BAD_PAYLOAD, ids must be 32 bytes, record count and group id length are limited. Unknown
 * fields are skipped (a newer peer's extra fields must not break us). Returned bytes are copies.
 */
export function decodePayload(bytes: Uint8Array, limits: PayloadLimits = {}): MvdsPayload {
  const maxSize = limits.maxPayloadSize ?? MAX_PAYLOAD_SIZE;
  const maxRecords = limits.maxRecords ?? MAX_PAYLOAD_RECORDS;
  const maxGroupId = limits.maxGroupIdLength ?? MAX_GROUP_ID_LENGTH;
  if (!(bytes instanceof Uint8Array)) throw new MvdsError(MvdsErrorCode.BadPayload, 'payload must be bytes');
  if (bytes.length > maxSize) {
    throw new MvdsError(
      MvdsErrorCode.PayloadTooLarge,
      `payload of ${bytes.length} bytes exceeds ${maxSize}`,
      {
        details: { size: bytes.length, limit: maxSize },
      },
    );
  }
  let decoded: ReturnType<typeof fromBinary<typeof PayloadSchema>>;
  try {
    // Unknown fields are skipped either way; not keeping them saves one object per field of a peer's junk.
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: the kept fields would sit unread in `decoded`
    decoded = fromBinary(PayloadSchema, bytes, { readUnknownFields: false });
  } catch (cause) {
    // protobuf-es throws plain Errors (and RangeError on absurd group nesting): all mean malformed input.
    throw new MvdsError(MvdsErrorCode.BadPayload, 'malformed MVDS payload', { cause });
  }
  const count =
    decoded.acks.length + decoded.offers.length + decoded.requests.length + decoded.messages.length;
  if (count > maxRecords) {
    throw new MvdsError(MvdsErrorCode.TooManyRecords, `payload holds ${count} records, limit ${maxRecords}`, {
      details: { count, limit: maxRecords },
    });
  }
  badIds(decoded.acks, 'ack');
  badIds(decoded.offers, 'offer');
  badIds(decoded.requests, 'request');
  const messages = decoded.messages.map((m): MvdsMessage => {
    if (m.groupId.length > maxGroupId) {
      throw new MvdsError(
        MvdsErrorCode.BadPayload,
        `group id of ${m.groupId.length} bytes exceeds ${maxGroupId}`,
        {
          details: { length: m.groupId.length, limit: maxGroupId },
        },
      );
    }
    return { groupId: m.groupId.slice(), timestamp: m.timestamp, body: m.body.slice() };
  });
  return {
    acks: decoded.acks.map((id) => id.slice()),
    offers: decoded.offers.map((id) => id.slice()),
    requests: decoded.requests.map((id) => id.slice()),
    messages,
  };
}

/**
 * status-go's rule for telling MVDS from a bare application message: the bytes are MVDS when they decode as
 * a `Payload` holding at least one record. Returns the payload, or `undefined` when the bytes are not MVDS
 * (a bare ApplicationMetadataMessage decodes as an empty Payload, its fields being unknown to it).
 */
export function parseMvdsPayload(bytes: Uint8Array, limits: PayloadLimits = {}): MvdsPayload | undefined {
  try {
    const payload = decodePayload(bytes, limits);
    return payloadRecordCount(payload) > 0 ? payload : undefined;
  } catch (err) {
    if (err instanceof MvdsError) return undefined;
    throw err;
  }
}
