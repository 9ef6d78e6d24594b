import { bytesToUtf8, utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeProtocolMessage,
  NO_INSTALLATION_ID,
  SecureTransport,
  SecureTransportError,
  SecureTransportErrorCode,
  signBundle,
} from '../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const text = utf8ToBytes;

function devices(identityKey: Uint8Array, ids: string[]): SecureTransport[] {
  return ids.map((installationId) => new SecureTransport({ identityKey, installationId }));
}

describe('SecureTransport', () => {
  it('first message without a bundle uses the DH header under "none"; later ones X3DH + ratchet', async () => {
    const [alice] = devices(generatePrivateKey(), ['a1']);
    const [bob] = devices(generatePrivateKey(), ['b1']);
    const first = await alice!.encrypt(bob!.identity, text('who are you'));
    expect(Object.keys(decodeProtocolMessage(first).directMessage)).toEqual([NO_INSTALLATION_ID]);
    const got = await bob!.decrypt(alice!.identity, first);
    expect(got).toMatchObject({ kind: 'dh', installationId: 'a1' });
    expect(bytesToUtf8(got.payload)).toBe('who are you');
    // Bob learned Alice's bundle from the message: his reply starts a ratchet session with X3DH.
    const reply = await bob!.encrypt(alice!.identity, text('bob here'));
    const direct = decodeProtocolMessage(reply).directMessage.a1!;
    expect(direct.X3DHHeader).toBeDefined();
    expect(await alice!.decrypt(bob!.identity, reply)).toMatchObject({
      kind: 'ratchet',
      installationId: 'b1',
    });
    // Alice answered on the ratchet: Bob stops sending the X3DH header.
    await bob!.decrypt(alice!.identity, await alice!.encrypt(bob!.identity, text('ok')));
    const next = await bob!.encrypt(alice!.identity, text('x'));
    expect(decodeProtocolMessage(next).directMessage.a1!.X3DHHeader).toBe(undefined);
  });

  it('a message for another device gives ERR_ST_NOT_FOR_THIS_DEVICE; garbage gives typed errors', async () => {
    const [alice] = devices(generatePrivateKey(), ['a1']);
    const [bob1, bob2] = devices(generatePrivateKey(), ['b1', 'b2']);
    await alice!.addBundle(await bob1!.bundle());
    const bytes = await alice!.encrypt(bob1!.identity, text('only b1'));
    await expect(bob2!.decrypt(alice!.identity, bytes)).rejects.toThrowError(
      code(SecureTransportErrorCode.NotForThisDevice),
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (junk) => {
        await bob1!.decrypt(alice!.identity, junk).catch((err: unknown) => {
          expect(err).toBeInstanceOf(SecureTransportError);
        });
      }),
      { numRuns: 1000 },
    );
    expect(bytesToUtf8((await bob1!.decrypt(alice!.identity, bytes)).payload)).toBe('only b1');
  });

  it('own new devices start disabled and get messages once enabled', async () => {
    const key = generatePrivateKey();
    const [a1, a2] = devices(key, ['a1', 'a2']);
    await a1!.addBundle(await a2!.bundle());
    expect(await a1!.installations(a1!.identity)).toMatchObject([{ id: 'a2', enabled: false }]);
    const before = await a1!.encrypt(a1!.identity, text('x'));
    expect(Object.keys(decodeProtocolMessage(before).directMessage)).toEqual([NO_INSTALLATION_ID]);
    await a1!.setInstallationEnabled(a1!.identity, 'a2', true);
    const sync = await a1!.encrypt(a1!.identity, text('synced'));
    expect(bytesToUtf8((await a2!.decrypt(a1!.identity, sync)).payload)).toBe('synced');
    await expect(a1!.setInstallationEnabled(a1!.identity, 'nope', true)).rejects.toThrowError(
      code(SecureTransportErrorCode.InvalidArgument),
    );
  });

  it('concurrent X3DH from both sides converges on one session', async () => {
    const [alice] = devices(generatePrivateKey(), ['a1']);
    const [bob] = devices(generatePrivateKey(), ['b1']);
    await alice!.addBundle(await bob!.bundle());
    await bob!.addBundle(await alice!.bundle());
    const fromAlice = await alice!.encrypt(bob!.identity, text('a'));
    const fromBob = await bob!.encrypt(alice!.identity, text('b'));
    expect(bytesToUtf8((await bob!.decrypt(alice!.identity, fromAlice)).payload)).toBe('a');
    expect(bytesToUtf8((await alice!.decrypt(bob!.identity, fromBob)).payload)).toBe('b');
    for (let i = 0; i < 3; i++) {
      const a = await alice!.encrypt(bob!.identity, text(`a${i}`));
      expect(bytesToUtf8((await bob!.decrypt(alice!.identity, a)).payload)).toBe(`a${i}`);
      const b = await bob!.encrypt(alice!.identity, text(`b${i}`));
      expect(bytesToUtf8((await alice!.decrypt(bob!.identity, b)).payload)).toBe(`b${i}`);
    }
  });

  it('a higher bundle version drops the device sessions; the next send starts a new X3DH', async () => {
    const [alice] = devices(generatePrivateKey(), ['a1']);
    const bobKey = generatePrivateKey();
    const [bob] = devices(bobKey, ['b1']);
    await alice!.addBundle(await bob!.bundle());
    await bob!.decrypt(alice!.identity, await alice!.encrypt(bob!.identity, text('one')));
    expect(await alice!.store.loadSessions(bob!.identity, 'b1')).toHaveLength(1);
    const newer = await bob!.bundle();
    newer.signedPreKeys.b1!.version = 1;
    await alice!.addBundle(signBundle(newer, bobKey));
    expect(await alice!.store.loadSessions(bob!.identity, 'b1')).toHaveLength(0);
    const again = decodeProtocolMessage(await alice!.encrypt(bob!.identity, text('two')));
    expect(again.directMessage.b1!.X3DHHeader).toBeDefined();
    // An older version than the one known is ignored.
    const older = await bob!.bundle();
    await alice!.addBundle(signBundle(older, bobKey));
    expect(await alice!.installations(bob!.identity)).toMatchObject([{ id: 'b1', version: 1 }]);
  });

  it('fans out to at most 3 enabled devices, most recently seen first', async () => {
    let now = 1_000;
    const clock = () => now;
    const alice = new SecureTransport({
      identityKey: generatePrivateKey(),
      installationId: 'a1',
      now: clock,
    });
    const bobKey = generatePrivateKey();
    const bob = ['b1', 'b2', 'b3', 'b4'].map(
      (installationId) => new SecureTransport({ identityKey: bobKey, installationId, now: clock }),
    );
    for (const b of bob) {
      now += 10;
      await alice.addBundle(await b.bundle());
    }
    // b1 writes to Alice: heard from most recently.
    now += 10;
    await alice.decrypt(bob[0]!.identity, await bob[0]!.encrypt(alice.identity, text('b1 here')));
    const targets = async () =>
      [...(await alice.encryptMessage(bob[0]!.identity, text('x'))).installationIds].sort();
    expect(await targets()).toEqual(['b1', 'b3', 'b4']);
    await alice.setInstallationEnabled(bob[0]!.identity, 'b1', false);
    expect(await targets()).toEqual(['b2', 'b3', 'b4']);
  });

  it('operations run one at a time: concurrent encrypts never reuse a message key', async () => {
    const [alice] = devices(generatePrivateKey(), ['a1']);
    const [bob] = devices(generatePrivateKey(), ['b1']);
    await alice!.addBundle(await bob!.bundle());
    const sent = await Promise.all(
      Array.from({ length: 10 }, (_, i) => alice!.encrypt(bob!.identity, text(`m${i}`))),
    );
    const ns = sent.map((b) => decodeProtocolMessage(b).directMessage.b1!.DRHeader!.n);
    expect(ns).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const got = await Promise.all(sent.reverse().map((b) => bob!.decrypt(alice!.identity, b)));
    expect(got.map((g) => bytesToUtf8(g.payload)).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${i}`).sort(),
    );
  });
});
