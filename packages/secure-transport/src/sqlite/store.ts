import { bytesToHex } from '@status-ts/core';
import {
  migrateSqliteSchema,
  openSqliteStore,
  type SqliteConnection,
  type SqliteDatabase,
  type SqliteSource,
  type SqliteStatement,
} from '@status-ts/core/sqlite';
import { assertAtRestKey, openAtRest, sealAtRest } from '../at-rest.js';
import type {
  SessionChanges,
  SessionStore,
  StoredInstallation,
  StoredMessageKey,
  StoredPreKey,
  StoredSession,
} from '../store/types.js';
import { validateChanges } from '../store/validate.js';
import { SECURE_TRANSPORT_SQLITE_SCHEMA } from './schema.js';

// SQLite SessionStore on better-sqlite3 (an optional peer dependency, loaded only to open a file): prepared statements, WAL journal, one transaction per `apply`.
// The driver is synchronous; the interface is async for browser and React Native stores.

export interface SecureTransportSqliteStoreOptions {
  /**
   * 32-byte key that encrypts the secrets at rest (AES-256-GCM): prekey private keys, session root /
   * chain / ratchet private / shared keys, stored message keys. Derive it from the user's password or the
   * platform keystore; it is never written to the database.
   */
  readonly encryptionKey: Uint8Array;
  /** `PRAGMA synchronous` of a file opened here (default NORMAL, safe with WAL); a connection passed in keeps its own. */
  readonly synchronous?: 'OFF' | 'NORMAL' | 'FULL';
}

const KEY_CHECK_CONTEXT = 'st:key-check';
const u8 = (value: Uint8Array): Uint8Array => new Uint8Array(value); // Buffers out, plain Uint8Array in the API

interface InstallationRow {
  identity: Uint8Array;
  id: string;
  signed_pre_key: Uint8Array | null;
  version: number;
  protocol_version: number;
  enabled: number;
  last_seen: number;
  agreed: number;
}

interface SessionRow {
  id: string;
  identity: Uint8Array;
  installation_id: string;
  bundle_id: Uint8Array;
  x3dh_key: Uint8Array | null;
  x3dh_id: Uint8Array | null;
  dhs_public: Uint8Array;
  dhr: Uint8Array | null;
  send_n: number;
  recv_n: number;
  pn: number;
  keys_count: number;
  secrets: Uint8Array;
}

const preKeyContext = (publicKey: Uint8Array) => `st:prekey:${bytesToHex(publicKey)}`;
const sessionContext = (id: string) => `st:session:${id}`;
const messageKeyContext = (sessionId: string, dh: Uint8Array, n: number) =>
  `st:mk:${sessionId}:${bytesToHex(dh)}:${n}`;

/**
 * A `SessionStore` in a SQLite database; the secrets are sealed with the caller's key. Open it with
 * {@link openSecureTransportSqliteStore}.
 */
export class SqliteSessionStore implements SessionStore {
  readonly db: SqliteDatabase;
  readonly #connection: SqliteConnection;
  readonly #key: Uint8Array;
  readonly #stmt: Record<string, SqliteStatement>;
  readonly #apply: (changes: SessionChanges) => void;

  /** Use {@link openSecureTransportSqliteStore}. */
  constructor(connection: SqliteConnection, encryptionKey: Uint8Array) {
    this.#connection = connection;
    this.db = connection.db;
    const db = this.db;
    this.#key = encryptionKey.slice();
    migrateSqliteSchema(db, SECURE_TRANSPORT_SQLITE_SCHEMA);
    this.#checkKey();
    const s = (sql: string) => db.prepare(sql);
    this.#stmt = {
      preKeys: s('SELECT public_key, private_key, created_ms FROM st_prekeys ORDER BY created_ms'),
      putPreKey: s(
        'INSERT OR REPLACE INTO st_prekeys (public_key, private_key, created_ms) VALUES (?, ?, ?)',
      ),
      installations: s('SELECT * FROM st_installations WHERE identity = ?'),
      identities: s('SELECT DISTINCT identity FROM st_installations').pluck(),
      putInstallation: s(
        `INSERT OR REPLACE INTO st_installations
         (identity, id, signed_pre_key, version, protocol_version, enabled, last_seen, agreed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      sessions: s('SELECT * FROM st_sessions WHERE identity = ? AND installation_id = ?'),
      putSession: s(
        `INSERT OR REPLACE INTO st_sessions
         (id, identity, installation_id, bundle_id, x3dh_key, x3dh_id, dhs_public, dhr, send_n, recv_n, pn,
          keys_count, secrets) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deviceSessionIds: s('SELECT id FROM st_sessions WHERE identity = ? AND installation_id = ?').pluck(),
      dropDeviceSessions: s('DELETE FROM st_sessions WHERE identity = ? AND installation_id = ?'),
      dropInstallation: s('DELETE FROM st_installations WHERE identity = ? AND id = ?'),
      dropSessionKeys: s('DELETE FROM st_message_keys WHERE session_id = ?'),
      messageKey: s('SELECT seq, message_key FROM st_message_keys WHERE session_id = ? AND dh = ? AND n = ?'),
      countKeys: s('SELECT COUNT(*) FROM st_message_keys WHERE session_id = ?').pluck(),
      putKey: s(
        'INSERT OR REPLACE INTO st_message_keys (session_id, dh, n, seq, message_key) VALUES (?, ?, ?, ?, ?)',
      ),
      deleteKey: s('DELETE FROM st_message_keys WHERE session_id = ? AND dh = ? AND n = ?'),
      dropKeysUpTo: s('DELETE FROM st_message_keys WHERE session_id = ? AND seq <= ?'),
      keepNewestKeys: s(
        `DELETE FROM st_message_keys WHERE session_id = ? AND seq <= (
           SELECT seq FROM st_message_keys WHERE session_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
      ),
    };
    this.#apply = db.transaction((changes: SessionChanges) => this.#write(changes));
  }

  // A fixed value sealed with the key on creation: opening with another key fails here, not on first use.
  #checkKey(): void {
    const row = this.db.prepare('SELECT value FROM st_meta WHERE key = ?').pluck().get('key_check') as
      | Uint8Array
      | undefined;
    if (row) {
      openAtRest(this.#key, u8(row), KEY_CHECK_CONTEXT);
      return;
    }
    this.db
      .prepare('INSERT INTO st_meta (key, value) VALUES (?, ?)')
      .run('key_check', sealAtRest(this.#key, new Uint8Array(32), KEY_CHECK_CONTEXT));
  }

  async loadPreKeys(): Promise<StoredPreKey[]> {
    const rows = this.#stmt.preKeys!.all() as {
      public_key: Uint8Array;
      private_key: Uint8Array;
      created_ms: number;
    }[];
    return rows.map((r) => ({
      publicKey: u8(r.public_key),
      privateKey: openAtRest(this.#key, u8(r.private_key), preKeyContext(r.public_key)),
      createdMs: r.created_ms,
    }));
  }

  async loadInstallations(identity: Uint8Array): Promise<StoredInstallation[]> {
    const rows = this.#stmt.installations!.all(identity) as InstallationRow[];
    return rows.map((r) => ({
      identity: u8(r.identity),
      id: r.id,
      signedPreKey: r.signed_pre_key === null ? undefined : u8(r.signed_pre_key),
      version: r.version,
      protocolVersion: r.protocol_version,
      enabled: r.enabled === 1,
      lastSeen: r.last_seen,
      agreed: r.agreed === 1,
    }));
  }

  async loadIdentities(): Promise<Uint8Array[]> {
    return (this.#stmt.identities!.all() as Uint8Array[]).map(u8);
  }

  async loadSessions(identity: Uint8Array, installationId: string): Promise<StoredSession[]> {
    const rows = this.#stmt.sessions!.all(identity, installationId) as SessionRow[];
    return rows.map((r) => {
      const secrets = openAtRest(this.#key, u8(r.secrets), sessionContext(r.id));
      const at = (i: number) => secrets.slice(i * 32, (i + 1) * 32);
      return {
        id: r.id,
        identity: u8(r.identity),
        installationId: r.installation_id,
        bundleId: u8(r.bundle_id),
        sharedKey: at(4),
        x3dhHeader:
          r.x3dh_key === null || r.x3dh_id === null ? undefined : { key: u8(r.x3dh_key), id: u8(r.x3dh_id) },
        ratchet: {
          rootKey: at(0),
          dhsPrivate: at(1),
          dhsPublic: u8(r.dhs_public),
          dhr: r.dhr === null ? undefined : u8(r.dhr),
          sendKey: at(2),
          sendN: r.send_n,
          recvKey: at(3),
          recvN: r.recv_n,
          pn: r.pn,
          keysCount: r.keys_count,
        },
      };
    });
  }

  async loadMessageKey(sessionId: string, dh: Uint8Array, n: number): Promise<StoredMessageKey | undefined> {
    const row = this.#stmt.messageKey!.get(sessionId, dh, n) as
      | { seq: number; message_key: Uint8Array }
      | undefined;
    if (!row) return undefined;
    return {
      sessionId,
      dh: dh.slice(),
      n,
      seq: row.seq,
      messageKey: openAtRest(this.#key, u8(row.message_key), messageKeyContext(sessionId, dh, n)),
    };
  }

  async countMessageKeys(sessionId: string): Promise<number> {
    return this.#stmt.countKeys!.get(sessionId) as number;
  }

  async apply(changes: SessionChanges): Promise<void> {
    validateChanges(changes);
    this.#apply(changes); // one transaction: rolled back entirely if any statement throws
  }

  #write(c: SessionChanges): void {
    const st = this.#stmt;
    for (const { identity, installationId } of c.dropSessionsOf ?? [])
      this.#dropSessions(identity, installationId);
    for (const p of c.preKeys ?? []) {
      st.putPreKey!.run(
        p.publicKey,
        sealAtRest(this.#key, p.privateKey, preKeyContext(p.publicKey)),
        p.createdMs,
      );
    }
    for (const i of c.installations ?? []) {
      st.putInstallation!.run(
        i.identity,
        i.id,
        i.signedPreKey ?? null,
        i.version,
        i.protocolVersion,
        i.enabled ? 1 : 0,
        i.lastSeen,
        i.agreed ? 1 : 0,
      );
    }
    for (const s of c.sessions ?? []) {
      const r = s.ratchet;
      const secrets = new Uint8Array(160);
      const parts = [r.rootKey, r.dhsPrivate, r.sendKey, r.recvKey, s.sharedKey];
      for (let i = 0; i < parts.length; i++) secrets.set(parts[i]!, i * 32);
      st.putSession!.run(
        s.id,
        s.identity,
        s.installationId,
        s.bundleId,
        s.x3dhHeader?.key ?? null,
        s.x3dhHeader?.id ?? null,
        r.dhsPublic,
        r.dhr ?? null,
        r.sendN,
        r.recvN,
        r.pn,
        r.keysCount,
        sealAtRest(this.#key, secrets, sessionContext(s.id)),
      );
      secrets.fill(0);
    }
    for (const k of c.messageKeys ?? []) {
      st.putKey!.run(
        k.sessionId,
        k.dh,
        k.n,
        k.seq,
        sealAtRest(this.#key, k.messageKey, messageKeyContext(k.sessionId, k.dh, k.n)),
      );
    }
    for (const k of c.deleteMessageKeys ?? []) st.deleteKey!.run(k.sessionId, k.dh, k.n);
    for (const p of c.pruneMessageKeys ?? []) {
      if (p.dropUpToSeq >= 0) st.dropKeysUpTo!.run(p.sessionId, p.dropUpToSeq);
      st.keepNewestKeys!.run(p.sessionId, p.sessionId, p.keepNewest);
    }
    for (const { identity, installationId } of c.dropInstallations ?? []) {
      this.#dropSessions(identity, installationId);
      st.dropInstallation!.run(identity, installationId);
    }
  }

  #dropSessions(identity: Uint8Array, installationId: string): void {
    const st = this.#stmt;
    for (const id of st.deviceSessionIds!.all(identity, installationId) as string[])
      st.dropSessionKeys!.run(id);
    st.dropDeviceSessions!.run(identity, installationId);
  }

  /** Closes the database if the store opened it; a connection passed in stays open. */
  async close(): Promise<void> {
    this.#connection.close();
  }
}

/**
 * Opens (creating if needed) a session store in a SQLite file (WAL; `':memory:'` works too), or on a
 * better-sqlite3 connection the application already has open, beside other stores' tables (left open by
 * `close()`). A store created with one `encryptionKey` refuses any other (ERR_ST_STORE_KEY). better-sqlite3
 * is an optional peer dependency, loaded only to open a file: without it this throws
 * `MissingDependencyError` (ERR_MISSING_DEPENDENCY).
 */
export function openSecureTransportSqliteStore(
  source: SqliteSource,
  options: SecureTransportSqliteStoreOptions,
): SqliteSessionStore {
  assertAtRestKey(options.encryptionKey);
  const settings = {
    from: import.meta.url,
    feature: '@status-ts/secure-transport/sqlite',
    synchronous: options.synchronous,
  };
  return openSqliteStore(
    source,
    settings,
    (connection) => new SqliteSessionStore(connection, options.encryptionKey),
  );
}
