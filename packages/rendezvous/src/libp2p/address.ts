import type { PeerId } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import { RendezvousError, RendezvousErrorCode } from '../errors.js';

/**
 * Rendezvous server addresses end in `/ethv4/<peer id>` (multiaddr code 0x01EA, status-im/go-multiaddr-ethv4;
 * RDV-01). @multiformats/multiaddr does not know that protocol, so the last component is handled here as
 * text: `/ethv4/` and `/p2p/` are both accepted, and dialing uses `/p2p/`.
 */
export const ETHV4_PROTOCOL_CODE = 0x01ea;

export interface RendezvousAddress {
  /** The transport part, e.g. `/ip4/1.2.3.4/tcp/30703`. */
  transport: Multiaddr;
  peerId: PeerId;
  /** The transport part with `/p2p/<peer id>`, what libp2p dials. */
  dialable: Multiaddr;
}

const SUFFIX = /^(.*)\/(ethv4|p2p|ipfs)\/([^/]+)\/?$/;

function invalid(text: string, cause?: unknown): RendezvousError {
  return new RendezvousError(
    RendezvousErrorCode.InvalidAddress,
    `not a rendezvous server address (expected …/ethv4/<peer id>): ${text}`,
    { cause },
  );
}

export function parseRendezvousAddress(text: string): RendezvousAddress {
  const match = SUFFIX.exec(text.trim());
  if (!match) throw invalid(text);
  try {
    const transport = multiaddr(match[1]!);
    const peerId = peerIdFromString(match[3]!);
    return { transport, peerId, dialable: transport.encapsulate(`/p2p/${peerId.toString()}`) };
  } catch (cause) {
    throw invalid(text, cause);
  }
}

/** `<transport>/ethv4/<peer id>`; a `/p2p/…` already on `transport` is replaced. */
export function formatRendezvousAddress(transport: Multiaddr | string, peerId: PeerId | string): string {
  const base = multiaddr(transport.toString()).decapsulateCode(0x01a5).toString();
  return `${base}/ethv4/${peerId.toString()}`;
}
