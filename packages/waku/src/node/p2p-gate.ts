import type { Envelope } from '../envelope/envelope.js';
import { WakuError, WakuErrorCode } from '../errors.js';
import { WakuCode, WhisperCode, type WireProtocolName } from '../wire/codes.js';
import type { P2PRequestComplete } from '../wire/p2p.js';
import type { WakuPeer } from './peer-session.js';

/**
 * Decides which P2P packets of a trusted peer (a mailserver) the node hands on. Trust says who may send
 * history, not how much: the mail client knows what it asked for and installs a gate so that what it refuses
 * never reaches the filters. Called after decoding, before any filter and before the `p2p:envelopes` /
 * `p2p:requestComplete` events, for trusted peers only (untrusted P2P is dropped before).
 */
export interface P2PGate {
  /**
   * The envelopes of a P2P message packet that may be delivered (a subset of `envelopes`); the rest are
   * dropped, counted as `p2pRefused`. `packetBytes` is the packet's payload size.
   */
  envelopes(peer: WakuPeer, envelopes: readonly Envelope[], packetBytes: number): readonly Envelope[];
  /** Whether a request-complete packet may be emitted; a refused one is counted as `p2pCompleteRefused`. */
  complete(peer: WakuPeer, complete: P2PRequestComplete, packetBytes: number): boolean;
}

/** Throws ERR_WAKU_INVALID_OPTIONS unless `gate` is undefined or has both methods. */
export function assertP2PGate(gate: unknown, name = 'p2pGate'): asserts gate is P2PGate | undefined {
  if (gate === undefined) return;
  const g = gate as Partial<P2PGate> | null;
  if (
    typeof g !== 'object' ||
    g === null ||
    typeof g.envelopes !== 'function' ||
    typeof g.complete !== 'function'
  ) {
    throw new WakuError(
      WakuErrorCode.InvalidOptions,
      `${name} must be an object with envelopes() and complete() methods`,
    );
  }
}

/**
 * History a trusted peer sends us, answering our own requests: P2P messages, request-complete and (shh/6)
 * sync responses. These skip the incoming rate limits for trusted peers (a history page is one large
 * packet after another, and the mail client bounds it); everything else a trusted peer sends is limited.
 */
export function isHistoryCode(protocol: WireProtocolName, code: number): boolean {
  if (code === WakuCode.P2PMessage || code === WakuCode.P2PRequestComplete) return true;
  return protocol === 'shh' && code === WhisperCode.P2PSyncResponse;
}
