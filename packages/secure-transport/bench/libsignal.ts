// The native peer: @signalapp/libsignal-client (Rust, via N-API) driven through its full application API, the
// only level its Node binding exposes (there is no store-less session cipher to call): `signalEncrypt` /
// `signalDecrypt` against stores, here in-memory JS stores that hand the native session records in and out
// (as SecureTransport's MemorySessionStore copies its records in and out). One `send` is what one
// `SecureTransport` encrypt + decrypt + confirm is: encrypt on one side (session loaded from and saved to the
// store), the ciphertext serialized to the bytes that go on the wire, parsed on the other side, decrypted
// (session loaded and saved, the sender's identity checked against the identity store, the message key
// deleted: libsignal does not keep a key once its message is decrypted). Its session setup is PQXDH
// (X25519 + ML-KEM-1024 prekey), not Status' X3DH: a different protocol, so no ratio is taken on it.

import * as signal from '@signalapp/libsignal-client';
import {
  IdentityKeyPair,
  type IdentityKeyStore,
  KEMKeyPair,
  KyberPreKeyRecord,
  PreKeyBundle,
  PreKeySignalMessage,
  PrivateKey,
  ProtocolAddress,
  type PublicKey,
  processPreKeyBundle,
  type SessionRecord,
  SignalMessage,
  SignedPreKeyRecord,
  signalDecrypt,
  signalDecryptPreKey,
  signalEncrypt,
} from '@signalapp/libsignal-client';

class Stores {
  readonly sessions = new Map<string, SessionRecord>();
  readonly identities = new Map<string, PublicKey>();
  readonly signedPreKeys = new Map<number, SignedPreKeyRecord>();
  readonly kyberPreKeys = new Map<number, KyberPreKeyRecord>();
  readonly identity = IdentityKeyPair.generate();
  readonly registrationId = 1 + Math.floor(Math.random() * 16000);

  readonly sessionStore = Object.assign(Object.create(signal.SessionStore.prototype), {
    saveSession: async (a: ProtocolAddress, r: SessionRecord) => void this.sessions.set(a.toString(), r),
    getSession: async (a: ProtocolAddress) => this.sessions.get(a.toString()) ?? null,
    getExistingSessions: async (as: ProtocolAddress[]) => as.map((a) => this.sessions.get(a.toString())!),
  }) as signal.SessionStore;

  readonly identityStore = Object.assign(Object.create(signal.IdentityKeyStore.prototype), {
    getIdentityKey: async () => this.identity.privateKey,
    getIdentityKeyPair: async () => this.identity,
    getLocalRegistrationId: async () => this.registrationId,
    saveIdentity: async (a: ProtocolAddress, k: PublicKey) => {
      this.identities.set(a.toString(), k);
      return 0;
    },
    isTrustedIdentity: async () => true,
    getIdentity: async (a: ProtocolAddress) => this.identities.get(a.toString()) ?? null,
  }) as IdentityKeyStore;

  readonly preKeyStore = Object.assign(Object.create(signal.PreKeyStore.prototype), {
    savePreKey: async () => {},
    getPreKey: async () => {
      throw new Error('no one-time prekeys');
    },
    removePreKey: async () => {},
  }) as signal.PreKeyStore;

  readonly signedPreKeyStore = Object.assign(Object.create(signal.SignedPreKeyStore.prototype), {
    saveSignedPreKey: async (id: number, r: SignedPreKeyRecord) => void this.signedPreKeys.set(id, r),
    getSignedPreKey: async (id: number) => this.signedPreKeys.get(id)!,
  }) as signal.SignedPreKeyStore;

  readonly kyberPreKeyStore = Object.assign(Object.create(signal.KyberPreKeyStore.prototype), {
    saveKyberPreKey: async (id: number, r: KyberPreKeyRecord) => void this.kyberPreKeys.set(id, r),
    getKyberPreKey: async (id: number) => this.kyberPreKeys.get(id)!,
    markKyberPreKeyUsed: async () => {},
  }) as signal.KyberPreKeyStore;

  /** A bundle without one-time prekeys (like Status), with the Kyber prekey libsignal requires. */
  bundle(deviceId: number): PreKeyBundle {
    const spk = PrivateKey.generate();
    const spkSig = this.identity.privateKey.sign(spk.getPublicKey().serialize());
    this.signedPreKeys.set(1, SignedPreKeyRecord.new(1, Date.now(), spk.getPublicKey(), spk, spkSig));
    const kem = KEMKeyPair.generate();
    const kemSig = this.identity.privateKey.sign(kem.getPublicKey().serialize());
    this.kyberPreKeys.set(1, KyberPreKeyRecord.new(1, Date.now(), kem, kemSig));
    return PreKeyBundle.new(
      this.registrationId,
      deviceId,
      null,
      null,
      1,
      spk.getPublicKey(),
      spkSig,
      this.identity.publicKey,
      1,
      kem.getPublicKey(),
      kemSig,
    );
  }
}

export interface LibsignalPair {
  /** Encrypt on one side, decrypt on the other. */
  send(fromAlice: boolean, payload: Uint8Array): Promise<Uint8Array>;
}

const ALICE = ProtocolAddress.new('alice', 1);
const BOB = ProtocolAddress.new('bob', 1);

/**
 * A full session setup: two fresh parties (identity keys, registration ids), the responder's bundle (signed
 * prekey + Kyber prekey, both signed), its processing by the initiator, the first (prekey) message encrypted,
 * serialized and decrypted, and one answer, so both sides hold a confirmed session.
 */
export async function libsignalSetup(): Promise<LibsignalPair> {
  const alice = new Stores();
  const bob = new Stores();
  await processPreKeyBundle(bob.bundle(1), BOB, ALICE, alice.sessionStore, alice.identityStore);
  const first = await signalEncrypt(new Uint8Array(1), BOB, ALICE, alice.sessionStore, alice.identityStore);
  await signalDecryptPreKey(
    PreKeySignalMessage.deserialize(first.serialize()),
    ALICE,
    BOB,
    bob.sessionStore,
    bob.identityStore,
    bob.preKeyStore,
    bob.signedPreKeyStore,
    bob.kyberPreKeyStore,
  );
  const pair: LibsignalPair = {
    async send(fromAlice, payload) {
      const [from, to, fromAddr, toAddr] = fromAlice ? [alice, bob, ALICE, BOB] : [bob, alice, BOB, ALICE];
      const ct = await signalEncrypt(
        payload as Uint8Array<ArrayBuffer>,
        toAddr,
        fromAddr,
        from.sessionStore,
        from.identityStore,
      );
      return signalDecrypt(
        SignalMessage.deserialize(ct.serialize()),
        fromAddr,
        toAddr,
        to.sessionStore,
        to.identityStore,
      );
    },
  };
  // Bob answers once, so Alice's later messages are plain SignalMessages (no prekey header).
  await pair.send(false, new Uint8Array(1));
  return pair;
}
