import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_SQLITE_SCHEMA, openClientSqliteStore } from '../../packages/client/src/sqlite/index.js';
import {
  openSqliteDatabase,
  SQLITE_SCHEMA_VERSIONS_TABLE,
  type SqliteDatabase,
  type SqliteSchema,
  sqliteSchemaVersion,
} from '../../packages/core/src/sqlite/index.js';
import { generatePrivateKey, getPublicKey, randomBytes } from '../../packages/crypto/src/index.js';
import { Enr } from '../../packages/enr/src/index.js';
import { dbKeyOf } from '../../packages/mailserver/src/index.js';
import {
  MAILSERVER_SQLITE_SCHEMA,
  openMailserverSqliteStore,
  type SqliteFunctionDatabase,
} from '../../packages/mailserver/src/sqlite/index.js';
import { makeEnvelope, TOPIC_A, TOPIC_B } from '../../packages/mailserver/test/helpers/envelopes.js';
import { MVDS_SQLITE_SCHEMA, openMvdsSqliteStore } from '../../packages/mvds/src/sqlite/index.js';
import { openPeerPoolSqliteStore, PEERPOOL_SQLITE_SCHEMA } from '../../packages/peerpool/src/sqlite/index.js';
import {
  openRendezvousSqliteStore,
  RENDEZVOUS_SQLITE_SCHEMA,
} from '../../packages/rendezvous/src/sqlite/index.js';
import {
  openSecureTransportSqliteStore,
  SECURE_TRANSPORT_SQLITE_SCHEMA,
} from '../../packages/secure-transport/src/sqlite/index.js';

// An application keeps one SQLite file: every store must open on it beside the others, in any order, by
// path (a connection each) or on one shared connection, and keep its data across a restart; and a file a
// store wrote before the shared versions table existed (its version in `PRAGMA user_version`) must still open,
// with its data, whatever else shares the file.

const dir = mkdtempSync(join(tmpdir(), 'status-ts-one-sqlite-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const freshFile = () => join(dir, `app-${fileNo++}.db`);

// The tools project has no driver of its own: better-sqlite3 is loaded from a package that installs it.
// The test's own connections skip fsync (the stores' durability is not under test here).
const driver = { from: new URL('../../packages/mvds/package.json', import.meta.url), feature: 'tests' };
const connect = (path: string) =>
  openSqliteDatabase<SqliteFunctionDatabase>(path, { ...driver, synchronous: 'OFF' }).db;

/** One store, with a fixed sample of data it writes and then finds again. */
interface StoreKind {
  readonly name: string;
  readonly schema: SqliteSchema;
  /** Tables of its first release. */
  readonly firstTables: readonly string[];
  /** `PRAGMA user_version` its first release wrote (undefined: it did not version its table). */
  readonly firstUserVersion?: number;
  /** On a path or on a connection (the mailserver's needs SQL functions, which better-sqlite3's have). */
  open(source: string | SqliteFunctionDatabase): OpenStore;
}

interface OpenStore {
  write(): Promise<void>;
  /** Fails unless the sample is there. */
  check(): Promise<void>;
  close(): Promise<void>;
}

const envelopes = [makeEnvelope(1_700_000_000, TOPIC_A), makeEnvelope(1_700_000_001, TOPIC_B)];
const hashes = (list: readonly { hashHex: string }[]) => list.map((e) => e.hashHex);
const mvdsSample = {
  id: randomBytes(32),
  message: { groupId: randomBytes(32), timestamp: 1_234n, body: randomBytes(20) },
  delivered: randomBytes(32),
};
const peer = Enr.create({ privateKey: generatePrivateKey(), ip: '127.0.0.1', tcp: 30_303, udp: 30_303 });
const registration = {
  topic: 'whispermail',
  nodeId: peer.nodeIdHex,
  seq: peer.seq,
  record: peer.encode(),
  expiresAt: 10_000,
};
const atRestKey = randomBytes(32);
const preKeyPrivate = generatePrivateKey();
const preKey = {
  privateKey: preKeyPrivate,
  publicKey: getPublicKey(preKeyPrivate, 'compressed'),
  createdMs: 7,
};

const mailserver: StoreKind = {
  name: 'mailserver',
  schema: MAILSERVER_SQLITE_SCHEMA,
  firstTables: ['envelopes'],
  firstUserVersion: 0,
  open(source) {
    const store = openMailserverSqliteStore(source);
    return {
      write: async () => void (await store.put(envelopes)),
      async check() {
        const page = await store.query({ lower: 0, upper: 0xffffffff, limit: 10 });
        expect(hashes(page.envelopes)).toEqual(hashes(envelopes));
        const byTopic = await store.query({ lower: 0, upper: 0xffffffff, topics: [TOPIC_B], limit: 10 });
        expect(hashes(byTopic.envelopes)).toEqual(hashes([envelopes[1]!]));
      },
      close: () => store.close(),
    };
  },
};

const mvds: StoreKind = {
  name: 'mvds',
  schema: MVDS_SQLITE_SCHEMA,
  firstTables: ['mvds_delivered', 'mvds_groups', 'mvds_messages', 'mvds_meta', 'mvds_sync_state'],
  firstUserVersion: 1,
  open(source) {
    const stores = openMvdsSqliteStore(source);
    return {
      async write() {
        await stores.messages.put(mvdsSample.id, mvdsSample.message);
        await stores.delivered.add([mvdsSample.delivered]);
      },
      async check() {
        expect(await stores.messages.get(mvdsSample.id)).toEqual(mvdsSample.message);
        expect(await stores.delivered.has(mvdsSample.delivered)).toBe(true);
      },
      close: async () => stores.close(),
    };
  },
};

const peerpool: StoreKind = {
  name: 'peerpool',
  schema: PEERPOOL_SQLITE_SCHEMA,
  firstTables: ['peerpool_cache'],
  open(source) {
    const cache = openPeerPoolSqliteStore(source);
    return {
      write: () => cache.add('whisper', peer, 1_000),
      async check() {
        const [cached, ...rest] = await cache.list('whisper');
        expect(rest).toEqual([]);
        expect(cached?.enr.encodeText()).toBe(peer.encodeText());
      },
      close: () => cache.close(),
    };
  },
};

const rendezvous: StoreKind = {
  name: 'rendezvous',
  schema: RENDEZVOUS_SQLITE_SCHEMA,
  firstTables: ['rendezvous_registrations'],
  open(source) {
    const store = openRendezvousSqliteStore(source);
    return {
      write: () => store.put(registration),
      async check() {
        expect(await store.random('whispermail', 10, 1_000)).toEqual([registration.record]);
      },
      close: () => store.close(),
    };
  },
};

const secureTransport: StoreKind = {
  name: 'secure-transport',
  schema: SECURE_TRANSPORT_SQLITE_SCHEMA,
  firstTables: ['st_installations', 'st_message_keys', 'st_meta', 'st_prekeys', 'st_sessions'],
  firstUserVersion: 1,
  open(source) {
    const store = openSecureTransportSqliteStore(source, { encryptionKey: atRestKey });
    return {
      write: () => store.apply({ preKeys: [preKey] }),
      async check() {
        expect(await store.loadPreKeys()).toEqual([preKey]);
      },
      close: () => store.close(),
    };
  },
};

const clientChat = { id: 'status', kind: 'public' as const };
const clientMessage = {
  id: `0x${'ab'.repeat(32)}`,
  chatId: 'status',
  author: `0x04${'cd'.repeat(64)}`,
  clock: 42,
  timestamp: 1_700_000_000_000,
  text: 'hello',
  contentType: 'TEXT_PLAIN',
  responseTo: '',
  ensName: '',
  raw: randomBytes(40),
  outgoing: false,
};
const clientTopic = new Uint8Array([1, 2, 3, 4]);

const client: StoreKind = {
  name: 'client',
  schema: CLIENT_SQLITE_SCHEMA,
  // It was born with the versions table: there is no older layout, so it is never a legacy case below.
  firstTables: [
    'client_chat_events',
    'client_chats',
    'client_contacts',
    'client_deleted_messages',
    'client_history_sync',
    'client_installations',
    'client_messages',
    'client_reactions',
  ],
  open(source) {
    const store = openClientSqliteStore(source);
    return {
      async write() {
        await store.upsertChat(clientChat);
        await store.saveMessages([clientMessage]);
        await store.markHistorySynced([clientTopic], 1_234);
      },
      async check() {
        expect(await store.getMessage(clientMessage.id)).toMatchObject(clientMessage);
        expect(await store.getChat('status')).toMatchObject({ lastClock: 42, unreadCount: 1 });
        expect(await store.historySyncedUntil(clientTopic)).toBe(1_234);
      },
      close: () => store.close(),
    };
  },
};

/** The stores that existed before the shared versions table, and so have a first release to adopt. */
const OLDER_STORES: readonly StoreKind[] = [mailserver, mvds, peerpool, rendezvous, secureTransport];
const ALL: readonly StoreKind[] = [...OLDER_STORES, client];

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

// All 720 orders of six stores would take six times as long as the 120 of five. Each order of the five older
// stores is kept, with the client store placed at position (i + floor(i / 8)) % 6 of the i-th: a spread
// that opens it at every position and after every set of the others (checked below), which is what its
// migration can depend on.
const ORDERS = permutations(OLDER_STORES).map((order, i) => {
  const at = (i + Math.floor(i / 8)) % ALL.length;
  return [...order.slice(0, at), client, ...order.slice(at)];
});

function expectEveryStoreVersioned(db: SqliteDatabase): void {
  for (const kind of ALL) expect(sqliteSchemaVersion(db, kind.schema), kind.name).toBe(kind.schema.version);
  const rows = db.prepare(`SELECT count(*) FROM ${SQLITE_SCHEMA_VERSIONS_TABLE}`).pluck().get();
  expect(rows).toBe(ALL.length);
}

async function expectEveryStoreFindsItsData(
  source: () => string | SqliteFunctionDatabase,
  order: readonly StoreKind[],
) {
  const reopened = order.map((kind) => kind.open(source()));
  for (const store of reopened) await store.check();
  for (const store of reopened) await store.close();
}

describe('six stores on one SQLite file', () => {
  it('opens them in 120 orders: every order of the five older stores, the client store at every place', () => {
    expect(ORDERS).toHaveLength(120);
    expect(new Set(ORDERS.map((order) => order.map((k) => k.name).join())).size).toBe(120);
    const others = (order: readonly StoreKind[]) => order.filter((k) => k !== client).map((k) => k.name);
    expect(new Set(ORDERS.map((order) => others(order).join())).size).toBe(120);
    expect(new Set(ORDERS.map((order) => order.indexOf(client))).size).toBe(ALL.length);
    const openedBefore = ORDERS.map((order) =>
      others(order.slice(0, order.indexOf(client)))
        .sort()
        .join(),
    );
    expect(new Set(openedBefore).size).toBe(2 ** OLDER_STORES.length);
  });

  // Grouped by the store opened first (19 to 23 orders each).
  const byFirst = ALL.map((first) => ({ first: first.name, orders: ORDERS.filter((o) => o[0] === first) }));

  it.each(byFirst)(
    'open by path, each on its own connection, $first first: data kept across a reopen',
    async ({ orders }) => {
      for (const order of orders) {
        const path = freshFile();
        const open = order.map((kind) => kind.open(path));
        for (const store of open) await store.write();
        for (const store of open) await store.check();
        for (const store of open) await store.close();
        await expectEveryStoreFindsItsData(() => path, [...order].reverse());
        const db = connect(path);
        expectEveryStoreVersioned(db);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        db.close();
      }
    },
  );

  it.each(byFirst)(
    'share one connection, $first first: left open, data kept across a reopen',
    async ({ orders }) => {
      for (const order of orders) {
        const path = freshFile();
        const db = connect(path);
        const open = order.map((kind) => kind.open(db));
        for (const store of open) await store.write();
        for (const store of open) await store.close();
        expect(db.open).toBe(true);
        expectEveryStoreVersioned(db);
        db.close();
        const again = connect(path);
        await expectEveryStoreFindsItsData(() => again, order);
        again.close();
      }
    },
  );
});

/** A file as `kind`'s first release left it: its tables with the sample data, its version in user_version. */
async function writeFirstRelease(kind: StoreKind, path: string): Promise<void> {
  if (kind === mailserver) {
    // The first layout differs from today's: 40-byte keys, bodies and a (topic, key) index in one table.
    const db = connect(path);
    db.exec(
      'CREATE TABLE envelopes (key BLOB PRIMARY KEY, topic BLOB NOT NULL, arrived INTEGER NOT NULL, raw BLOB NOT NULL) WITHOUT ROWID;' +
        'CREATE INDEX envelopes_topic_key ON envelopes (topic, key);',
    );
    const insert = db.prepare('INSERT INTO envelopes VALUES (?, ?, ?, ?)');
    for (const e of envelopes) insert.run(dbKeyOf(e), e.topic, 1, e.raw);
    db.close();
    return;
  }
  // The others' first layout is today's version 1: written by today's store, then stripped of the
  // versions table and given the user_version the first release set.
  const store = kind.open(path);
  await store.write();
  await store.close();
  const db = connect(path);
  db.exec(`DROP TABLE ${SQLITE_SCHEMA_VERSIONS_TABLE}`);
  if (kind.firstUserVersion !== undefined) db.pragma(`user_version = ${kind.firstUserVersion}`);
  db.close();
}

/** The second mailserver layout, as the release before the versions table left it (user_version 2). */
async function writeMailserverSecondLayout(path: string): Promise<void> {
  const store = mailserver.open(path);
  await store.write();
  await store.close();
  const db = connect(path);
  db.exec(`DROP TABLE ${SQLITE_SCHEMA_VERSIONS_TABLE}`);
  db.pragma('user_version = 2');
  db.close();
}

const tablesOf = (path: string) => {
  const db = connect(path);
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
  db.close();
  return names;
};

const legacyCases = [
  ...OLDER_STORES.map((kind) => ({
    label: `${kind.name}, first layout`,
    kind,
    write: writeFirstRelease.bind(null, kind),
  })),
  { label: 'mailserver, second layout', kind: mailserver, write: writeMailserverSecondLayout },
];

describe('a store file from before the shared versions table', () => {
  it.each(legacyCases)(
    '$label: migrates with its data, opened first or last among the others',
    async ({ kind, write }) => {
      const others = ALL.filter((other) => other !== kind);
      for (const order of [
        [kind, ...others],
        [...others, kind],
      ]) {
        const path = freshFile();
        await write(path);
        if (write !== writeMailserverSecondLayout) expect(tablesOf(path)).toEqual(kind.firstTables);
        const open = order.map((each) => each.open(path));
        for (const [i, store] of open.entries()) if (order[i] !== kind) await store.write();
        for (const store of open) await store.check();
        for (const store of open) await store.close();
        await expectEveryStoreFindsItsData(() => path, order);
        const db = connect(path);
        expectEveryStoreVersioned(db);
        db.close();
      }
    },
  );
});
