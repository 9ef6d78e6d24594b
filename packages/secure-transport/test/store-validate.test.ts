import { describe, expect, it } from 'vitest';
import { SecureTransportError, SecureTransportErrorCode } from '../src/index.js';
import type { RatchetState } from '../src/ratchet-state.js';
import type { SessionChanges } from '../src/store/types.js';
import { validateChanges } from '../src/store/validate.js';

const key = () => new Uint8Array(32).fill(1);
const pub = () => new Uint8Array(33).fill(2);

function ratchet(): RatchetState {
  return {
    rootKey: key(),
    dhsPrivate: key(),
    dhsPublic: pub(),
    dhr: pub(),
    sendKey: key(),
    sendN: 0,
    recvKey: key(),
    recvN: 0,
    pn: 0,
    keysCount: 0,
  };
}

/** One valid record of every kind. */
function valid(): Required<{
  -readonly [K in keyof SessionChanges]: NonNullable<SessionChanges[K]>[number];
}> {
  return {
    preKeys: { publicKey: pub(), privateKey: key(), createdMs: 5 },
    installations: {
      identity: pub(),
      id: 'device',
      signedPreKey: pub(),
      version: 1,
      protocolVersion: 1,
      enabled: true,
      lastSeen: 3,
      agreed: false,
    },
    sessions: {
      id: 's',
      identity: pub(),
      installationId: 'device',
      bundleId: pub(),
      sharedKey: key(),
      x3dhHeader: { key: pub(), id: pub() },
      ratchet: ratchet(),
    },
    dropSessionsOf: { identity: pub(), installationId: 'device' },
    dropInstallations: { identity: pub(), installationId: 'device' },
    messageKeys: { sessionId: 's', dh: pub(), n: 0, messageKey: key(), seq: 0 },
    deleteMessageKeys: { sessionId: 's', dh: pub(), n: 0 },
    pruneMessageKeys: { sessionId: 's', dropUpToSeq: -1, keepNewest: 0 },
  };
}

/** The `details.what` of the error `validateChanges` throws on `changes`. */
function rejected(changes: SessionChanges): unknown {
  try {
    validateChanges(changes);
  } catch (err) {
    expect(err).toBeInstanceOf(SecureTransportError);
    expect((err as SecureTransportError).code).toBe(SecureTransportErrorCode.InvalidArgument);
    return (err as SecureTransportError).details;
  }
  throw new Error('validateChanges accepted an invalid batch');
}

/** A batch of one valid record of `kind`, with `patch` applied to it. */
function one<K extends keyof ReturnType<typeof valid>>(
  kind: K,
  patch: Record<string, unknown>,
): SessionChanges {
  return { [kind]: [{ ...valid()[kind], ...patch }] } as SessionChanges;
}

describe('validateChanges: a store batch is checked field by field before anything is written', () => {
  it('accepts a batch with one valid record of every kind, optional fields absent or set', () => {
    const all = valid();
    const batch = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, [v]])) as SessionChanges;
    expect(() => validateChanges(batch)).not.toThrow();
    expect(() => validateChanges({})).not.toThrow();
    expect(() =>
      validateChanges({
        installations: [{ ...all.installations, signedPreKey: undefined }],
        sessions: [{ ...all.sessions, x3dhHeader: undefined, ratchet: { ...ratchet(), dhr: undefined } }],
      }),
    ).not.toThrow();
  });

  it('names the bad field of each record kind in details.what', () => {
    const cases: [SessionChanges, string][] = [
      [one('preKeys', { publicKey: key() }), 'prekey public key'],
      [one('preKeys', { privateKey: pub() }), 'prekey private key'],
      [one('preKeys', { createdMs: 1.5 }), 'prekey time'],
      [one('installations', { identity: key() }), 'installation identity'],
      [one('installations', { id: 7 }), 'installation id'],
      [one('installations', { signedPreKey: key() }), 'installation signed prekey'],
      [one('installations', { lastSeen: -2 }), 'installation number'],
      [one('sessions', { identity: key() }), 'session identity'],
      [one('sessions', { bundleId: key() }), 'session bundle id'],
      [one('sessions', { sharedKey: pub() }), 'session shared key'],
      [one('sessions', { x3dhHeader: { key: key(), id: pub() } }), 'X3DH header key'],
      [one('sessions', { x3dhHeader: { key: pub(), id: key() } }), 'X3DH header id'],
      [one('sessions', { id: 1 }), 'session id'],
      [one('sessions', { installationId: undefined }), 'session id'],
      [one('sessions', { ratchet: { ...ratchet(), sendKey: pub() } }), 'ratchet key'],
      [one('sessions', { ratchet: { ...ratchet(), dhsPublic: key() } }), 'ratchet public key'],
      [one('sessions', { ratchet: { ...ratchet(), dhr: key() } }), 'remote ratchet key'],
      [one('sessions', { ratchet: { ...ratchet(), keysCount: Number.NaN } }), 'ratchet counter'],
      [one('dropSessionsOf', { identity: key() }), 'dropped identity'],
      [one('dropInstallations', { identity: key() }), 'dropped installation identity'],
      [one('dropInstallations', { installationId: null }), 'dropped installation id'],
      [one('messageKeys', { dh: key() }), 'message key ratchet key'],
      [one('messageKeys', { messageKey: pub() }), 'message key'],
      [one('messageKeys', { n: -2 }), 'message key n'],
      [one('messageKeys', { seq: '0' }), 'message key seq'],
      [one('deleteMessageKeys', { dh: key() }), 'deleted message key ratchet key'],
      [one('deleteMessageKeys', { n: 0.5 }), 'deleted message key n'],
      [one('pruneMessageKeys', { dropUpToSeq: -2 }), 'prune seq'],
      [one('pruneMessageKeys', { keepNewest: Number.POSITIVE_INFINITY }), 'prune count'],
    ];
    for (const [changes, what] of cases) expect(rejected(changes), what).toEqual({ what });
  });

  it('checks every installation number, and accepts -1 but not -2 as a counter', () => {
    for (const field of ['version', 'protocolVersion', 'lastSeen']) {
      expect(rejected(one('installations', { [field]: 0.5 })), field).toEqual({
        what: 'installation number',
      });
      expect(() => validateChanges(one('installations', { [field]: -1 })), field).not.toThrow();
    }
  });
});
