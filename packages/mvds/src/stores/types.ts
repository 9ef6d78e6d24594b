import type { MvdsMessage } from '../message.js';

/** The three kinds of record MVDS keeps per peer (never ACK: acks are not retransmitted). */
export type RecordType = 'offer' | 'request' | 'message';

/** Sync state of one message for one peer (MVDS-03). At most one record per (peer, message id). */
export interface SyncRecord {
  readonly peer: Uint8Array;
  readonly messageId: Uint8Array;
  readonly type: RecordType;
  /** Known for offers and messages; a request answering a peer's offer has none (offers carry ids only). */
  readonly groupId: Uint8Array | undefined;
  /** Times the record has been sent to the peer. */
  readonly sendCount: number;
  /** Epoch at which the record is next due. */
  readonly sendEpoch: number;
}

export interface RecordKey {
  readonly peer: Uint8Array;
  readonly messageId: Uint8Array;
}

/** One atomic batch of sync-state writes: removals first, then puts (insert or replace), then the epoch. */
export interface SyncStateChanges {
  readonly remove?: readonly RecordKey[];
  readonly put?: readonly SyncRecord[];
  readonly epoch?: number;
}

/** Per-peer records and the node's epoch counter. */
export interface SyncStateStore {
  get(peer: Uint8Array, messageId: Uint8Array): Promise<SyncRecord | undefined>;
  /** Applies every change of the batch or none (one transaction in persistent stores). */
  apply(changes: SyncStateChanges): Promise<void>;
  /** Up to `limit` records with `sendEpoch <= epoch`, lowest `sendEpoch` first. */
  due(epoch: number, limit: number): Promise<SyncRecord[]>;
  forPeer(peer: Uint8Array): Promise<SyncRecord[]>;
  /** How many records (any peer, any type) still refer to a message. */
  countForMessage(messageId: Uint8Array): Promise<number>;
  size(): Promise<number>;
  /** The last epoch saved with `apply`, or 0. */
  loadEpoch(): Promise<number>;
}

/** Message bodies this node can still send: its own until every peer acked, others while offered on. */
export interface MessageStore {
  /** Stores `message` under `id`; storing an id again is a no-op. */
  put(id: Uint8Array, message: MvdsMessage): Promise<void>;
  get(id: Uint8Array): Promise<MvdsMessage | undefined>;
  has(id: Uint8Array): Promise<boolean>;
  delete(ids: readonly Uint8Array[]): Promise<void>;
  size(): Promise<number>;
}

/**
 * Ids of every message this node holds: sent by it or delivered to its application. This is the
 * exactly-once filter, so a persistent node must keep it across restarts.
 */
export interface DeliveredStore {
  /** Records the ids in one batch; for each, whether it was new (within a batch the first copy wins). */
  add(ids: readonly Uint8Array[]): Promise<boolean[]>;
  has(id: Uint8Array): Promise<boolean>;
  size(): Promise<number>;
}

/** Group membership: which peers share the messages of a group. */
export interface GroupStore {
  add(groupId: Uint8Array, peer: Uint8Array): Promise<void>;
  remove(groupId: Uint8Array, peer: Uint8Array): Promise<void>;
  /** Peers of the group, in the order they were added. */
  peers(groupId: Uint8Array): Promise<Uint8Array[]>;
  has(groupId: Uint8Array, peer: Uint8Array): Promise<boolean>;
}

/** Everything a node persists. `createMemoryStores()` or `openMvdsSqliteStore()` (from `@status-ts/mvds/sqlite`). */
export interface MvdsStores {
  readonly messages: MessageStore;
  readonly syncState: SyncStateStore;
  readonly delivered: DeliveredStore;
  readonly groups: GroupStore;
}
