/** waku/1 message codes (status-go `waku/v1/const.go`, WAKU-01; 22 and 125 as the checklist settles). */
export const WakuCode = {
  Status: 0,
  Messages: 1,
  /** Deprecated, still sent by status-go after Message Response. */
  BatchAcknowledged: 11,
  MessageResponse: 12,
  StatusUpdate: 22,
  P2PRequestComplete: 125,
  P2PRequest: 126,
  P2PMessage: 127,
} as const;

/** shh/6 message codes (status-go `whisper/const.go`, SHH-01). */
export const WhisperCode = {
  Status: 0,
  Messages: 1,
  PowRequirement: 2,
  BloomFilterExchange: 3,
  BatchAcknowledged: 11,
  MessageResponse: 12,
  RateLimiting: 20,
  P2PSyncRequest: 123,
  P2PSyncResponse: 124,
  P2PRequestComplete: 125,
  P2PRequest: 126,
  P2PMessage: 127,
} as const;

/** Both subprotocols reserve 128 message ids. */
export const NUMBER_OF_CODES = 128;
export const WAKU_PROTOCOL = { name: 'waku', version: 1, length: NUMBER_OF_CODES } as const;
export const WHISPER_PROTOCOL = { name: 'shh', version: 6, length: NUMBER_OF_CODES } as const;
export const WHISPER_VERSION = 6;

export type WireProtocolName = 'waku' | 'shh';
