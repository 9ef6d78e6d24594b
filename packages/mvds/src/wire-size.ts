import type { MvdsMessage } from './message.js';

// Exact protobuf sizes of Payload and Message fields, so payloads can be split without encoding twice.
// Every field number (5001-5004, 6001-6003) shifted left by 3 needs a 3-byte varint tag.
const TAG_SIZE = 3;

export function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** Size of an int64 varint: negative numbers always take 10 bytes. */
function int64Size(value: bigint): number {
  // Stryker disable next-line EqualityOperator: messageSize never calls this for 0n (proto3 leaves it out)
  if (value < 0n) return 10;
  let size = 1;
  while (value >= 0x80n) {
    value >>= 7n;
    size++;
  }
  return size;
}

function bytesFieldSize(length: number): number {
  return TAG_SIZE + varintSize(length) + length;
}

/** Encoded size of a `Message` (without its enclosing tag); proto3 leaves empty and zero fields out. */
export function messageSize(message: MvdsMessage): number {
  let size = 0;
  if (message.groupId.length > 0) size += bytesFieldSize(message.groupId.length);
  if (message.timestamp !== 0n) size += TAG_SIZE + int64Size(message.timestamp);
  if (message.body.length > 0) size += bytesFieldSize(message.body.length);
  return size;
}

/** Bytes one id adds to a payload's acks, offers or requests. */
export function idRecordSize(id: Uint8Array): number {
  return bytesFieldSize(id.length);
}

/** Bytes one message adds to a payload's messages. */
export function messageRecordSize(message: MvdsMessage): number {
  return bytesFieldSize(messageSize(message));
}
