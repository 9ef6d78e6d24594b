import { generatePrivateKey, getPublicKey, randomBytes } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createBundle,
  decodeProtocolMessage,
  encodeProtocolMessage,
  MAX_INSTALLATION_ID_LENGTH,
  MAX_MAP_ENTRIES,
  MAX_PROTOCOL_MESSAGE_SIZE,
  type ProtocolMessageInit,
  SecureTransportError,
  SecureTransportErrorCode,
} from '../src/index.js';

const key = () => getPublicKey(generatePrivateKey(), 'compressed');
const code = (c: string) => expect.objectContaining({ code: c });

function sample(): ProtocolMessageInit {
  return {
    installationId: 'device-a',
    bundles: [createBundle(generatePrivateKey(), 'device-a').bundle],
    directMessage: {
      'device-b': {
        X3DHHeader: { key: key(), id: key() },
        DRHeader: { key: key(), n: 3, pn: 2, id: key() },
        payload: randomBytes(40),
      },
      none: { DHHeader: { key: key() }, payload: randomBytes(30) },
    },
  };
}

describe('ProtocolMessage codec', () => {
  it('round-trips every field', () => {
    const init = sample();
    const decoded = decodeProtocolMessage(encodeProtocolMessage(init));
    expect(decoded.installationId).toBe('device-a');
    expect(decoded.bundles[0]!.signature).toEqual(init.bundles![0]!.signature);
    expect(decoded.directMessage['device-b']!.DRHeader).toMatchObject({ n: 3, pn: 2 });
    expect(decoded.directMessage.none!.DHHeader!.key).toEqual(init.directMessage!.none!.DHHeader!.key);
  });

  it('checks MAX_PROTOCOL_MESSAGE_SIZE before decoding, and the limit is overridable', () => {
    expect(() => decodeProtocolMessage(new Uint8Array(MAX_PROTOCOL_MESSAGE_SIZE + 1))).toThrowError(
      code(SecureTransportErrorCode.MessageTooLarge),
    );
    const bytes = encodeProtocolMessage(sample());
    expect(() => decodeProtocolMessage(bytes, { maxMessageSize: bytes.length - 1 })).toThrowError(
      code(SecureTransportErrorCode.MessageTooLarge),
    );
    expect(decodeProtocolMessage(bytes, { maxMessageSize: bytes.length }).installationId).toBe('device-a');
  });

  it(`limits map entries (MAX_MAP_ENTRIES = ${MAX_MAP_ENTRIES}) and installation ids (${MAX_INSTALLATION_ID_LENGTH})`, () => {
    const directMessage: NonNullable<ProtocolMessageInit['directMessage']> = {};
    for (let i = 0; i <= MAX_MAP_ENTRIES; i++) directMessage[`d${i}`] = { payload: new Uint8Array(1) };
    expect(() => decodeProtocolMessage(encodeProtocolMessage({ directMessage }))).toThrowError(
      code(SecureTransportErrorCode.BadMessage),
    );
    delete directMessage.d0;
    expect(
      Object.keys(decodeProtocolMessage(encodeProtocolMessage({ directMessage })).directMessage),
    ).toHaveLength(MAX_MAP_ENTRIES);
    const longId = 'x'.repeat(MAX_INSTALLATION_ID_LENGTH + 1);
    expect(() => decodeProtocolMessage(encodeProtocolMessage({ installationId: longId }))).toThrowError(
      code(SecureTransportErrorCode.BadMessage),
    );
    expect(
      decodeProtocolMessage(encodeProtocolMessage({ installationId: longId.slice(1) })).installationId,
    ).toBe(longId.slice(1));
  });

  it('rejects keys that are not 33 bytes', () => {
    const bad = [
      { directMessage: { a: { DRHeader: { key: new Uint8Array(32) } } } },
      { directMessage: { a: { X3DHHeader: { key: key(), id: new Uint8Array(65) } } } },
      { directMessage: { a: { DHHeader: { key: new Uint8Array(0) } } } },
      { bundles: [{ identity: new Uint8Array(65) }] },
    ] satisfies ProtocolMessageInit[];
    for (const init of bad) {
      expect(() => decodeProtocolMessage(encodeProtocolMessage(init))).toThrowError(
        code(SecureTransportErrorCode.BadMessage),
      );
    }
  });

  // Field 1 is no longer unknown: it is the deprecated bundle, read since legacy-bundle.test.ts.
  it('skips unknown fields (an unused field 4)', () => {
    const withField4 = new Uint8Array([
      0x22,
      0x02,
      0x01,
      0x02,
      ...encodeProtocolMessage({ installationId: 'z' }),
    ]);
    const decoded = decodeProtocolMessage(withField4);
    expect(decoded.installationId).toBe('z');
    expect(decoded.$unknown).toBeUndefined(); // not kept, so never re-encoded
  });

  it('random bytes decode or raise only SecureTransportError (property, 2000 runs)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeProtocolMessage(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(SecureTransportError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated valid messages decode or raise only SecureTransportError (property, 1000 runs)', () => {
    const valid = encodeProtocolMessage(sample());
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.nat(),
        (edits, cut) => {
          const bytes = valid.slice(0, valid.length - (cut % 8));
          for (const { at, value } of edits) bytes[at % bytes.length] = value;
          try {
            decodeProtocolMessage(bytes);
          } catch (err) {
            expect(err).toBeInstanceOf(SecureTransportError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

/** The error `decodeProtocolMessage` throws on `bytes` (fails the test when it decodes). */
function decodeError(bytes: Uint8Array, limits?: Parameters<typeof decodeProtocolMessage>[1]) {
  try {
    decodeProtocolMessage(bytes, limits);
  } catch (err) {
    expect(err).toBeInstanceOf(SecureTransportError);
    return err as SecureTransportError;
  }
  throw new Error('decoded a message that should have been rejected');
}

describe('ProtocolMessage decoder: each rejection names what and why in its details', () => {
  it('too large: MessageTooLarge with size and limit', () => {
    const err = decodeError(new Uint8Array(11), { maxMessageSize: 10 });
    expect(err.code).toBe(SecureTransportErrorCode.MessageTooLarge);
    expect(err.details).toEqual({ size: 11, limit: 10 });
  });

  it('input that is not a Uint8Array is refused as such before its length or content is looked at', () => {
    for (const input of [[], 'abc', { length: MAX_PROTOCOL_MESSAGE_SIZE + 1 }]) {
      const err = decodeError(input as unknown as Uint8Array);
      expect(err.code).toBe(SecureTransportErrorCode.BadMessage);
      expect(err.cause).toBeUndefined(); // not a decoder failure
    }
  });

  it('malformed protobuf: BadMessage carrying the decoder error as cause', () => {
    const err = decodeError(new Uint8Array([0x0a, 0x05, 0x01]));
    expect(err.code).toBe(SecureTransportErrorCode.BadMessage);
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('a key of the wrong length: the field and its length', () => {
    const cases: [ProtocolMessageInit, string, number][] = [
      [{ directMessage: { a: { DRHeader: { key: new Uint8Array(32), id: key() } } } }, 'DR ratchet key', 32],
      [{ directMessage: { a: { DRHeader: { key: key(), id: new Uint8Array(32) } } } }, 'DR bundle id', 32],
      [{ directMessage: { a: { DHHeader: { key: new Uint8Array(34) } } } }, 'DH ephemeral key', 34],
      [{ directMessage: { a: { DHHeader: {} } } }, 'DH ephemeral key', 0],
      [
        { directMessage: { a: { X3DHHeader: { key: new Uint8Array(1), id: key() } } } },
        'X3DH ephemeral key',
        1,
      ],
      [
        { directMessage: { a: { X3DHHeader: { key: key(), id: new Uint8Array(0) } } } },
        'X3DH signed prekey id',
        0,
      ],
      [{ bundles: [{ identity: new Uint8Array(65) }] }, 'bundle identity', 65],
      [
        { bundles: [{ identity: key(), signedPreKeys: { d: { signedPreKey: new Uint8Array(32) } } }] },
        'signed prekey',
        32,
      ],
    ];
    for (const [init, what, length] of cases) {
      const err = decodeError(encodeProtocolMessage(init));
      expect(err.code, what).toBe(SecureTransportErrorCode.BadMessage);
      expect(err.details, what).toEqual({ what, length });
    }
  });

  it('the DR bundle id alone may be empty (legacy senders leave it out)', () => {
    const init: ProtocolMessageInit = { directMessage: { a: { DRHeader: { key: key() } } } };
    expect(decodeProtocolMessage(encodeProtocolMessage(init)).directMessage.a!.DRHeader!.id).toHaveLength(0);
  });

  it('too many entries or too long an id: the field, the count or the limit', () => {
    const two = { a: { payload: new Uint8Array(1) }, b: { payload: new Uint8Array(1) } };
    expect(decodeError(encodeProtocolMessage({ directMessage: two }), { maxMapEntries: 1 }).details).toEqual({
      what: 'direct messages',
      count: 2,
      limit: 1,
    });
    const spk = { signedPreKey: key() };
    const bundle = { identity: key(), signedPreKeys: { aa: spk, bb: spk } };
    expect(decodeError(encodeProtocolMessage({ bundles: [bundle] }), { maxMapEntries: 1 }).details).toEqual({
      what: 'signed prekeys',
      count: 2,
      limit: 1,
    });
    expect(
      decodeError(encodeProtocolMessage({ bundles: [bundle] }), { maxInstallationIdLength: 1 }).details,
    ).toEqual({ what: 'installation id', limit: 1 });
    expect(
      decodeProtocolMessage(encodeProtocolMessage({ bundles: [bundle] }), { maxInstallationIdLength: 2 }),
    ).toBeDefined();
    const bundles = [{ identity: key() }, { identity: key() }];
    expect(decodeError(encodeProtocolMessage({ bundles }), { maxMapEntries: 1 }).details).toEqual({
      what: 'bundles',
      count: 2,
      limit: 1,
    });
    const direct = { abc: { payload: new Uint8Array(1) } };
    expect(
      decodeError(encodeProtocolMessage({ directMessage: direct }), { maxInstallationIdLength: 2 }).details,
    ).toEqual({ what: 'installation id', limit: 2 });
    expect(
      decodeError(encodeProtocolMessage({ installationId: 'abc' }), { maxInstallationIdLength: 2 }).details,
    ).toEqual({ what: 'installation id', limit: 2 });
  });
});
