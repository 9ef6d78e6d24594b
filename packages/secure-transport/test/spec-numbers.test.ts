import { bytesToUtf8, ManualClock, utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey, randomBytes } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  type RatchetMessage,
  RatchetSession,
  SecureTransport,
  SecureTransportErrorCode,
} from '../src/index.js';

// Each number is written as a literal on purpose: changing a default must break one of these tests.
// Sources: status-go protocol/encryption/encryptor.go `defaultEncryptorConfig` (MaxSkip 1000, MaxKeep 3000,
// MaxMessageKeysPerSession 2000, BundleRefreshInterval 24 h) and publisher/publisher.go
// (`publishInterval = 21600` seconds).

const HOUR = 60 * 60 * 1000;
const code = (c: string) => expect.objectContaining({ code: c });

function clocked(): { clock: ManualClock; transport: SecureTransport } {
  const clock = new ManualClock(1_700_000_000_000);
  const transport = new SecureTransport({
    identityKey: generatePrivateKey(),
    installationId: 'me',
    now: () => clock.now(),
  });
  return { clock, transport };
}

/** Alice (initiator) and a factory of Bobs (responders) on the same X3DH secret and signed prekey. */
function ratchetPeers(): { alice: RatchetSession; newBob: () => RatchetSession } {
  const sharedKey = randomBytes(32);
  const bobSignedPreKey = generatePrivateKey();
  return {
    alice: RatchetSession.initiator(sharedKey, getPublicKey(bobSignedPreKey, 'compressed')),
    newBob: () => RatchetSession.responder(sharedKey, bobSignedPreKey),
  };
}

function send(alice: RatchetSession, count: number): RatchetMessage[] {
  return Array.from({ length: count }, (_, i) => alice.encrypt(utf8ToBytes(`m${i}`)));
}

describe('CONTACT_CODE_INTERVAL_MS', () => {
  it('advertises the contact code every 6 h (status-go publisher publishInterval 21600 s)', async () => {
    const { clock, transport } = clocked();
    const payload = new Uint8Array(0);
    expect(await transport.contactCodeAdvertisement(payload)).toBeDefined();
    clock.advance(6 * HOUR - 1);
    expect(await transport.contactCodeAdvertisement(payload)).toBe(undefined);
    clock.advance(1);
    expect(await transport.contactCodeAdvertisement(payload)).toBeDefined();
    // The period restarts from the last advertisement.
    clock.advance(6 * HOUR - 1);
    expect(await transport.contactCodeAdvertisement(payload)).toBe(undefined);
  });
});

describe('BUNDLE_REFRESH_INTERVAL_MS', () => {
  it('rotates the signed prekey of our bundle after 24 h (status-go BundleRefreshInterval)', async () => {
    const { clock, transport } = clocked();
    const preKey = async () => (await transport.bundle()).signedPreKeys.me!.signedPreKey;
    const first = await preKey();
    clock.advance(24 * HOUR - 1);
    expect(await preKey()).toEqual(first);
    clock.advance(1);
    const second = await preKey();
    expect(second).not.toEqual(first);
    clock.advance(24 * HOUR - 1);
    expect(await preKey()).toEqual(second);
  });
});

describe('MAX_SKIP', () => {
  it('accepts a message skipping 1,000 keys and refuses 1,001 (status-go MaxSkip 1000)', () => {
    const { alice, newBob } = ratchetPeers();
    const msgs = send(alice, 1002);
    // n = 1001 needs keys 0..1000 skipped: one over the limit, refused with the typed error.
    expect(() => newBob().decrypt(msgs[1001]!)).toThrowError(code(SecureTransportErrorCode.TooManySkipped));
    // n = 1000 skips exactly 1,000 keys (0..999), which stay stored for the late messages.
    const bob = newBob();
    expect(bytesToUtf8(bob.decrypt(msgs[1000]!))).toBe('m1000');
    expect(bob.storedKeyCount).toBe(1001);
    expect(bytesToUtf8(bob.decrypt(msgs[0]!))).toBe('m0');
  });
});

describe('MAX_MESSAGE_KEYS_PER_SESSION', () => {
  it('stores at most 2,000 message keys per session, dropping the oldest (status-go MaxMessageKeysPerSession 2000)', () => {
    const { alice, newBob } = ratchetPeers();
    const msgs = send(alice, 2001);
    const bob = newBob();
    // Decrypted but unconfirmed: every message key stays stored.
    for (let i = 0; i < 2000; i++) bob.decrypt(msgs[i]!);
    expect(bob.storedKeyCount).toBe(2000);
    expect(bytesToUtf8(bob.decrypt(msgs[0]!))).toBe('m0'); // the oldest is still there at 2,000
    bob.decrypt(msgs[2000]!);
    expect(bob.storedKeyCount).toBe(2000);
    expect(() => bob.decrypt(msgs[0]!)).toThrowError(code(SecureTransportErrorCode.MessageKeyGone));
    expect(bytesToUtf8(bob.decrypt(msgs[1]!))).toBe('m1');
  });
});

describe('MAX_KEEP', () => {
  it('deletes a stored key once 3,000 keys have been derived since it, its own included (status-go MaxKeep 3000)', () => {
    const { alice, newBob } = ratchetPeers();
    const msgs = send(alice, 3000);
    const bob = newBob();
    bob.decrypt(msgs[0]!); // key seq 0, left unconfirmed
    // Confirm the others so the 2,000-key cap never applies: only MaxKeep can remove key 0.
    for (let i = 1; i < 2999; i++) {
      bob.decrypt(msgs[i]!);
      bob.confirm(msgs[i]!.header);
    }
    // 2,999 keys derived (seq 0..2998): key 0 is kept.
    expect(bytesToUtf8(bob.decrypt(msgs[0]!))).toBe('m0');
    bob.decrypt(msgs[2999]!);
    // 3,000 derived: doubleratchet deletes seq <= KeysCount - MaxKeep = 0.
    expect(() => bob.decrypt(msgs[0]!)).toThrowError(code(SecureTransportErrorCode.MessageKeyGone));
    expect(bob.storedKeyCount).toBe(1);
  });
});
