import { bytesToUtf8, utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey, getPublicKey, randomBytes } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  MAX_SKIP,
  type RatchetMessage,
  RatchetSession,
  type RatchetSessionSnapshot,
  ratchetLimits,
  SecureTransportErrorCode,
} from '../src/index.js';
import { sessionPair } from './helpers/pair.js';
import { thrown } from './helpers/thrown.js';

const text = (s: string) => utf8ToBytes(s);
const code = (c: string) => expect.objectContaining({ code: c });

describe('RatchetSession', () => {
  it('initiator to responder, reply, and a DH step on every change of direction', () => {
    const { alice, bob } = sessionPair();
    const m1 = alice.encrypt(text('hi bob'));
    expect(m1.header).toMatchObject({ n: 0, pn: 0 });
    expect(bytesToUtf8(bob.decrypt(m1))).toBe('hi bob');
    const r1 = bob.encrypt(text('hi alice'));
    expect(r1.header.dh).not.toEqual(m1.header.dh);
    expect(bytesToUtf8(alice.decrypt(r1))).toBe('hi alice');
    const m2 = alice.encrypt(text('again'));
    expect(m2.header.dh).not.toEqual(m1.header.dh); // Alice ratcheted on Bob's new key
    expect(m2.header).toMatchObject({ n: 0, pn: 1 });
    expect(bytesToUtf8(bob.decrypt(m2))).toBe('again');
  });

  it('the responder can send first, on its signed prekey and the shared-key chain', () => {
    const sharedKey = randomBytes(32);
    const spk = generatePrivateKey();
    const alice = RatchetSession.initiator(sharedKey, getPublicKey(spk, 'compressed'));
    const bob = RatchetSession.responder(sharedKey, spk);
    const early = bob.encrypt(text('early'));
    expect(early.header.dh).toEqual(getPublicKey(spk, 'compressed'));
    expect(bytesToUtf8(alice.decrypt(early))).toBe('early');
  });

  it('out-of-order and across chains: skipped keys decrypt late messages', () => {
    const { alice, bob } = sessionPair();
    const a = [0, 1, 2, 3].map((i) => alice.encrypt(text(`a${i}`)));
    expect(bytesToUtf8(bob.decrypt(a[2]!))).toBe('a2');
    const reply = bob.encrypt(text('b0'));
    alice.decrypt(reply);
    const next = alice.encrypt(text('a-next'));
    expect(bytesToUtf8(bob.decrypt(next))).toBe('a-next'); // skips a3 of the previous chain via PN
    for (const i of [3, 0, 1]) expect(bytesToUtf8(bob.decrypt(a[i]!))).toBe(`a${i}`);
  });

  it('a duplicate decrypts again until confirmed, then gives ERR_ST_MESSAGE_KEY_GONE', () => {
    const { alice, bob } = sessionPair();
    const m = alice.encrypt(text('once'));
    bob.decrypt(m);
    expect(bytesToUtf8(bob.decrypt(m))).toBe('once');
    bob.confirm(m.header);
    expect(() => bob.decrypt(m)).toThrowError(code(SecureTransportErrorCode.MessageKeyGone));
  });

  it(`MAX_SKIP (${MAX_SKIP}) keys may be skipped, one more is refused and the session still works`, () => {
    const { alice, bob } = sessionPair();
    const msgs: RatchetMessage[] = [];
    for (let i = 0; i <= MAX_SKIP + 1; i++) msgs.push(alice.encrypt(text(`m${i}`)));
    expect(() => bob.decrypt(msgs[MAX_SKIP + 1]!)).toThrowError(
      code(SecureTransportErrorCode.TooManySkipped),
    );
    expect(bob.storedKeyCount).toBe(0);
    expect(bytesToUtf8(bob.decrypt(msgs[MAX_SKIP]!))).toBe(`m${MAX_SKIP}`);
    expect(bytesToUtf8(bob.decrypt(msgs[0]!))).toBe('m0');
  });

  it('maxSkip is overridable and checked on the previous chain (PN) too', () => {
    const { alice, bob } = sessionPair({ maxSkip: 2 });
    bob.decrypt(alice.encrypt(text('x')));
    for (let i = 0; i < 3; i++) alice.encrypt(text('lost'));
    alice.decrypt(bob.encrypt(text('y')));
    // Alice's previous chain had 4 messages; Bob saw 1, so 3 > maxSkip would be skipped via PN.
    expect(() => bob.decrypt(alice.encrypt(text('z')))).toThrowError(
      code(SecureTransportErrorCode.TooManySkipped),
    );
  });

  it('maxMessageKeys drops the oldest stored keys', () => {
    const { alice, bob } = sessionPair({ maxMessageKeys: 3 });
    const msgs = [0, 1, 2, 3, 4, 5].map((i) => alice.encrypt(text(`m${i}`)));
    bob.decrypt(msgs[5]!); // stores keys 0..4 and 5 (unconfirmed): 6 > 3, keeps the newest 3
    expect(bob.storedKeyCount).toBe(3);
    expect(() => bob.decrypt(msgs[0]!)).toThrowError(code(SecureTransportErrorCode.MessageKeyGone));
    expect(bytesToUtf8(bob.decrypt(msgs[4]!))).toBe('m4');
  });

  it('maxKeep deletes keys derived more than maxKeep keys ago', () => {
    const { alice, bob } = sessionPair({ maxKeep: 4 });
    const msgs = [0, 1, 2, 3, 4, 5, 6].map((i) => alice.encrypt(text(`m${i}`)));
    bob.decrypt(msgs[1]!); // keys 0, 1 (seq 0, 1)
    for (const i of [2, 3, 4, 5]) {
      bob.decrypt(msgs[i]!);
      bob.confirm(msgs[i]!.header);
    }
    // 6 keys derived: seq <= 6 - 4 = 2 are gone (m0, m1), nothing newer is stored.
    expect(() => bob.decrypt(msgs[0]!)).toThrowError(code(SecureTransportErrorCode.MessageKeyGone));
    expect(bytesToUtf8(bob.decrypt(msgs[6]!))).toBe('m6');
  });

  it('a failed decrypt changes nothing: tampered, bad ratchet key, too far ahead', () => {
    const { alice, bob } = sessionPair();
    const good = alice.encrypt(text('good'));
    const tampered = { ...good, ciphertext: good.ciphertext.slice() };
    tampered.ciphertext[20]! ^= 1;
    const forgedKey = {
      ...good,
      header: { ...good.header, dh: getPublicKey(generatePrivateKey(), 'compressed') },
    };
    const badPoint = { ...good, header: { ...good.header, dh: new Uint8Array(33).fill(0xff) } };
    expect(() => bob.decrypt(tampered)).toThrowError(code(SecureTransportErrorCode.DecryptFailed));
    expect(() => bob.decrypt(forgedKey)).toThrowError(code(SecureTransportErrorCode.DecryptFailed));
    expect(() => bob.decrypt(badPoint)).toThrowError(code(SecureTransportErrorCode.BadKey));
    expect(bob.storedKeyCount).toBe(0);
    const before = bob.ratchetPublicKey;
    expect(bytesToUtf8(bob.decrypt(good))).toBe('good');
    expect(bob.ratchetPublicKey).not.toEqual(before);
  });

  it('rejects a shared key that is not 32 bytes and negative limits', () => {
    const spk = generatePrivateKey();
    expect(() => RatchetSession.responder(new Uint8Array(31), spk)).toThrowError(
      code(SecureTransportErrorCode.InvalidArgument),
    );
    expect(() => RatchetSession.responder(new Uint8Array(32), spk, { maxSkip: -1 })).toThrowError(
      code(SecureTransportErrorCode.InvalidArgument),
    );
  });

  it('each limit: -1 is InvalidArgument naming the option and value; 0 and 1 are accepted', () => {
    const spk = generatePrivateKey();
    for (const option of ['maxSkip', 'maxKeep', 'maxMessageKeys'] as const) {
      const err = thrown(() => RatchetSession.responder(new Uint8Array(32), spk, { [option]: -1 }));
      expect(err.code, option).toBe(SecureTransportErrorCode.InvalidArgument);
      expect(err.details, option).toEqual({ option, value: -1 });
      expect(ratchetLimits({ [option]: 0 })[option], option).toBe(0);
      expect(ratchetLimits({ [option]: 1 })[option], option).toBe(1);
    }
  });
});

describe('RatchetSession: associated data and skip limits', () => {
  it('associated data is authenticated: the same AD decrypts, another AD or none does not', () => {
    const { alice, bob } = sessionPair();
    const ad = text('conversation-ad');
    const m = alice.encrypt(text('with ad'), ad);
    expect(thrown(() => bob.decrypt(m, text('other-ad'))).code).toBe(SecureTransportErrorCode.DecryptFailed);
    expect(thrown(() => bob.decrypt(m)).code).toBe(SecureTransportErrorCode.DecryptFailed);
    expect(bytesToUtf8(bob.decrypt(m, ad))).toBe('with ad');
  });

  it('a confirmed message replayed: MessageKeyGone with its n and the chain length', () => {
    const { alice, bob } = sessionPair();
    const m0 = alice.encrypt(text('0'));
    const m1 = alice.encrypt(text('1'));
    bob.decrypt(m0);
    bob.decrypt(m1);
    bob.confirm(m0.header);
    const err = thrown(() => bob.decrypt(m0));
    expect(err.code).toBe(SecureTransportErrorCode.MessageKeyGone);
    expect(err.details).toEqual({ n: 0, chainLength: 2 });
  });

  it('skipping maxSkip + 1 keys past a received message fails with skip and limit; maxSkip passes', () => {
    const { alice, bob } = sessionPair({ maxSkip: 2 });
    const m = Array.from({ length: 5 }, (_, i) => alice.encrypt(text(`m${i}`)));
    bob.decrypt(m[0]!);
    const err = thrown(() => bob.decrypt(m[4]!));
    expect(err.code).toBe(SecureTransportErrorCode.TooManySkipped);
    expect(err.details).toEqual({ skip: 3, limit: 2 });
    expect(bytesToUtf8(bob.decrypt(m[3]!))).toBe('m3');
  });

  it('maxMessageKeys keeps the newest keys by derivation order, whatever order they were restored in', () => {
    const { alice, bob } = sessionPair();
    const m = Array.from({ length: 7 }, (_, i) => alice.encrypt(text(`m${i}`)));
    bob.decrypt(m[5]!); // stores n = 0..5, seq 0..5
    const saved = bob.snapshot();
    const reversed: RatchetSessionSnapshot = { ...saved, keys: [...saved.keys].reverse() };
    const bob2 = RatchetSession.restore(reversed, { maxMessageKeys: 3 });
    bob2.decrypt(m[6]!); // seq 6: keep seq 4, 5, 6
    expect(bob2.storedKeyCount).toBe(3);
    expect(bytesToUtf8(bob2.decrypt(m[4]!))).toBe('m4');
    expect(bytesToUtf8(bob2.decrypt(m[5]!))).toBe('m5');
    expect(thrown(() => bob2.decrypt(m[3]!)).code).toBe(SecureTransportErrorCode.MessageKeyGone);
  });

  it('maxSkip 0 is valid (no skipped keys at all); the keys given at creation are copied', () => {
    const sharedKey = randomBytes(32);
    const spk = generatePrivateKey();
    const spkPublic = getPublicKey(spk, 'compressed');
    const alice = RatchetSession.initiator(sharedKey.slice(), spkPublic.slice(), { maxSkip: 0 });
    const bobKey = spk.slice();
    const bobShared = sharedKey.slice();
    const bob = RatchetSession.responder(bobShared, bobKey, { maxSkip: 0 });
    bobKey.fill(1);
    bobShared.fill(1);
    expect(bob.ratchetPublicKey).toEqual(spkPublic);
    expect(bytesToUtf8(bob.decrypt(alice.encrypt(text('a'))))).toBe('a');
    expect(bytesToUtf8(alice.decrypt(bob.encrypt(text('b'))))).toBe('b');
  });
});
