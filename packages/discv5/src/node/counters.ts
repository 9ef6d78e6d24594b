/** What a node has done and dropped; a snapshot is `node.counters`. */
export interface Discv5Counters {
  packetsIn: number;
  bytesIn: number;
  packetsOut: number;
  bytesOut: number;
  /** Packets dropped for any reason (sum of `dropped`). */
  packetsDropped: number;
  /** Dropped packets by reason: an ERR_DISCV5_* (or other StatusTsError) code, or a short name. */
  dropped: Record<string, number>;
  whoareyouSent: number;
  whoareyouResent: number;
  whoareyouReceived: number;
  handshakesInitiated: number;
  handshakesAccepted: number;
  handshakesFailed: number;
  sessionsEvicted: number;
  challengesEvicted: number;
  requestsSent: number;
  requestsReceived: number;
  responsesReceived: number;
  requestRetries: number;
  requestTimeouts: number;
  /** Records in NODES answers that were dropped (sum of `recordsRejectedBy`). */
  recordsRejected: number;
  /**
   * Dropped NODES records by reason: `bad-record` (does not decode or verify), `wrong-distance` (not at a
   * distance the FINDNODE asked for), `no-endpoint` (no ip/udp), `relay-not-allowed` (an address the responder
   * may not tell us about, e.g. loopback from a public node).
   */
  recordsRejectedBy: Record<string, number>;
  lookups: number;
}

export function emptyCounters(): Discv5Counters {
  return {
    packetsIn: 0,
    bytesIn: 0,
    packetsOut: 0,
    bytesOut: 0,
    packetsDropped: 0,
    dropped: {},
    whoareyouSent: 0,
    whoareyouResent: 0,
    whoareyouReceived: 0,
    handshakesInitiated: 0,
    handshakesAccepted: 0,
    handshakesFailed: 0,
    sessionsEvicted: 0,
    challengesEvicted: 0,
    requestsSent: 0,
    requestsReceived: 0,
    responsesReceived: 0,
    requestRetries: 0,
    requestTimeouts: 0,
    recordsRejected: 0,
    recordsRejectedBy: {},
    lookups: 0,
  };
}
