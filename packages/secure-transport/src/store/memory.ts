import { bytesToHex, hexToBytes } from '@status-ts/core';
import type { RatchetState } from '../ratchet-state.js';
import type {
  SessionChanges,
  SessionStore,
  StoredInstallation,
  StoredMessageKey,
  StoredPreKey,
  StoredSession,
} from './types.js';
import { validateChanges } from './validate.js';

// Records are copied in and out, so neither the caller nor a failed operation can alter stored state.
const copyRatchet = (r: RatchetState): RatchetState => ({
  ...r,
  rootKey: r.rootKey.slice(),
  dhsPrivate: r.dhsPrivate.slice(),
  dhsPublic: r.dhsPublic.slice(),
  dhr: r.dhr?.slice(),
  sendKey: r.sendKey.slice(),
  recvKey: r.recvKey.slice(),
});
const copySession = (s: StoredSession): StoredSession => ({
  ...s,
  identity: s.identity.slice(),
  bundleId: s.bundleId.slice(),
  sharedKey: s.sharedKey.slice(),
  x3dhHeader: s.x3dhHeader ? { key: s.x3dhHeader.key.slice(), id: s.x3dhHeader.id.slice() } : undefined,
  ratchet: copyRatchet(s.ratchet),
});
const copyInstallation = (i: StoredInstallation): StoredInstallation => ({
  ...i,
  identity: i.identity.slice(),
  signedPreKey: i.signedPreKey?.slice(),
});
const copyPreKey = (p: StoredPreKey): StoredPreKey => ({
  ...p,
  publicKey: p.publicKey.slice(),
  privateKey: p.privateKey.slice(),
});
const copyKey = (k: StoredMessageKey): StoredMessageKey => ({
  ...k,
  dh: k.dh.slice(),
  messageKey: k.messageKey.slice(),
});

const deviceKey = (identity: Uint8Array, installationId: string) =>
  `${bytesToHex(identity)}/${installationId}`;
const messageKeyId = (dh: Uint8Array, n: number) => `${bytesToHex(dh)}:${n}`;

function entry<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** A `SessionStore` in memory: for tests, and for clients that do not persist sessions. */
export class MemorySessionStore implements SessionStore {
  readonly #preKeys = new Map<string, StoredPreKey>();
  /** identity hex -> installation id -> record */
  readonly #installations = new Map<string, Map<string, StoredInstallation>>();
  /** device key -> session id -> record */
  readonly #sessions = new Map<string, Map<string, StoredSession>>();
  /** session id -> message key id -> record */
  readonly #keys = new Map<string, Map<string, StoredMessageKey>>();

  async loadPreKeys(): Promise<StoredPreKey[]> {
    return [...this.#preKeys.values()].sort((a, b) => a.createdMs - b.createdMs).map(copyPreKey);
  }

  async loadInstallations(identity: Uint8Array): Promise<StoredInstallation[]> {
    return [...(this.#installations.get(bytesToHex(identity))?.values() ?? [])].map(copyInstallation);
  }

  async loadIdentities(): Promise<Uint8Array[]> {
    return [...this.#installations.keys()].map((hex) => hexToBytes(hex));
  }

  async loadSessions(identity: Uint8Array, installationId: string): Promise<StoredSession[]> {
    return [...(this.#sessions.get(deviceKey(identity, installationId))?.values() ?? [])].map(copySession);
  }

  async loadMessageKey(sessionId: string, dh: Uint8Array, n: number): Promise<StoredMessageKey | undefined> {
    const key = this.#keys.get(sessionId)?.get(messageKeyId(dh, n));
    return key && copyKey(key);
  }

  async countMessageKeys(sessionId: string): Promise<number> {
    return this.#keys.get(sessionId)?.size ?? 0;
  }

  async apply(changes: SessionChanges): Promise<void> {
    validateChanges(changes); // throws before anything changes
    for (const { identity, installationId } of changes.dropSessionsOf ?? []) {
      this.#dropSessions(identity, installationId);
    }
    for (const p of changes.preKeys ?? []) this.#preKeys.set(bytesToHex(p.publicKey), copyPreKey(p));
    for (const i of changes.installations ?? []) {
      entry(this.#installations, bytesToHex(i.identity), () => new Map()).set(i.id, copyInstallation(i));
    }
    for (const s of changes.sessions ?? []) {
      entry(this.#sessions, deviceKey(s.identity, s.installationId), () => new Map()).set(
        s.id,
        copySession(s),
      );
    }
    for (const k of changes.messageKeys ?? []) {
      entry(this.#keys, k.sessionId, () => new Map()).set(messageKeyId(k.dh, k.n), copyKey(k));
    }
    for (const k of changes.deleteMessageKeys ?? [])
      this.#keys.get(k.sessionId)?.delete(messageKeyId(k.dh, k.n));
    for (const { sessionId, dropUpToSeq, keepNewest } of changes.pruneMessageKeys ?? []) {
      const keys = this.#keys.get(sessionId);
      if (!keys) continue;
      for (const [id, key] of keys) if (key.seq <= dropUpToSeq) keys.delete(id);
      if (keys.size > keepNewest) {
        const oldest = [...keys].sort((a, b) => a[1].seq - b[1].seq).slice(0, keys.size - keepNewest);
        for (const [id] of oldest) keys.delete(id);
      }
    }
    for (const { identity, installationId } of changes.dropInstallations ?? []) {
      this.#dropSessions(identity, installationId);
      const devices = this.#installations.get(bytesToHex(identity));
      devices?.delete(installationId);
      if (devices?.size === 0) this.#installations.delete(bytesToHex(identity));
    }
  }

  #dropSessions(identity: Uint8Array, installationId: string): void {
    const device = deviceKey(identity, installationId);
    for (const id of this.#sessions.get(device)?.keys() ?? []) this.#keys.delete(id);
    this.#sessions.delete(device);
  }

  /** A deep copy of everything stored, for tests and debugging (contains secrets). */
  dump(): {
    preKeys: StoredPreKey[];
    installations: StoredInstallation[];
    sessions: StoredSession[];
    messageKeys: StoredMessageKey[];
  } {
    const byId = <T extends { id: string }>(xs: T[]) => xs.sort((a, b) => (a.id < b.id ? -1 : 1));
    return {
      preKeys: [...this.#preKeys.values()].map(copyPreKey),
      installations: [...this.#installations.values()].flatMap((m) => [...m.values()].map(copyInstallation)),
      sessions: byId([...this.#sessions.values()].flatMap((m) => [...m.values()].map(copySession))),
      messageKeys: [...this.#keys.values()].flatMap((m) => [...m.values()].map(copyKey)),
    };
  }

  async close(): Promise<void> {}
}
