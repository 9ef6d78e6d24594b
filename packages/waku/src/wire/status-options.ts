import {
  type RlpInput,
  type RlpItem,
  rlpDecode,
  rlpEncode,
  rlpToBigInt,
  rlpToBool,
  rlpToBytes,
  rlpToList,
} from '@status-ts/enr';
import { BLOOM_SIZE, MAX_TOPIC_INTEREST, TOPIC_LENGTH } from '../constants.js';
import { WakuError, WakuErrorCode } from '../errors.js';
import { assertValidPow, decodePowBits, float64ToBits } from './float-bits.js';
import { decodeRateLimits, encodeRateLimits, type RateLimits } from './rate-limits.js';

/** Keys of the waku/1 status options (status-go `waku/v1/status_options.go`, WAKU-02). */
export const StatusOptionKey = {
  PowRequirement: 0,
  BloomFilter: 1,
  LightNode: 2,
  ConfirmationsEnabled: 3,
  PacketRateLimits: 4,
  TopicInterest: 5,
  BytesRateLimits: 6,
} as const;

/** The options of a waku/1 Status (code 0) or Status Update (code 22); absent means "not sent". */
export interface StatusOptions {
  powRequirement?: number;
  /** 64 bytes, or 0 bytes (status-go reads that as a full node). */
  bloomFilter?: Uint8Array;
  lightNode?: boolean;
  confirmationsEnabled?: boolean;
  packetRateLimits?: RateLimits;
  topicInterest?: Uint8Array[];
  bytesRateLimits?: RateLimits;
}

export interface StatusOptionsLimits {
  /** Longest topic-interest list accepted (default 10000). */
  maxTopicInterest?: number;
}

function badStatus(message: string, cause?: unknown): WakuError {
  return new WakuError(WakuErrorCode.BadStatus, message, { cause }); // an undefined cause is dropped by StatusTsError
}

/** Encodes the present options as `[[key, value], ...]` in key order, as status-go emits them. */
export function encodeStatusOptions(options: StatusOptions): Uint8Array {
  const entries: RlpInput[] = [];
  if (options.powRequirement !== undefined) {
    assertValidPow(options.powRequirement);
    entries.push([StatusOptionKey.PowRequirement, float64ToBits(options.powRequirement)]);
  }
  if (options.bloomFilter !== undefined) {
    if (options.bloomFilter.length !== BLOOM_SIZE && options.bloomFilter.length !== 0) {
      throw new WakuError(WakuErrorCode.BadBloom, `bloom filter must be ${BLOOM_SIZE} bytes`);
    }
    entries.push([StatusOptionKey.BloomFilter, options.bloomFilter]);
  }
  if (options.lightNode !== undefined) entries.push([StatusOptionKey.LightNode, options.lightNode]);
  if (options.confirmationsEnabled !== undefined) {
    entries.push([StatusOptionKey.ConfirmationsEnabled, options.confirmationsEnabled]);
  }
  if (options.packetRateLimits !== undefined) {
    entries.push([StatusOptionKey.PacketRateLimits, encodeRateLimits(options.packetRateLimits)]);
  }
  if (options.topicInterest !== undefined) {
    for (const t of options.topicInterest) {
      if (t.length !== TOPIC_LENGTH)
        throw new WakuError(WakuErrorCode.BadTopic, 'topic interest entries are 4 bytes');
    }
    entries.push([StatusOptionKey.TopicInterest, options.topicInterest]);
  }
  if (options.bytesRateLimits !== undefined) {
    entries.push([StatusOptionKey.BytesRateLimits, encodeRateLimits(options.bytesRateLimits)]);
  }
  return rlpEncode(entries);
}

function decodeTopicInterest(item: RlpItem, max: number): Uint8Array[] {
  const list = rlpToList(item, 0, 'topic interest');
  if (list.length > max) {
    throw new WakuError(
      WakuErrorCode.TooManyTopics,
      `topic interest of ${list.length} topics exceeds ${max}`,
      {
        details: { count: list.length, max },
      },
    );
  }
  return list.map((t) => rlpToBytes(t, TOPIC_LENGTH, 'topic interest entry'));
}

function decodeOption(
  options: StatusOptions,
  key: number,
  value: RlpItem,
  limits: StatusOptionsLimits,
): void {
  switch (key) {
    case StatusOptionKey.PowRequirement:
      options.powRequirement = decodePowBits(value);
      return;
    case StatusOptionKey.BloomFilter: {
      const bloom = rlpToBytes(value, undefined, 'bloom filter');
      if (bloom.length !== BLOOM_SIZE && bloom.length !== 0) {
        throw new WakuError(
          WakuErrorCode.BadBloom,
          `bloom filter of ${bloom.length} bytes (0 or ${BLOOM_SIZE} only)`,
        );
      }
      options.bloomFilter = bloom;
      return;
    }
    case StatusOptionKey.LightNode:
      options.lightNode = rlpToBool(value, 'light node flag');
      return;
    case StatusOptionKey.ConfirmationsEnabled:
      options.confirmationsEnabled = rlpToBool(value, 'confirmations flag');
      return;
    case StatusOptionKey.PacketRateLimits:
      options.packetRateLimits = decodeRateLimits(value, 'packet rate limits');
      return;
    case StatusOptionKey.TopicInterest:
      options.topicInterest = decodeTopicInterest(value, limits.maxTopicInterest ?? MAX_TOPIC_INTEREST);
      return;
    case StatusOptionKey.BytesRateLimits:
      options.bytesRateLimits = decodeRateLimits(value, 'bytes rate limits');
      return;
  }
}

/**
 * Decodes waku/1 status options: `[[key, value], ...]` in any order; unknown keys are skipped (forward
 * compatibility), a repeated key keeps the last value. Validates every known value (PoW finite and >= 0,
 * bloom 0 or 64 bytes, topic interest within the limit). Throws ERR_WAKU_BAD_STATUS (ERR_WAKU_BAD_BLOOM,
 * ERR_WAKU_TOO_MANY_TOPICS for those two).
 */
export function decodeStatusOptions(payload: Uint8Array, limits: StatusOptionsLimits = {}): StatusOptions {
  try {
    const entries = rlpToList(rlpDecode(payload), 0, 'status options');
    const options: StatusOptions = {};
    for (const entry of entries) {
      const pair = rlpToList(entry, 1, 'status option');
      const keyBig = rlpToBigInt(pair[0]!, 8, 'status option key');
      if (keyBig > 6n) continue; // a newer option: ignored
      if (pair.length !== 2) throw badStatus(`status option ${keyBig} must be a [key, value] pair`);
      decodeOption(options, Number(keyBig), pair[1]!, limits);
    }
    return options;
  } catch (err) {
    if (err instanceof WakuError) throw err;
    throw badStatus('malformed status options', err);
  }
}
