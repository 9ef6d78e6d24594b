import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { expect } from 'vitest';
import { PayloadError } from '../../src/errors.js';

// A protobuf writer for test vectors, written from the wire format specification alone (varints, tags,
// length-delimited fields) and sharing no code with protobuf-es, so bytes built with it check the
// generated code's field numbers and wire types independently. Singular fields follow proto3 and Go: a
// default value (0, '', empty bytes, false) is not written; repeated entries always are.

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

/** The base-128 varint of a non-negative integer (number or bigint), low group first. */
export function varint(value: number | bigint): number[] {
  let rest = BigInt(value);
  if (rest < 0n) throw new RangeError('varint of a negative value');
  const out: number[] = [];
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  out.push(Number(rest));
  return out;
}

/** The key of a field: field number and wire type. */
export function tag(field: number, wireType: number): number[] {
  return varint((field << 3) | wireType);
}

/** Builds one message field by field; call the methods in field-number order, as Go writes. */
export class ProtoWriter {
  private readonly bytes: number[] = [];

  /** A uint64, enum or int field (varint); skipped when 0. */
  varint(field: number, value: number | bigint): this {
    if (BigInt(value) === 0n) return this;
    this.bytes.push(...tag(field, WIRE_VARINT), ...varint(value));
    return this;
  }

  /** A bool field; skipped when false. */
  bool(field: number, value: boolean): this {
    return value ? this.varint(field, 1) : this;
  }

  /** A string field (UTF-8); skipped when empty. */
  string(field: number, value: string): this {
    return value === '' ? this : this.lengthDelimited(field, new TextEncoder().encode(value));
  }

  /** A bytes field; skipped when empty. */
  bytesField(field: number, value: Uint8Array): this {
    return value.length === 0 ? this : this.lengthDelimited(field, value);
  }

  /** A length-delimited entry written even when empty (repeated entries, present sub-messages). */
  lengthDelimited(field: number, value: Uint8Array): this {
    this.bytes.push(...tag(field, WIRE_LENGTH_DELIMITED), ...varint(value.length));
    return this.raw(value);
  }

  /** Every entry of a repeated string field. */
  repeatedString(field: number, values: readonly string[]): this {
    for (const value of values) this.lengthDelimited(field, new TextEncoder().encode(value));
    return this;
  }

  /** Every entry of a repeated bytes or message field (messages already serialized). */
  repeatedBytes(field: number, values: readonly Uint8Array[]): this {
    for (const value of values) this.lengthDelimited(field, value);
    return this;
  }

  /** Raw bytes appended as they are (unknown fields, deliberate garbage). */
  raw(bytes: readonly number[] | Uint8Array): this {
    // One by one: spreading a large array into push() would overflow the call stack.
    for (const byte of bytes) this.bytes.push(byte);
    return this;
  }

  /** The message built so far. */
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** A new writer. */
export function proto(): ProtoWriter {
  return new ProtoWriter();
}

/**
 * Unknown fields of every wire type (varint, 64-bit, length-delimited, 32-bit) under field numbers no
 * Status message uses, for "unknown fields are skipped" checks.
 */
export function unknownFields(): Uint8Array {
  return Uint8Array.from([
    ...tag(900, 0),
    ...varint(12345),
    ...tag(901, 1),
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    ...tag(902, 2),
    ...varint(3),
    0x61,
    0x62,
    0x63,
    ...tag(903, 5),
    9,
    9,
    9,
    9,
  ]);
}

/** One edit of a byte string: overwrite, insert, delete or truncate at a position (taken modulo length). */
export type WireMutation =
  | { readonly kind: 'set'; readonly at: number; readonly byte: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'truncate'; readonly at: number };

/** `bytes` with `mutations` applied in order (a new array; `bytes` is not touched). */
export function mutate(bytes: Uint8Array, mutations: readonly WireMutation[]): Uint8Array {
  let out = Array.from(bytes);
  for (const mutation of mutations) {
    const at = out.length === 0 ? 0 : mutation.at % (out.length + 1);
    switch (mutation.kind) {
      case 'set':
        if (at < out.length) out[at] = mutation.byte;
        break;
      case 'insert':
        out.splice(at, 0, ...mutation.bytes);
        break;
      case 'delete':
        out.splice(at, mutation.count);
        break;
      case 'truncate':
        out = out.slice(0, at);
        break;
    }
  }
  return Uint8Array.from(out);
}

const wireMutation: fc.Arbitrary<WireMutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

/**
 * Hostile input for a decoder: arbitrary bytes, or valid encodings (from `valid`) with one to four
 * random edits, which keeps most of the structure and so reaches deeper than noise does.
 */
export function hostileBytes(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 128 }),
    fc
      .tuple(valid, fc.array(wireMutation, { minLength: 1, maxLength: 4 }))
      .map(([bytes, edits]) => mutate(bytes, edits)),
  );
}

/** Runs of every codec property: the brief of the payloads package asks for at least 10,000. */
export const PROPERTY_RUNS = 10_000;

/** Property: every value of `values` survives encode then decode unchanged. */
export function assertRoundTrips<T>(
  values: fc.Arbitrary<T>,
  encode: (value: T) => Uint8Array,
  decode: (bytes: Uint8Array) => T,
): void {
  fc.assert(
    fc.property(values, (value) => {
      const decoded = decode(encode(value));
      // node's deep equality is much faster than expect().toEqual on typed arrays; toEqual only
      // runs to describe a failure.
      if (!isDeepStrictEqual(decoded, value)) expect(decoded).toEqual(value);
    }),
    { numRuns: PROPERTY_RUNS },
  );
}

/**
 * Property: on arbitrary bytes and on mutated encodings of `values`, `decode` either returns or throws a
 * PayloadError, never anything else.
 */
export function assertHostileBytesSafe<T>(
  values: fc.Arbitrary<T>,
  encode: (value: T) => Uint8Array,
  decode: (bytes: Uint8Array) => unknown,
): void {
  fc.assert(
    fc.property(hostileBytes(values.map(encode)), (bytes) => {
      try {
        decode(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(PayloadError);
      }
    }),
    { numRuns: PROPERTY_RUNS },
  );
}

/**
 * Any well-formed string (any code point, a leading U+FEFF included: decoding keeps it, as Go does), so
 * round trips cover what a UTF-8 wire can carry.
 */
export function wireText(
  constraints: { readonly minLength?: number; readonly maxLength?: number } = {},
): fc.Arbitrary<string> {
  return fc.string({ unit: 'binary', ...constraints });
}
