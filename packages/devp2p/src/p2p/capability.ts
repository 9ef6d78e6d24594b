import type { CapabilitySpec } from './capabilities.js';
import type { DisconnectReason } from './disconnect.js';

/** One message of a capability, with its code relative to the capability (0 .. length - 1). */
export interface CapabilityMessage {
  code: number;
  payload: Uint8Array;
}

/** What a subprotocol sees of one peer (ARCHITECTURE.md seam). */
export interface CapabilityStream {
  /** The peer's 64-byte node id. */
  readonly remoteId: Uint8Array;
  /** The peer's IP address when the transport has one (per-IP rate limits); undefined in memory. */
  readonly remoteAddress?: string | undefined;
  /** The capability name and the version negotiated with this peer. */
  readonly name: string;
  readonly version: number;
  /**
   * Sends a message (code relative to the capability). Resolves once the frame is queued on the socket
   * and the socket's buffer is below the write limit (backpressure); rejects with a typed error when the
   * code is out of range or the peer is gone. The rejection is pre-handled: forgetting to await never
   * crashes the process.
   */
  send(code: number, payload: Uint8Array): Promise<void>;
  /** Messages from the peer in order; ends when the peer disconnects. One consumer at a time. */
  messages(): AsyncIterable<CapabilityMessage>;
  /** Disconnects the peer (devp2p has no per-capability close) with `reason` (default 0x00). */
  close(reason?: DisconnectReason | number): void;
  /** True once the peer is disconnected. */
  readonly closed: boolean;
}

/**
 * A subprotocol: announced as `name/version`, using `length` message ids. `attach` is called once per
 * connected peer sharing it; if it throws or its promise rejects, that peer is disconnected with reason
 * 0x10 and the server emits `peer:error`.
 */
export interface Capability extends CapabilitySpec {
  attach(stream: CapabilityStream): void | Promise<void>;
}
