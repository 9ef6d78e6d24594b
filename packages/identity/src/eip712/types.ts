import { IdentityError, IdentityErrorCode } from '../errors.js';

export interface TypedDataField {
  name: string;
  type: string;
}

/** Struct name -> ordered members, e.g. `{ Person: [{ name: 'name', type: 'string' }, ...] }`. */
export type TypedDataTypes = Record<string, readonly TypedDataField[]>;

/**
 * `eth_signTypedData` input. Values may be JSON-style (numbers as decimal or `0x` strings, bytes as `0x`
 * hex) or native (bigint, Uint8Array, boolean).
 */
export interface TypedData {
  types: TypedDataTypes;
  primaryType: string;
  domain: Record<string, unknown>;
  message: Record<string, unknown>;
}

export const EIP712_DOMAIN_TYPE = 'EIP712Domain';

/** Deepest nesting of structs and arrays a value may have (guards the recursion; overridable). */
export const MAX_TYPED_DATA_DEPTH = 32;

export interface TypedDataOptions {
  /** Overrides MAX_TYPED_DATA_DEPTH. */
  maxDepth?: number;
  /**
   * When set, `domain.chainId` must be present and equal (status-go refuses to sign typed data for another
   * chain than the selected one).
   */
  chainId?: number | bigint;
}

export function typedDataError(message: string, details?: Record<string, unknown>): IdentityError {
  return new IdentityError(IdentityErrorCode.InvalidTypedData, message, { details });
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const FIELD_TYPE = /^([A-Za-z_$][A-Za-z0-9_$]*)((?:\[\d*\])*)$/;

/** A member type split into its base name and its array dimensions, outermost last (`T[2][]` -> [2, null]). */
export interface ParsedType {
  base: string;
  /** Fixed length, or null for a dynamic `[]`. */
  dimensions: (number | null)[];
}

export function parseType(type: string): ParsedType {
  const match = typeof type === 'string' ? FIELD_TYPE.exec(type) : null;
  if (match === null) throw typedDataError('malformed member type', { type: String(type).slice(0, 64) });
  const dimensions = [...match[2]!.matchAll(/\[(\d*)\]/g)].map((m) => {
    if (m[1] === '') return null;
    const n = Number(m[1]);
    if (!Number.isSafeInteger(n)) throw typedDataError('array length too large', { type });
    return n;
  });
  return { base: match[1]!, dimensions };
}

const INT_TYPE = /^u?int(\d{1,3})$/;
const FIXED_BYTES = /^bytes(\d{1,2})$/;

/** True for EIP-712 atomic and dynamic types: boolean, address, bytes1..32, (u)int8..256, bytes, string. */
export function isPrimitiveType(base: string): boolean {
  if (base === 'bool' || base === 'address' || base === 'string' || base === 'bytes') return true;
  const int = INT_TYPE.exec(base);
  if (int !== null) {
    const bits = Number(int[1]);
    return bits >= 8 && bits <= 256 && bits % 8 === 0 && String(bits) === int[1];
  }
  const fixed = FIXED_BYTES.exec(base);
  if (fixed !== null) {
    const size = Number(fixed[1]);
    return size >= 1 && size <= 32 && String(size) === fixed[1];
  }
  return false;
}

/** Validated type table: struct names and members are identifiers, every member type is known. */
export type TypeTable = ReadonlyMap<string, readonly TypedDataField[]>;

export function validateTypes(types: TypedDataTypes): TypeTable {
  if (typeof types !== 'object' || types === null || Array.isArray(types)) {
    throw typedDataError('`types` must be an object');
  }
  const table = new Map<string, readonly TypedDataField[]>();
  for (const [name, fields] of Object.entries(types)) {
    if (!IDENTIFIER.test(name)) throw typedDataError('struct name is not an identifier', { name });
    if (isPrimitiveType(name)) throw typedDataError('struct name shadows an atomic type', { name });
    if (!Array.isArray(fields)) throw typedDataError('struct members must be an array', { name });
    const seen = new Set<string>();
    for (const field of fields as unknown[]) {
      const f = field as Partial<TypedDataField> | null;
      if (typeof f !== 'object' || f === null || typeof f.name !== 'string' || typeof f.type !== 'string') {
        throw typedDataError('struct member must be { name: string, type: string }', { struct: name });
      }
      if (!IDENTIFIER.test(f.name))
        throw typedDataError('member name is not an identifier', { struct: name });
      if (seen.has(f.name)) throw typedDataError('duplicate member name', { struct: name, member: f.name });
      seen.add(f.name);
    }
    table.set(name, fields as readonly TypedDataField[]);
  }
  for (const [name, fields] of table) {
    for (const field of fields) {
      const { base } = parseType(field.type);
      if (!table.has(base) && !isPrimitiveType(base)) {
        throw typedDataError('unknown member type', { struct: name, type: base });
      }
    }
  }
  return table;
}
