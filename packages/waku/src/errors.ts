import { StatusTsError } from '@status-ts/core';

/** Stable codes for everything the waku package rejects. */
export const WakuErrorCode = {
  /** An envelope's proof of work is below the requirement (or a seal could not reach its target). */
  LowPow: 'ERR_WAKU_LOW_POW',
  /** An envelope or packet is larger than the configured limit. */
  TooLarge: 'ERR_WAKU_TOO_LARGE',
  /** An envelope's TTL is above the node's `maxTtl`. */
  TtlTooLong: 'ERR_WAKU_TTL_TOO_LONG',
  /** An envelope expired longer ago than the sync allowance tolerates (a time-sync error). */
  Expired: 'ERR_WAKU_EXPIRED',
  /** An envelope was sent further in the future than the sync allowance tolerates (a time-sync error). */
  Future: 'ERR_WAKU_FUTURE',
  /** The envelope's topic is outside the node's bloom filter or topic interest. */
  InterestMismatch: 'ERR_WAKU_INTEREST_MISMATCH',
  /** Malformed envelope RLP (field count, widths, canonical form). */
  BadEnvelope: 'ERR_WAKU_BAD_ENVELOPE',
  /** Malformed packet of a known code (messages list, confirmations, p2p payloads). */
  BadPacket: 'ERR_WAKU_BAD_PACKET',
  /** Malformed or invalid Status / status-update options. */
  BadStatus: 'ERR_WAKU_BAD_STATUS',
  /** The peer did not send its Status in time, or sent something else first. */
  Handshake: 'ERR_WAKU_HANDSHAKE',
  /** Decryption failed: wrong key or tampered data. */
  Decrypt: 'ERR_WAKU_DECRYPT',
  /** A decrypted payload does not parse (flags, size field, signature). */
  BadPayload: 'ERR_WAKU_BAD_PAYLOAD',
  /** A topic is not 4 bytes or not valid hex. */
  BadTopic: 'ERR_WAKU_BAD_TOPIC',
  /** A bloom filter is not 64 bytes. */
  BadBloom: 'ERR_WAKU_BAD_BLOOM',
  /** A key of the wrong kind or size, or both/none of symKey and publicKey given. */
  BadKey: 'ERR_WAKU_BAD_KEY',
  /** Option out of range. */
  InvalidOptions: 'ERR_WAKU_INVALID_OPTIONS',
  /** A topic interest list is longer than the limit. */
  TooManyTopics: 'ERR_WAKU_TOO_MANY_TOPICS',
  /** A peer exceeded our rate limits. */
  RateLimited: 'ERR_WAKU_RATE_LIMITED',
  /** The node is not running. */
  NotRunning: 'ERR_WAKU_NOT_RUNNING',
  /** No connected peer with that id. */
  UnknownPeer: 'ERR_WAKU_UNKNOWN_PEER',
} as const;

export type WakuErrorCode = (typeof WakuErrorCode)[keyof typeof WakuErrorCode];

export class WakuError extends StatusTsError {
  constructor(
    code: WakuErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
    this.name = 'WakuError';
  }
}

export function isWakuError(err: unknown, code?: WakuErrorCode): err is WakuError {
  return err instanceof WakuError && (code === undefined || err.code === code);
}
