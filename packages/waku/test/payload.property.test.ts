import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildEnvelopeData,
  decodePayload,
  encodePayload,
  openEnvelopeData,
  PADDING_BLOCK_SIZE,
} from '../src/index.js';

const RUNS = 1000;
// Keys are drawn once: key generation is not what is under test.
const signers = [generatePrivateKey(), generatePrivateKey()];
const recipients = [generatePrivateKey(), generatePrivateKey()];
const symKey = new Uint8Array(32).fill(0x5a);
// Signing and ECIES are the slow part (~10 ms here): weight them so 1,000 runs stay fast yet cover both.
const maybeSigner = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 9 },
  { arbitrary: fc.constantFrom(...signers), weight: 1 },
);
const maybeRecipient = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 4 },
  { arbitrary: fc.constantFrom(...recipients), weight: 1 },
);

describe('payload round trips (property)', () => {
  it('encode/decode with and without signature and padding', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 700 }),
        fc.option(fc.uint8Array({ maxLength: 300 }), { nil: undefined }),
        maybeSigner,
        (payload, padding, signingKey) => {
          const raw = encodePayload({
            payload,
            ...(padding ? { padding } : {}),
            ...(signingKey ? { signingKey } : {}),
          });
          if (!padding) expect(raw.length % PADDING_BLOCK_SIZE).toBe(0);
          const decoded = decodePayload(raw);
          expect(decoded.payload).toEqual(payload);
          if (padding) expect(decoded.padding).toEqual(padding);
          expect(decoded.signer).toEqual(signingKey ? getPublicKey(signingKey) : undefined);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('encrypt/decrypt (symmetric or ECIES) with and without signature and padding', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.option(fc.uint8Array({ maxLength: 100 }), { nil: undefined }),
        maybeSigner,
        maybeRecipient,
        (payload, padding, signingKey, recipient) => {
          const common = { payload, ...(padding ? { padding } : {}), ...(signingKey ? { signingKey } : {}) };
          const data = recipient
            ? buildEnvelopeData({ ...common, publicKey: getPublicKey(recipient) })
            : buildEnvelopeData({ ...common, symKey });
          const opened = openEnvelopeData(data, recipient ? { privateKey: recipient } : { symKey });
          expect(opened.payload).toEqual(payload);
          if (padding) expect(opened.padding).toEqual(padding);
          expect(opened.signer).toEqual(signingKey ? getPublicKey(signingKey) : undefined);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
