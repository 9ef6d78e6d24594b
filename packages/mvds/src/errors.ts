import { StatusTsError } from '@status-ts/core';

/** Stable codes for everything the MVDS package rejects. */
export const MvdsErrorCode = {
  /** The bytes are not a well-formed MVDS `Payload` (protobuf error, bad group id). */
  BadPayload: 'ERR_MVDS_BAD_PAYLOAD',
  /** A payload is larger than the configured maximum (checked before decoding). */
  PayloadTooLarge: 'ERR_MVDS_PAYLOAD_TOO_LARGE',
  /** A payload holds more acks, offers, requests and messages than the configured maximum. */
  TooManyRecords: 'ERR_MVDS_TOO_MANY_RECORDS',
  /** An id in acks, offers or requests is not 32 bytes. */
  BadMessageId: 'ERR_MVDS_BAD_MESSAGE_ID',
  /** A message body cannot fit in one payload of the outgoing size limit. */
  MessageTooLarge: 'ERR_MVDS_MESSAGE_TOO_LARGE',
  /** `send` to a group with no peers. */
  UnknownGroup: 'ERR_MVDS_UNKNOWN_GROUP',
  /** A caller passed a value outside its allowed range (peer id, group id, option). */
  InvalidArgument: 'ERR_MVDS_INVALID_ARGUMENT',
  /** The node was stopped while an operation waited for it. */
  Stopped: 'ERR_MVDS_STOPPED',
} as const;

export type MvdsErrorCode = (typeof MvdsErrorCode)[keyof typeof MvdsErrorCode];

export class MvdsError extends StatusTsError {
  constructor(
    code: MvdsErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'MvdsError';
  }
}
