/** Everything a mailserver counts: requests by outcome, what it archived and served, and every drop. */
export interface MailServerCounters {
  archived: number;
  duplicates: number;
  archiveErrors: number;
  requests: number;
  served: number;
  envelopesSent: number;
  batchesSent: number;
  bytesSent: number;
  /** Requests answered with an error completion, by code. */
  rejected: Record<string, number>;
  /** Requests dropped without an answer (no request id to answer to), by code. */
  dropped: Record<string, number>;
  sendErrors: number;
  cleaned: number;
  cleanerErrors: number;
}

export function newCounters(): MailServerCounters {
  return {
    archived: 0,
    duplicates: 0,
    archiveErrors: 0,
    requests: 0,
    served: 0,
    envelopesSent: 0,
    batchesSent: 0,
    bytesSent: 0,
    rejected: {},
    dropped: {},
    sendErrors: 0,
    cleaned: 0,
    cleanerErrors: 0,
  };
}
