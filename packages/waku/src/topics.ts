import { bytesToHex, hexToBytes, utf8ToBytes } from '@status-ts/core';
import { keccak256, symmetricKeyFromPassword } from '@status-ts/crypto';
import { TOPIC_LENGTH } from './constants.js';
import { WakuError, WakuErrorCode } from './errors.js';

/** A 4-byte Waku topic. */
export type Topic = Uint8Array;

/** Throws ERR_WAKU_BAD_TOPIC unless `topic` is a 4-byte Uint8Array. */
export function assertTopic(topic: unknown, what = 'topic'): asserts topic is Topic {
  if (!(topic instanceof Uint8Array) || topic.length !== TOPIC_LENGTH) {
    throw new WakuError(WakuErrorCode.BadTopic, `${what} must be ${TOPIC_LENGTH} bytes`, {
      details: { length: (topic as Uint8Array | undefined)?.length },
    });
  }
}

/**
 * Status topic of a name (public chat, contact code, partitioned topic): the first 4 bytes of
 * Keccak-256 of its UTF-8 bytes (status-go `protocol/transport` ToTopic, CLI-08).
 */
export function topicFromName(name: string): Topic {
  return keccak256(utf8ToBytes(name)).slice(0, TOPIC_LENGTH);
}

/** go-ethereum `BytesToTopic`: the first 4 bytes, zero-padded on the right when shorter. */
export function bytesToTopic(bytes: Uint8Array): Topic {
  const topic = new Uint8Array(TOPIC_LENGTH);
  topic.set(bytes.subarray(0, TOPIC_LENGTH));
  return topic;
}

/** `0x` + 8 lowercase hex digits, as status-go prints topics. */
export function topicToString(topic: Topic): string {
  assertTopic(topic);
  return `0x${bytesToHex(topic)}`;
}

/** Parses `0x`-prefixed or bare 8-digit hex; ERR_WAKU_BAD_TOPIC otherwise. */
export function topicFromHex(hex: string): Topic {
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(hex);
  } catch (cause) {
    throw new WakuError(WakuErrorCode.BadTopic, `invalid topic hex ${JSON.stringify(hex)}`, { cause });
  }
  assertTopic(bytes);
  return bytes;
}

/** The symmetric key of a public chat: PBKDF2-SHA256(name, empty salt, 65356 iterations) (CLI-08). */
export function publicChatKey(name: string): Uint8Array {
  return symmetricKeyFromPassword(name);
}

/** Topic and key of a public chat in one call. */
export function publicChat(name: string): { topic: Topic; symKey: Uint8Array } {
  return { topic: topicFromName(name), symKey: publicChatKey(name) };
}
