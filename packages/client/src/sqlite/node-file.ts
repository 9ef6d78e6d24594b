import type { SqliteSource } from '@status-ts/core/sqlite';
import { type SqliteStores as MvdsSqliteStores, openMvdsSqliteStore } from '@status-ts/mvds/sqlite';
import { openPeerPoolSqliteStore, type SqlitePeerCache } from '@status-ts/peerpool/sqlite';
import { openSecureTransportSqliteStore, type SqliteSessionStore } from '@status-ts/secure-transport/sqlite';
import { openClientSqliteStore, type SqliteMessageStore } from './store.js';

/** Everything a node keeps, in one SQLite file (`openNodeSqlite`). */
export interface NodeSqlite {
  /** Chats, messages, contacts, history sync state, our installations. */
  readonly store: SqliteMessageStore;
  /** Prekeys, devices and ratchet sessions, every secret sealed with the at-rest key. */
  readonly sessionStore: SqliteSessionStore;
  /** MVDS sync state and messages (what is still to be acknowledged). */
  readonly mvdsStores: MvdsSqliteStores;
  /** Peers that worked, dialed first on the next start. */
  readonly peerCache: SqlitePeerCache;
  /** The parts of `createStatusNode`'s options these fill: spread them in (and `peerCache` in `discovery`). */
  readonly nodeOptions: {
    readonly store: SqliteMessageStore;
    readonly sessionStore: SqliteSessionStore;
    readonly mvds: { readonly stores: MvdsSqliteStores };
  };
  /** Closes every store and the file (stop the node first). */
  close(): Promise<void>;
}

/**
 * Opens (or creates) the one SQLite file of a node: the message store, the secure-transport sessions
 * (sealed with `encryptionKey`, 32 bytes the app keeps in the platform's keystore), MVDS state and the peer
 * cache, as tables of one database, so that a restart, or a crash, resumes from it. Node only
 * (better-sqlite3, an optional peer dependency).
 */
export function openNodeSqlite(source: SqliteSource, options: { encryptionKey: Uint8Array }): NodeSqlite {
  const store = openClientSqliteStore(source);
  const sessionStore = openSecureTransportSqliteStore(store.db, { encryptionKey: options.encryptionKey });
  const mvdsStores = openMvdsSqliteStore(store.db);
  const peerCache = openPeerPoolSqliteStore(store.db);
  return {
    store,
    sessionStore,
    mvdsStores,
    peerCache,
    nodeOptions: { store, sessionStore, mvds: { stores: mvdsStores } },
    async close() {
      // The others share the client store's connection and leave it open; it closes last.
      await peerCache.close();
      mvdsStores.close();
      await sessionStore.close();
      await store.close();
    },
  };
}
