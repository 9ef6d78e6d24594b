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
} from '../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });

function devices(identityKey: Uint8Array, ids: string[]): SecureTransport[] {
  return ids.map((installationId) => new SecureTransport({ identityKey, installationId }));
}

describe('SecureTransport', () => {
  it('first message without a bundle uses the DH header under "none"; later ones X3DH + ratchet', () => {
    const [alice] = devices(generatePrivateKey(), ['a1']);
    const [bob] = devices(generatePrivateKey(), ['b1']);
    const first = alice!.encrypt(bob!.identity, utf8ToBytes('who are you'));
    expect(Object.keys(decodeProtocolMessage(first).directMessage)).toEqual([NO_INSTALLATION_ID]);
    const got = bob!.decrypt(alice!.identity, first);
    expect(got).toMatchObject({ kind: 'dh', installationId: 'a1' });
    expect(bytesToUtf8(got.payload)).toBe('who are you');
    // Bob learned Alice's bundle from the message: his reply starts a ratchet session with X3DH.
    const reply = bob!.encrypt(alice!.identity, utf8ToBytes('bob here'));
    const direct = decodeProtocolMessage(reply).directMessage.a1!;
    expect(direct.X3DHHeader).toBeDefined();
    expect(alice!.decrypt(bob!.identity, reply)).toMatchObject({ kind: 'ratchet', installationId: 'b1' });
    // Alice answered on the ratchet: Bob stops sending the X3DH header.
    bob!.decrypt(alice!.identity, alice!.encrypt(bob!.identity, utf8ToBytes('ok')));
    expect(
      decodeProtocolMessage(bob!.encrypt(alice!.identity, utf8ToBytes('x'))).directMessage.a1!.X3DHHeader,
    ).toBe(undefined);
  });

  it('a message for another device gives ERR_ST_NOT_FOR_THIS_DEVICE; garbage gives typed errors', () => {
    const [alice] = devices(generatePrivateKey(), ['a1']);
    const [bob1, bob2] = devices(generatePrivateKey(), ['b1', 'b2']);
    alice!.addBundle(bob1!.bundle());
    const bytes = alice!.encrypt(bob1!.identity, utf8ToBytes('only b1'));
    expect(() => bob2!.decrypt(alice!.identity, bytes)).toThrowError(
      code(SecureTransportErrorCode.NotForThisDevice),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        try {
          bob1!.decrypt(alice!.identity, junk);
        } catch (err) {
          expect(err).toBeInstanceOf(SecureTransportError);
        }
      }),
      { numRuns: 1000 },
    );
    expect(bytesToUtf8(bob1!.decrypt(alice!.identity, bytes).payload)).toBe('only b1');
  });

  it('own new devices start disabled and get messages once enabled', () => {
    const key = generatePrivateKey();
    const [a1, a2] = devices(key, ['a1', 'a2']);
    a1!.addBundle(a2!.bundle());
    expect(a1!.installations(a1!.identity)).toMatchObject([{ id: 'a2', enabled: false }]);
    expect(
      Object.keys(decodeProtocolMessage(a1!.encrypt(a1!.identity, utf8ToBytes('x'))).directMessage),
    ).toEqual([NO_INSTALLATION_ID]);
    a1!.setInstallationEnabled(a1!.identity, 'a2', true);
    const sync = a1!.encrypt(a1!.identity, utf8ToBytes('synced'));
    expect(bytesToUtf8(a2!.decrypt(a1!.identity, sync).payload)).toBe('synced');
  });

  it('concurrent X3DH from both sides converges on one session', () => {
    const [alice] = devices(generatePrivateKey(), ['a1']);
    const [bob] = devices(generatePrivateKey(), ['b1']);
    alice!.addBundle(bob!.bundle());
    bob!.addBundle(alice!.bundle());
    const fromAlice = alice!.encrypt(bob!.identity, utf8ToBytes('a'));
    const fromBob = bob!.encrypt(alice!.identity, utf8ToBytes('b'));
    expect(bytesToUtf8(bob!.decrypt(alice!.identity, fromAlice).payload)).toBe('a');
    expect(bytesToUtf8(alice!.decrypt(bob!.identity, fromBob).payload)).toBe('b');
    for (let i = 0; i < 3; i++) {
      expect(
        bytesToUtf8(
          bob!.decrypt(alice!.identity, alice!.encrypt(bob!.identity, utf8ToBytes(`a${i}`))).payload,
        ),
      ).toBe(`a${i}`);
      expect(
        bytesToUtf8(
          alice!.decrypt(bob!.identity, bob!.encrypt(alice!.identity, utf8ToBytes(`b${i}`))).payload,
        ),
      ).toBe(`b${i}`);
    }
  });

  it('Alice (2 devices) <-> Bob (3 devices): reordered, duplicated messages decrypt on every device', () => {
    const aliceKey = generatePrivateKey();
    const bobKey = generatePrivateKey();
    const alice = devices(aliceKey, ['a1', 'a2']);
    const bob = devices(bobKey, ['b1', 'b2', 'b3']);
    for (const a of alice) for (const b of bob) a.addBundle(b.bundle());
    for (const b of bob) for (const a of alice) b.addBundle(a.bundle());
    const rng = fc.sample(fc.nat(1_000_000), { numRuns: 2000, seed: 42 });
    let r = 0;
    const next = (n: number) => rng[r++ % rng.length]! % n;
    type Flight = { bytes: Uint8Array; text: string; from: Uint8Array; to: SecureTransport[] };
    const inFlight: Flight[] = [];
    let received = 0;
    for (let i = 0; i < 300; i++) {
      const aliceSends = next(2) === 0;
      const senders = aliceSends ? alice : bob;
      const sender = senders[next(senders.length)]!;
      const text = `${sender.installationId}#${i}`;
      const receivers = aliceSends ? bob : alice;
      inFlight.push({
        bytes: sender.encrypt(aliceSends ? bob[0]!.identity : alice[0]!.identity, utf8ToBytes(text)),
        text,
        from: sender.identity,
        to: receivers,
      });
      // Deliver a random in-flight message (reordering within a small window), sometimes twice.
      while (inFlight.length > 5 || (inFlight.length > 0 && next(3) === 0)) {
        const [f] = inFlight.splice(next(inFlight.length), 1);
        for (const device of f!.to) {
          const times = next(5) === 0 ? 2 : 1;
          for (let t = 0; t < times; t++) {
            const out = device.decrypt(f!.from, f!.bytes);
            expect(bytesToUtf8(out.payload)).toBe(f!.text);
            expect(out.kind).toBe('ratchet');
            received++;
          }
        }
      }
    }
    expect(received).toBeGreaterThan(600);
  });
});
