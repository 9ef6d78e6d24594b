import { exponentialBackoff } from '@status-ts/mvds';

/**
 * MVDS resending within a second or two (every 0.4 s, backing off to 1.6 s, never giving up), so a fault
 * test waits for a retry in seconds rather than the production backoff's minutes.
 */
export const FAST_MVDS = {
  epochMs: 100,
  nextSendEpoch: exponentialBackoff({ baseEpochs: 4, maxEpochs: 16 }),
  maxSends: Number.POSITIVE_INFINITY,
};
