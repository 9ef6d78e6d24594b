/**
 * Why a load limit refused or cut off a request (counted in {@link MailServerCounters.limited}):
 * - `interval`: sooner than `peerRequestIntervalMs` after the peer's last request;
 * - `peerRequests`, `requests`: `maxPeerRequestsInFlight` / `maxRequestsInFlight` already served;
 * - `peerBacklog`: an earlier send to the peer timed out and still waits (the peer does not read);
 * - `peerBytes`, `bytes`: `maxPeerBytesInFlight` / `maxBytesInFlight` held, at admission or for longer
 *   than `sendTimeoutMs` while serving;
 * - `sendTimeout`: a send to the peer waited longer than `sendTimeoutMs`;
 * - `stopped`: the server stopped while the request waited.
 */
export type MailServerLimitReason =
  | 'interval'
  | 'peerRequests'
  | 'requests'
  | 'peerBacklog'
  | 'peerBytes'
  | 'bytes'
  | 'sendTimeout'
  | 'stopped';

/** Everything a mailserver counts: requests by outcome, what it archived and served, and every drop. */
export interface MailServerCounters {
  archived: number;
  duplicates: number;
  /** Envelopes lost to a store error that is not transient (not retried). */
  archiveErrors: number;
  /** Envelopes whose write failed for a transient reason and went to the retry queue. */
  archiveQueued: number;
  /** Write attempts made from the retry queue. */
  archiveRetries: number;
  /** Envelopes lost because the retry queue was full (or the server stopped with envelopes in it). */
  archiveDropped: number;
  requests: number;
  served: number;
  envelopesSent: number;
  batchesSent: number;
  bytesSent: number;
  /** Requests answered with an error completion, by code. */
  rejected: Record<string, number>;
  /** Requests dropped without an answer (no request id to answer to, or a peer that does not read), by code. */
  dropped: Record<string, number>;
  /** Requests refused or cut off by a load limit, by reason (also counted in `rejected` or `dropped`). */
  limited: Partial<Record<MailServerLimitReason, number>>;
  sendErrors: number;
  cleaned: number;
  cleanerErrors: number;
}

export function newCounters(): MailServerCounters {
  return {
    archived: 0,
    duplicates: 0,
    archiveErrors: 0,
    archiveQueued: 0,
    archiveRetries: 0,
    archiveDropped: 0,
    requests: 0,
    served: 0,
    envelopesSent: 0,
    batchesSent: 0,
    bytesSent: 0,
    rejected: {},
    dropped: {},
    limited: {},
    sendErrors: 0,
    cleaned: 0,
    cleanerErrors: 0,
  };
}
