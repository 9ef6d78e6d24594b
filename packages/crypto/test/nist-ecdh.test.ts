import { bytesToHex, hexToBytes } from '@status-ts/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fastNodeNistEcdh } from '../src/backend.js';
import {
  CryptoError,
  CryptoErrorCode,
  cryptoBackends,
  initFastCrypto,
  NIST_COORDINATE_LENGTH,
  NIST_CURVES,
  type NistCurve,
  type NistEcdhKeyPair,
  nistEcdhKeyPair,
} from '../src/index.js';
import { nistEcdhKeyPairNoble, nistEcdhKeyPairNode } from '../src/nist-ecdh.js';
import { expectCryptoError, expectFastBackends, onPath, PATHS } from './helpers.js';

const hex = bytesToHex;
const bytes = hexToBytes;

/** RFC 5903 section 8: initiator i, responder r, their public values g^i, g^r, and x(g^ir). */
const RFC_5903: Record<NistCurve, { i: string; gi: string; r: string; gr: string; girx: string }> = {
  'P-256': {
    i: 'c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433',
    gi:
      'dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180' +
      '5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3',
    r: 'c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53',
    gr:
      'd12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63' +
      '56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab',
    girx: 'd6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de',
  },
  'P-384': {
    i: '099f3c7034d4a2c699884d73a375a67f7624ef7c6b3c0f160647b67414dce655e35b538041e649ee3faef896783ab194',
    gi:
      '667842d7d180ac2cde6f74f37551f55755c7645c20ef73e31634fe72b4c55ee6de3ac808acb4bdb4c88732aee95f41aa' +
      '9482ed1fc0eeb9cafc4984625ccfc23f65032149e0e144ada024181535a0f38eeb9fcff3c2c947dae69b4c634573a81c',
    r: '41cb0779b4bdb85d47846725fbec3c9430fab46cc8dc5060855cc9bda0aa2942e0308312916b8ed2960e4bd55a7448fc',
    gr:
      'e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d83cfa41732bc509d0d1ac43a0336def96fda41d0774a3571' +
      'dcfbec7aacf3196472169e838430367f66eebe3c6e70c416dd5f0c68759dd1fff83fa40142209dff5eaad96db9e6386c',
    girx: '11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156c5c4d603135569b9e9d09cf5d4a270f59746',
  },
  'P-521': {
    i: '0037ade9319a89f4dabdb3ef411aaccca5123c61acab57b5393dce47608172a095aa85a30fe1c2952c6771d937ba9777f5957b2639bab072462f68c27a57382d4a52',
    gi:
      '0015417e84dbf28c0ad3c278713349dc7df153c897a1891bd98bab4357c9ecbee1e3bf42e00b8e380aeae57c2d107564941885942af5a7f4601723c4195d176ced3e' +
      '017cae20b6641d2eeb695786d8c946146239d099e18e1d5a514c739d7cb4a10ad8a788015ac405d7799dc75e7b7d5b6cf2261a6a7f1507438bf01beb6ca3926f9582',
    r: '0145ba99a847af43793fdd0e872e7cdfa16be30fdc780f97bccc3f078380201e9c677d600b343757a3bdbf2a3163e4c2f869cca7458aa4a4effc311f5cb151685eb9',
    gr:
      '00d0b3975ac4b799f5bea16d5e13e9af971d5e9b984c9f39728b5e5739735a219b97c356436adc6e95bb0352f6be64a6c2912d4ef2d0433ced2b6171640012d9460f' +
      '015c68226383956e3bd066e797b623c27ce0eac2f551a10c2c724d9852077b87220b6536c5c408a1d2aebb8e86d678ae49cb57091f4732296579ab44fcd17f0fc56a',
    girx: '01144c7d79ae6956bc8edb8e7c787c4521cb086fa64407f97894e5e6b2d79b04d1427e73ca4baa240a34786859810c06b3c715a3a8cc3151f2bee417996d19f3ddea',
  },
};

/** Field primes, for points with a coordinate >= p. */
const FIELD_PRIME: Record<NistCurve, bigint> = {
  'P-256': 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
  'P-384': 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
  'P-521': 2n ** 521n - 1n,
};

const toFixed = (value: bigint, length: number): Uint8Array =>
  bytes(value.toString(16).padStart(2 * length, '0'));
const fromBytes = (b: Uint8Array): bigint => BigInt(`0x${hex(b) || '0'}`);

/** Off-curve, wrongly encoded and out-of-range peer points for `curve`, built from a valid one. */
function invalidPeerKeys(curve: NistCurve, valid: Uint8Array): Record<string, Uint8Array> {
  const n = NIST_COORDINATE_LENGTH[curve];
  const x = valid.subarray(1, 1 + n);
  const y = valid.subarray(1 + n);
  const offCurve = valid.slice();
  offCurve[offCurve.length - 1]! ^= 1;
  const compressed = Uint8Array.of(2 + (y[n - 1]! & 1), ...x);
  const hybrid = valid.slice();
  hybrid[0] = 6 + (y[n - 1]! & 1);
  const p = FIELD_PRIME[curve];
  const xPlusP = fromBytes(x) + p;
  const shifted =
    xPlusP < 2n ** BigInt(8 * n)
      ? Uint8Array.of(4, ...toFixed(xPlusP, n), ...y)
      : Uint8Array.of(4, ...toFixed(p, n), ...y);
  return {
    'off the curve (last bit of Y flipped)': offCurve,
    'all-zero point (the infinity encodings)': Uint8Array.of(4, ...new Uint8Array(2 * n)),
    'X + p (same point modulo p, coordinate out of range)': shifted,
    'compressed form': compressed,
    'hybrid form': hybrid,
    'no prefix (raw X‖Y)': valid.subarray(1),
    'truncated by one byte': valid.subarray(0, valid.length - 1),
    'one byte too long': Uint8Array.of(...valid, 0),
    empty: new Uint8Array(0),
  };
}

beforeAll(async () => {
  await initFastCrypto();
  expectFastBackends();
  expect(cryptoBackends().nistEcdh).toBe('node');
});

describe.each(PATHS)('nistEcdhKeyPair on the %s path', (path) => {
  describe.each(NIST_CURVES)('%s', (curve) => {
    const v = RFC_5903[curve];
    const length = NIST_COORDINATE_LENGTH[curve];

    it('RFC 5903 known answer: both public values and x(g^ir) from either side', () =>
      onPath(path, () => {
        const i = nistEcdhKeyPair(curve, bytes(v.i));
        const r = nistEcdhKeyPair(curve, bytes(v.r));
        expect(hex(i.publicKey)).toBe(`04${v.gi}`);
        expect(hex(r.publicKey)).toBe(`04${v.gr}`);
        expect(hex(i.computeSecret(r.publicKey))).toBe(v.girx);
        expect(hex(r.computeSecret(i.publicKey))).toBe(v.girx);
      }));

    it('random keys: uncompressed public key, both sides derive the same fixed-length secret', () =>
      onPath(path, () => {
        const a = nistEcdhKeyPair(curve);
        const b = nistEcdhKeyPair(curve);
        expect(a.curve).toBe(curve);
        expect(a.publicKey).toHaveLength(1 + 2 * length);
        expect(a.publicKey[0]).toBe(4);
        expect(hex(a.publicKey)).not.toBe(hex(b.publicKey));
        const secret = a.computeSecret(b.publicKey);
        expect(secret).toHaveLength(length);
        expect(hex(b.computeSecret(a.publicKey))).toBe(hex(secret));
      }));

    it('rejects invalid peer points with ERR_CRYPTO_INVALID_PUBLIC_KEY, and the key stays usable', () =>
      onPath(path, () => {
        const own = nistEcdhKeyPair(curve, bytes(v.i));
        for (const [what, key] of Object.entries(invalidPeerKeys(curve, bytes(`04${v.gr}`)))) {
          const err = expectCryptoError(() => own.computeSecret(key), CryptoErrorCode.InvalidPublicKey);
          expect(err.message, what).toContain(curve);
        }
        expect(hex(own.computeSecret(bytes(`04${v.gr}`)))).toBe(v.girx);
      }));

    it('rejects a point of another curve', () =>
      onPath(path, () => {
        const own = nistEcdhKeyPair(curve);
        for (const other of NIST_CURVES.filter((c) => c !== curve)) {
          expectCryptoError(
            () => own.computeSecret(nistEcdhKeyPair(other).publicKey),
            CryptoErrorCode.InvalidPublicKey,
          );
        }
      }));

    it('rejects private keys of the wrong length (InvalidLength) or outside [1, n) (InvalidPrivateKey)', () =>
      onPath(path, () => {
        expectCryptoError(
          () => nistEcdhKeyPair(curve, new Uint8Array(length - 1)),
          CryptoErrorCode.InvalidLength,
        );
        expectCryptoError(
          () => nistEcdhKeyPair(curve, new Uint8Array(length + 1)),
          CryptoErrorCode.InvalidLength,
        );
        expectCryptoError(
          () => nistEcdhKeyPair(curve, new Uint8Array(length)),
          CryptoErrorCode.InvalidPrivateKey,
        );
        expectCryptoError(
          () => nistEcdhKeyPair(curve, new Uint8Array(length).fill(0xff)),
          CryptoErrorCode.InvalidPrivateKey,
        );
      }));
  });

  it('rejects an unknown curve name with ERR_CRYPTO_INVALID_ARGUMENT', () =>
    onPath(path, () => {
      for (const name of ['secp256k1', 'P-224', 'toString', '']) {
        expectCryptoError(() => nistEcdhKeyPair(name as NistCurve), CryptoErrorCode.InvalidArgument);
      }
    }));
});

describe('nistEcdhKeyPair node:crypto path == noble path', () => {
  const node = () => fastNodeNistEcdh()!;
  const curveArb = fc.constantFrom(...NIST_CURVES);
  // P-521 scalars are 66 bytes below n ~ 2^521: keep the top byte at 0 or 1 so most draws are valid keys.
  const scalarArb = (curve: NistCurve) =>
    fc
      .uint8Array({ minLength: NIST_COORDINATE_LENGTH[curve], maxLength: NIST_COORDINATE_LENGTH[curve] })
      .map((key) => {
        if (curve === 'P-521') key[0]! &= 1;
        return key;
      });

  /** The outcome of `fn` as comparable text: its bytes, or the code of the CryptoError it threw. */
  function outcome(fn: () => Uint8Array): string {
    try {
      return hex(fn());
    } catch (err) {
      expect(err).toBeInstanceOf(CryptoError);
      return `throws ${(err as CryptoError).code}`;
    }
  }
  const pair = (make: () => NistEcdhKeyPair): NistEcdhKeyPair | string => {
    try {
      return make();
    } catch (err) {
      expect(err).toBeInstanceOf(CryptoError);
      return `throws ${(err as CryptoError).code}`;
    }
  };

  it('same public key and shared secret for random private keys', () => {
    fc.assert(
      fc.property(
        curveArb.chain((curve) => fc.tuple(fc.constant(curve), scalarArb(curve), scalarArb(curve))),
        ([curve, a, b]) => {
          const viaNode = pair(() => nistEcdhKeyPairNode(node(), curve, a));
          const viaNoble = pair(() => nistEcdhKeyPairNoble(curve, a));
          if (typeof viaNode === 'string' || typeof viaNoble === 'string') {
            expect(viaNode).toEqual(viaNoble);
            return;
          }
          expect(hex(viaNode.publicKey)).toBe(hex(viaNoble.publicKey));
          const peerNode = pair(() => nistEcdhKeyPairNode(node(), curve, b));
          if (typeof peerNode === 'string') return;
          const secret = outcome(() => viaNode.computeSecret(peerNode.publicKey));
          expect(outcome(() => viaNoble.computeSecret(peerNode.publicKey))).toBe(secret);
        },
      ),
      // P-521 on noble is several ms a multiplication: 300 runs stay within a few seconds.
      { numRuns: 300 },
    );
  });

  it('same outcome for random and tampered peer points', () => {
    const keys = Object.fromEntries(
      NIST_CURVES.map((curve) => [
        curve,
        {
          node: nistEcdhKeyPairNode(node(), curve, bytes(RFC_5903[curve].i)),
          noble: nistEcdhKeyPairNoble(curve, bytes(RFC_5903[curve].i)),
        },
      ]),
    ) as Record<NistCurve, { node: NistEcdhKeyPair; noble: NistEcdhKeyPair }>;
    const peerArb = curveArb.chain((curve) => {
      const n = NIST_COORDINATE_LENGTH[curve];
      const valid = bytes(`04${RFC_5903[curve].gr}`);
      return fc.tuple(
        fc.constant(curve),
        fc.oneof(
          fc
            .uint8Array({ minLength: 1 + 2 * n, maxLength: 1 + 2 * n })
            .map((b) => Uint8Array.of(4, ...b.subarray(1))),
          fc.uint8Array({ maxLength: 2 * n + 3 }),
          fc.tuple(fc.nat(2 * n), fc.integer({ min: 1, max: 255 })).map(([at, mask]) => {
            const tampered = valid.slice();
            tampered[at]! ^= mask;
            return tampered;
          }),
        ),
      );
    });
    fc.assert(
      fc.property(peerArb, ([curve, peer]) => {
        const { node: viaNode, noble: viaNoble } = keys[curve];
        expect(outcome(() => viaNode.computeSecret(peer))).toBe(outcome(() => viaNoble.computeSecret(peer)));
      }),
      { numRuns: 300 },
    );
  });
});
