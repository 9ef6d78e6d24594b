import { defineSqliteSchema, sqliteTableExists } from '@status-ts/core/sqlite';

// Secrets live only in the sealed columns (private_key, secrets, message_key); everything else is the
// metadata needed to find rows: identities, installation ids, public keys, counters, times.
// Version 1, the first layout.
const SCHEMA_V1 = `
CREATE TABLE st_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;

CREATE TABLE st_prekeys (
  public_key BLOB PRIMARY KEY,
  private_key BLOB NOT NULL,
  created_ms INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE st_installations (
  identity BLOB NOT NULL,
  id TEXT NOT NULL,
  signed_pre_key BLOB,
  version INTEGER NOT NULL,
  protocol_version INTEGER NOT NULL,
  enabled INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  agreed INTEGER NOT NULL,
  PRIMARY KEY (identity, id)
) WITHOUT ROWID;

CREATE TABLE st_sessions (
  id TEXT PRIMARY KEY,
  identity BLOB NOT NULL,
  installation_id TEXT NOT NULL,
  bundle_id BLOB NOT NULL,
  x3dh_key BLOB,
  x3dh_id BLOB,
  dhs_public BLOB NOT NULL,
  dhr BLOB,
  send_n INTEGER NOT NULL,
  recv_n INTEGER NOT NULL,
  pn INTEGER NOT NULL,
  keys_count INTEGER NOT NULL,
  secrets BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX st_sessions_device ON st_sessions (identity, installation_id);

CREATE TABLE st_message_keys (
  session_id TEXT NOT NULL,
  dh BLOB NOT NULL,
  n INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  message_key BLOB NOT NULL,
  PRIMARY KEY (session_id, dh, n)
) WITHOUT ROWID;
CREATE INDEX st_message_keys_seq ON st_message_keys (session_id, seq);
`;

/**
 * The session store's tables, versioned in core's per-store versions table under
 * `@status-ts/secure-transport`. Files from before that table (version 1 in `PRAGMA user_version`) are
 * adopted on the first open.
 */
export const SECURE_TRANSPORT_SQLITE_SCHEMA = defineSqliteSchema({
  component: '@status-ts/secure-transport',
  migrations: [(db) => db.exec(SCHEMA_V1)],
  legacyVersion: (db) => (sqliteTableExists(db, 'st_meta') ? 1 : 0),
});
