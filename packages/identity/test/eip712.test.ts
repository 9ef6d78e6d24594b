import { bytesToHex, concatBytes, hexToBytes, isStatusTsError, utf8ToBytes } from '@status-ts/core';
import { keccak256 } from '@status-ts/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeData,
  encodeType,
  hashStruct,
  hashTypedData,
  IdentityErrorCode,
  MAX_TYPED_DATA_DEPTH,
  type TypedData,
  type TypedDataTypes,
} from '../src/index.js';
import { loadVectors, thrown } from './load-vectors.js';

const mail = loadVectors('eips.json').eip712Mail.typedData as TypedData;
const word = (hex: string) => hexToBytes(hex.padStart(64, '0'));
const typeHashOf = (text: string) => keccak256(utf8ToBytes(text));

function expectTypedDataError(fn: () => unknown): void {
  const err = thrown(fn);
  expect(isStatusTsError(err, IdentityErrorCode.InvalidTypedData)).toBe(true);
}

describe('atomic and dynamic members', () => {
  const types: TypedDataTypes = {
    T: [
      { name: 'a', type: 'uint8' },
      { name: 'b', type: 'int256' },
      { name: 'c', type: 'bool' },
      { name: 'd', type: 'bytes3' },
      { name: 'e', type: 'bytes' },
      { name: 'f', type: 'string' },
      { name: 'g', type: 'address' },
    ],
  };
  const typeString = 'T(uint8 a,int256 b,bool c,bytes3 d,bytes e,string f,address g)';

  it('encodes each member as one 32-byte word', () => {
    const encoded = encodeData(types, 'T', {
      a: 255,
      b: -1,
      c: true,
      d: '0x010203',
      e: '0x010203',
      f: 'hi',
      g: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    });
    expect(encodeType(types, 'T')).toBe(typeString);
    expect(bytesToHex(encoded)).toBe(
      bytesToHex(
        concatBytes(
          typeHashOf(typeString),
          word('ff'),
          hexToBytes('ff'.repeat(32)), // -1 sign-extended
          word('01'),
          hexToBytes(`010203${'00'.repeat(29)}`), // bytesN padded on the right
          keccak256(Uint8Array.of(1, 2, 3)),
          keccak256(utf8ToBytes('hi')),
          word('5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'),
        ),
      ),
    );
  });

  it.each([
    ['uint8 above range', { a: 256 }],
    ['uint8 negative', { a: -1 }],
    ['int256 below range', { b: -(2n ** 255n) - 1n }],
    ['unsafe number', { a: 2 ** 53 }],
    ['integer as float', { a: 1.5 }],
    ['integer text with junk', { a: '12abc' }],
    ['integer text with leading zero', { a: '012' }],
    ['integer text too long', { b: '1'.repeat(81) }],
    ['bool as string', { c: 'true' }],
    ['bytes3 too short', { d: '0x0102' }],
    ['bytes3 too long', { d: '0x01020304' }],
    ['bytes odd hex', { e: '0x123' }],
    ['bytes without 0x', { e: '0102' }],
    ['string as number', { f: 5 }],
    ['bad address checksum', { g: '0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' }],
    ['short address', { g: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA' }],
    ['address as 19 bytes', { g: new Uint8Array(19) }],
    ['missing member', { g: undefined }],
  ])('refuses %s', (_, patch) => {
    const value = {
      a: 1,
      b: 0,
      c: false,
      d: '0x000000',
      e: '0x',
      f: '',
      g: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      ...patch,
    };
    expectTypedDataError(() => encodeData(types, 'T', value));
  });

  it('accepts the extreme integers', () => {
    const t: TypedDataTypes = {
      I: [
        { name: 'u', type: 'uint256' },
        { name: 'i', type: 'int8' },
      ],
    };
    const encoded = encodeData(t, 'I', { u: `0x${'ff'.repeat(32)}`, i: -128 });
    expect(bytesToHex(encoded.subarray(32, 64))).toBe('ff'.repeat(32));
    expect(bytesToHex(encoded.subarray(64))).toBe(`${'ff'.repeat(31)}80`);
  });
});

describe('type tables', () => {
  it.each([
    ['unknown member type', { S: [{ name: 'x', type: 'Missing' }] }],
    ['uint alias', { S: [{ name: 'x', type: 'uint' }] }],
    ['uint7', { S: [{ name: 'x', type: 'uint7' }] }],
    ['uint264', { S: [{ name: 'x', type: 'uint264' }] }],
    ['bytes0', { S: [{ name: 'x', type: 'bytes0' }] }],
    ['bytes33', { S: [{ name: 'x', type: 'bytes33' }] }],
    ['member name with a comma', { S: [{ name: 'x,y', type: 'string' }] }],
    ['struct name with a paren', { 'S(': [{ name: 'x', type: 'string' }] }],
    ['struct named like an atomic type', { uint256: [{ name: 'x', type: 'string' }] }],
    [
      'duplicate member',
      {
        S: [
          { name: 'x', type: 'string' },
          { name: 'x', type: 'bool' },
        ],
      },
    ],
    ['malformed array type', { S: [{ name: 'x', type: 'string[' }] }],
    ['members not an array', { S: { name: 'x', type: 'string' } }],
    ['member without type', { S: [{ name: 'x' }] }],
  ])('refuses %s', (_, types) => {
    expectTypedDataError(() => encodeType(types as unknown as TypedDataTypes, 'S'));
  });

  it('refuses an undefined primary type and non-object tables', () => {
    expectTypedDataError(() => encodeType(mail.types, 'Nope'));
    expectTypedDataError(() => encodeType(null as unknown as TypedDataTypes, 'Mail'));
  });

  it('collects dependencies through array types and sorts them by name', () => {
    const types: TypedDataTypes = {
      Z: [
        { name: 'b', type: 'B[2]' },
        { name: 'a', type: 'A[][]' },
      ],
      A: [{ name: 'c', type: 'C' }],
      B: [{ name: 'x', type: 'uint8' }],
      C: [{ name: 'y', type: 'bool' }],
    };
    expect(encodeType(types, 'Z')).toBe('Z(B[2] b,A[][] a)A(C c)B(uint8 x)C(bool y)');
  });
});

describe('arrays', () => {
  const types: TypedDataTypes = {
    L: [
      { name: 'xs', type: 'uint8[2]' },
      { name: 'm', type: 'bool[][]' },
    ],
  };

  it('hashes each level of a nested array', () => {
    const encoded = encodeData(types, 'L', { xs: [1, 2], m: [[true], []] });
    const inner = [keccak256(word('01')), keccak256(new Uint8Array(0))];
    expect(bytesToHex(encoded.subarray(32, 64))).toBe(
      bytesToHex(keccak256(concatBytes(word('01'), word('02')))),
    );
    expect(bytesToHex(encoded.subarray(64))).toBe(bytesToHex(keccak256(concatBytes(...inner))));
  });

  it('refuses a fixed-size array of the wrong length, and non-arrays', () => {
    expectTypedDataError(() => encodeData(types, 'L', { xs: [1], m: [] }));
    expectTypedDataError(() => encodeData(types, 'L', { xs: [1, 2], m: {} }));
  });
});

describe('domains and options', () => {
  it('refuses unknown domain fields when the EIP712Domain type is not given', () => {
    const { EIP712Domain: _, ...types } = mail.types;
    expectTypedDataError(() => hashTypedData({ ...mail, types, domain: { ...mail.domain, extra: 1 } }));
  });

  it('refuses an EIP712Domain type that is not a list of fields (fuzz finding)', () => {
    for (const declared of [0, null, {}, true])
      expectTypedDataError(() =>
        hashTypedData({
          types: { EIP712Domain: declared },
          primaryType: 'A',
          domain: {},
          message: {},
        } as never),
      );
  });

  it('checks the chain id when asked (as status-go does before signing)', () => {
    expect(hashTypedData(mail, { chainId: 1 })).toHaveLength(32);
    expect(hashTypedData(mail, { chainId: 1n })).toHaveLength(32);
    expectTypedDataError(() => hashTypedData(mail, { chainId: 5 }));
    expectTypedDataError(() => hashTypedData({ ...mail, domain: { name: 'x' } }, { chainId: 1 }));
  });

  it('refuses malformed typed data objects', () => {
    for (const bad of [
      null,
      5,
      { ...mail, primaryType: 3 },
      { ...mail, message: [] },
      { ...mail, domain: null },
    ]) {
      expectTypedDataError(() => hashTypedData(bad as unknown as TypedData));
    }
  });

  it(`limits nesting to MAX_TYPED_DATA_DEPTH (${MAX_TYPED_DATA_DEPTH}), overridable`, () => {
    const types: TypedDataTypes = { N: [{ name: 'next', type: 'N[]' }] };
    let value: Record<string, unknown> = { next: [] };
    // Each level is an array and a struct: two steps.
    for (let i = 0; i < MAX_TYPED_DATA_DEPTH / 2; i++) value = { next: [value] };
    expectTypedDataError(() => hashStruct(types, 'N', value));
    expect(hashStruct(types, 'N', value, { maxDepth: MAX_TYPED_DATA_DEPTH + 2 })).toHaveLength(32);
    let shallow: Record<string, unknown> = { next: [] };
    for (let i = 0; i < MAX_TYPED_DATA_DEPTH / 2 - 1; i++) shallow = { next: [shallow] };
    expect(hashStruct(types, 'N', shallow)).toHaveLength(32);
    expectTypedDataError(() => hashStruct(types, 'N', shallow, { maxDepth: 4 }));
  });

  it('a hostile, very deep value fails with a typed error, not a stack overflow', () => {
    const types: TypedDataTypes = { N: [{ name: 'next', type: 'N[]' }] };
    let value: Record<string, unknown> = { next: [] };
    for (let i = 0; i < 100_000; i++) value = { next: [value] };
    expectTypedDataError(() => hashStruct(types, 'N', value));
  });
});

describe('property: random typed-data input throws only IdentityError (1,000 runs)', () => {
  const typeName = fc.constantFrom(
    'Mail',
    'Person',
    'uint8',
    'string',
    'bytes2',
    'Person[]',
    'X',
    'bool[1]',
    'address',
  );
  const types = fc.dictionary(
    fc.constantFrom('Mail', 'Person', 'EIP712Domain', 'X'),
    fc.array(fc.record({ name: fc.constantFrom('a', 'b', 'from', 'name', 'wallet', '1x'), type: typeName }), {
      maxLength: 4,
    }),
  );
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue(),
      fc.uint8Array({ maxLength: 4 }),
      fc.bigInt(),
      fc.dictionary(fc.constantFrom('a', 'b', 'from', 'name', 'wallet'), tie('v')),
      fc.array(tie('v'), { maxLength: 3 }),
    ),
  })).v;

  it('holds', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            types,
            primaryType: typeName,
            domain: fc.oneof(value, fc.constant(mail.domain)),
            message: value,
          }),
          value,
        ),
        (input) => {
          try {
            hashTypedData(input as TypedData);
          } catch (err) {
            expect(isStatusTsError(err)).toBe(true);
            expect((err as { code: string }).code).toMatch(/^ERR_IDENTITY_/);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
