import type Database from 'better-sqlite3';
import { MailserverError, MailserverErrorCode } from '../errors.js';

/**
 * On-disk layout version, kept in `PRAGMA user_version`.
 * - 1 (written with user_version 0): `envelopes` keyed by the 40-byte DB key, with a (topic, key) index.
 * - 2: `envelopes` keyed by the 36-byte cursor key (sent time || hash: the hash fixes the topic, so the
 *   topic suffix adds nothing to uniqueness); topic lookups in a narrow `topic_keys` table that is filled
 *   in bulk from `fresh_keys`, where a trigger puts each new key first (see SqliteEnvelopeStore).
 */
export const SQLITE_SCHEMA_VERSION = 2;

const V2_TABLES = `
CREATE TABLE envelopes (
  key BLOB PRIMARY KEY,
  topic BLOB NOT NULL,
  arrived INTEGER NOT NULL,
  raw BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE topic_keys (
  topic BLOB NOT NULL,
  key BLOB NOT NULL,
  PRIMARY KEY (topic, key)
) WITHOUT ROWID;
CREATE TABLE fresh_keys (
  key BLOB PRIMARY KEY,
  topic BLOB NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER envelopes_fresh_key AFTER INSERT ON envelopes BEGIN
  INSERT INTO fresh_keys (key, topic) VALUES (new.key, new.topic);
END;
`;

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** The version a file is at: 0 for an empty file, 1 for the unversioned first layout. */
export function sqliteSchemaVersion(db: Database.Database): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version !== 0) return version;
  return tableExists(db, 'envelopes') ? 1 : 0;
}

/**
 * Brings a file to {@link SQLITE_SCHEMA_VERSION} in one transaction (a crash midway leaves the old layout
 * intact); refuses a file written by a newer version rather than misreading it.
 */
export function migrateSqliteSchema(db: Database.Database): { from: number; to: number } {
  const from = sqliteSchemaVersion(db);
  if (from > SQLITE_SCHEMA_VERSION) {
    throw new MailserverError(
      MailserverErrorCode.Store,
      `SQLite store has schema version ${from}, newer than this release understands (${SQLITE_SCHEMA_VERSION})`,
    );
  }
  if (from === SQLITE_SCHEMA_VERSION) return { from, to: from };
  db.transaction(() => {
    if (from === 1) {
      db.exec('ALTER TABLE envelopes RENAME TO envelopes_v1');
      db.exec(V2_TABLES);
      db.exec(
        'INSERT INTO envelopes SELECT substr(key, 1, 36), topic, arrived, raw FROM envelopes_v1 ORDER BY key;' +
          'DELETE FROM fresh_keys;' +
          'INSERT INTO topic_keys SELECT topic, substr(key, 1, 36) FROM envelopes_v1 ORDER BY topic, key;' +
          'DROP TABLE envelopes_v1;',
      );
    } else {
      db.exec(V2_TABLES);
    }
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  })();
  return { from, to: SQLITE_SCHEMA_VERSION };
}
