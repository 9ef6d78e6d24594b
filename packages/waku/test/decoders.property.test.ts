import { keccak256 } from '@status-ts/crypto';
import { rlpEncode } from '@status-ts/enr';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBatchAck,
  decodeEnvelopeList,
  decodeEnvelopesOrSingle,
  decodeMessageResponse,
  decodeP2PRequest,
  decodeP2PRequestComplete,
  decodePayload,
  decodeStatusOptions,
  decodeWhisperBloom,
  decodeWhisperPow,
  decodeWhisperRateLimits,
  decodeWhisperStatus,
  Envelope,
  encodeEnvelopeList,
  encodeStatusOptions,
  fullBloom,
  isWakuError,
  nonceBytes8,
  type StatusOptions,
} from '../src/index.js';

const RUNS = 1000;

/** Runs `decode`; any throw must be a typed WakuError. */
function onlyTyped(decode: (b: Uint8Array) => unknown) {
  return (bytes: Uint8Array) => {
    try {
      decode(bytes);
    } catch (err) {
      if (!isWakuError(err)) throw err;
    }
  };
}

const decoders: Array<[string, (b: Uint8Array) => unknown]> = [
  ['Envelope.decode', (b) => Envelope.decode(b)],
  ['decodeEnvelopeList', decodeEnvelopeList],
  ['decodeEnvelopesOrSingle', decodeEnvelopesOrSingle],
  ['decodeStatusOptions', (b) => decodeStatusOptions(b)],
  ['decodeWhisperStatus', decodeWhisperStatus],
  ['decodeWhisperPow', decodeWhisperPow],
  ['decodeWhisperBloom', decodeWhisperBloom],
  ['decodeWhisperRateLimits', decodeWhisperRateLimits],
  ['decodeMessageResponse', decodeMessageResponse],
  ['decodeBatchAck', decodeBatchAck],
  ['decodeP2PRequest', decodeP2PRequest],
  ['decodeP2PRequestComplete', decodeP2PRequestComplete],
  ['decodePayload', decodePayload],
];

const topic = fc.uint8Array({ minLength: 4, maxLength: 4 });
const envelopeFields = fc.record({
  expiry: fc.integer({ min: 0, max: 0xffffffff }),
  ttl: fc.integer({ min: 0, max: 0xffffffff }),
  topic,
  data: fc.uint8Array({ maxLength: 300 }),
  nonce: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
});

const rateLimits = fc.record({
  ip: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  peerId: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  topic: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
});
const statusOptions: fc.Arbitrary<StatusOptions> = fc.record(
  {
    powRequirement: fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }),
    bloomFilter: fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 64, maxLength: 64 })),
    lightNode: fc.boolean(),
    confirmationsEnabled: fc.boolean(),
    packetRateLimits: rateLimits,
    topicInterest: fc.array(topic, { maxLength: 20 }),
    bytesRateLimits: rateLimits,
  },
  { requiredKeys: [] },
);

/** A valid encoding with one random mutation: flip, insert, delete or truncate. */
function mutated(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(valid, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 3 }))
    .map(([bytes, at, value, kind]) => {
      if (bytes.length === 0) return Uint8Array.of(value);
      const i = at % bytes.length;
      const out = Array.from(bytes);
      if (kind === 0) out[i] = out[i]! ^ (value || 1);
      else if (kind === 1) out.splice(i, 0, value);
      else if (kind === 2) out.splice(i, 1);
      else out.length = i;
      return Uint8Array.from(out);
    });
}

describe('decoders raise only typed errors (property, random bytes)', () => {
  for (const [name, decode] of decoders) {
    it(`${name} on random bytes`, () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), onlyTyped(decode)), { numRuns: RUNS });
    });
  }
});

describe('decoders on mutated valid input (property)', () => {
  it('envelopes: a decodable mutation re-encodes to itself (canonical form)', () => {
    const valid = envelopeFields.map((f) => Envelope.create(f).raw);
    fc.assert(
      fc.property(mutated(valid), (bytes) => {
        let e: Envelope;
        try {
          e = Envelope.decode(bytes);
        } catch (err) {
          if (!isWakuError(err)) throw err;
          return;
        }
        expect(Envelope.create(e).raw).toEqual(bytes);
      }),
      { numRuns: RUNS },
    );
  });

  it('envelope lists and P2P messages', () => {
    const valid = fc
      .array(envelopeFields, { maxLength: 4 })
      .map((fs) => encodeEnvelopeList(fs.map((f) => Envelope.create(f))));
    fc.assert(fc.property(mutated(valid), onlyTyped(decodeEnvelopeList)), { numRuns: RUNS });
    fc.assert(fc.property(mutated(valid), onlyTyped(decodeEnvelopesOrSingle)), { numRuns: RUNS });
  });

  it('status options (waku/1) and Status (shh/6)', () => {
    fc.assert(
      fc.property(mutated(statusOptions.map((o) => encodeStatusOptions(o))), onlyTyped(decodeStatusOptions)),
      { numRuns: RUNS },
    );
    const whisper = fc
      .tuple(fc.double({ min: 0, noNaN: true }), fc.boolean(), fc.boolean())
      .map(([pow, light, conf]) =>
        rlpEncode([6, new Uint8Array(8).fill(Math.floor(pow) & 0x3f), fullBloom(), light, conf, [1, 2, 3]]),
      );
    fc.assert(fc.property(mutated(whisper), onlyTyped(decodeWhisperStatus)), { numRuns: RUNS });
  });
});

describe('round trips (property)', () => {
  it('envelope fields survive encode/decode', () => {
    fc.assert(
      fc.property(envelopeFields, (f) => {
        const d = Envelope.decode(Envelope.create(f).raw);
        expect([d.expiry, d.ttl, d.nonce]).toEqual([f.expiry, f.ttl, f.nonce]);
        expect(d.topic).toEqual(f.topic);
        expect(d.data).toEqual(f.data);
        // The PoW input built from the received bytes equals the definition (WAKU-09).
        expect(d.powHash).toEqual(
          keccak256(rlpEncode([f.expiry, f.ttl, f.topic, f.data]), nonceBytes8(f.nonce)),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('status options survive encode/decode', () => {
    fc.assert(
      fc.property(statusOptions, (o) => {
        expect(decodeStatusOptions(encodeStatusOptions(o))).toEqual(o);
      }),
      { numRuns: RUNS },
    );
  });
});
