import { defineSqliteSchema, type SqliteDatabase, sqliteTableExists } from '@status-ts/core/sqlite';

// Layouts of the embedded store; its version lives in core's per-store versions table, under
// `@status-ts/mailserver`.
// - 1: `envelopes` keyed by the 40-byte DB key, with a (topic, key) index.
// - 2: `envelopes` keyed by the 36-byte cursor key (sent time || hash: the hash fixes the topic, so the topic
//   suffix adds nothing to uniqueness); topic lookups in a narrow `topic_keys` table that is filled in bulk
//   from `fresh_keys`, where a trigger puts each new key first (see SqliteEnvelopeStore).

const V1_TABLES = `
CREATE TABLE envelopes (
  key BLOB PRIMARY KEY,
  topic BLOB NOT NULL,
  arrived INTEGER NOT NULL,
  raw BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX envelopes_topic_key ON envelopes (topic, key);
`;

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

function v1ToV2(db: SqliteDatabase): void {
  db.exec('ALTER TABLE envelopes RENAME TO envelopes_v1');
  db.exec(V2_TABLES);
  db.exec(
    'INSERT INTO envelopes SELECT substr(key, 1, 36), topic, arrived, raw FROM envelopes_v1 ORDER BY key;' +
      'DELETE FROM fresh_keys;' +
      'INSERT INTO topic_keys SELECT topic, substr(key, 1, 36) FROM envelopes_v1 ORDER BY topic, key;' +
      'DROP TABLE envelopes_v1;',
  );
}

/**
 * The embedded store's tables. Files from before the shared versions table kept the version in
 * `PRAGMA user_version` (0 for the first layout); they are adopted once, on the first open.
 */
export const MAILSERVER_SQLITE_SCHEMA = defineSqliteSchema({
  component: '@status-ts/mailserver',
  migrations: [(db) => db.exec(V1_TABLES), v1ToV2],
  legacyVersion: (db, userVersion) => {
    if (!sqliteTableExists(db, 'envelopes')) return 0;
    return userVersion === 0 ? 1 : userVersion;
  },
});
