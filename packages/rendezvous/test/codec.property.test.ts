import { rlpEncode, rlpRaw } from '@status-ts/enr';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeDiscover,
  decodeDiscoverResponse,
  decodeMessageType,
  decodeRegister,
  decodeRegisterResponse,
  decodeRemoteIpResponse,
  encodeDiscoverResponse,
  encodeRegister,
  FrameReader,
  RendezvousError,
} from '../src/index.js';
import { testEnr } from './helpers/fixtures.js';

const decoders = {
  decodeRegister,
  decodeRegisterResponse,
  decodeDiscover,
  decodeDiscoverResponse,
  decodeRemoteIpResponse,
  decodeMessageType,
};

/** Runs `fn`; anything thrown must be a RendezvousError with a code. */
function onlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof RendezvousError) || !err.code.startsWith('ERR_RENDEZVOUS_')) throw err;
  }
}

const record = testEnr();
const validBodies = [
  encodeRegister({ topic: 'whisper', record, ttlNs: 10_000_000_000n }),
  encodeDiscoverResponse({ status: 0, records: [record, testEnr()] }),
  rlpEncode([10, 'whispermail']),
  rlpEncode([0, 'ok']),
  rlpEncode([0, '', [rlpRaw(record.encode())]]),
];

/** A valid body with a few bytes overwritten, inserted or cut. */
const mutated = fc
  .tuple(
    fc.constantFrom(...validBodies),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'cut')), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([body, edits]) => {
    let bytes = [...body];
    for (const [at, value, kind] of edits) {
      const i = at % (bytes.length + 1);
      if (kind === 'set' && i < bytes.length) bytes[i] = value;
      else if (kind === 'insert') bytes.splice(i, 0, value);
      else bytes = bytes.slice(0, i);
    }
    return new Uint8Array(bytes);
  });

describe('decoders on hostile input throw only typed errors', () => {
  for (const [name, decode] of Object.entries(decoders)) {
    it(`${name}: random bytes`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => onlyTypedErrors(() => decode(bytes))),
        { numRuns: 2000 },
      );
    });

    it(`${name}: mutated valid bodies`, () => {
      fc.assert(
        fc.property(mutated, (bytes) => onlyTypedErrors(() => decode(bytes))),
        { numRuns: 1000 },
      );
    });
  }

  it('FrameReader: random chunked streams end, yield items or throw typed errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), async (parts) => {
        async function* source() {
          yield* parts;
        }
        const reader = new FrameReader(source(), 256);
        try {
          let items = 0;
          while ((await reader.next()) !== undefined) items++;
          expect(items).toBeLessThanOrEqual(parts.reduce((n, p) => n + p.length, 0));
        } catch (err) {
          if (!(err instanceof RendezvousError)) throw err;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
