import type { PeerId } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { RendezvousError, RendezvousErrorCode } from '../errors.js';
import { loadMultiaddr, loadPeerId } from './stack.js';

/**
 * Rendezvous server addresses end in `/ethv4/<peer id>` (multiaddr code 0x01EA, status-im/go-multiaddr-ethv4;
 * RDV-01). @multiformats/multiaddr does not know that protocol, so the last component is handled here as
 * text: `/ethv4/` and `/p2p/` are both accepted, and dialing uses `/p2p/`.
 */
export const ETHV4_PROTOCOL_CODE = 0x01ea;
const P2P_PROTOCOL_CODE = 0x01a5;

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

/** Parses `…/ethv4/<peer id>` (or `…/p2p/<peer id>`); async because the libp2p stack loads on first use. */
export async function parseRendezvousAddress(text: string): Promise<RendezvousAddress> {
  const match = SUFFIX.exec(text.trim());
  if (!match) throw invalid(text);
  const [{ multiaddr }, { peerIdFromString }] = await Promise.all([loadMultiaddr(), loadPeerId()]);
  try {
    const transport = multiaddr(match[1]!);
    const peerId = peerIdFromString(match[3]!);
    return { transport, peerId, dialable: transport.encapsulate(`/p2p/${peerId.toString()}`) };
  } catch (cause) {
    throw invalid(text, cause);
  }
}

/** `<transport>/ethv4/<peer id>` from a multiaddr object, with any `/p2p/…` on it dropped. */
export function ethv4Address(transport: Multiaddr, peerId: PeerId | string): string {
  return `${transport.decapsulateCode(P2P_PROTOCOL_CODE).toString()}/ethv4/${peerId.toString()}`;
}

/** `<transport>/ethv4/<peer id>`; a `/p2p/…` already on `transport` is replaced. */
export async function formatRendezvousAddress(
  transport: Multiaddr | string,
  peerId: PeerId | string,
): Promise<string> {
  const { multiaddr } = await loadMultiaddr();
  return ethv4Address(multiaddr(transport.toString()), peerId);
}
