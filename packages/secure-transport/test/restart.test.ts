import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToUtf8, utf8ToBytes } from '@status-ts/core';
import { CryptoErrorCode, generatePrivateKey, randomBytes } from '@status-ts/crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createAtRestKeystore,
  decodeProtocolMessage,
  openAtRestKeystore,
  SecureTransport,
  SecureTransportError,
  SecureTransportErrorCode,
} from '../src/index.js';
import { openSecureTransportSqliteStore } from '../src/sqlite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'st-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('restart mid-conversation from SQLite', () => {
  it('Alice and Bob close, reopen from their files, and continue both ways (late messages too)', async () => {
    const keys = { alice: generatePrivateKey(), bob: generatePrivateKey() };
    const atRest = { alice: randomBytes(32), bob: randomBytes(32) };
    const open = (who: 'alice' | 'bob', installationId: string) =>
      new SecureTransport({
        identityKey: keys[who],
        installationId,
        store: openSecureTransportSqliteStore(join(dir, `${who}.db`), { encryptionKey: atRest[who] }),
      });
    let alice = open('alice', 'a1');
    let bob = open('bob', 'b1');
    const say = async (from: SecureTransport, to: SecureTransport, text: string) => {
      const out = await to.decrypt(from.identity, await from.encrypt(to.identity, utf8ToBytes(text)));
      await out.confirm();
      return bytesToUtf8(out.payload);
    };

    await alice.addBundle(await bob.bundle());
    expect(await say(alice, bob, 'hello')).toBe('hello');
    expect(await say(bob, alice, 'hi')).toBe('hi');
    expect(await say(alice, bob, 'how are you')).toBe('how are you');
    // In flight across the restart: skipped keys must be persisted to open them afterwards.
    const late = await alice.encrypt(bob.identity, utf8ToBytes('late'));
    expect(await say(alice, bob, 'after late')).toBe('after late');
    const bobSessionBefore = (await bob.store.loadSessions(alice.identity, 'a1'))[0]!;
    // A tampered copy fails with a typed error and the SQLite transaction is never written.
    const tampered = late.slice();
    tampered[tampered.length - 1]! ^= 1;
    await expect(bob.decrypt(alice.identity, tampered)).rejects.toBeInstanceOf(SecureTransportError);
    expect(await bob.store.loadSessions(alice.identity, 'a1')).toEqual([bobSessionBefore]);
    const prekeysBefore = await bob.store.loadPreKeys();

    await alice.store.close();
    await bob.store.close();
    alice = open('alice', 'a1');
    bob = open('bob', 'b1');

    expect(await bob.store.loadSessions(alice.identity, 'a1')).toEqual([bobSessionBefore]);
    expect(await bob.store.loadPreKeys()).toEqual(prekeysBefore);
    expect(bytesToUtf8((await bob.decrypt(alice.identity, late)).payload)).toBe('late');
    expect(await say(bob, alice, 'back again')).toBe('back again');
    expect(await say(alice, bob, 'me too')).toBe('me too');
    for (let i = 0; i < 5; i++) {
      expect(await say(i % 2 ? alice : bob, i % 2 ? bob : alice, `turn ${i}`)).toBe(`turn ${i}`);
    }
    // The bundle (same prekey: not yet 24 h old) and the established session survived: no new X3DH.
    const next = decodeProtocolMessage(await alice.encrypt(bob.identity, utf8ToBytes('x')));
    expect(next.directMessage.b1!.X3DHHeader).toBe(undefined);
    expect(next.bundles[0]!.signedPreKeys.a1!.signedPreKey).toBeDefined();
    await alice.store.close();
    await bob.store.close();
  });

  it('the at-rest key lives in a password-protected keystore v3; a wrong password or key opens nothing', async () => {
    const cheap = { scrypt: { n: 1024, r: 8, p: 1 } };
    const { key, keystore } = createAtRestKeystore('correct horse', cheap);
    const file = join(dir, 'carol.db');
    const identityKey = generatePrivateKey();
    const carol = new SecureTransport({
      identityKey,
      installationId: 'c1',
      store: openSecureTransportSqliteStore(file, { encryptionKey: key }),
    });
    const prekeys = await carol.bundle().then(() => carol.store.loadPreKeys());
    await carol.store.close();

    const text = JSON.stringify(keystore);
    expect(text).not.toContain(Buffer.from(key).toString('hex'));
    const unlocked = openAtRestKeystore(text, 'correct horse');
    expect(unlocked).toEqual(key);
    const reopened = openSecureTransportSqliteStore(file, { encryptionKey: unlocked });
    expect(await reopened.loadPreKeys()).toEqual(prekeys);
    await reopened.close();

    expect(() => openAtRestKeystore(text, 'wrong')).toThrowError(
      expect.objectContaining({ code: CryptoErrorCode.BadMac }),
    );
    expect(() => openSecureTransportSqliteStore(file, { encryptionKey: randomBytes(32) })).toThrowError(
      expect.objectContaining({ code: SecureTransportErrorCode.StoreKey }),
    );
  });
});
