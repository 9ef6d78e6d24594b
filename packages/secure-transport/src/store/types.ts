import { bytesToHex } from '@status-ts/core';
import type { RatchetState } from '../ratchet-state.js';

/** One of our signed prekeys (current last; older ones stay so late X3DH messages still open). */
export interface StoredPreKey {
  readonly publicKey: Uint8Array;
  /** Long-lived secret: encrypted at rest by the SQLite store. */
  readonly privateKey: Uint8Array;
  readonly createdMs: number;
}

/** A known device of some identity (ours included), learned from a verified bundle or a message. */
export interface StoredInstallation {
  /** 33-byte compressed identity key. */
  readonly identity: Uint8Array;
  readonly id: string;
  /** Its signed prekey from the newest bundle seen, if any. */
  readonly signedPreKey: Uint8Array | undefined;
  /** `SignedPreKey.version`: a higher one replaces the device's sessions. */
  readonly version: number;
  /** `SignedPreKey.protocol_version` (0 on legacy clients: no partitioned topic). */
  readonly protocolVersion: number;
  readonly enabled: boolean;
  /** Last time (ms) we heard from it or learned about it; sending picks the most recent. */
  readonly lastSeen: number;
  /** We decrypted a message from it: it knows the negotiated secret (ST-14). */
  readonly agreed: boolean;
}

/** One ratchet session with a device, keyed by the signed prekey its X3DH used (`bundleId`). */
export interface StoredSession {
  /** `sessionIdOf(identity, installationId, bundleId)`. */
  readonly id: string;
  readonly identity: Uint8Array;
  readonly installationId: string;
  readonly bundleId: Uint8Array;
  /** X3DH output; concurrent sessions resolve to the smallest (ST-11). Secret. */
  readonly sharedKey: Uint8Array;
  /** Our X3DH header, repeated until the peer answers with a ratchet message. */
  readonly x3dhHeader: { readonly key: Uint8Array; readonly id: Uint8Array } | undefined;
  readonly ratchet: RatchetState;
}

/** A stored message key of a session: skipped, or used and not yet confirmed. Secret. */
export interface StoredMessageKey {
  readonly sessionId: string;
  readonly dh: Uint8Array;
  readonly n: number;
  readonly messageKey: Uint8Array;
  readonly seq: number;
}

/**
 * One atomic batch: a store applies all of it or none of it. Applied in this order: sessions dropped,
 * upserts (prekeys, installations, sessions), message keys added, deleted, pruned, installations dropped.
 */
export interface SessionChanges {
  readonly preKeys?: readonly StoredPreKey[];
  readonly installations?: readonly StoredInstallation[];
  readonly sessions?: readonly StoredSession[];
  /** Every session (and its message keys) of these devices goes. */
  readonly dropSessionsOf?: readonly { readonly identity: Uint8Array; readonly installationId: string }[];
  readonly messageKeys?: readonly StoredMessageKey[];
  readonly deleteMessageKeys?: readonly {
    readonly sessionId: string;
    readonly dh: Uint8Array;
    readonly n: number;
  }[];
  /** The ratchet limits: delete keys with seq <= `dropUpToSeq`, then keep only the newest `keepNewest`. */
  readonly pruneMessageKeys?: readonly {
    readonly sessionId: string;
    readonly dropUpToSeq: number;
    readonly keepNewest: number;
  }[];
  /** Applied last: these devices go with every session and message key of theirs (the per-identity cap). */
  readonly dropInstallations?: readonly { readonly identity: Uint8Array; readonly installationId: string }[];
}

/**
 * Persistence of `SecureTransport`: our prekeys, known installations, ratchet sessions and their stored
 * message keys. Reads return copies; `apply` is atomic. Implementations: `MemorySessionStore` and the
 * SQLite store of `@status-ts/secure-transport/sqlite` (which encrypts the secrets at rest).
 */
export interface SessionStore {
  loadPreKeys(): Promise<StoredPreKey[]>;
  loadInstallations(identity: Uint8Array): Promise<StoredInstallation[]>;
  /** Every identity with at least one stored installation. */
  loadIdentities(): Promise<Uint8Array[]>;
  loadSessions(identity: Uint8Array, installationId: string): Promise<StoredSession[]>;
  loadMessageKey(sessionId: string, dh: Uint8Array, n: number): Promise<StoredMessageKey | undefined>;
  countMessageKeys(sessionId: string): Promise<number>;
  apply(changes: SessionChanges): Promise<void>;
  close(): Promise<void>;
}

/** The id of the session with `installationId` of `identity` started on signed prekey `bundleId`. */
export function sessionIdOf(identity: Uint8Array, installationId: string, bundleId: Uint8Array): string {
  return `${bytesToHex(identity)}/${installationId}/${bytesToHex(bundleId)}`;
}
