import { defineSqliteSchema, sqliteTableExists } from '@status-ts/core/sqlite';

// Version 1, the first layout.
const SCHEMA_V1 = `
CREATE TABLE peerpool_cache (
  topic TEXT NOT NULL,
  id TEXT NOT NULL,
  enr TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (topic, id)
) WITHOUT ROWID;
CREATE INDEX peerpool_cache_at ON peerpool_cache (topic, at);
`;

/**
 * The peer cache's table, versioned in core's per-store versions table under `@status-ts/peerpool`. Files
 * from before that table (unversioned) are adopted on the first open.
 */
export const PEERPOOL_SQLITE_SCHEMA = defineSqliteSchema({
  component: '@status-ts/peerpool',
  migrations: [(db) => db.exec(SCHEMA_V1)],
  legacyVersion: (db) => (sqliteTableExists(db, 'peerpool_cache') ? 1 : 0),
});
