import { compareBytes } from '@status-ts/core';
import { sha256 } from '@status-ts/crypto';
import { SecioError, SecioErrorCode } from './errors.js';

/**
 * Who prefers: cmp(sha256(remotePubkey || localNonce), sha256(localPubkey || remoteNonce)).
 * Positive means our preference lists win, negative the peer's; zero means both sides sent the same
 * key and nonce, i.e. we are talking to ourselves. (Implementations hash to a sha2-256 multihash; the
 * shared prefix does not change the comparison.)
 */
export function handshakeOrder(
  localPubkey: Uint8Array,
  localNonce: Uint8Array,
  remotePubkey: Uint8Array,
  remoteNonce: Uint8Array,
): number {
  const order = Math.sign(compareBytes(sha256(remotePubkey, localNonce), sha256(localPubkey, remoteNonce)));
  if (order === 0) {
    throw new SecioError(SecioErrorCode.TalkingToSelf, 'both proposals carry the same key and nonce');
  }
  return order;
}

/** Parses a comma-separated proposal list as every implementation writes it (no spaces, best first). */
export function splitProposal(list: string): string[] {
  return list.split(',');
}

/**
 * The first entry of the preferring side's list that the other side also offers. Both sides run this
 * with mirrored arguments and opposite orders, so they reach the same answer.
 */
export function selectBest(
  order: number,
  local: readonly string[],
  remote: readonly string[],
  what: string,
): string {
  const [first, second] = order > 0 ? [local, remote] : [remote, local];
  for (const candidate of first) {
    if (second.includes(candidate)) return candidate;
  }
  throw new SecioError(SecioErrorCode.NoCommonAlgorithm, `no ${what} in common`, {
    details: { local: local.join(','), remote: remote.join(',') },
  });
}
