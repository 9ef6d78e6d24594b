import { defineSqliteSchema } from '@status-ts/core/sqlite';

// Version 1, the first layout. Every table starts with `client_` so the file can hold the other stores'
// tables too. Tables whose rows can hold up to 1 MiB of bytes (messages, membership events) keep a rowid:
// WITHOUT ROWID suits small rows only. Booleans are 0 / 1, times and clocks INTEGER, ids and keys TEXT as
// the API spells them (`0x…` lowercase hex), topics 8 hex digits.
const SCHEMA_V1 = `
CREATE TABLE client_chats (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  active INTEGER NOT NULL,
  last_clock INTEGER NOT NULL,
  unread_count INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_message_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE client_chat_events (
  chat_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  event BLOB NOT NULL,
  PRIMARY KEY (chat_id, position)
);

CREATE TABLE client_messages (
  id TEXT PRIMARY KEY,
  chat_id TEXT NOT NULL,
  author TEXT NOT NULL,
  clock INTEGER NOT NULL,
  timestamp INTEGER NOT NULL,
  text TEXT NOT NULL,
  content_type TEXT NOT NULL,
  response_to TEXT NOT NULL,
  ens_name TEXT NOT NULL,
  content_kind TEXT,
  sticker_hash TEXT,
  sticker_pack INTEGER,
  media BLOB,
  media_type TEXT,
  duration_ms INTEGER,
  raw BLOB NOT NULL,
  outgoing INTEGER NOT NULL,
  delivery_state TEXT,
  delivery_state_at INTEGER
);
CREATE INDEX client_messages_chat_order ON client_messages (chat_id, clock, id);
CREATE INDEX client_messages_delivery ON client_messages (delivery_state, delivery_state_at, id)
  WHERE delivery_state IS NOT NULL;

CREATE TABLE client_deleted_messages (id TEXT PRIMARY KEY) WITHOUT ROWID;

CREATE TABLE client_reactions (
  id TEXT PRIMARY KEY,
  chat_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  author TEXT NOT NULL,
  emoji TEXT NOT NULL,
  clock INTEGER NOT NULL,
  retracted INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX client_reactions_message ON client_reactions (message_id, clock, id);

CREATE TABLE client_contacts (
  key TEXT PRIMARY KEY,
  ens_name TEXT NOT NULL,
  nickname TEXT NOT NULL,
  added INTEGER NOT NULL,
  blocked INTEGER NOT NULL,
  profile_image TEXT NOT NULL,
  last_update_clock INTEGER NOT NULL,
  last_profile_sent_at INTEGER NOT NULL
);

CREATE TABLE client_history_sync (topic TEXT PRIMARY KEY, synced_until INTEGER NOT NULL) WITHOUT ROWID;

CREATE TABLE client_installations (
  id TEXT PRIMARY KEY,
  device_type TEXT NOT NULL,
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
) WITHOUT ROWID;
`;

/**
 * The client message store's tables, versioned in core's per-store versions table under
 * `@status-ts/client`. The store is newer than that table, so there is no legacy layout to adopt.
 */
export const CLIENT_SQLITE_SCHEMA = defineSqliteSchema({
  component: '@status-ts/client',
  migrations: [(db) => db.exec(SCHEMA_V1)],
});
