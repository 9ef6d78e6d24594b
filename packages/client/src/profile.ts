import { LARGE_PAYLOAD_THRESHOLD, STATUS_POW_TARGET, STATUS_POW_TARGET_LARGE } from '@status-ts/waku';

/**
 * The Status profile of Waku, as status-go's messenger sends (the raw `waku` package keeps its own,
 * more general defaults): envelopes live 15 s, PoW targets 0.002, or 0.000002 for payloads of 50,000
 * bytes and more, and the PoW search may take up to 5 s.
 */
export const STATUS_PROFILE = {
  ttl: 15,
  powTarget: STATUS_POW_TARGET,
  powTargetLarge: STATUS_POW_TARGET_LARGE,
  largePayloadThreshold: LARGE_PAYLOAD_THRESHOLD,
  powTimeMs: 5_000,
} as const;
