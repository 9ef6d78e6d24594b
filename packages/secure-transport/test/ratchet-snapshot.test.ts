import { bytesToUtf8, utf8ToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  RatchetSession,
  type RatchetSessionSnapshot,
  SecureTransportError,
  SecureTransportErrorCode,
} from '../src/index.js';
import { sessionPair } from './helpers/pair.js';

const text = (s: string) => utf8ToBytes(s);

describe('RatchetSession snapshot / restore (restart mid-conversation)', () => {
  it('a restored session continues: skipped keys, pending chains and the next DH step all survive', () => {
    const { alice, bob } = sessionPair();
    bob.decrypt(alice.encrypt(text('a0')));
    const late = alice.encrypt(text('a1')); // delivered after the restart, from a skipped key
    const reply = bob.encrypt(text('b0'));
    alice.decrypt(reply);
    const newer = alice.encrypt(text('a2'));
    bob.decrypt(newer);

    // JSON round trip, as a store would do.
    const saved = JSON.parse(JSON.stringify(bob.snapshot())) as RatchetSessionSnapshot;
    const bob2 = RatchetSession.restore(saved);
    expect(bob2.snapshot()).toEqual(bob.snapshot());
    expect(bytesToUtf8(bob2.decrypt(late))).toBe('a1');
    const back = bob2.encrypt(text('b1'));
    expect(bytesToUtf8(alice.decrypt(back))).toBe('b1');
    expect(bytesToUtf8(bob2.decrypt(alice.encrypt(text('a3'))))).toBe('a3');
  });

  it('rejects malformed snapshots with ERR_ST_INVALID_ARGUMENT', () => {
    const { bob } = sessionPair();
    const good = bob.snapshot();
    const bad: unknown[] = [
      { ...good, version: 2 },
      { ...good, rootKey: 'zz' },
      { ...good, send: { key: good.send.key, n: -1 } },
      { ...good, keys: [['02', 1, 'abcd', 0]] },
    ];
    for (const snapshot of bad) {
      expect(() => RatchetSession.restore(snapshot as RatchetSessionSnapshot)).toThrowError(
        expect.objectContaining({ code: SecureTransportErrorCode.InvalidArgument }),
      );
    }
  });
});

describe('RatchetSession.restore: details', () => {
  it('a fresh responder (no remote key yet) restores with its 33-byte ratchet key, and can receive', () => {
    const { alice, bob } = sessionPair();
    const saved = bob.snapshot();
    expect(saved.dhr).toBeNull();
    const bob2 = RatchetSession.restore(saved);
    expect(bob2.ratchetPublicKey).toHaveLength(33);
    expect(bob2.ratchetPublicKey).toEqual(bob.ratchetPublicKey);
    expect(bytesToUtf8(bob2.decrypt(alice.encrypt(text('hi'))))).toBe('hi');
  });

  it('ratchetPublicKey is a copy: changing it changes nothing in the session', () => {
    const { bob } = sessionPair();
    const key = bob.ratchetPublicKey;
    const copy = key.slice();
    key.fill(0);
    expect(bob.ratchetPublicKey).toEqual(copy);
  });

  it('counters are 32-bit: 0xffffffff restores, 2^32 is ERR_ST_INVALID_ARGUMENT carrying the cause', () => {
    const good = sessionPair().bob.snapshot();
    expect(RatchetSession.restore({ ...good, pn: 0xffffffff }).snapshot().pn).toBe(0xffffffff);
    let err: unknown;
    try {
      RatchetSession.restore({ ...good, pn: 2 ** 32 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SecureTransportError);
    expect((err as SecureTransportError).code).toBe(SecureTransportErrorCode.InvalidArgument);
    expect((err as SecureTransportError).cause).toBeInstanceOf(Error);
  });

  it('bad options are reported as themselves, not wrapped as a malformed snapshot', () => {
    const good = sessionPair().bob.snapshot();
    let err: unknown;
    try {
      RatchetSession.restore(good, { maxSkip: -1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SecureTransportError);
    expect((err as SecureTransportError).code).toBe(SecureTransportErrorCode.InvalidArgument);
    expect((err as SecureTransportError).cause).toBeUndefined();
  });
});
