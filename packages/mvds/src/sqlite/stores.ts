import {
  migrateSqliteSchema,
  openSqliteStore,
  type SqliteConnection,
  type SqliteDatabase,
  type SqliteSource,
  type SqliteStatement,
} from '@status-ts/core/sqlite';
import type { MvdsMessage } from '../message.js';
import type {
  DeliveredStore,
  GroupStore,
  MessageStore,
  MvdsStores,
  RecordType,
  SyncRecord,
  SyncStateChanges,
  SyncStateStore,
} from '../stores/types.js';
import { MVDS_SQLITE_SCHEMA } from './schema.js';

// SQLite stores on better-sqlite3 (an optional peer dependency, loaded only to open a file): prepared statements, WAL journal, one transaction per batch. The driver
// is synchronous; the async interface is what browser and React Native stores need, so we keep it here.

const TYPE_CODES: Record<RecordType, number> = { offer: 0, request: 1, message: 2 };
const TYPES: readonly RecordType[] = ['offer', 'request', 'message'];

/** better-sqlite3 hands BLOBs out as Buffers; the public API speaks plain Uint8Array. */
function bytes(value: Uint8Array): Uint8Array {
  return new Uint8Array(value);
}

interface MessageRow {
  group_id: Uint8Array;
  timestamp: bigint;
  body: Uint8Array;
}

interface RecordRow {
  peer: Uint8Array;
  message_id: Uint8Array;
  type: number;
  group_id: Uint8Array | null;
  send_count: number;
  send_epoch: number;
}

function toRecord(row: RecordRow): SyncRecord {
  return {
    peer: bytes(row.peer),
    messageId: bytes(row.message_id),
    type: TYPES[row.type] ?? 'message',
    groupId: row.group_id === null ? undefined : bytes(row.group_id),
    sendCount: row.send_count,
    sendEpoch: row.send_epoch,
  };
}

class SqliteMessageStore implements MessageStore {
  readonly #put: SqliteStatement;
  readonly #get: SqliteStatement;
  readonly #has: SqliteStatement;
  readonly #delete: SqliteStatement;
  readonly #count: SqliteStatement;
  readonly #deleteMany: (ids: readonly Uint8Array[]) => void;

  constructor(db: SqliteDatabase) {
    this.#put = db.prepare(
      'INSERT OR IGNORE INTO mvds_messages (id, group_id, timestamp, body) VALUES (?, ?, ?, ?)',
    );
    this.#get = db
      .prepare('SELECT group_id, timestamp, body FROM mvds_messages WHERE id = ?')
      .safeIntegers(true);
    this.#has = db.prepare('SELECT 1 FROM mvds_messages WHERE id = ?').pluck();
    this.#delete = db.prepare('DELETE FROM mvds_messages WHERE id = ?');
    this.#count = db.prepare('SELECT COUNT(*) FROM mvds_messages').pluck();
    this.#deleteMany = db.transaction((ids: readonly Uint8Array[]) => {
      for (const id of ids) this.#delete.run(id);
    });
  }

  async put(id: Uint8Array, m: MvdsMessage): Promise<void> {
    this.#put.run(id, m.groupId, m.timestamp, m.body);
  }

  async get(id: Uint8Array): Promise<MvdsMessage | undefined> {
    const row = this.#get.get(id) as MessageRow | undefined;
    return row && { groupId: bytes(row.group_id), timestamp: BigInt(row.timestamp), body: bytes(row.body) };
  }

  async has(id: Uint8Array): Promise<boolean> {
    return this.#has.get(id) !== undefined;
  }

  async delete(ids: readonly Uint8Array[]): Promise<void> {
    this.#deleteMany(ids);
  }

  async size(): Promise<number> {
    return this.#count.get() as number;
  }
}

class SqliteSyncStateStore implements SyncStateStore {
  readonly #get: SqliteStatement;
  readonly #due: SqliteStatement;
  readonly #forPeer: SqliteStatement;
  readonly #countForMessage: SqliteStatement;
  readonly #count: SqliteStatement;
  readonly #loadEpoch: SqliteStatement;
  readonly #apply: (changes: SyncStateChanges) => void;

  constructor(db: SqliteDatabase) {
    const columns = 'peer, message_id, type, group_id, send_count, send_epoch';
    this.#get = db.prepare(`SELECT ${columns} FROM mvds_sync_state WHERE peer = ? AND message_id = ?`);
    this.#due = db.prepare(
      `SELECT ${columns} FROM mvds_sync_state WHERE send_epoch <= ? ORDER BY send_epoch LIMIT ?`,
    );
    this.#forPeer = db.prepare(`SELECT ${columns} FROM mvds_sync_state WHERE peer = ?`);
    this.#countForMessage = db.prepare('SELECT COUNT(*) FROM mvds_sync_state WHERE message_id = ?').pluck();
    this.#count = db.prepare('SELECT COUNT(*) FROM mvds_sync_state').pluck();
    this.#loadEpoch = db.prepare("SELECT value FROM mvds_meta WHERE key = 'epoch'").pluck();
    const remove = db.prepare('DELETE FROM mvds_sync_state WHERE peer = ? AND message_id = ?');
    const put = db.prepare(`INSERT OR REPLACE INTO mvds_sync_state (${columns}) VALUES (?, ?, ?, ?, ?, ?)`);
    const saveEpoch = db.prepare("INSERT OR REPLACE INTO mvds_meta (key, value) VALUES ('epoch', ?)");
    this.#apply = db.transaction((changes: SyncStateChanges) => {
      for (const k of changes.remove ?? []) remove.run(k.peer, k.messageId);
      for (const r of changes.put ?? []) {
        put.run(r.peer, r.messageId, TYPE_CODES[r.type], r.groupId ?? null, r.sendCount, r.sendEpoch);
      }
      if (changes.epoch !== undefined) saveEpoch.run(changes.epoch);
    });
  }

  async get(peer: Uint8Array, messageId: Uint8Array): Promise<SyncRecord | undefined> {
    const row = this.#get.get(peer, messageId) as RecordRow | undefined;
    return row && toRecord(row);
  }

  async apply(changes: SyncStateChanges): Promise<void> {
    this.#apply(changes);
  }

  async due(epoch: number, limit: number): Promise<SyncRecord[]> {
    return (this.#due.all(epoch, limit) as RecordRow[]).map(toRecord);
  }

  async forPeer(peer: Uint8Array): Promise<SyncRecord[]> {
    return (this.#forPeer.all(peer) as RecordRow[]).map(toRecord);
  }

  async countForMessage(messageId: Uint8Array): Promise<number> {
    return this.#countForMessage.get(messageId) as number;
  }

  async size(): Promise<number> {
    return this.#count.get() as number;
  }

  async loadEpoch(): Promise<number> {
    return (this.#loadEpoch.get() as number | undefined) ?? 0;
  }
}

class SqliteDeliveredStore implements DeliveredStore {
  readonly #has: SqliteStatement;
  readonly #count: SqliteStatement;
  readonly #add: (ids: readonly Uint8Array[]) => boolean[];

  constructor(db: SqliteDatabase) {
    const insert = db.prepare('INSERT OR IGNORE INTO mvds_delivered (id) VALUES (?)');
    this.#has = db.prepare('SELECT 1 FROM mvds_delivered WHERE id = ?').pluck();
    this.#count = db.prepare('SELECT COUNT(*) FROM mvds_delivered').pluck();
    this.#add = db.transaction((ids: readonly Uint8Array[]) => ids.map((id) => insert.run(id).changes === 1));
  }

  async add(ids: readonly Uint8Array[]): Promise<boolean[]> {
    return this.#add(ids);
  }

  async has(id: Uint8Array): Promise<boolean> {
    return this.#has.get(id) !== undefined;
  }

  async size(): Promise<number> {
    return this.#count.get() as number;
  }
}

class SqliteGroupStore implements GroupStore {
  readonly #add: SqliteStatement;
  readonly #remove: SqliteStatement;
  readonly #peers: SqliteStatement;
  readonly #has: SqliteStatement;

  constructor(db: SqliteDatabase) {
    this.#add = db.prepare('INSERT OR IGNORE INTO mvds_groups (group_id, peer) VALUES (?, ?)');
    this.#remove = db.prepare('DELETE FROM mvds_groups WHERE group_id = ? AND peer = ?');
    this.#peers = db.prepare('SELECT peer FROM mvds_groups WHERE group_id = ? ORDER BY rowid').pluck();
    this.#has = db.prepare('SELECT 1 FROM mvds_groups WHERE group_id = ? AND peer = ?').pluck();
  }

  async add(groupId: Uint8Array, peer: Uint8Array): Promise<void> {
    this.#add.run(groupId, peer);
  }

  async remove(groupId: Uint8Array, peer: Uint8Array): Promise<void> {
    this.#remove.run(groupId, peer);
  }

  async peers(groupId: Uint8Array): Promise<Uint8Array[]> {
    return (this.#peers.all(groupId) as Uint8Array[]).map(bytes);
  }

  async has(groupId: Uint8Array, peer: Uint8Array): Promise<boolean> {
    return this.#has.get(groupId, peer) !== undefined;
  }
}

export interface MvdsSqliteStoreOptions {
  /**
   * `PRAGMA synchronous` of a file opened here: NORMAL (default) is durable across process crashes in WAL
   * mode, FULL also across power loss. A connection passed in keeps its own settings.
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
}

/** The four MVDS stores in one SQLite database (one node per database); open with {@link openMvdsSqliteStore}. */
export class SqliteStores implements MvdsStores {
  readonly db: SqliteDatabase;
  readonly messages: MessageStore;
  readonly syncState: SyncStateStore;
  readonly delivered: DeliveredStore;
  readonly groups: GroupStore;
  readonly #connection: SqliteConnection;

  /** Use {@link openMvdsSqliteStore}. */
  constructor(connection: SqliteConnection) {
    this.#connection = connection;
    this.db = connection.db;
    migrateSqliteSchema(this.db, MVDS_SQLITE_SCHEMA);
    this.messages = new SqliteMessageStore(this.db);
    this.syncState = new SqliteSyncStateStore(this.db);
    this.delivered = new SqliteDeliveredStore(this.db);
    this.groups = new SqliteGroupStore(this.db);
  }

  /** Closes the database if the store opened it; a connection passed in stays open. */
  close(): void {
    this.#connection.close();
  }
}

/**
 * Opens (creating if needed) the MVDS stores in a SQLite file (WAL; `':memory:'` works too, without
 * persistence), or on a better-sqlite3 connection the application already has open, beside other stores'
 * tables. better-sqlite3 is an optional peer dependency, loaded only to open a file: without it this throws
 * `MissingDependencyError` (ERR_MISSING_DEPENDENCY). Tables from a newer release are refused
 * (ERR_SQLITE_SCHEMA_TOO_NEW).
 */
export function openMvdsSqliteStore(
  source: SqliteSource,
  options: MvdsSqliteStoreOptions = {},
): SqliteStores {
  const settings = {
    from: import.meta.url,
    feature: '@status-ts/mvds/sqlite',
    synchronous: options.synchronous,
  };
  return openSqliteStore(source, settings, (connection) => new SqliteStores(connection));
}
