import { concatBytes, utf8ToBytes } from '@status-ts/core';
import { keccak256 } from '@status-ts/crypto';
import { recoverHashSignerAddress, signHashWithLegacyV } from '../signature.js';
import {
  EIP712_DOMAIN_TYPE,
  isPrimitiveType,
  MAX_TYPED_DATA_DEPTH,
  parseType,
  type TypedData,
  type TypedDataField,
  type TypedDataOptions,
  type TypedDataTypes,
  type TypeTable,
  typedDataError,
  validateTypes,
} from './types.js';
import { encodePrimitive } from './values.js';

/** Domain members in the order EIP-712 lists them; used when `types` has no EIP712Domain entry. */
const DOMAIN_FIELDS: readonly TypedDataField[] = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
  { name: 'salt', type: 'bytes32' },
];

interface Context {
  table: TypeTable;
  maxDepth: number;
  /** typeHash per struct name, so arrays of structs hash their type once. */
  typeHashes: Map<string, Uint8Array>;
}

/** Each struct or array level is one step deeper; refusing early keeps hostile input off the stack. */
function enter(ctx: Context, depth: number): void {
  if (depth > ctx.maxDepth) {
    throw typedDataError(`value nested deeper than ${ctx.maxDepth} levels`, { maxDepth: ctx.maxDepth });
  }
}

function typeHashOf(ctx: Context, name: string): Uint8Array {
  let hash = ctx.typeHashes.get(name);
  if (hash === undefined) {
    hash = keccak256(utf8ToBytes(encodeTypeOf(ctx.table, name)));
    ctx.typeHashes.set(name, hash);
  }
  return hash;
}

function requireStruct(table: TypeTable, name: string): readonly TypedDataField[] {
  const fields = table.get(name);
  if (fields === undefined)
    throw typedDataError('struct type not defined', { type: String(name).slice(0, 64) });
  return fields;
}

/** Struct types reachable from `primary` (itself excluded), found without recursion. */
function dependencies(table: TypeTable, primary: string): string[] {
  const found = new Set<string>([primary]);
  const stack = [primary];
  while (stack.length > 0) {
    for (const field of table.get(stack.pop()!)!) {
      const { base } = parseType(field.type);
      if (table.has(base) && !found.has(base)) {
        found.add(base);
        stack.push(base);
      }
    }
  }
  found.delete(primary);
  return [...found];
}

function encodeTypeOf(table: TypeTable, primary: string): string {
  requireStruct(table, primary);
  const deps = dependencies(table, primary).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [primary, ...deps]
    .map(
      (name) =>
        `${name}(${table
          .get(name)!
          .map((f) => `${f.type} ${f.name}`)
          .join(',')})`,
    )
    .join('');
}

/** `encodeType`: `Name(type name,...)` followed by every referenced struct type, sorted by name. */
export function encodeType(types: TypedDataTypes, primaryType: string): string {
  return encodeTypeOf(validateTypes(types), primaryType);
}

/** keccak256(encodeType(primaryType)). */
export function hashType(types: TypedDataTypes, primaryType: string): Uint8Array {
  return keccak256(utf8ToBytes(encodeType(types, primaryType)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/** One member's 32-byte word: primitives directly, structs as hashStruct, arrays as the hash of their words. */
function encodeValue(ctx: Context, type: string, value: unknown, depth: number): Uint8Array {
  const { base, dimensions } = parseType(type);
  if (dimensions.length > 0) {
    enter(ctx, depth + 1);
    const expected = dimensions[dimensions.length - 1]!;
    if (!Array.isArray(value)) throw typedDataError('array member needs an array', { type });
    if (expected !== null && value.length !== expected) {
      throw typedDataError(`array needs ${expected} items, got ${value.length}`, { type });
    }
    const inner = type.slice(0, type.lastIndexOf('['));
    return keccak256(concatBytes(...value.map((item) => encodeValue(ctx, inner, item, depth + 1))));
  }
  if (ctx.table.has(base)) return keccak256(encodeStruct(ctx, base, value, depth + 1));
  if (!isPrimitiveType(base)) throw typedDataError('unknown member type', { type: base });
  return encodePrimitive(base, value);
}

function encodeStruct(ctx: Context, name: string, data: unknown, depth: number): Uint8Array {
  enter(ctx, depth);
  const fields = requireStruct(ctx.table, name);
  if (!isRecord(data)) throw typedDataError('struct value must be an object', { type: name });
  const words = [typeHashOf(ctx, name)];
  for (const field of fields) {
    if (!Object.hasOwn(data, field.name) || data[field.name] === undefined) {
      throw typedDataError('missing member value', { type: name, member: field.name });
    }
    words.push(encodeValue(ctx, field.type, data[field.name], depth));
  }
  return concatBytes(...words);
}

function context(types: TypedDataTypes, options: TypedDataOptions): Context {
  return {
    table: validateTypes(types),
    maxDepth: options.maxDepth ?? MAX_TYPED_DATA_DEPTH,
    typeHashes: new Map(),
  };
}

/** `typeHash || enc(member1) || ...`: the bytes hashStruct hashes. */
export function encodeData(
  types: TypedDataTypes,
  primaryType: string,
  data: Record<string, unknown>,
  options: TypedDataOptions = {},
): Uint8Array {
  return encodeStruct(context(types, options), primaryType, data, 0);
}

/** hashStruct(s) = keccak256(typeHash || encodeData(s)). */
export function hashStruct(
  types: TypedDataTypes,
  primaryType: string,
  data: Record<string, unknown>,
  options: TypedDataOptions = {},
): Uint8Array {
  return keccak256(encodeData(types, primaryType, data, options));
}

/** The EIP712Domain member list: from `types` when given, else the known fields present in `domain`. */
function domainFields(domain: Record<string, unknown>, types: TypedDataTypes | undefined): TypedDataField[] {
  const declared: unknown = types?.[EIP712_DOMAIN_TYPE];
  if (declared !== undefined) {
    if (!Array.isArray(declared)) throw typedDataError('EIP712Domain must be a list of fields', {});
    return [...(declared as TypedDataField[])];
  }
  for (const key of Object.keys(domain)) {
    if (!DOMAIN_FIELDS.some((f) => f.name === key)) throw typedDataError('unknown domain field', { key });
  }
  return DOMAIN_FIELDS.filter((f) => domain[f.name] !== undefined);
}

/** domainSeparator = hashStruct(eip712Domain). */
export function hashDomain(
  domain: Record<string, unknown>,
  types?: TypedDataTypes,
  options: TypedDataOptions = {},
): Uint8Array {
  if (!isRecord(domain)) throw typedDataError('`domain` must be an object');
  const domainTypes = { ...(types ?? {}), [EIP712_DOMAIN_TYPE]: domainFields(domain, types) };
  return hashStruct(domainTypes, EIP712_DOMAIN_TYPE, domain, options);
}

function checkChainId(domain: Record<string, unknown>, chainId: number | bigint): void {
  const given = domain.chainId;
  let value: bigint | undefined;
  try {
    const readable = typeof given === 'number' || typeof given === 'bigint' || typeof given === 'string';
    value = readable ? BigInt(given) : undefined;
  } catch {
    value = undefined;
  }
  if (value === undefined || value !== BigInt(chainId)) {
    throw typedDataError('domain chainId does not match the expected chain', { expected: String(chainId) });
  }
}

/**
 * The EIP-712 digest keccak256(0x19 0x01 || domainSeparator || hashStruct(message)). Like status-go,
 * the message is hashed even when `primaryType` is EIP712Domain.
 */
export function hashTypedData(typedData: TypedData, options: TypedDataOptions = {}): Uint8Array {
  if (!isRecord(typedData)) throw typedDataError('typed data must be an object');
  const { types, primaryType, domain, message } = typedData;
  if (typeof primaryType !== 'string') throw typedDataError('`primaryType` must be a string');
  if (!isRecord(message)) throw typedDataError('`message` must be an object');
  if (!isRecord(domain)) throw typedDataError('`domain` must be an object');
  if (options.chainId !== undefined) checkChainId(domain, options.chainId);
  const domainSeparator = hashDomain(domain, types, options);
  const messageHash = hashStruct(types, primaryType, message, options);
  return keccak256(Uint8Array.of(0x19, 0x01), domainSeparator, messageHash);
}

/** 65-byte `r || s || v` signature (v = 27 or 28, as `eth_signTypedData` returns it). */
export function signTypedData(
  typedData: TypedData,
  privateKey: Uint8Array,
  options: TypedDataOptions = {},
): Uint8Array {
  return signHashWithLegacyV(hashTypedData(typedData, options), privateKey);
}

/** EIP-55 address of the key that signed `typedData`. */
export function recoverTypedDataAddress(
  typedData: TypedData,
  signature: Uint8Array,
  options: TypedDataOptions = {},
): string {
  return recoverHashSignerAddress(hashTypedData(typedData, options), signature);
}
