import { create } from '@bufbuild/protobuf';
import { ManualClock } from '@status-ts/core';
import { generatePrivateKey, getPublicKey, randomBytes } from '@status-ts/crypto';
import { describe, expect, it } from 'vitest';
import {
  BundleSchema,
  MAX_STORED_INSTALLATIONS,
  MemorySessionStore,
  PROTOCOL_VERSION,
  SecureTransport,
  SecureTransportErrorCode,
  signBundle,
} from '../src/index.js';
import { openSecureTransportSqliteStore } from '../src/sqlite/index.js';

const code = (c: string) => expect.objectContaining({ code: c });

/** A bundle of `identityKey` announcing the installations `ids`, all on one signed prekey. */
function bundleOf(identityKey: Uint8Array, ids: string[], signedPreKey: Uint8Array) {
  const signedPreKeys = Object.fromEntries(
    ids.map((id) => [id, { signedPreKey, version: 0, protocolVersion: PROTOCOL_VERSION }]),
  );
  const unsigned = create(BundleSchema, { identity: getPublicKey(identityKey, 'compressed'), signedPreKeys });
  return signBundle(unsigned, identityKey);
}

function clock() {
  const manual = new ManualClock(1_000_000);
  return { now: () => manual.now(), tick: () => manual.advance(1) };
}

describe('installations stored per identity are capped', () => {
  it('3,000 installations announced by one identity: only the newest maxStoredInstallations stay', async () => {
    const time = clock();
    const store = new MemorySessionStore();
    const alice = new SecureTransport({
      identityKey: generatePrivateKey(),
      installationId: 'alice',
      store,
      now: time.now,
    });
    const malloryKey = generatePrivateKey();
    const mallory = getPublicKey(malloryKey, 'compressed');
    const spk = getPublicKey(generatePrivateKey(), 'compressed');
    const sizeOfStore = () =>
      JSON.stringify(store.dump(), (_k, v) => (v instanceof Uint8Array ? 'x'.repeat(v.length * 2) : v))
        .length;

    // Start one session with a device that will be evicted later: its session must go with it.
    await alice.addBundle(bundleOf(malloryKey, ['m-first'], spk));
    expect((await alice.encryptMessage(mallory, new Uint8Array([1]))).installationIds).toEqual(['m-first']);
    expect(store.dump().sessions).toHaveLength(1);

    // 3,000 devices: the first 1,000 one per bundle, the rest 50 per bundle (each bundle a tick later).
    let sizeAfterCap = 0;
    for (let i = 0; i < 1000; i++) {
      time.tick();
      await alice.addBundle(bundleOf(malloryKey, [`m-${i}`], spk));
      if (i === MAX_STORED_INSTALLATIONS + 10) sizeAfterCap = sizeOfStore();
    }
    for (let i = 1000; i < 3000; i += 50) {
      time.tick();
      const ids = Array.from({ length: 50 }, (_, j) => `m-${i + j}`);
      await alice.addBundle(bundleOf(malloryKey, ids, spk));
    }

    const kept = await alice.installations(mallory);
    expect(kept).toHaveLength(MAX_STORED_INSTALLATIONS);
    // The newest: the last bundle (m-2950..m-2999, one tick) ties; the cap keeps 32 of those 50.
    for (const device of kept) {
      expect(Number(device.id.slice(2))).toBeGreaterThanOrEqual(2950);
    }
    expect(store.dump().installations).toHaveLength(MAX_STORED_INSTALLATIONS);
    expect(store.dump().sessions).toHaveLength(0); // m-first's session left with it
    expect(alice.stats.installationsEvicted).toBe(3001 - MAX_STORED_INSTALLATIONS);
    expect(sizeOfStore()).toBeLessThanOrEqual(sizeAfterCap * 1.1);

    // Sending to that identity still works, to kept devices only.
    const sent = await alice.encryptMessage(mallory, new Uint8Array([2]));
    expect(sent.installationIds).toHaveLength(3);
    const keptIds = new Set(kept.map((d) => d.id));
    for (const id of sent.installationIds) expect(keptIds.has(id)).toBe(true);
  });

  it('one device per bundle: the most recently seen ones are kept, older ones evicted first', async () => {
    const time = clock();
    const cap = 4;
    const alice = new SecureTransport({
      identityKey: generatePrivateKey(),
      installationId: 'alice',
      now: time.now,
      maxStoredInstallations: cap,
    });
    const bobKey = generatePrivateKey();
    const bob = getPublicKey(bobKey, 'compressed');
    const spk = getPublicKey(generatePrivateKey(), 'compressed');
    for (let i = 0; i < 10; i++) {
      time.tick();
      await alice.addBundle(bundleOf(bobKey, [`b-${i}`], spk));
    }
    const ids = (await alice.installations(bob)).map((d) => d.id).sort();
    expect(ids).toEqual(['b-6', 'b-7', 'b-8', 'b-9']);
    expect(alice.stats.installationsEvicted).toBe(6);
    // A message from b-6 makes it the most recently seen: the next new device evicts b-7 instead.
    const device = (installationId: string) =>
      new SecureTransport({ identityKey: bobKey, installationId, now: time.now });
    time.tick();
    await alice.decrypt(bob, await device('b-6').encrypt(alice.identity, new Uint8Array([1])));
    time.tick();
    await alice.decrypt(bob, await device('b-10').encrypt(alice.identity, new Uint8Array([2])));
    expect((await alice.installations(bob)).map((d) => d.id).sort()).toEqual(['b-10', 'b-6', 'b-8', 'b-9']);
    expect(alice.stats.installationsEvicted).toBe(7);
  });

  it('devices announced through DH messages with fresh installation ids obey the same cap', async () => {
    const time = clock();
    const alice = new SecureTransport({
      identityKey: generatePrivateKey(),
      installationId: 'alice',
      now: time.now,
      maxStoredInstallations: 5,
    });
    const malloryKey = generatePrivateKey();
    for (let i = 0; i < 20; i++) {
      time.tick();
      const m = new SecureTransport({ identityKey: malloryKey, installationId: `m-${i}`, now: time.now });
      const got = await alice.decrypt(m.identity, await m.encrypt(alice.identity, new Uint8Array([i])));
      expect(got.payload).toEqual(new Uint8Array([i]));
    }
    const ids = (await alice.installations(getPublicKey(malloryKey, 'compressed'))).map((d) => d.id).sort();
    expect(ids).toEqual(['m-15', 'm-16', 'm-17', 'm-18', 'm-19']);
    expect(alice.stats.installationsEvicted).toBe(15);
  });

  it('the SQLite store keeps the same bound: rows of one identity stay at the cap', async () => {
    const time = clock();
    const store = openSecureTransportSqliteStore(':memory:', { encryptionKey: randomBytes(32) });
    try {
      const alice = new SecureTransport({
        identityKey: generatePrivateKey(),
        installationId: 'alice',
        store,
        now: time.now,
        maxStoredInstallations: 8,
      });
      const malloryKey = generatePrivateKey();
      const mallory = getPublicKey(malloryKey, 'compressed');
      const spk = getPublicKey(generatePrivateKey(), 'compressed');
      for (let i = 0; i < 3000; i += 60) {
        time.tick();
        const ids = Array.from({ length: 60 }, (_, j) => `m-${i + j}`);
        await alice.addBundle(bundleOf(malloryKey, ids, spk));
        // Every device we encrypt to gets a session: those must leave with their device.
        if (i % 600 === 0) await alice.encrypt(mallory, new Uint8Array([1]));
      }
      const count = (table: string) =>
        store.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
      expect(count('st_installations')).toBe(8);
      expect(count('st_sessions')).toBeLessThanOrEqual(3);
      expect(alice.stats.installationsEvicted).toBe(3000 - 8);
      expect((await alice.encryptMessage(mallory, new Uint8Array([2]))).installationIds).toHaveLength(3);
    } finally {
      await store.close();
    }
  });

  it('maxStoredInstallations is validated', () => {
    const make = (maxStoredInstallations: number) => () =>
      new SecureTransport({ identityKey: generatePrivateKey(), installationId: 'a', maxStoredInstallations });
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(make(bad)).toThrowError(code(SecureTransportErrorCode.InvalidArgument));
    }
    expect(make(1)).not.toThrow();
    expect(MAX_STORED_INSTALLATIONS).toBe(32);
  });
});
