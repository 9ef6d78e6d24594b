import { defineSqliteSchema, sqliteTableExists } from '@status-ts/core/sqlite';

// Version 1, the first layout.
const SCHEMA_V1 = `
CREATE TABLE rendezvous_registrations (
  topic TEXT NOT NULL,
  node_id TEXT NOT NULL,
  seq TEXT NOT NULL,
  record BLOB NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (topic, node_id)
) WITHOUT ROWID;
CREATE INDEX rendezvous_registrations_live ON rendezvous_registrations (topic, expires_at);
CREATE INDEX rendezvous_registrations_expiry ON rendezvous_registrations (expires_at);
`;

/**
 * The registration store's table, versioned in core's per-store versions table under
 * `@status-ts/rendezvous`. Files from before that table (unversioned) are adopted on the first open.
 */
export const RENDEZVOUS_SQLITE_SCHEMA = defineSqliteSchema({
  component: '@status-ts/rendezvous',
  migrations: [(db) => db.exec(SCHEMA_V1)],
  legacyVersion: (db) => (sqliteTableExists(db, 'rendezvous_registrations') ? 1 : 0),
});
