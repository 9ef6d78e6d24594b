import { bytesToHex, bytesToUtf8, utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore, SecureTransport, SecureTransportError } from '../src/index.js';

// Random and mutated input to SecureTransport.decrypt: only SecureTransportErrors, and a failed decrypt
// leaves the whole store (sessions, stored message keys, installations, prekeys) exactly as it was.
describe('SecureTransport.decrypt property: typed errors only, no state change on failure', () => {
  const aliceKey = generatePrivateKey();
  const bobKey = generatePrivateKey();
  const store = new MemorySessionStore();
  const alice = new SecureTransport({ identityKey: aliceKey, installationId: 'a1' });
  const bob = new SecureTransport({ identityKey: bobKey, installationId: 'b1', store });
  const genuine: { bytes: Uint8Array; text: string }[] = [];

  beforeAll(async () => {
    await alice.addBundle(await bob.bundle());
    await bob.decrypt(alice.identity, await alice.encrypt(bob.identity, utf8ToBytes('hello')));
    await alice.decrypt(bob.identity, await bob.encrypt(alice.identity, utf8ToBytes('hi')));
    // Messages Bob has not seen yet (so later ones leave skipped keys behind when delivered first).
    for (let i = 0; i < 5; i++) {
      const text = `pending ${i}`;
      genuine.push({ bytes: await alice.encrypt(bob.identity, utf8ToBytes(text)), text });
    }
    await bob.decrypt(alice.identity, genuine[4]!.bytes); // stores the keys of 0..3
  });

  // The whole store as one string (vitest's deep equality on many byte arrays is slow).
  const state = () => JSON.stringify(store.dump(), (_, v) => (v instanceof Uint8Array ? bytesToHex(v) : v));

  const expectTypedAndUnchanged = async (bytes: Uint8Array) => {
    const before = state();
    try {
      return await bob.decrypt(alice.identity, bytes);
    } catch (err) {
      expect(err).toBeInstanceOf(SecureTransportError);
      expect(state()).toBe(before);
      return undefined;
    }
  };

  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (junk) => {
        expect(await expectTypedAndUnchanged(junk)).toBe(undefined);
      }),
      { numRuns: 1000 },
    );
  });

  it('mutated genuine messages (flipped bytes, truncation, extension): genuine payload or typed error', async () => {
    const mutation = fc.record({
      which: fc.nat({ max: 3 }),
      flips: fc.array(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), { maxLength: 3 }),
      cut: fc.option(fc.nat(), { freq: 3 }),
      extra: fc.uint8Array({ maxLength: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ which, flips, cut, extra }) => {
        const { bytes, text } = genuine[which]!;
        let mutated = bytes.slice();
        for (const { at, xor } of flips) mutated[at % mutated.length]! ^= xor;
        if (cut !== null) mutated = mutated.subarray(0, cut % mutated.length);
        if (extra.length > 0) mutated = Uint8Array.from([...mutated, ...extra]);
        const out = await expectTypedAndUnchanged(mutated);
        // A mutation of a field nothing depends on (e.g. an unknown trailing field) may still open: then it
        // is the genuine payload, never anything else.
        if (out) expect(bytesToUtf8(out.payload)).toBe(text);
      }),
      { numRuns: 1000 },
    );
    // The genuine messages still open afterwards.
    for (const { bytes, text } of genuine.slice(0, 4)) {
      expect(bytesToUtf8((await bob.decrypt(alice.identity, bytes)).payload)).toBe(text);
    }
  });
});
