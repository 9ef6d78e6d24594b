import type { PeerId, PrivateKey } from '@libp2p/interface';
import { RendezvousError, RendezvousErrorCode } from '../errors.js';
import { loadKeys, loadPeerId } from './stack.js';

/**
 * A libp2p secp256k1 identity from the node's 32-byte secp256k1 private key: the same key as its ENR, so
 * the peer id (identity multihash of the compressed public key, `16Uiu2…`) names the same node.
 */
export async function libp2pKeyFromSecp256k1(privateKey: Uint8Array): Promise<PrivateKey> {
  if (privateKey.length !== 32) {
    throw new RendezvousError(
      RendezvousErrorCode.InvalidKey,
      `secp256k1 private key must be 32 bytes, got ${privateKey.length}`,
    );
  }
  const key = (await loadKeys()).privateKeyFromRaw(privateKey);
  if (key.type !== 'secp256k1') throw new Error('unreachable: 32-byte raw key is secp256k1');
  return key;
}

export async function peerIdFromSecp256k1(privateKey: Uint8Array): Promise<PeerId> {
  const key = await libp2pKeyFromSecp256k1(privateKey);
  return (await loadPeerId()).peerIdFromPrivateKey(key);
}

/** A fresh secp256k1 identity, as status-go's rendezvous client uses (RDV-07: ephemeral identity). */
export async function ephemeralLibp2pKey(): Promise<PrivateKey> {
  return (await loadKeys()).generateKeyPair('secp256k1');
}
