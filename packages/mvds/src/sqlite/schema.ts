import type { Database } from 'better-sqlite3';
import { MvdsError, MvdsErrorCode } from '../errors.js';

/** Bumped with every change of the tables below; `PRAGMA user_version` records what a file holds. */
export const SQLITE_SCHEMA_VERSION = 1;

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

/** Creates the tables in a new file, accepts a file at the current version, refuses a newer one. */
export function migrate(db: Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SQLITE_SCHEMA_VERSION) return;
  if (version > SQLITE_SCHEMA_VERSION) {
    throw new MvdsError(
      MvdsErrorCode.InvalidArgument,
      `database schema ${version} is newer than this version of @status-ts/mvds (${SQLITE_SCHEMA_VERSION})`,
    );
  }
  db.transaction(() => {
    db.exec(SCHEMA_V1);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  })();
}
