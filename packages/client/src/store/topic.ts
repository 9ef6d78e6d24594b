import { bytesToHex, hexToBytes } from '@status-ts/core';

/** Length of a Waku topic. */
export const TOPIC_BYTES = 4;

/** The key a topic is stored under: 8 lowercase hex digits, no prefix (readable in the database). */
export function topicKey(topic: Uint8Array): string {
  return bytesToHex(topic);
}

/** The topic a stored key names. */
export function topicFromKey(key: string): Uint8Array {
  return hexToBytes(key);
}
