import { generatePrivateKey, getPublicKey, randomBytes } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  initiatorState,
  type RatchetState,
  ratchetLimits,
  receiveStep,
  responderState,
  SecureTransportErrorCode,
} from '../src/index.js';
import { thrown } from './helpers/thrown.js';

/** 33 bytes with a valid prefix but x >= p: no such point, so the DH fails. */
const offCurve = () => new Uint8Array(33).fill(0xff).fill(2, 0, 1);

/** Every byte array of a state, copied, to compare after the inputs were overwritten. */
function copyOf(state: RatchetState): Record<string, Uint8Array | undefined> {
  const { rootKey, dhsPrivate, dhsPublic, dhr, sendKey, recvKey } = state;
  return Object.fromEntries(
    Object.entries({ rootKey, dhsPrivate, dhsPublic, dhr, sendKey, recvKey }).map(([k, v]) => [
      k,
      v?.slice(),
    ]),
  );
}

describe('ratchet state: the keys it keeps are its own', () => {
  it('initiatorState shares no array with the shared key or their ratchet key', () => {
    const sharedKey = randomBytes(32);
    const theirs = getPublicKey(generatePrivateKey(), 'compressed');
    const state = initiatorState(sharedKey, theirs, generatePrivateKey());
    const before = copyOf(state);
    expect(state.recvKey).toEqual(sharedKey);
    expect(state.dhr).toEqual(theirs);
    sharedKey.fill(0xaa);
    theirs.fill(0xbb);
    expect(copyOf(state)).toEqual(before);
  });

  it('responderState shares no array with the shared key or either half of the signed prekey', () => {
    const sharedKey = randomBytes(32);
    const spk = generatePrivateKey();
    const spkPublic = getPublicKey(spk, 'compressed');
    const state = responderState(sharedKey, spk, spkPublic);
    const before = copyOf(state);
    expect(before).toMatchObject({ rootKey: sharedKey, sendKey: sharedKey, recvKey: sharedKey });
    expect(before).toMatchObject({ dhsPrivate: spk, dhsPublic: spkPublic });
    for (const input of [sharedKey, spk, spkPublic]) input.fill(0xcc);
    expect(copyOf(state)).toEqual(before);
  });

  it("a DH ratchet step keeps a copy of the sender's ratchet key, not the header's array", () => {
    const state = responderState(randomBytes(32), generatePrivateKey());
    const dh = getPublicKey(generatePrivateKey(), 'compressed');
    const step = receiveStep(state, { dh, n: 0, pn: 0 }, ratchetLimits(), generatePrivateKey);
    const before = copyOf(step.state);
    expect(step.state.dhr).toEqual(dh);
    dh.fill(0xdd);
    expect(copyOf(step.state)).toEqual(before);
  });
});

describe('ratchet state: an invalid ratchet key', () => {
  it('given to the initiator: BadKey naming the ratchet key, with the curve error as cause', () => {
    const err = thrown(() => initiatorState(randomBytes(32), offCurve(), generatePrivateKey()));
    expect(err.code).toBe(SecureTransportErrorCode.BadKey);
    expect(err.details).toEqual({ what: 'ratchet key' });
    expect(err.cause).toBeDefined();
  });

  it('in a received header: BadKey naming the ratchet key', () => {
    const state = responderState(randomBytes(32), generatePrivateKey());
    const header = { dh: offCurve(), n: 0, pn: 0 };
    const err = thrown(() => receiveStep(state, header, ratchetLimits(), generatePrivateKey));
    expect(err.code).toBe(SecureTransportErrorCode.BadKey);
    expect(err.details).toEqual({ what: 'ratchet key' });
  });
});
