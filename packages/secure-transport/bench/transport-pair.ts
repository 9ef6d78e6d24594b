// Our side of the like-for-like comparison: `SecureTransport`, the API an application uses, with its default
// `MemorySessionStore` (records copied in and out). One `send` is one message as an application handles it:
// `encrypt` on one side (installations and session loaded from the store, a ratchet step, the protobuf
// `ProtocolMessage` with our bundle attached and re-signed, as status-go does on every message, the session
// change committed to the store) returns the wire bytes; `decrypt` on the other side parses them, skips the
// already known bundle, loads the session, steps the ratchet, commits the session, its message key and the
// sender's device record; `confirm` deletes that message key. The same work as `LibsignalPair.send`.
import { generatePrivateKey } from '@status-ts/crypto';
import { SecureTransport } from '../src/index.js';
import type { LibsignalPair } from './libsignal.js';

/**
 * A full session setup, mirroring `libsignalSetup`: two fresh parties (identity keys), the responder's
 * bundle (a fresh signed prekey, the bundle signed), its verification and recording by the initiator, the
 * first message (X3DH header) encrypted and decrypted, and one answer, so both sides hold a confirmed session.
 */
export async function transportSetup(): Promise<LibsignalPair> {
  const alice = new SecureTransport({ identityKey: generatePrivateKey(), installationId: 'alice-1' });
  const bob = new SecureTransport({ identityKey: generatePrivateKey(), installationId: 'bob-1' });
  await alice.addBundle(await bob.bundle());
  const pair: LibsignalPair = {
    async send(fromAlice, payload) {
      const [from, to] = fromAlice ? [alice, bob] : [bob, alice];
      const out = await to.decrypt(from.identity, await from.encrypt(to.identity, payload));
      await out.confirm();
      return out.payload;
    },
  };
  await pair.send(true, new Uint8Array(1));
  // Bob answers once, so Alice's later messages carry no X3DH header.
  const answer = await alice.decrypt(bob.identity, await bob.encrypt(alice.identity, new Uint8Array(1)));
  await answer.confirm();
  // A DH-fallback message would mean no session was set up: measure nothing rather than the wrong thing.
  if (answer.kind !== 'ratchet')
    throw new Error(`bench setup: expected a ratchet answer, got ${answer.kind}`);
  return pair;
}
