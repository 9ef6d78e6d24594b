import { WakuError, WakuErrorCode } from '../errors.js';

/**
 * Why an envelope or a packet was not taken in. Every drop is counted under one of these (issue #5: "counters
 * for every drop reason").
 */
export const DROP_REASONS = [
  /** PoW below our requirement (and below the tolerated previous one). */
  'lowPow',
  /** `20 + len(data)` above maxMessageSize. */
  'tooLarge',
  /** Expired within twice the sync allowance: dropped silently (no error reported). */
  'expired',
  /** Expired longer ago: a time-sync error. */
  'tooOld',
  /** Sent further in the future than the sync allowance: a time-sync error. */
  'future',
  /** Topic outside our bloom filter / topic interest. */
  'interestMismatch',
  /** Already in the pool. */
  'duplicate',
  /**
   * The pool is at maxPoolSize envelopes or maxPoolBytes bytes and the envelope is worth no more (by PoW) than
   * the least valuable peer entry (or the pool holds only our own).
   */
  'poolFull',
  /** TTL above maxTtl. */
  'ttlTooLong',
  /** The sending peer holds its pool share (maxPoolSharePerPeer) and the envelope is worth no more than its own. */
  'peerShare',
  /** A pool entry removed before expiry to make room for a more valuable envelope (or our own). */
  'evicted',
  /** A packet of a known code that does not decode (malformed envelope list, confirmation, update). */
  'badPacket',
  /** A packet above maxPacketSize (the peer is disconnected). */
  'oversizePacket',
  /** A packet over our rate limits. */
  'rateLimited',
  /** Envelopes of a Messages packet beyond the envelopes-per-second limits (the packet's first ones are read). */
  'envelopeRateLimited',
  /** A P2P message, request-complete or (shh/6) sync response from a peer we do not trust. */
  'untrustedP2P',
  /** Envelopes of a trusted peer's P2P message the node's p2pGate refused (never delivered nor emitted). */
  'p2pRefused',
  /** Request-complete packets of a trusted peer the node's p2pGate refused (not emitted). */
  'p2pCompleteRefused',
  /** A P2P request nobody listens for (no mailserver registered). */
  'unhandledP2PRequest',
  /** A shh/6 sync request (123) nobody listens for (no mailserver registered). */
  'unhandledSyncRequest',
  /** A packet other than Status before the peer's Status (the peer is disconnected). */
  'beforeStatus',
  /** A second Status packet (ignored). */
  'repeatedStatus',
  /** A code this protocol does not define (ignored). */
  'unknownCode',
  /** A confirmation for a batch we did not send or already saw confirmed. */
  'unknownBatch',
  /** Relay skipped because the peer's PoW requirement is higher than the envelope's PoW. */
  'peerLowPow',
  /** Relay skipped because the envelope is outside the peer's bloom / topic interest. */
  'peerInterestMismatch',
  /** Relay skipped because the envelope expired before its turn. */
  'expiredBeforeRelay',
  /** Relay skipped: the peer's relay queue was full (`maxRelayQueue`), the oldest queued went first. */
  'relayQueueFull',
  /** A filter consumer fell behind and its oldest message was discarded. */
  'filterOverflow',
] as const;

export type DropReason = (typeof DROP_REASONS)[number];

/** The drop reasons an envelope check can give (the ones that become errors for our own posts). */
export type EnvelopeRejection =
  | 'lowPow'
  | 'tooLarge'
  | 'expired'
  | 'tooOld'
  | 'future'
  | 'interestMismatch'
  | 'poolFull'
  | 'ttlTooLong';

const REJECTION_CODES: Record<EnvelopeRejection, WakuErrorCode> = {
  lowPow: WakuErrorCode.LowPow,
  tooLarge: WakuErrorCode.TooLarge,
  poolFull: WakuErrorCode.TooLarge,
  ttlTooLong: WakuErrorCode.TtlTooLong,
  expired: WakuErrorCode.Expired,
  tooOld: WakuErrorCode.Expired,
  future: WakuErrorCode.Future,
  interestMismatch: WakuErrorCode.InterestMismatch,
};

const REJECTION_TEXT: Record<EnvelopeRejection, string> = {
  lowPow: 'envelope PoW is below the requirement',
  tooLarge: 'envelope is larger than maxMessageSize',
  poolFull: 'the envelope pool is full',
  ttlTooLong: 'envelope TTL is above the maximum',
  expired: 'envelope expired',
  tooOld: 'envelope expired long ago (time not synced?)',
  future: 'envelope sent in the future (time not synced?)',
  interestMismatch: 'envelope topic is outside the bloom filter / topic interest',
};

/** The typed error for an envelope rejection (what `postEnvelope` throws). */
export function rejectionError(reason: EnvelopeRejection, details: Record<string, unknown> = {}): WakuError {
  return new WakuError(REJECTION_CODES[reason], REJECTION_TEXT[reason], { details: { reason, ...details } });
}

/** Peer-level outcomes. */
export const PEER_EVENTS = [
  'connected',
  'disconnected',
  /** Status not received within statusTimeoutMs. */
  'handshakeTimeout',
  /** Status did not decode or had invalid values. */
  'badStatus',
  /** Both sides are light nodes and the restriction is on. */
  'lightRefused',
  /** Too many rate-limited packets within the tolerance window. */
  'rateLimitDisconnect',
  /** Sent a packet above maxPacketSize. */
  'oversizeDisconnect',
] as const;

export type PeerEvent = (typeof PEER_EVENTS)[number];

export interface WakuCountersSnapshot {
  packetsReceived: number;
  packetsSent: number;
  bytesReceived: number;
  bytesSent: number;
  /** Envelopes taken out of Messages packets (before validation). */
  envelopesReceived: number;
  /** New envelopes admitted to the pool from peers. */
  envelopesAccepted: number;
  /** Our own envelopes admitted to the pool. */
  envelopesPosted: number;
  /** Envelopes written to peers in Messages packets. */
  envelopesRelayed: number;
  /** Envelopes removed from the pool at expiry. */
  envelopesExpired: number;
  p2pEnvelopesReceived: number;
  p2pEnvelopesSent: number;
  /** shh/6 mailserver sync packets received (123, 124; counted before validation) and envelopes in responses. */
  syncRequestsReceived: number;
  syncResponsesReceived: number;
  syncEnvelopesReceived: number;
  /** Messages handed to filters. */
  messagesDelivered: number;
  /** Decryption attempts by filters that failed (envelopes meant for someone else). */
  decryptFailures: number;
  dropped: Record<DropReason, number>;
  peers: Record<PeerEvent, number>;
}

/** Mutable counters of one node; `snapshot()` gives a copy. */
export class WakuCounters {
  packetsReceived = 0;
  packetsSent = 0;
  bytesReceived = 0;
  bytesSent = 0;
  envelopesReceived = 0;
  envelopesAccepted = 0;
  envelopesPosted = 0;
  envelopesRelayed = 0;
  envelopesExpired = 0;
  p2pEnvelopesReceived = 0;
  p2pEnvelopesSent = 0;
  syncRequestsReceived = 0;
  syncResponsesReceived = 0;
  syncEnvelopesReceived = 0;
  messagesDelivered = 0;
  decryptFailures = 0;
  readonly dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
  readonly peers = Object.fromEntries(PEER_EVENTS.map((r) => [r, 0])) as Record<PeerEvent, number>;

  drop(reason: DropReason, count = 1): void {
    this.dropped[reason] += count;
  }

  peer(event: PeerEvent): void {
    this.peers[event]++;
  }

  snapshot(): WakuCountersSnapshot {
    return {
      packetsReceived: this.packetsReceived,
      packetsSent: this.packetsSent,
      bytesReceived: this.bytesReceived,
      bytesSent: this.bytesSent,
      envelopesReceived: this.envelopesReceived,
      envelopesAccepted: this.envelopesAccepted,
      envelopesPosted: this.envelopesPosted,
      envelopesRelayed: this.envelopesRelayed,
      envelopesExpired: this.envelopesExpired,
      p2pEnvelopesReceived: this.p2pEnvelopesReceived,
      p2pEnvelopesSent: this.p2pEnvelopesSent,
      syncRequestsReceived: this.syncRequestsReceived,
      syncResponsesReceived: this.syncResponsesReceived,
      syncEnvelopesReceived: this.syncEnvelopesReceived,
      messagesDelivered: this.messagesDelivered,
      decryptFailures: this.decryptFailures,
      dropped: { ...this.dropped },
      peers: { ...this.peers },
    };
  }
}
