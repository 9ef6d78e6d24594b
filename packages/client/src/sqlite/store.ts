import {
  migrateSqliteSchema,
  openSqliteStore,
  type SqliteConnection,
  type SqliteDatabase,
  type SqliteSource,
} from '@status-ts/core/sqlite';
import {
  checkArray,
  checkCount,
  checkMessageId,
  checkObject,
  checkPublicKey,
  checkString,
  invalid,
} from '../store/checks.js';
import { decodeCursor, encodeCursor } from '../store/cursor.js';
import { deliveryStateApplies } from '../store/delivery.js';
import { storeClosed, unknownChat, unknownMessage } from '../store/errors.js';
import { MESSAGE_STORE_LIMITS as LIMITS } from '../store/limits.js';
import type { MessageStore, MessageStoreOptions } from '../store/message-store.js';
import {
  chatActivity,
  contactAfterUpdate,
  mergeChat,
  mergeContact,
  mergeInstallation,
  messageRecord,
} from '../store/records.js';
import { topicFromKey, topicKey } from '../store/topic.js';
import type {
  ChatInput,
  ContactInput,
  ContactUpdateInput,
  DeliveryState,
  InstallationInput,
  MessagePage,
  MessagePageOptions,
  NewMessage,
  StoredChat,
  StoredContact,
  StoredInstallation,
  StoredMessage,
  StoredReaction,
  TopicSyncState,
} from '../store/types.js';
import {
  validateChatId,
  validateChatInput,
  validateContactInput,
  validateContactUpdate,
  validateDeliveryState,
  validateInstallationInput,
  validateNewMessage,
  validatePageSize,
  validateReaction,
  validateTopic,
  validateTopics,
} from '../store/validate.js';
import {
  type ChatRow,
  type ContactRow,
  chatParams,
  contactParams,
  type InstallationRow,
  installationParams,
  MESSAGE_COLUMNS,
  type MessageRow,
  messageParams,
  type ReactionRow,
  reactionParams,
  toChat,
  toContact,
  toInstallation,
  toMessage,
  toReaction,
} from './rows.js';
import { CLIENT_SQLITE_SCHEMA } from './schema.js';
import { prepareStatements, type Statements } from './statements.js';

// The SQLite MessageStore on better-sqlite3 (an optional peer dependency, loaded only to open a file):
// prepared statements, one transaction per write, input validated before the transaction starts. The
// driver is synchronous; the interface is async for browser and React Native stores. Merging and counting
// rules are the shared ones of ../store/records.ts, so this store and the memory store agree.

/** Options of {@link openClientSqliteStore}. */
export interface ClientSqliteStoreOptions extends MessageStoreOptions {
  /**
   * `PRAGMA synchronous` of a file opened here: NORMAL (default) survives a process crash in WAL mode, FULL
   * also a power loss. A connection passed in keeps its own settings.
   */
  readonly synchronous?: 'OFF' | 'NORMAL' | 'FULL';
}

/** A `MessageStore` in a SQLite database; open it with {@link openClientSqliteStore}. */
export class SqliteMessageStore implements MessageStore {
  /** The connection, for the application's own queries (and its other stores). */
  readonly db: SqliteDatabase;
  readonly #connection: SqliteConnection;
  readonly #now: () => number;
  readonly #st: Statements;
  #closed = false;

  /** Use {@link openClientSqliteStore}. */
  constructor(connection: SqliteConnection, options: MessageStoreOptions = {}) {
    this.#connection = connection;
    this.db = connection.db;
    this.#now = options.now ?? Date.now;
    migrateSqliteSchema(this.db, CLIENT_SQLITE_SCHEMA);
    this.#st = prepareStatements(this.db);
  }

  #open(): Statements {
    if (this.#closed) throw storeClosed();
    return this.#st;
  }

  // One transaction (a savepoint inside the caller's own transaction): rolled back whole if `fn` throws.
  // IMMEDIATE takes the write lock before the first read: a deferred transaction that reads, then writes,
  // fails with SQLITE_BUSY instead of waiting when another connection wrote to the file in between.
  #transaction<R>(fn: () => R): R {
    return this.db.transaction(fn).immediate();
  }

  #chat(id: string): StoredChat | undefined {
    const row = this.#st.getChat.get(id) as ChatRow | undefined;
    if (!row) return undefined;
    const events = row.kind === 'group' ? (this.#st.chatEvents.all(id) as Uint8Array[]) : [];
    return toChat(row, events);
  }

  #requireChats(chatIds: Iterable<string>): void {
    for (const chatId of new Set(chatIds)) {
      if (this.#st.hasChat.get(chatId) === undefined) throw unknownChat(chatId);
    }
  }

  async upsertChat(input: ChatInput): Promise<StoredChat> {
    const st = this.#open();
    validateChatInput(input);
    const chat = this.#transaction(() => {
      const merged = mergeChat(this.#chat(input.id), input, this.#now());
      st.putChat.run(...chatParams(merged));
      if (input.membershipEvents !== undefined) {
        st.dropChatEvents.run(merged.id);
        for (const [i, event] of merged.membershipEvents.entries()) st.putChatEvent.run(merged.id, i, event);
      }
      return merged;
    });
    return { ...chat, membershipEvents: chat.membershipEvents.map((e) => e.slice()) };
  }

  async getChat(id: string): Promise<StoredChat | undefined> {
    this.#open();
    validateChatId(id);
    return this.#chat(id);
  }

  async listChats(options: { readonly includeInactive?: boolean } = {}): Promise<StoredChat[]> {
    const st = this.#open();
    const rows = (
      options?.includeInactive === true ? st.listAllChats : st.listActiveChats
    ).all() as ChatRow[];
    return rows.map((row) =>
      toChat(row, row.kind === 'group' ? (st.chatEvents.all(row.id) as Uint8Array[]) : []),
    );
  }

  async deactivateChat(id: string): Promise<boolean> {
    const st = this.#open();
    validateChatId(id);
    return st.deactivateChat.run(id).changes === 1;
  }

  async markChatRead(id: string): Promise<boolean> {
    const st = this.#open();
    validateChatId(id);
    return st.markChatRead.run(id).changes === 1;
  }

  async saveMessages(batch: readonly NewMessage[]): Promise<boolean[]> {
    const st = this.#open();
    checkArray(batch, 'messages', LIMITS.maxBatchSize);
    for (const message of batch) validateNewMessage(message);
    const now = this.#now();
    return this.#transaction(() => {
      this.#requireChats(batch.map((m) => m.chatId));
      // The insert skips ids already stored, earlier ones of the batch included.
      const isNew = batch.map(
        (m) =>
          st.isDeleted.get(m.id) === undefined &&
          st.insertMessage.run(...messageParams(messageRecord(m, now))).changes === 1,
      );
      for (const a of chatActivity(batch.filter((_, i) => isNew[i]))) {
        st.chatActivity.run(a.maxClock, a.maxTimestamp, a.incoming, a.chatId);
      }
      return isNew;
    });
  }

  async hasMessage(id: string): Promise<boolean> {
    const st = this.#open();
    checkMessageId(id, 'message id');
    return st.hasMessage.get(id, id) !== undefined;
  }

  async getMessage(id: string): Promise<StoredMessage | undefined> {
    const st = this.#open();
    checkMessageId(id, 'message id');
    const row = st.getMessage.get(id) as MessageRow | undefined;
    return row && toMessage(row);
  }

  async messages(chatId: string, options: MessagePageOptions): Promise<MessagePage> {
    const st = this.#open();
    validateChatId(chatId);
    checkObject(options, 'options');
    validatePageSize(options.limit);
    const before = options.before === undefined ? undefined : decodeCursor(options.before);
    const rows = (
      before
        ? st.pageBefore.all(chatId, before.clock, before.id, options.limit + 1)
        : st.newestPage.all(chatId, options.limit + 1)
    ) as MessageRow[];
    const more = rows.length > options.limit;
    const messages = rows.slice(0, options.limit).reverse().map(toMessage);
    return { messages, cursor: more && messages[0] ? encodeCursor(messages[0]) : undefined };
  }

  async setDeliveryState(id: string, state: DeliveryState): Promise<boolean> {
    const st = this.#open();
    checkMessageId(id, 'message id');
    validateDeliveryState(state);
    return this.#transaction(() => {
      const row = st.deliveryOf.get(id) as Pick<MessageRow, 'outgoing' | 'delivery_state'> | undefined;
      if (!row) throw unknownMessage(id);
      if (row.outgoing !== 1) invalid('message', 'an incoming message has no delivery state', { id });
      if (!deliveryStateApplies(row.delivery_state ?? undefined, state)) return false;
      st.setDelivery.run(state, this.#now(), id);
      return true;
    });
  }

  async messagesInDeliveryState(states: readonly DeliveryState[], limit: number): Promise<StoredMessage[]> {
    this.#open();
    checkArray(states, 'states', LIMITS.maxBatchSize);
    for (const state of states) validateDeliveryState(state);
    validatePageSize(limit);
    const distinct = [...new Set(states)];
    if (distinct.length === 0) return [];
    const marks = distinct.map(() => '?').join(', ');
    const rows = this.db
      .prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM client_messages WHERE delivery_state IN (${marks})
         ORDER BY delivery_state_at, id LIMIT ?`,
      )
      .all(...distinct, limit) as MessageRow[];
    return rows.map(toMessage);
  }

  async deleteMessage(id: string): Promise<boolean> {
    const st = this.#open();
    checkMessageId(id, 'message id');
    return this.#transaction(() => {
      st.rememberDeleted.run(id);
      st.dropReactionsOf.run(id);
      return st.deleteMessage.run(id).changes === 1;
    });
  }

  async saveReactions(batch: readonly StoredReaction[]): Promise<boolean[]> {
    const st = this.#open();
    checkArray(batch, 'reactions', LIMITS.maxBatchSize);
    for (const reaction of batch) validateReaction(reaction);
    return this.#transaction(() => {
      this.#requireChats(batch.map((r) => r.chatId));
      return batch.map((r) => st.saveReaction.run(...reactionParams(r)).changes === 1);
    });
  }

  async getReaction(id: string): Promise<StoredReaction | undefined> {
    const st = this.#open();
    checkMessageId(id, 'reaction id');
    const row = st.getReaction.get(id) as ReactionRow | undefined;
    return row && toReaction(row);
  }

  async reactions(messageId: string): Promise<StoredReaction[]> {
    const st = this.#open();
    checkMessageId(messageId, 'message id');
    return (st.reactionsOf.all(messageId) as ReactionRow[]).map(toReaction);
  }

  #contact(key: string): StoredContact | undefined {
    const row = this.#st.getContact.get(key) as ContactRow | undefined;
    return row && toContact(row);
  }

  async upsertContact(input: ContactInput): Promise<StoredContact> {
    const st = this.#open();
    validateContactInput(input);
    return this.#transaction(() => {
      const contact = mergeContact(this.#contact(input.key), input);
      st.putContact.run(...contactParams(contact));
      return contact;
    });
  }

  async applyContactUpdate(key: string, update: ContactUpdateInput): Promise<boolean> {
    const st = this.#open();
    validateContactUpdate(key, update);
    return this.#transaction(() => {
      const contact = contactAfterUpdate(this.#contact(key), key, update);
      if (contact) st.putContact.run(...contactParams(contact));
      return contact !== undefined;
    });
  }

  async getContact(key: string): Promise<StoredContact | undefined> {
    this.#open();
    checkPublicKey(key, 'contact key');
    return this.#contact(key);
  }

  async listContacts(): Promise<StoredContact[]> {
    const st = this.#open();
    return (st.listContacts.all() as ContactRow[]).map(toContact);
  }

  async historySyncedUntil(topic: Uint8Array): Promise<number | undefined> {
    const st = this.#open();
    validateTopic(topic);
    return st.syncedUntil.get(topicKey(topic)) as number | undefined;
  }

  async markHistorySynced(topics: readonly Uint8Array[], until: number): Promise<void> {
    const st = this.#open();
    validateTopics(topics);
    checkCount(until, 'until');
    this.#transaction(() => {
      for (const topic of topics) st.markSynced.run(topicKey(topic), until);
    });
  }

  async historySyncState(): Promise<TopicSyncState[]> {
    const st = this.#open();
    const rows = st.syncState.all() as { topic: string; synced_until: number }[];
    return rows.map((row) => ({ topic: topicFromKey(row.topic), syncedUntil: row.synced_until }));
  }

  async forgetHistorySync(topics: readonly Uint8Array[]): Promise<void> {
    const st = this.#open();
    validateTopics(topics);
    this.#transaction(() => {
      for (const topic of topics) st.forgetSync.run(topicKey(topic));
    });
  }

  async upsertInstallation(input: InstallationInput): Promise<StoredInstallation> {
    const st = this.#open();
    validateInstallationInput(input);
    return this.#transaction(() => {
      const row = st.getInstallation.get(input.id) as InstallationRow | undefined;
      const installation = mergeInstallation(row && toInstallation(row), input);
      st.putInstallation.run(...installationParams(installation));
      return installation;
    });
  }

  async getInstallation(id: string): Promise<StoredInstallation | undefined> {
    const st = this.#open();
    checkString(id, 'installation id', LIMITS.maxNameLength, false);
    const row = st.getInstallation.get(id) as InstallationRow | undefined;
    return row && toInstallation(row);
  }

  async listInstallations(): Promise<StoredInstallation[]> {
    const st = this.#open();
    return (st.listInstallations.all() as InstallationRow[]).map(toInstallation);
  }

  /** Closes the database if the store opened it; a connection passed in stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection.close();
  }
}

/**
 * Opens (creating if needed) the client's message store in a SQLite file (WAL; `':memory:'` works too,
 * without persistence), or on a better-sqlite3 connection the application already has open, beside the
 * other stores' tables (left open by `close()`). Tables are `client_*`, versioned under `@status-ts/client`
 * in `status_ts_schema_versions`. better-sqlite3 is an optional peer dependency, loaded only to open a
 * file: without it this throws `MissingDependencyError` (ERR_MISSING_DEPENDENCY). Tables from a newer
 * release are refused (ERR_SQLITE_SCHEMA_TOO_NEW).
 */
export function openClientSqliteStore(
  source: SqliteSource,
  options: ClientSqliteStoreOptions = {},
): SqliteMessageStore {
  const settings = {
    from: import.meta.url,
    feature: '@status-ts/client/sqlite',
    synchronous: options.synchronous,
  };
  return openSqliteStore(source, settings, (connection) => new SqliteMessageStore(connection, options));
}
