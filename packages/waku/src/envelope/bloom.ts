import { BLOOM_SIZE, TOPIC_LENGTH } from '../constants.js';
import { WakuError, WakuErrorCode } from '../errors.js';
import type { Topic } from '../topics.js';

/** A 64-byte (512-bit) topic bloom filter. */
export type Bloom = Uint8Array;

/** The bloom a full node advertises: every bit set. */
export function fullBloom(): Bloom {
  return new Uint8Array(BLOOM_SIZE).fill(0xff);
}

/** The bloom that matches nothing. */
export function emptyBloom(): Bloom {
  return new Uint8Array(BLOOM_SIZE);
}

/**
 * Bloom of one topic exactly as go-ethereum and status-go compute it (WAKU-08): three indices, index j is
 * `topic[j]` plus 256 when bit j of `topic[3]` is set; bit n is `1 << (n % 8)` in byte `n / 8`. The byte is
 * *assigned*, not OR-ed, so two indices in one byte keep only the later one: peers match what status-go
 * advertises only with this rule.
 */
export function topicToBloom(topic: Topic): Bloom {
  if (topic.length !== TOPIC_LENGTH) {
    throw new WakuError(WakuErrorCode.BadTopic, `topic must be ${TOPIC_LENGTH} bytes, got ${topic.length}`);
  }
  const bloom = new Uint8Array(BLOOM_SIZE);
  for (let j = 0; j < 3; j++) {
    const index = topic[j]! + ((topic[3]! & (1 << j)) !== 0 ? 256 : 0);
    bloom[index >> 3] = 1 << (index & 7);
  }
  return bloom;
}

/** OR of the topic blooms (status-go TopicsToBloom): what a node interested in `topics` advertises. */
export function bloomOfTopics(topics: Iterable<Topic>): Bloom {
  const bloom = new Uint8Array(BLOOM_SIZE);
  for (const topic of topics) {
    const one = topicToBloom(topic);
    for (const [i, b] of one.entries()) bloom[i]! |= b;
  }
  return bloom;
}

/** True when every bit of `sample` is set in `filter` (status-go BloomFilterMatch). */
export function bloomMatches(filter: Bloom, sample: Bloom): boolean {
  for (let i = 0; i < BLOOM_SIZE; i++) {
    const f = filter[i]!;
    if ((f | sample[i]!) !== f) return false;
  }
  return true;
}

/**
 * status-go `IsFullNode`: all ones, and also a zero-length bloom (its loop finds no byte to reject, WAKU-06).
 */
export function isFullBloom(bloom: Bloom): boolean {
  for (let i = 0; i < bloom.length; i++) if (bloom[i] !== 0xff) return false;
  return true;
}

/** Throws ERR_WAKU_BAD_BLOOM unless `bloom` is 64 bytes. */
export function assertBloom(bloom: Uint8Array): void {
  if (!(bloom instanceof Uint8Array) || bloom.length !== BLOOM_SIZE) {
    throw new WakuError(WakuErrorCode.BadBloom, `bloom filter must be ${BLOOM_SIZE} bytes`, {
      details: { length: bloom?.length },
    });
  }
}
