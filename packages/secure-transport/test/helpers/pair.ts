import { generatePrivateKey, getPublicKey, randomBytes } from '@status-ts/crypto';
import { type RatchetOptions, RatchetSession } from '../../src/index.js';

/** Alice (X3DH initiator) and Bob (responder) sharing a random key; Bob's ratchet key is his signed prekey. */
export function sessionPair(options: RatchetOptions = {}): { alice: RatchetSession; bob: RatchetSession } {
  const sharedKey = randomBytes(32);
  const bobSignedPreKey = generatePrivateKey();
  return {
    alice: RatchetSession.initiator(sharedKey, getPublicKey(bobSignedPreKey, 'compressed'), options),
    bob: RatchetSession.responder(sharedKey, bobSignedPreKey, options),
  };
}
