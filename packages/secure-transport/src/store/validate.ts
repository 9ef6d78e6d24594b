import { SecureTransportError, SecureTransportErrorCode } from '../errors.js';
import type { RatchetState } from '../ratchet-state.js';
import type { SessionChanges, StoredSession } from './types.js';

function fail(what: string): never {
  throw new SecureTransportError(
    SecureTransportErrorCode.InvalidArgument,
    `invalid ${what} in store changes`,
    {
      details: { what },
    },
  );
}

function bytes(value: unknown, lengths: readonly number[], what: string): void {
  if (!(value instanceof Uint8Array) || !lengths.includes(value.length)) fail(what);
}

function count(value: unknown, what: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < -1) fail(what);
}

const KEY = [32];
const PUBLIC = [33];

function checkRatchet(r: RatchetState): void {
  for (const k of [r.rootKey, r.dhsPrivate, r.sendKey, r.recvKey]) bytes(k, KEY, 'ratchet key');
  bytes(r.dhsPublic, PUBLIC, 'ratchet public key');
  if (r.dhr !== undefined) bytes(r.dhr, PUBLIC, 'remote ratchet key');
  for (const c of [r.sendN, r.recvN, r.pn, r.keysCount]) count(c, 'ratchet counter');
}

function checkSession(s: StoredSession): void {
  bytes(s.identity, PUBLIC, 'session identity');
  bytes(s.bundleId, PUBLIC, 'session bundle id');
  bytes(s.sharedKey, KEY, 'session shared key');
  if (s.x3dhHeader) {
    bytes(s.x3dhHeader.key, PUBLIC, 'X3DH header key');
    bytes(s.x3dhHeader.id, PUBLIC, 'X3DH header id');
  }
  if (typeof s.id !== 'string' || typeof s.installationId !== 'string') fail('session id');
  checkRatchet(s.ratchet);
}

/** Checks a whole batch before anything is written, so a bad record can never leave half a batch applied. */
export function validateChanges(changes: SessionChanges): void {
  for (const p of changes.preKeys ?? []) {
    bytes(p.publicKey, PUBLIC, 'prekey public key');
    bytes(p.privateKey, KEY, 'prekey private key');
    count(p.createdMs, 'prekey time');
  }
  for (const i of changes.installations ?? []) {
    bytes(i.identity, PUBLIC, 'installation identity');
    if (typeof i.id !== 'string') fail('installation id');
    if (i.signedPreKey !== undefined) bytes(i.signedPreKey, PUBLIC, 'installation signed prekey');
    for (const c of [i.version, i.protocolVersion, i.lastSeen]) count(c, 'installation number');
  }
  for (const s of changes.sessions ?? []) checkSession(s);
  for (const d of changes.dropSessionsOf ?? []) bytes(d.identity, PUBLIC, 'dropped identity');
  for (const d of changes.dropInstallations ?? []) {
    bytes(d.identity, PUBLIC, 'dropped installation identity');
    if (typeof d.installationId !== 'string') fail('dropped installation id');
  }
  for (const k of changes.messageKeys ?? []) {
    bytes(k.dh, PUBLIC, 'message key ratchet key');
    bytes(k.messageKey, KEY, 'message key');
    count(k.n, 'message key n');
    count(k.seq, 'message key seq');
  }
  for (const k of changes.deleteMessageKeys ?? []) {
    bytes(k.dh, PUBLIC, 'deleted message key ratchet key');
    count(k.n, 'deleted message key n');
  }
  for (const p of changes.pruneMessageKeys ?? []) {
    count(p.dropUpToSeq, 'prune seq');
    count(p.keepNewest, 'prune count');
  }
}
