import { type RlpItem, rlpEncode } from '@status-ts/enr';
import fc from 'fast-check';

// Input generators shared by the layers: random bytes, valid encodings with byte edits (so inputs get past
// the first length or tag check), random RLP trees, protobuf-shaped bytes from a message descriptor, and
// edited text.

/** One byte-level edit of a valid encoding. */
export interface Edit {
  readonly op: number;
  readonly at: number;
  readonly value: number;
  readonly bytes: Uint8Array;
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  op: fc.nat(6),
  at: fc.nat(),
  value: fc.nat(255),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
});

/** 1-4 edits. */
export const editsArb: fc.Arbitrary<Edit[]> = fc.array(editArb, { minLength: 1, maxLength: 4 });

/** Applies edits: set, xor, insert, delete, truncate, splice in bytes, append bytes. */
export function applyEdits(base: Uint8Array, edits: readonly Edit[]): Uint8Array {
  let out = base;
  for (const { op, at, value, bytes } of edits) {
    const i = out.length === 0 ? 0 : at % out.length;
    switch (op) {
      case 0:
        if (out.length === 0) break;
        out = out.slice();
        out[i] = value;
        break;
      case 1:
        if (out.length === 0) break;
        out = out.slice();
        out[i]! ^= value || 0x80;
        break;
      case 2:
        out = splice(out, i, 0, Uint8Array.of(value));
        break;
      case 3:
        out = splice(out, i, 1, new Uint8Array(0));
        break;
      case 4:
        out = out.slice(0, i);
        break;
      case 5:
        out = splice(out, i, 0, bytes);
        break;
      default:
        out = splice(out, out.length, 0, bytes);
    }
  }
  return out;
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const end = Math.min(bytes.length, at + remove);
  const out = new Uint8Array(at + insert.length + (bytes.length - end));
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(end), at + insert.length);
  return out;
}

/** A valid encoding from `valid` with 1-4 byte edits (flip, set, insert, delete, truncate, extend). */
export function mutated(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(valid, editsArb).map(([base, edits]) => applyEdits(base, edits));
}

/** Random bytes (1 part), mutated valid encodings (5 parts), unmodified valid ones (1 part). */
export function bytesFrom(valid: fc.Arbitrary<Uint8Array>, maxRandom = 256): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { arbitrary: fc.uint8Array({ maxLength: maxRandom }), weight: 1 },
    { arbitrary: mutated(valid), weight: 5 },
    { arbitrary: valid, weight: 1 },
  );
}

/** A fixed pool of valid encodings as an arbitrary (built once: signing per case would be slow). */
export function pool(values: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.constantFrom(...values);
}

// ---------------------------------------------------------------- RLP

/** Byte strings an RLP decoder meets: short, integer-like, key- and hash-sized, long (two-byte lengths). */
const rlpBytes = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 8 }), weight: 4 },
  {
    arbitrary: fc
      .constantFrom(4, 16, 20, 32, 33, 36, 64, 65)
      .chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
    weight: 3,
  },
  { arbitrary: fc.uint8Array({ minLength: 56, maxLength: 300 }), weight: 1 },
);

/** Random RLP item trees (lists nested a few levels). */
export const rlpItemArb: fc.Arbitrary<RlpItem> = fc.letrec<{ item: RlpItem }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { arbitrary: rlpBytes, weight: 3 },
    { arbitrary: fc.array(tie('item'), { maxLength: 6 }), weight: 2 },
  ),
})).item;

/** RLP encodings of random trees. */
export const rlpArb: fc.Arbitrary<Uint8Array> = rlpItemArb.map((item) => rlpEncode(item));

/** Random RLP lists of `min`-`max` items (the top-level shape most messages have). */
export function rlpListArb(min: number, max: number): fc.Arbitrary<Uint8Array> {
  return fc.array(rlpItemArb, { minLength: min, maxLength: max }).map((items) => rlpEncode(items));
}

/** Long-form RLP header (string 0xb8.., list 0xf8..) declaring `length` with `bytes` length bytes. */
function longHeader(list: boolean, length: bigint, bytes: number): number[] {
  const out: number[] = [];
  for (let i = bytes - 1; i >= 0; i--) out.push(Number((length >> BigInt(8 * i)) & 0xffn));
  return [(list ? 0xf7 : 0xb7) + bytes, ...out];
}

/** [[[...[]...]]] `depth` lists deep, with correct lengths: each level's header, outermost first. */
function deepRlpList(depth: number): Uint8Array {
  const header = (n: number) =>
    n < 56 ? [0xc0 + n] : longHeader(true, BigInt(n), n < 256 ? 1 : n < 65536 ? 2 : 3);
  const inner = [1];
  for (let i = 1; i < depth; i++) inner.push(inner[i - 1]! + header(inner[i - 1]!).length);
  const out: number[] = [];
  for (let i = depth - 1; i >= 1; i--) out.push(...header(inner[i - 1]!));
  out.push(0xc0);
  return Uint8Array.from(out);
}

/**
 * RLP a careful decoder must refuse cheaply: lists nested far past any depth limit, long-form headers
 * declaring up to 2^64 - 1 bytes (lengths beyond Number.MAX_SAFE_INTEGER), leading-zero lengths.
 */
export const adversarialRlpArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  // Built once: deep nesting costs too much to build per case.
  fc.constantFrom(...[65, 300, 3_000].map((depth) => deepRlpList(depth))),
  fc
    .tuple(
      fc.boolean(),
      fc.integer({ min: 1, max: 8 }),
      fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      fc.uint8Array({ maxLength: 16 }),
    )
    .map(([list, bytes, length, tail]) => {
      const max = (1n << BigInt(8 * bytes)) - 1n;
      return Uint8Array.from([...longHeader(list, length > max ? max : length, bytes), ...tail]);
    }),
  fc
    .tuple(fc.boolean(), fc.integer({ min: 1, max: 7 }), fc.uint8Array({ maxLength: 8 }))
    .map(([list, bytes, tail]) =>
      Uint8Array.from([(list ? 0xf8 : 0xb8) + bytes, 0, ...new Array(bytes).fill(0x40), ...tail]),
    ),
);

/** Random bytes, random RLP, mutated random RLP, and mutated valid encodings. */
export function rlpFrom(valid: fc.Arbitrary<Uint8Array>, maxRandom = 256): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { arbitrary: fc.uint8Array({ maxLength: maxRandom }), weight: 1 },
    { arbitrary: rlpArb, weight: 1 },
    { arbitrary: adversarialRlpArb, weight: 1 },
    { arbitrary: mutated(rlpArb), weight: 1 },
    { arbitrary: mutated(valid), weight: 4 },
    { arbitrary: valid, weight: 1 },
  );
}

// ---------------------------------------------------------------- protobuf

/** The parts of a protobuf-es message descriptor the generator reads. */
interface ProtoField {
  readonly number: number;
  readonly fieldKind: 'scalar' | 'enum' | 'message' | 'list' | 'map';
  readonly scalar?: number;
  readonly listKind?: 'scalar' | 'enum' | 'message';
  readonly mapKind?: 'scalar' | 'enum' | 'message';
  readonly mapKey?: number;
  readonly message?: ProtoShape;
}
interface ProtoShape {
  readonly typeName: string;
  readonly fields: readonly ProtoField[];
}

// protobuf-es ScalarType numbers.
const FIXED64 = new Set([1, 6, 16]); // double, fixed64, sfixed64
const FIXED32 = new Set([2, 7, 15]); // float, fixed32, sfixed32
const STRING = 9;
const BYTES = 12;

function varint(value: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, value);
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return out;
}

function tag(field: number, wire: number): number[] {
  return varint((BigInt(field) << 3n) | BigInt(wire));
}

function lengthDelimited(field: number, body: Uint8Array): Uint8Array {
  return Uint8Array.from([...tag(field, 2), ...varint(BigInt(body.length)), ...body]);
}

/** Integers around the edges: small, enum-like, 32/64-bit limits, negative (10-byte varints). */
const u32 = fc.nat({ max: 0xffffffff });
const varintValue = fc.oneof(
  { arbitrary: fc.nat(12).map(BigInt), weight: 4 },
  {
    arbitrary: fc.constantFrom(0x7fn, 0x80n, 0xffffffffn, 0x100000000n, (1n << 63n) - 1n, (1n << 64n) - 1n),
    weight: 2,
  },
  // Built from two 32-bit halves: much cheaper to generate than fc.bigInt.
  { arbitrary: fc.tuple(u32, u32).map(([hi, lo]) => (BigInt(hi) << 32n) | BigInt(lo)), weight: 2 },
  { arbitrary: fc.integer({ min: 1_500_000_000_000, max: 1_900_000_000_000 }).map(BigInt), weight: 1 }, // ms clocks
);

const encoder = new TextEncoder();
const hexDigits = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const stringBody = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }).map((s) => encoder.encode(s)), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => encoder.encode(s)), weight: 1 },
  { arbitrary: fc.uint8Array({ maxLength: 40 }), weight: 1 }, // invalid UTF-8 in a string field
  {
    // Hex keys and ids, as Status puts in strings (0x04… public keys, chat ids).
    arbitrary: fc
      .tuple(
        fc.constantFrom(32, 33, 65),
        fc.constantFrom('0x', '0x04', ''),
        fc.uint8Array({ minLength: 65, maxLength: 65 }),
      )
      .map(([n, prefix, bytes]) => encoder.encode(prefix + hexDigits(bytes.subarray(0, n)))),
    weight: 1,
  },
);

const bytesBody = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 48 }), weight: 3 },
  {
    arbitrary: fc
      .constantFrom(16, 32, 33, 64, 65)
      .chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
    weight: 2,
  },
);

const messageCache = new Map<string, fc.Arbitrary<Uint8Array>>();

/** Any field, with any wire type: unknown fields and wrong wire types must be handled too. */
function junkField(): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc
      .tuple(fc.integer({ min: 1, max: 40 }), varintValue)
      .map(([n, v]) => Uint8Array.from([...tag(n, 0), ...varint(v)])),
    fc.tuple(fc.integer({ min: 1, max: 40 }), bytesBody).map(([n, b]) => lengthDelimited(n, b)),
    fc
      .tuple(
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(1, 3, 4, 5, 6, 7),
        fc.uint8Array({ maxLength: 9 }),
      )
      .map(([n, w, b]) => Uint8Array.from([...tag(n, w), ...b])),
  );
}

function scalarField(number: number, scalar: number): fc.Arbitrary<Uint8Array> {
  if (scalar === STRING) return stringBody.map((b) => lengthDelimited(number, b));
  if (scalar === BYTES) return bytesBody.map((b) => lengthDelimited(number, b));
  if (FIXED64.has(scalar))
    return fc
      .uint8Array({ minLength: 8, maxLength: 8 })
      .map((b) => Uint8Array.from([...tag(number, 1), ...b]));
  if (FIXED32.has(scalar))
    return fc
      .uint8Array({ minLength: 4, maxLength: 4 })
      .map((b) => Uint8Array.from([...tag(number, 5), ...b]));
  return varintValue.map((v) => Uint8Array.from([...tag(number, 0), ...varint(v)]));
}

function fieldArbs(shape: ProtoShape, depth: number): fc.Arbitrary<Uint8Array>[] {
  const arbs: fc.Arbitrary<Uint8Array>[] = [];
  for (const f of shape.fields) {
    const kind = f.fieldKind === 'list' ? f.listKind : f.fieldKind === 'map' ? 'map' : f.fieldKind;
    if (kind === 'message' && f.message) {
      arbs.push(nested(f.number, f.message, depth));
    } else if (kind === 'map') {
      // A map entry is a message of key = 1, value = 2.
      const keyArb = scalarField(1, f.mapKey ?? STRING);
      const valueArb =
        f.mapKind === 'message' && f.message ? nested(2, f.message, depth) : scalarField(2, f.scalar ?? 0);
      arbs.push(
        fc
          .tuple(fc.option(keyArb, { freq: 8 }), fc.option(valueArb, { freq: 8 }))
          .map(([k, v]) => lengthDelimited(f.number, Uint8Array.from([...(k ?? []), ...(v ?? [])]))),
      );
    } else {
      const scalar = kind === 'enum' ? 0 : (f.scalar ?? 0);
      arbs.push(scalarField(f.number, scalar));
      if (f.fieldKind === 'list' && scalar !== STRING && scalar !== BYTES) {
        // Packed repeated numbers.
        arbs.push(
          fc
            .array(varintValue, { maxLength: 6 })
            .map((vs) => lengthDelimited(f.number, Uint8Array.from(vs.flatMap((v) => varint(v))))),
        );
      }
    }
  }
  return arbs;
}

function nested(number: number, shape: ProtoShape, depth: number): fc.Arbitrary<Uint8Array> {
  // Deeper than three levels the field is plain bytes: keeps the generator finite for recursive schemas.
  if (depth >= 3) return bytesBody.map((b) => lengthDelimited(number, b));
  return messageArb(shape, depth + 1).map((b) => lengthDelimited(number, b));
}

function messageArb(shape: ProtoShape, depth: number): fc.Arbitrary<Uint8Array> {
  const key = `${shape.typeName}@${depth}`;
  const cached = messageCache.get(key);
  if (cached) return cached;
  const fields = fieldArbs(shape, depth);
  const one =
    fields.length === 0
      ? junkField()
      : fc.oneof({ arbitrary: fc.oneof(...fields), weight: 9 }, { arbitrary: junkField(), weight: 1 });
  const arb = fc.array(one, { maxLength: depth === 0 ? 10 : 4 }).map((parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  });
  messageCache.set(key, arb);
  return arb;
}

/**
 * Protobuf-shaped bytes for a generated message schema: its fields with plausible values (nested messages,
 * packed lists, map entries, strings that are hex keys or invalid UTF-8), plus unknown fields and wrong
 * wire types, in any order and repetition.
 */
export function protoShaped(schema: object): fc.Arbitrary<Uint8Array> {
  return messageArb(schema as ProtoShape, 0);
}

/** Field `field` holding itself `depth` times: sizes from the inside out, then tags, outermost first. */
function deepProtoField(field: number, depth: number): Uint8Array {
  const sizes = [0];
  for (let i = 1; i < depth; i++) {
    sizes.push(sizes[i - 1]! + tag(field, 2).length + varint(BigInt(sizes[i - 1]!)).length);
  }
  const out: number[] = [];
  for (let i = depth - 1; i >= 0; i--) out.push(...tag(field, 2), ...varint(BigInt(sizes[i]!)));
  return Uint8Array.from(out);
}

/** `depth` start-group tags of `field`, closed by as many end-group tags or left open. */
function groups(field: number, depth: number, closed: boolean): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < depth; i++) out.push(...tag(field, 3));
  if (closed) for (let i = 0; i < depth; i++) out.push(...tag(field, 4));
  return Uint8Array.from(out);
}

/**
 * Protobuf a careful decoder must refuse cheaply: length-delimited fields nested thousands deep, runs of
 * start-group tags (parsers that skip groups recursively overflow the stack), and lengths or varints far
 * beyond the input.
 */
export const adversarialProtoArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  // Built once: deep nesting costs too much to build per case. Mostly 200 levels; one input each deep
  // enough to overflow a recursive parser's stack (rare: decoding it costs about a millisecond).
  fc.constantFrom(
    ...[1, 2, 3, 9, 10].map((field) => deepProtoField(field, 200)),
    ...[1, 30].flatMap((field) => [groups(field, 200, false), groups(field, 200, true)]),
    deepProtoField(2, 5_000),
    groups(1, 10_000, false),
    groups(30, 10_000, true),
  ),
  fc
    .tuple(
      fc.integer({ min: 1, max: 12 }),
      fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      fc.uint8Array({ maxLength: 8 }),
    )
    .map(([field, length, tail]) => Uint8Array.from([...tag(field, 2), ...varint(length), ...tail])),
  // An 11-byte varint, and a tag with field number 0 or above 2^29.
  fc.constantFrom(
    Uint8Array.of(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
    Uint8Array.of(0x02, 0x00),
    Uint8Array.from([...varint((1n << 32n) | 2n), 0]),
  ),
);

/** Random bytes, protobuf-shaped bytes, and both with edits; plus mutated valid encodings when given. */
export function protoFrom(schema: object, valid?: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  const shaped = protoShaped(schema);
  const parts = [
    { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 1 },
    { arbitrary: adversarialProtoArb, weight: 1 },
    { arbitrary: shaped, weight: 4 },
    { arbitrary: mutated(shaped), weight: 2 },
  ];
  if (valid) parts.push({ arbitrary: mutated(valid), weight: 3 }, { arbitrary: valid, weight: 1 });
  return fc.oneof(...parts);
}

// ---------------------------------------------------------------- text

interface TextEdit {
  readonly op: number;
  readonly at: number;
  readonly text: string;
}

/** Edits a valid text: replace, insert, delete, truncate, duplicate a slice, change case. */
export function applyTextEdits(base: string, edits: readonly TextEdit[]): string {
  let out = base;
  for (const { op, at, text } of edits) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (op === 0) out = out.slice(0, i) + text + out.slice(i + 1);
    else if (op === 1) out = out.slice(0, i) + text + out.slice(i);
    else if (op === 2) out = out.slice(0, i) + out.slice(i + 1 + (at % 3));
    else if (op === 3) out = out.slice(0, i);
    else if (op === 4) out = out.slice(0, i) + out.slice(i, i + 8) + out.slice(i);
    else out = out.slice(0, i) + out.slice(i).toUpperCase();
  }
  return out;
}

/** A valid text with 1-4 edits using characters of `alphabet` (and, sometimes, any character). */
export function mutatedText(valid: fc.Arbitrary<string>, alphabet: string): fc.Arbitrary<string> {
  const chars = [...alphabet];
  const piece = fc.oneof(
    { arbitrary: fc.constantFrom(...chars), weight: 4 },
    { arbitrary: fc.string({ minLength: 1, maxLength: 3, unit: 'binary' }), weight: 1 },
    { arbitrary: fc.constantFrom('', ' ', '\u0000', '\uD800', '\u00e9', '@', ':', '/', '=', '.'), weight: 1 },
  );
  const edit = fc.record({ op: fc.nat(5), at: fc.nat(), text: piece });
  return fc
    .tuple(valid, fc.array(edit, { minLength: 1, maxLength: 4 }))
    .map(([base, edits]) => applyTextEdits(base, edits));
}

/** Random text (any code points, 1 part), edited valid texts (4 parts), valid texts (1 part). */
export function textFrom(
  valid: fc.Arbitrary<string>,
  alphabet: string,
  maxRandom = 200,
): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.string({ maxLength: maxRandom, unit: 'binary' }), weight: 1 },
    { arbitrary: mutatedText(valid, alphabet), weight: 4 },
    { arbitrary: valid, weight: 1 },
  );
}

export const HEX = '0123456789abcdefABCDEFx';
export const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** JSON text: random JSON values, edited valid documents, and plain random text. */
export function jsonTextFrom(valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  const validText = valid.map((v) => JSON.stringify(v) ?? 'null');
  return fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'), weight: 1 },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
    { arbitrary: fc.constantFrom(...DEEP_JSON, '1e999', '-0', '"\\ud800"'), weight: 1 },
    {
      // The document with one node replaced by a hostile value (as text: keeps __proto__ keys own).
      arbitrary: fc
        .tuple(valid, fc.nat(), fc.constantFrom(...HOSTILE_JSON))
        .map(([v, pick, text]) =>
          JSON.stringify(replaceLeaf(v, pick, PLACEHOLDER)).replace(`"${PLACEHOLDER}"`, text),
        ),
      weight: 1,
    },
    { arbitrary: mutatedText(validText, '{}[]":,0123456789.-eE truefalsn'), weight: 3 },
    { arbitrary: validText, weight: 1 },
  );
}

/** Nesting far deeper than any real document (built once: parsing them is the cost worth paying). */
const DEEP_JSON = ['['.repeat(2_000) + ']'.repeat(2_000), `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`];
/**
 * Values that break code converting them to text or reading them as plain objects: a `toString` that is
 * not a function, own `__proto__` keys, huge and lone-surrogate values.
 */
const HOSTILE_JSON = [
  '{"toString":""}',
  '{"toString":1,"valueOf":1}',
  '{"__proto__":{"a":1}}',
  '{"__proto__":null}',
  '{"constructor":{"prototype":{}}}',
  '[{"toString":""}]',
  '1e400',
  '"\\ud800"',
  '-1',
  '1.5',
  '9007199254740993',
];
const PLACEHOLDER = 'hostile-value-placeholder';

/** A copy of a JSON-like value with one leaf (chosen by `pick`) replaced by `replacement`. */
export function replaceLeaf(value: unknown, pick: number, replacement: unknown): unknown {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, [...path, i]);
    } else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    paths.push(path);
  };
  walk(value, []);
  const path = paths[pick % paths.length]!;
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path.at(-1)!] = replacement;
  return copy;
}

/** Valid JSON objects with one node replaced by a random JSON value (wrong types, missing parts). */
export function jsonValueFrom(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
    {
      arbitrary: fc
        .tuple(valid, fc.nat(), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)))
        .map(([v, pick, replacement]) => replaceLeaf(v, pick, replacement)),
      weight: 4,
    },
    {
      // Hostile values parsed from text, so `__proto__` stays an own key as in a parsed file.
      arbitrary: fc
        .tuple(valid, fc.nat(), fc.constantFrom(...HOSTILE_JSON))
        .map(([v, pick, text]) => replaceLeaf(v, pick, JSON.parse(text))),
      weight: 1,
    },
    { arbitrary: valid, weight: 1 },
  );
}
