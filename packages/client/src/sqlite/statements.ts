import type { SqliteDatabase, SqliteStatement } from '@status-ts/core/sqlite';
import { MESSAGE_COLUMNS } from './rows.js';

// Every statement the SQLite message store runs, prepared once when it opens.

const SQL = {
  getChat: 'SELECT * FROM client_chats WHERE id = ?',
  hasChat: 'SELECT 1 FROM client_chats WHERE id = ?',
  listActiveChats: 'SELECT * FROM client_chats WHERE active = 1 ORDER BY last_message_at DESC, id',
  listAllChats: 'SELECT * FROM client_chats ORDER BY last_message_at DESC, id',
  putChat: `INSERT OR REPLACE INTO client_chats
    (id, kind, name, active, last_clock, unread_count, created_at, last_message_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  deactivateChat: 'UPDATE client_chats SET active = 0 WHERE id = ? AND active = 1',
  markChatRead: 'UPDATE client_chats SET unread_count = 0 WHERE id = ?',
  chatActivity: `UPDATE client_chats SET last_clock = max(last_clock, ?), last_message_at = max(last_message_at, ?),
    unread_count = unread_count + ? WHERE id = ?`,
  chatEvents: 'SELECT event FROM client_chat_events WHERE chat_id = ? ORDER BY position',
  dropChatEvents: 'DELETE FROM client_chat_events WHERE chat_id = ?',
  putChatEvent: 'INSERT INTO client_chat_events (chat_id, position, event) VALUES (?, ?, ?)',

  // Only a duplicate id is skipped: any other constraint failure still throws and rolls the batch back.
  insertMessage: `INSERT INTO client_messages (${MESSAGE_COLUMNS}) VALUES (${Array(19).fill('?').join(', ')})
    ON CONFLICT (id) DO NOTHING`,
  getMessage: 'SELECT * FROM client_messages WHERE id = ?',
  hasMessage:
    'SELECT 1 FROM client_messages WHERE id = ? UNION ALL SELECT 1 FROM client_deleted_messages WHERE id = ?',
  isDeleted: 'SELECT 1 FROM client_deleted_messages WHERE id = ?',
  // Newest first, one more than asked for: the extra row tells whether older messages remain.
  newestPage: 'SELECT * FROM client_messages WHERE chat_id = ? ORDER BY clock DESC, id DESC LIMIT ?',
  pageBefore: `SELECT * FROM client_messages WHERE chat_id = ? AND (clock, id) < (?, ?)
    ORDER BY clock DESC, id DESC LIMIT ?`,
  deliveryOf: 'SELECT outgoing, delivery_state FROM client_messages WHERE id = ?',
  setDelivery: 'UPDATE client_messages SET delivery_state = ?, delivery_state_at = ? WHERE id = ?',
  deleteMessage: 'DELETE FROM client_messages WHERE id = ?',
  rememberDeleted: 'INSERT OR IGNORE INTO client_deleted_messages (id) VALUES (?)',

  saveReaction: `INSERT INTO client_reactions (id, chat_id, message_id, author, emoji, clock, retracted)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET chat_id = excluded.chat_id, message_id = excluded.message_id,
      author = excluded.author, emoji = excluded.emoji, clock = excluded.clock, retracted = excluded.retracted
    WHERE excluded.clock > client_reactions.clock`,
  getReaction: 'SELECT * FROM client_reactions WHERE id = ?',
  reactionsOf: 'SELECT * FROM client_reactions WHERE message_id = ? AND retracted = 0 ORDER BY clock, id',
  dropReactionsOf: 'DELETE FROM client_reactions WHERE message_id = ?',

  getContact: 'SELECT * FROM client_contacts WHERE key = ?',
  listContacts: 'SELECT * FROM client_contacts ORDER BY key',
  putContact: `INSERT OR REPLACE INTO client_contacts
    (key, ens_name, nickname, added, blocked, profile_image, last_update_clock, last_profile_sent_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,

  syncedUntil: 'SELECT synced_until FROM client_history_sync WHERE topic = ?',
  markSynced: `INSERT INTO client_history_sync (topic, synced_until) VALUES (?, ?)
    ON CONFLICT (topic) DO UPDATE SET synced_until = max(synced_until, excluded.synced_until)`,
  syncState: 'SELECT topic, synced_until FROM client_history_sync ORDER BY topic',
  forgetSync: 'DELETE FROM client_history_sync WHERE topic = ?',

  getInstallation: 'SELECT * FROM client_installations WHERE id = ?',
  listInstallations: 'SELECT * FROM client_installations ORDER BY id',
  putInstallation: `INSERT OR REPLACE INTO client_installations (id, device_type, name, enabled, last_seen)
    VALUES (?, ?, ?, ?, ?)`,
} as const;

/** The prepared statements, by name. */
export type Statements = { readonly [K in keyof typeof SQL]: SqliteStatement };

/** Prepares every statement on `db` (whose tables must be at the current schema version). */
export function prepareStatements(db: SqliteDatabase): Statements {
  const prepared = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)]));
  const statements = prepared as Record<keyof typeof SQL, SqliteStatement>;
  statements.chatEvents.pluck();
  statements.syncedUntil.pluck();
  return statements;
}
