/** A payload as it came from a peer (already decrypted and authenticated by the layer below). */
export interface IncomingPayload {
  readonly peer: Uint8Array;
  readonly payload: Uint8Array;
}

/**
 * What MVDS needs from the layer below (in Status: secure-transport over Waku). Peers are byte ids; Status
 * uses the peer's public key. Delivery may lose, duplicate, reorder and delay payloads: MVDS copes.
 */
export interface MvdsTransport {
  /** Sends one encoded `Payload` to a peer. A rejected promise is logged; the record's backoff still applies. */
  send(peer: Uint8Array, payload: Uint8Array): void | Promise<void>;
  /**
   * Payloads from peers, consumed by the node between `start()` and `stop()`. The iteration must end soon
   * after `signal` aborts. Optional: a host can instead push payloads with `node.receive(peer, bytes)`.
   */
  receive?(signal: AbortSignal): AsyncIterable<IncomingPayload>;
  /** Largest payload the transport carries; outgoing payloads are split to fit (MVDS-07). */
  readonly maxPayloadSize?: number;
}
