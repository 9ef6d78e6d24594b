import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, MissingDependencyError } from '@status-ts/core';
import {
  SQLITE_SCHEMA_TOO_NEW,
  SQLITE_SCHEMA_VERSIONS_TABLE,
  sqliteSchemaVersion,
} from '@status-ts/core/sqlite';
import { generatePrivateKey, getPublicKey, randomBytes } from '@status-ts/crypto';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutPackage } from '../../../tools/hide-package.js';
import {
  AT_REST_OVERHEAD,
  MemorySessionStore,
  openAtRest,
  SecureTransportErrorCode,
  sealAtRest,
  sessionIdOf,
} from '../src/index.js';
import {
  openSecureTransportSqliteStore,
  SECURE_TRANSPORT_SQLITE_SCHEMA,
  type SqliteSessionStore,
} from '../src/sqlite/index.js';
import { describeSessionStoreContract } from './helpers/store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'st-stores-'));
let fileNo = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const code = (c: string) => expect.objectContaining({ code: c });

describeSessionStoreContract('memory', async () => {
  const store = new MemorySessionStore();
  return { store, close: () => store.close() };
});

describeSessionStoreContract(
  'sqlite file',
  async () => {
    const file = join(dir, `contract-${fileNo++}.db`);
    const encryptionKey = randomBytes(32);
    let current: SqliteSessionStore = openSecureTransportSqliteStore(file, { encryptionKey });
    return {
      get store() {
        return current;
      },
      close: () => current.close(),
      reopen: async () => {
        await current.close();
        current = openSecureTransportSqliteStore(file, { encryptionKey });
        return current;
      },
    };
  },
  { persistent: true },
);

describe('sealAtRest / openAtRest', () => {
  it('round trips; a wrong key, context, truncation or flipped byte gives ERR_ST_STORE_KEY', () => {
    const key = randomBytes(32);
    const secret = randomBytes(32);
    const sealed = sealAtRest(key, secret, 'st:test:1');
    expect(sealed.length).toBe(secret.length + AT_REST_OVERHEAD);
    expect(openAtRest(key, sealed, 'st:test:1')).toEqual(secret);
    expect(sealAtRest(key, secret, 'st:test:1')).not.toEqual(sealed); // random nonce
    const flipped = sealed.slice();
    flipped[20]! ^= 1;
    for (const [k, s, c] of [
      [randomBytes(32), sealed, 'st:test:1'],
      [key, sealed, 'st:test:2'],
      [key, sealed.subarray(0, AT_REST_OVERHEAD - 1), 'st:test:1'],
      [key, flipped, 'st:test:1'],
    ] as const) {
      expect(() => openAtRest(k, s, c)).toThrowError(code(SecureTransportErrorCode.StoreKey));
    }
    expect(() => sealAtRest(new Uint8Array(31), secret, 'x')).toThrowError(
      code(SecureTransportErrorCode.InvalidArgument),
    );
  });
});

describe('SQLite store: keys at rest', () => {
  it('secrets are not in the file in the clear; public metadata is', async () => {
    const file = join(dir, 'at-rest.db');
    const store = openSecureTransportSqliteStore(file, { encryptionKey: randomBytes(32) });
    const preKeyPrivate = generatePrivateKey();
    const identity = getPublicKey(generatePrivateKey(), 'compressed');
    const bundleId = getPublicKey(generatePrivateKey(), 'compressed');
    const dhsPrivate = generatePrivateKey();
    const secrets = {
      root: randomBytes(32),
      send: randomBytes(32),
      recv: randomBytes(32),
      shared: randomBytes(32),
    };
    const messageKey = randomBytes(32);
    const id = sessionIdOf(identity, 'b1', bundleId);
    await store.apply({
      preKeys: [
        { privateKey: preKeyPrivate, publicKey: getPublicKey(preKeyPrivate, 'compressed'), createdMs: 1 },
      ],
      sessions: [
        {
          id,
          identity,
          installationId: 'b1',
          bundleId,
          sharedKey: secrets.shared,
          x3dhHeader: undefined,
          ratchet: {
            rootKey: secrets.root,
            dhsPrivate,
            dhsPublic: getPublicKey(dhsPrivate, 'compressed'),
            dhr: undefined,
            sendKey: secrets.send,
            sendN: 0,
            recvKey: secrets.recv,
            recvN: 0,
            pn: 0,
            keysCount: 0,
          },
        },
      ],
      messageKeys: [{ sessionId: id, dh: bundleId, n: 0, messageKey, seq: 0 }],
    });
    await store.close(); // checkpoints the WAL into the file
    const raw = readFileSync(file).toString('hex');
    for (const secret of [preKeyPrivate, dhsPrivate, messageKey, ...Object.values(secrets)]) {
      expect(raw.includes(bytesToHex(secret))).toBe(false);
    }
    expect(raw.includes(bytesToHex(identity))).toBe(true); // metadata is not hidden
  });

  it('a different key is refused on open with ERR_ST_STORE_KEY; a bad key length is refused', async () => {
    const file = join(dir, 'wrong-key.db');
    await openSecureTransportSqliteStore(file, { encryptionKey: randomBytes(32) }).close();
    expect(() => openSecureTransportSqliteStore(file, { encryptionKey: randomBytes(32) })).toThrowError(
      code(SecureTransportErrorCode.StoreKey),
    );
    expect(() => openSecureTransportSqliteStore(file, { encryptionKey: randomBytes(16) })).toThrowError(
      code(SecureTransportErrorCode.InvalidArgument),
    );
  });

  it('a sealed secret copied to another row does not open (ERR_ST_STORE_KEY)', async () => {
    const store = openSecureTransportSqliteStore(':memory:', { encryptionKey: randomBytes(32) });
    const make = () => {
      const privateKey = generatePrivateKey();
      return { privateKey, publicKey: getPublicKey(privateKey, 'compressed'), createdMs: 1 };
    };
    const [a, b] = [make(), make()];
    await store.apply({ preKeys: [a, b] });
    store.db
      .prepare(
        'UPDATE st_prekeys SET private_key = (SELECT private_key FROM st_prekeys WHERE public_key = ?) WHERE public_key = ?',
      )
      .run(a.publicKey, b.publicKey);
    await expect(store.loadPreKeys()).rejects.toThrowError(code(SecureTransportErrorCode.StoreKey));
    await store.close();
  });

  it('records the schema version in its own row, uses WAL and refuses a newer schema', async () => {
    const file = join(dir, 'schema.db');
    const store = openSecureTransportSqliteStore(file, { encryptionKey: randomBytes(32) });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const { version } = SECURE_TRANSPORT_SQLITE_SCHEMA;
    expect(sqliteSchemaVersion(store.db, SECURE_TRANSPORT_SQLITE_SCHEMA)).toBe(version);
    expect(store.db.pragma('user_version', { simple: true })).toBe(0);
    await store.close();
    const db = new BetterSqlite3(file);
    db.prepare(`UPDATE ${SQLITE_SCHEMA_VERSIONS_TABLE} SET version = ?`).run(version + 1);
    db.close();
    expect(() => openSecureTransportSqliteStore(file, { encryptionKey: randomBytes(32) })).toThrowError(
      code(SQLITE_SCHEMA_TOO_NEW),
    );
  });

  it('adopts a file of the first release (version in user_version) with its sessions and key', async () => {
    const file = join(dir, 'first-release.db');
    const encryptionKey = randomBytes(32);
    const privateKey = generatePrivateKey();
    const preKey = { privateKey, publicKey: getPublicKey(privateKey, 'compressed'), createdMs: 1 };
    const first = openSecureTransportSqliteStore(file, { encryptionKey });
    await first.apply({ preKeys: [preKey] });
    await first.close();
    const db = new BetterSqlite3(file);
    db.exec(`DROP TABLE ${SQLITE_SCHEMA_VERSIONS_TABLE}`); // what the first release left
    db.pragma('user_version = 1');
    db.close();
    const store = openSecureTransportSqliteStore(file, { encryptionKey });
    expect(await store.loadPreKeys()).toEqual([preKey]);
    await store.close();
  });

  it('without better-sqlite3, opening a file throws MissingDependencyError naming it', () => {
    const open = () =>
      withoutPackage('better-sqlite3', () =>
        openSecureTransportSqliteStore(join(dir, 'none.db'), { encryptionKey: randomBytes(32) }),
      );
    expect(open).toThrow(MissingDependencyError);
    expect(open).toThrow(
      expect.objectContaining({
        dependency: 'better-sqlite3',
        message: expect.stringContaining('@status-ts/secure-transport/sqlite'),
      }),
    );
  });

  it('a statement failing mid-batch rolls the whole batch back (a real SQLite transaction)', async () => {
    const store = openSecureTransportSqliteStore(':memory:', { encryptionKey: randomBytes(32) });
    const privateKey = generatePrivateKey();
    const preKey = { privateKey, publicKey: getPublicKey(privateKey, 'compressed'), createdMs: 1 };
    store.db.exec(
      "CREATE TRIGGER fail_keys BEFORE INSERT ON st_message_keys BEGIN SELECT RAISE(ABORT, 'injected'); END",
    );
    const dh = getPublicKey(generatePrivateKey(), 'compressed');
    await expect(
      store.apply({
        preKeys: [preKey],
        messageKeys: [{ sessionId: 's', dh, n: 0, messageKey: randomBytes(32), seq: 0 }],
      }),
    ).rejects.toThrow('injected');
    expect(await store.loadPreKeys()).toEqual([]); // written before the failure, rolled back
    await store.close();
  });

  it("works on a Database the application owns and leaves it open with the application's settings", async () => {
    const db = new BetterSqlite3(join(dir, 'app.db'));
    const store = openSecureTransportSqliteStore(db, { encryptionKey: randomBytes(32), synchronous: 'OFF' });
    await store.close();
    expect(db.open).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });
});
