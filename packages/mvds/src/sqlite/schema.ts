import { defineSqliteSchema, sqliteTableExists } from '@status-ts/core/sqlite';

// Version 1, the first layout.
const SCHEMA_V1 = `
CREATE TABLE mvds_messages (
  id BLOB PRIMARY KEY,
  group_id BLOB NOT NULL,
  timestamp INTEGER NOT NULL,
  body BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE mvds_sync_state (
  peer BLOB NOT NULL,
  message_id BLOB NOT NULL,
  type INTEGER NOT NULL,
  group_id BLOB,
  send_count INTEGER NOT NULL,
  send_epoch INTEGER NOT NULL,
  PRIMARY KEY (peer, message_id)
) WITHOUT ROWID;
CREATE INDEX mvds_sync_state_epoch ON mvds_sync_state (send_epoch);
CREATE INDEX mvds_sync_state_message ON mvds_sync_state (message_id);

CREATE TABLE mvds_delivered (id BLOB PRIMARY KEY) WITHOUT ROWID;

CREATE TABLE mvds_groups (
  group_id BLOB NOT NULL,
  peer BLOB NOT NULL,
  UNIQUE (group_id, peer)
);

CREATE TABLE mvds_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/**
 * The MVDS stores' tables, versioned in core's per-store versions table under `@status-ts/mvds`. Files from
 * before that table (version 1 in `PRAGMA user_version`) are adopted on the first open.
 */
export const MVDS_SQLITE_SCHEMA = defineSqliteSchema({
  component: '@status-ts/mvds',
  migrations: [(db) => db.exec(SCHEMA_V1)],
  legacyVersion: (db) => (sqliteTableExists(db, 'mvds_messages') ? 1 : 0),
});
