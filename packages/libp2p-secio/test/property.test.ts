import { legacyKeyStretcher } from '@status-ts/legacy-libp2p-peer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, lengthPrefixed } from '../src/byte-reader.js';
import { SecioError, SecioErrorCode } from '../src/errors.js';
import { FrameOpener, FrameSealer } from '../src/frames.js';
import { stretchKeys } from '../src/key-stretch.js';
import { decodeExchange, decodePropose, encodeExchange, encodePropose } from '../src/protobuf.js';
import { fromChunks } from './helpers/memory-duplex.js';

const RUNS = 1000;

const algorithmList = fc
  .string({ minLength: 1, maxLength: 60 })
  .filter((s) => new TextEncoder().encode(s).length <= 256);
const proposeArb = fc.record({
  rand: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  pubkey: fc.uint8Array({ minLength: 1, maxLength: 600 }),
  exchanges: algorithmList,
  ciphers: algorithmList,
  hashes: algorithmList,
});
const exchangeArb = fc.record({
  epubkey: fc.uint8Array({ minLength: 1, maxLength: 200 }),
  signature: fc.uint8Array({ minLength: 1, maxLength: 600 }),
});

/** A decoder may return or throw a SecioError; anything else (TypeError, RangeError) is a bug. */
function decodesOrRejectsTyped(decode: () => unknown): boolean {
  try {
    decode();
    return true;
  } catch (err) {
    return err instanceof SecioError && err.code === SecioErrorCode.BadMessage;
  }
}

/** Splits `bytes` at the given cut points (any chunking a socket might produce). */
function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

describe('property: Propose and Exchange decoders', () => {
  it('Propose round-trips', () => {
    fc.assert(
      fc.property(proposeArb, (p) => {
        expect(decodePropose(encodePropose(p))).toEqual(p);
      }),
      { numRuns: RUNS },
    );
  });

  it('Exchange round-trips', () => {
    fc.assert(
      fc.property(exchangeArb, (e) => {
        expect(decodeExchange(encodeExchange(e))).toEqual(e);
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary bytes decode or fail with ERR_SECIO_BAD_MESSAGE, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decodesOrRejectsTyped(() => decodePropose(bytes))).toBe(true);
        expect(decodesOrRejectsTyped(() => decodeExchange(bytes))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('valid messages with a byte changed or cut short decode or fail typed', () => {
    fc.assert(
      fc.property(
        proposeArb,
        exchangeArb,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.nat(),
        (p, e, at, value, cut) => {
          for (const bytes of [encodePropose(p), encodeExchange(e)]) {
            const mutated = bytes.slice();
            mutated[at % mutated.length] = value;
            const truncated = bytes.subarray(0, cut % bytes.length);
            for (const candidate of [mutated, truncated]) {
              expect(decodesOrRejectsTyped(() => decodePropose(candidate))).toBe(true);
              expect(decodesOrRejectsTyped(() => decodeExchange(candidate))).toBe(true);
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('property: frame reader', () => {
  const bodies = fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 });

  it('reads back every length-prefixed body whatever the chunking, then reports the end', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, fc.array(fc.nat(), { maxLength: 20 }), async (frames, cuts) => {
        const wire = Buffer.concat(frames.map(lengthPrefixed));
        const reader = new ByteReader(fromChunks(chunked(new Uint8Array(wire), cuts)));
        for (const body of frames) {
          expect(await reader.readLengthPrefixed(300, SecioErrorCode.FrameTooLarge, 'frame')).toEqual(body);
        }
        expect(await reader.atEnd()).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('a stream cut anywhere inside a frame fails with ERR_SECIO_TRUNCATED', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (frames, cutAt, cuts) => {
          const wire = new Uint8Array(Buffer.concat(frames.map(lengthPrefixed)));
          // Cut strictly inside the last frame so the stream can never end on a boundary.
          const lastStart = wire.length - frames.at(-1)!.length - 4;
          const end = lastStart + 1 + (cutAt % (wire.length - lastStart - 1));
          const reader = new ByteReader(fromChunks(chunked(wire.subarray(0, end), cuts)));
          let error: unknown;
          try {
            for (;;) await reader.readLengthPrefixed(200, SecioErrorCode.FrameTooLarge, 'frame');
          } catch (err) {
            error = err;
          }
          expect(error).toMatchObject({ code: SecioErrorCode.Truncated });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a length over the limit fails with the given code before the body is read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 0xffffffff - 10_000 }),
        async (max, over) => {
          const prefix = new Uint8Array(4);
          new DataView(prefix.buffer).setUint32(0, max + over);
          const reader = new ByteReader(fromChunks([prefix]));
          await expect(
            reader.readLengthPrefixed(max, SecioErrorCode.FrameTooLarge, 'frame'),
          ).rejects.toMatchObject({
            code: SecioErrorCode.FrameTooLarge,
          });
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('property: frames and keys', () => {
  const suiteArb = fc.record({
    cipher: fc.constantFrom('AES-128' as const, 'AES-256' as const),
    hash: fc.constantFrom('SHA256' as const, 'SHA512' as const),
  });

  it('sealed frames open to the plaintext; any flipped bit fails with ERR_SECIO_BAD_MAC', () => {
    fc.assert(
      fc.property(
        suiteArb,
        fc.uint8Array({ minLength: 8, maxLength: 64 }),
        fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (suite, secret, messages, at, bit) => {
          const { k1 } = stretchKeys(suite.cipher, suite.hash, secret);
          const sealer = new FrameSealer(suite, k1);
          const opener = new FrameOpener(suite, k1);
          const frames = messages.map((m) => sealer.seal(m).subarray(4));
          for (const [i, body] of frames.entries()) expect(opener.open(body)).toEqual(messages[i]);
          const tampered = sealer.seal(messages[0]!).subarray(4).slice();
          tampered[at % tampered.length]! ^= 1 << bit;
          expect(() => new FrameOpener(suite, k1).open(tampered)).toThrow(
            expect.objectContaining({ code: SecioErrorCode.BadMac }),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('key stretching matches libp2p-crypto 0.18 (an independent implementation)', async () => {
    await fc.assert(
      fc.asyncProperty(suiteArb, fc.uint8Array({ minLength: 1, maxLength: 80 }), async (suite, secret) => {
        const ours = stretchKeys(suite.cipher, suite.hash, secret);
        const theirs = await legacyKeyStretcher(suite.cipher, suite.hash, secret);
        for (const k of ['k1', 'k2'] as const) {
          expect(Buffer.from(ours[k].iv).equals(Buffer.from(theirs[k].iv))).toBe(true);
          expect(Buffer.from(ours[k].cipherKey).equals(Buffer.from(theirs[k].cipherKey))).toBe(true);
          expect(Buffer.from(ours[k].macKey).equals(Buffer.from(theirs[k].macKey))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
