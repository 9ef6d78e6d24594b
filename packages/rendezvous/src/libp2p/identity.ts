import { generateKeyPair, privateKeyFromRaw } from '@libp2p/crypto/keys';
import type { PeerId, PrivateKey } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { RendezvousError, RendezvousErrorCode } from '../errors.js';

/**
 * A libp2p secp256k1 identity from the node's 32-byte secp256k1 private key: the same key as its ENR, so
 * the peer id (identity multihash of the compressed public key, `16Uiu2…`) names the same node.
 */
export function libp2pKeyFromSecp256k1(privateKey: Uint8Array): PrivateKey {
  if (privateKey.length !== 32) {
    throw new RendezvousError(
      RendezvousErrorCode.InvalidKey,
      `secp256k1 private key must be 32 bytes, got ${privateKey.length}`,
    );
  }
  const key = privateKeyFromRaw(privateKey);
  if (key.type !== 'secp256k1') throw new Error('unreachable: 32-byte raw key is secp256k1');
  return key;
}

export function peerIdFromSecp256k1(privateKey: Uint8Array): PeerId {
  return peerIdFromPrivateKey(libp2pKeyFromSecp256k1(privateKey));
}

/** A fresh secp256k1 identity, as status-go's rendezvous client uses (RDV-07: ephemeral identity). */
export async function ephemeralLibp2pKey(): Promise<PrivateKey> {
  return generateKeyPair('secp256k1');
}
