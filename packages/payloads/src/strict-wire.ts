import { type DescField, type DescMessage, ScalarType } from '@bufbuild/protobuf';
import type { ReflectList, ReflectMessage } from '@bufbuild/protobuf/reflect';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { bytesToUtf8 } from '@status-ts/core';

/**
 * Three places where protobuf-es differs from the Go protobuf status-go v0.62.0 runs (golang/protobuf
 * v1.3.4):
 *  - a proto3 string field that is not valid UTF-8: Go refuses the message, protobuf-es writes U+FFFD;
 *  - a known field sent with another wire type: Go skips it as unknown, protobuf-es reads it anyway
 *    (as a different value, or misaligning what follows);
 *  - a string that starts with U+FEFF: protobuf-es's TextDecoder drops it, Go keeps it.
 * `checkStrictWire` walks the bytes with the schema, descending into embedded messages, and throws on the
 * first two (the caller turns that into ERR_PAYLOAD_MALFORMED); for the third it returns where such
 * strings are and their true value, which `applyStringFixes` writes into the decoded message.
 */
export function checkStrictWire(desc: DescMessage, bytes: Uint8Array): StringFix[] {
  const fixes: StringFix[] = [];
  walk(desc, bytes, [], fixes);
  return fixes;
}

/** One step from a message to a field: the field, and the position when it is a list. */
export interface FieldStep {
  readonly field: DescField;
  readonly index?: number;
}

/** A string field whose decoded value must be replaced (it begins with a byte order mark). */
export interface StringFix {
  readonly path: readonly FieldStep[];
  readonly value: string;
}

/** Writes `fixes` into `message` (the same bytes decoded by protobuf-es). */
export function applyStringFixes(message: ReflectMessage, fixes: readonly StringFix[]): void {
  for (const { path, value } of fixes) {
    let target = message;
    for (const step of path.slice(0, -1)) {
      const next = target.get(step.field);
      target = (step.index === undefined ? next : (next as ReflectList).get(step.index)) as ReflectMessage;
    }
    const last = path[path.length - 1]!;
    if (last.index === undefined) target.set(last.field, value);
    else (target.get(last.field) as ReflectList).set(last.index, value);
  }
}

const BOM = [0xef, 0xbb, 0xbf];

function walk(desc: DescMessage, bytes: Uint8Array, path: FieldStep[], fixes: StringFix[]): void {
  const reader = new BinaryReader(bytes);
  const fields = fieldsByNumber(desc);
  // Position of the next element of each repeated field (protobuf-es appends in wire order).
  const listLengths = new Map<number, number>();
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    const field = fields.get(number);
    if (field === undefined) {
      reader.skip(wireType, number);
      continue;
    }
    if (!wireTypeFits(field, wireType)) {
      throw new Error(`field ${desc.name}.${field.name} (${number}) arrived with wire type ${wireType}`);
    }
    if (wireType !== WireType.LengthDelimited) {
      reader.skip(wireType, number);
      continue;
    }
    const body = reader.bytes();
    const message = embeddedMessage(field);
    const isList = field.fieldKind === 'list';
    if (message === undefined && !isString(field)) continue;
    const index = isList ? (listLengths.get(number) ?? 0) : undefined;
    if (isList) listLengths.set(number, index! + 1);
    const step: FieldStep = index === undefined ? { field } : { field, index };
    if (message !== undefined) {
      // A singular message field seen twice is merged by protobuf-es: the same path, which is right.
      walk(message, body, [...path, step], fixes);
    } else {
      const value = bytesToUtf8(body); // strict: throws on invalid UTF-8; keeps a leading U+FEFF
      if (BOM.every((byte, i) => body[i] === byte)) fixes.push({ path: [...path, step], value });
    }
  }
}

const byNumber = new WeakMap<DescMessage, Map<number, DescField>>();

function fieldsByNumber(desc: DescMessage): Map<number, DescField> {
  let map = byNumber.get(desc);
  if (map === undefined) {
    map = new Map(desc.fields.map((field) => [field.number, field]));
    byNumber.set(desc, map);
  }
  return map;
}

function embeddedMessage(field: DescField): DescMessage | undefined {
  if (field.fieldKind === 'message') return field.message;
  if (field.fieldKind === 'list' && field.listKind === 'message') return field.message;
  return undefined;
}

function isString(field: DescField): boolean {
  return (
    (field.fieldKind === 'scalar' || (field.fieldKind === 'list' && field.listKind === 'scalar')) &&
    field.scalar === ScalarType.STRING
  );
}

function scalarWireType(scalar: ScalarType): WireType {
  switch (scalar) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return WireType.LengthDelimited;
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return WireType.Bit64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return WireType.Bit32;
    default:
      return WireType.Varint;
  }
}

function wireTypeFits(field: DescField, wireType: WireType): boolean {
  switch (field.fieldKind) {
    case 'scalar':
      return wireType === scalarWireType(field.scalar);
    case 'enum':
      return wireType === WireType.Varint;
    case 'message':
      return wireType === WireType.LengthDelimited;
    case 'list':
      if (field.listKind === 'message') return wireType === WireType.LengthDelimited;
      // Repeated numbers and enums may come packed (length-delimited) or one by one.
      if (wireType === WireType.LengthDelimited) return true;
      return field.listKind === 'enum'
        ? wireType === WireType.Varint
        : wireType === scalarWireType(field.scalar);
    case 'map':
      return wireType === WireType.LengthDelimited;
  }
}
