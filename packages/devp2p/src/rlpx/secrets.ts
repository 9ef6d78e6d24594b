import { xorBytes } from '@status-ts/core';
import { createKeccak256, ecdhX, keccak256 } from '@status-ts/crypto';

/** The running keccak256 state of a MAC: `digest()` leaves the state unchanged (like Go's hash.Sum). */
export interface MacHash {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
}

/** What an RLPx session needs after the handshake (checklist RLPX-05, RLPX-06). */
export interface RlpxSecrets {
  /** The peer's 64-byte node id (static public key). */
  remoteId: Uint8Array;
  aesSecret: Uint8Array;
  macSecret: Uint8Array;
  egressMac: MacHash;
  ingressMac: MacHash;
}

export interface SecretInputs {
  initiator: boolean;
  remoteId: Uint8Array;
  ephemeralPrivateKey: Uint8Array;
  remoteEphemeralPublicKey: Uint8Array;
  initiatorNonce: Uint8Array;
  recipientNonce: Uint8Array;
  /** Wire bytes of the auth and ack packets, with their EIP-8 size prefix. */
  authPacket: Uint8Array;
  ackPacket: Uint8Array;
}

/**
 * `shared = keccak(eph || keccak(recipient-nonce || initiator-nonce))`, `aes = keccak(eph || shared)`,
 * `mac = keccak(eph || aes)`; egress MAC = keccak state over `(mac ^ remote-nonce) || packet we sent`,
 * ingress = `(mac ^ own-nonce) || packet we received`.
 */
export function deriveSecrets(inputs: SecretInputs): RlpxSecrets {
  const ephemeralShared = ecdhX(inputs.ephemeralPrivateKey, inputs.remoteEphemeralPublicKey);
  const sharedSecret = keccak256(ephemeralShared, keccak256(inputs.recipientNonce, inputs.initiatorNonce));
  const aesSecret = keccak256(ephemeralShared, sharedSecret);
  const macSecret = keccak256(ephemeralShared, aesSecret);
  // MAC seeded with the recipient nonce and the auth packet: the initiator's egress, the recipient's ingress.
  const authSide = createKeccak256()
    .update(xorBytes(macSecret, inputs.recipientNonce))
    .update(inputs.authPacket);
  const ackSide = createKeccak256()
    .update(xorBytes(macSecret, inputs.initiatorNonce))
    .update(inputs.ackPacket);
  return {
    remoteId: inputs.remoteId,
    aesSecret,
    macSecret,
    egressMac: inputs.initiator ? authSide : ackSide,
    ingressMac: inputs.initiator ? ackSide : authSide,
  };
}
