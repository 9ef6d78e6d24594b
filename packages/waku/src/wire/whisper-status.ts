import {
  type RlpItem,
  rlpDecode,
  rlpEncode,
  rlpToBool,
  rlpToBytes,
  rlpToList,
  rlpToUint,
} from '@status-ts/enr';
import { BLOOM_SIZE } from '../constants.js';
import { WakuError, WakuErrorCode } from '../errors.js';
import { WHISPER_VERSION } from './codes.js';
import { assertValidPow, decodePowBits, float64ToBits } from './float-bits.js';
import { decodeRateLimits, encodeRateLimits, type RateLimits } from './rate-limits.js';

/**
 * shh/6 Status: `[6, PoW as float64 bits, bloom(64), lightNode, confirmationsEnabled, rateLimits]`. Only the
 * version is mandatory; each later field implies the earlier ones (SHH-01).
 */
export interface WhisperStatus {
  powRequirement?: number;
  /** 64 bytes, or 0 bytes (full node). */
  bloomFilter?: Uint8Array;
  lightNode?: boolean;
  confirmationsEnabled?: boolean;
  rateLimits?: RateLimits;
}

function badStatus(message: string, cause?: unknown): WakuError {
  return new WakuError(WakuErrorCode.BadStatus, message, { cause }); // an undefined cause is dropped by StatusTsError
}

/** Encodes our shh/6 Status; all fields are sent (status-go sends them all). */
export function encodeWhisperStatus(status: Required<WhisperStatus>): Uint8Array {
  assertValidPow(status.powRequirement);
  return rlpEncode([
    WHISPER_VERSION,
    float64ToBits(status.powRequirement),
    status.bloomFilter,
    status.lightNode,
    status.confirmationsEnabled,
    encodeRateLimits(status.rateLimits),
  ]);
}

function decodeBloom(item: RlpItem): Uint8Array {
  let bloom: Uint8Array;
  try {
    bloom = rlpToBytes(item, undefined, 'bloom filter');
  } catch (cause) {
    throw badStatus('malformed bloom filter', cause);
  }
  if (bloom.length !== BLOOM_SIZE && bloom.length !== 0) {
    throw new WakuError(
      WakuErrorCode.BadBloom,
      `bloom filter of ${bloom.length} bytes (0 or ${BLOOM_SIZE} only)`,
    );
  }
  return bloom;
}

/**
 * Decodes a shh/6 Status. A wrong version, an invalid PoW or a wrong-sized bloom is an error (status-go
 * refuses the peer); malformed later fields are treated as absent, as status-go does.
 */
export function decodeWhisperStatus(payload: Uint8Array): WhisperStatus {
  let items: RlpItem[];
  try {
    items = rlpToList(rlpDecode(payload), 1, 'whisper status');
  } catch (cause) {
    throw badStatus('malformed whisper status', cause);
  }
  let version: number;
  try {
    version = rlpToUint(items[0]!, 6, 'whisper version');
  } catch (cause) {
    throw badStatus('malformed whisper version', cause);
  }
  if (version !== WHISPER_VERSION) {
    throw badStatus(`whisper version mismatch: ${version} != ${WHISPER_VERSION}`, undefined);
  }
  const status: WhisperStatus = {};
  if (items.length > 1) {
    status.powRequirement = decodePowBits(items[1]!);
    if (items.length > 2) status.bloomFilter = decodeBloom(items[2]!);
  }
  // Absent and malformed later fields both read as "not sent": an absent item (undefined) makes `read` throw
  // as well, so no separate length check is needed.
  const optional = <T>(index: number, read: (item: RlpItem) => T): T | null => {
    try {
      return read(items[index] as RlpItem);
    } catch {
      return null;
    }
  };
  const light = optional(3, (i) => rlpToBool(i));
  if (light !== null) status.lightNode = light;
  const confirmations = optional(4, (i) => rlpToBool(i));
  if (confirmations !== null) status.confirmationsEnabled = confirmations;
  const limits = optional(5, (i) => decodeRateLimits(i));
  if (limits !== null) status.rateLimits = limits;
  return status;
}

/** PoW Requirement (shh code 2): the float64 bits as an RLP uint64. */
export function encodeWhisperPow(pow: number): Uint8Array {
  assertValidPow(pow);
  return rlpEncode(float64ToBits(pow));
}

export function decodeWhisperPow(payload: Uint8Array): number {
  let item: RlpItem;
  try {
    item = rlpDecode(payload);
  } catch (cause) {
    throw badStatus('malformed PoW requirement', cause);
  }
  return decodePowBits(item);
}

/** Bloom Filter Exchange (shh code 3): RLP bytes of exactly 64 (status-go refuses other sizes here). */
export function encodeWhisperBloom(bloom: Uint8Array): Uint8Array {
  if (bloom.length !== BLOOM_SIZE)
    throw new WakuError(WakuErrorCode.BadBloom, `bloom filter must be ${BLOOM_SIZE} bytes`);
  return rlpEncode(bloom);
}

export function decodeWhisperBloom(payload: Uint8Array): Uint8Array {
  let bloom: Uint8Array;
  try {
    bloom = rlpToBytes(rlpDecode(payload), undefined, 'bloom filter');
  } catch (cause) {
    throw badStatus('malformed bloom filter exchange', cause);
  }
  if (bloom.length !== BLOOM_SIZE) {
    throw new WakuError(
      WakuErrorCode.BadBloom,
      `bloom filter of ${bloom.length} bytes, expected ${BLOOM_SIZE}`,
    );
  }
  return bloom;
}

/** Rate Limiting (shh code 20): `[ip, peerId, topic]`. */
export function encodeWhisperRateLimits(limits: RateLimits): Uint8Array {
  return rlpEncode(encodeRateLimits(limits));
}

export function decodeWhisperRateLimits(payload: Uint8Array): RateLimits {
  let item: RlpItem;
  try {
    item = rlpDecode(payload);
  } catch (cause) {
    throw badStatus('malformed rate limits', cause);
  }
  return decodeRateLimits(item);
}
