import { bytesToHex, copyBytes, equalBytes } from '@status-ts/core';
import {
  convertPublicKey,
  getPublicKey,
  keccak256,
  signCompact,
  verify as verifySignature,
} from '@status-ts/crypto';
import { base64UrlDecode, base64UrlEncode } from '../base64url.js';
import { EnrError, EnrErrorCode } from '../errors.js';
import type { NodeAddress } from '../node-address.js';
import { type RlpItem, rlpEncode } from '../rlp/index.js';
import {
  addressToBytes,
  bytesToAddress,
  bytesToPort,
  EnrKey,
  IDENTITY_SCHEME_V4,
  idToKey,
  keyToId,
  portToBytes,
  RESERVED_KEYS,
  textKeyToId,
  validateStandardValue,
} from './keys.js';
import {
  assertSeq,
  assertSize,
  decodeRecordRlp,
  ENR_MAX_SIZE,
  type EnrPair,
  encodeRecord,
  encodeSignedContent,
} from './record.js';

/** The text form's prefix. */
export const ENR_TEXT_PREFIX = 'enr:';

/** Predefined address keys, settable by name. Ports are 0-65535; addresses are text or raw bytes. */
export interface EnrAddressFields {
  ip?: string | Uint8Array;
  tcp?: number;
  udp?: number;
  ip6?: string | Uint8Array;
  tcp6?: number;
  udp6?: number;
}

export interface EnrCreateOptions extends EnrAddressFields {
  /** The node key; its compressed public key becomes `secp256k1`. */
  privateKey: Uint8Array;
  /** Default 1. */
  seq?: number | bigint;
  /** Any other keys (`id` and `secp256k1` are reserved); values are byte strings or RLP lists, kept exactly. */
  entries?: Record<string, RlpItem>;
  /** Size limit, default `ENR_MAX_SIZE` (300). */
  maxSize?: number;
}

/** Changes for `Enr.with`: `undefined` keeps a value, `null` removes it. */
export type EnrChanges = {
  [K in keyof EnrAddressFields]?: EnrAddressFields[K] | null;
} & {
  entries?: Record<string, RlpItem | null>;
  /** Explicit new seq (must be greater than the current one); default current + 1. */
  seq?: number | bigint;
  maxSize?: number;
};

export interface EnrDecodeOptions {
  /** Size limit, default `ENR_MAX_SIZE` (300). */
  maxSize?: number;
}

type PairMap = Map<string, RlpItem>;

const ADDRESS_KEYS = [EnrKey.ip, EnrKey.tcp, EnrKey.udp, EnrKey.ip6, EnrKey.tcp6, EnrKey.udp6] as const;

function cloneItem(item: RlpItem): RlpItem {
  return item instanceof Uint8Array ? copyBytes(item) : item.map(cloneItem);
}

function toSeq(seq: number | bigint): bigint {
  if (typeof seq === 'number' && !Number.isSafeInteger(seq)) {
    throw new EnrError(EnrErrorCode.InvalidSeq, `seq ${seq} is not an integer`);
  }
  const value = BigInt(seq);
  assertSeq(value);
  return value;
}

function addressFieldValue(
  key: (typeof ADDRESS_KEYS)[number],
  value: string | Uint8Array | number,
): Uint8Array {
  if (key === EnrKey.ip || key === EnrKey.ip6) {
    if (typeof value === 'number') throw new EnrError(EnrErrorCode.InvalidValue, `${key}: not an address`);
    return addressToBytes(key, value);
  }
  // portToBytes' integer check rejects a string or bytes given as a port.
  return portToBytes(key, value as number);
}

/** Applies typed address fields and free entries to a pair map (null deletes, undefined keeps). */
function applyChanges(pairs: PairMap, changes: EnrChanges): void {
  const typed = new Set<string>();
  for (const key of ADDRESS_KEYS) {
    const value = changes[key];
    if (value === undefined) continue;
    typed.add(key);
    if (value === null) pairs.delete(key);
    else pairs.set(key, addressFieldValue(key, value));
  }
  for (const [text, value] of Object.entries(changes.entries ?? {})) {
    const id = textKeyToId(text);
    if (RESERVED_KEYS.has(id)) {
      throw new EnrError(EnrErrorCode.InvalidValue, `${text}: reserved for the identity scheme`, {
        details: { key: text },
      });
    }
    if (typed.has(id)) {
      throw new EnrError(EnrErrorCode.DuplicateKey, `${text} given both as a field and in entries`, {
        details: { key: text },
      });
    }
    if (value === null) {
      pairs.delete(id);
      continue;
    }
    validateStandardValue(id, value);
    pairs.set(id, cloneItem(value));
  }
}

function sortedPairs(pairs: PairMap): EnrPair[] {
  // Binary-string ids compare exactly like their bytes (one char per byte).
  return [...pairs.keys()].sort().map((id) => ({ key: idToKey(id), value: pairs.get(id)! }));
}

/** The v4 identity checks shared by decode: `id` = "v4" and a valid 33-byte `secp256k1` key. */
function v4PublicKey(pairs: PairMap): { publicKey: Uint8Array; rawPublicKey: Uint8Array } {
  const id = pairs.get(EnrKey.id);
  if (id === undefined) throw new EnrError(EnrErrorCode.MissingId, 'record has no "id" key');
  if (!(id instanceof Uint8Array) || keyToId(id) !== IDENTITY_SCHEME_V4) {
    throw new EnrError(EnrErrorCode.UnknownScheme, 'unsupported identity scheme (only "v4" is known)');
  }
  const publicKey = pairs.get(EnrKey.secp256k1);
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 33) {
    throw new EnrError(EnrErrorCode.InvalidPublicKey, 'record has no 33-byte "secp256k1" key');
  }
  try {
    return { publicKey, rawPublicKey: convertPublicKey(publicKey, 'raw') };
  } catch (cause) {
    // convertPublicKey throws only CryptoErrors for 33 bytes.
    throw new EnrError(EnrErrorCode.InvalidPublicKey, '"secp256k1" is not a point on the curve', { cause });
  }
}

/**
 * An EIP-778 Ethereum Node Record with the "v4" identity scheme. Immutable: every change makes a new record
 * with a higher `seq`, signed again. A decoded record keeps its original bytes, so unknown keys survive
 * re-encoding exactly and the signature still verifies. Byte getters return copies.
 */
export class Enr {
  readonly seq: bigint;
  readonly #encoded: Uint8Array;
  readonly #signature: Uint8Array;
  readonly #pairs: PairMap;
  readonly #publicKey: Uint8Array;
  readonly #rawPublicKey: Uint8Array;
  #nodeId: Uint8Array | undefined;

  private constructor(
    encoded: Uint8Array,
    signature: Uint8Array,
    seq: bigint,
    pairs: PairMap,
    keys: { publicKey: Uint8Array; rawPublicKey: Uint8Array },
  ) {
    this.#encoded = encoded;
    this.#signature = signature;
    this.seq = seq;
    this.#pairs = pairs;
    this.#publicKey = keys.publicKey;
    this.#rawPublicKey = keys.rawPublicKey;
  }

  /** Builds and signs a record. */
  static create(options: EnrCreateOptions): Enr {
    const pairs: PairMap = new Map();
    applyChanges(pairs, options);
    return Enr.#sign(options.privateKey, toSeq(options.seq ?? 1n), pairs, options.maxSize);
  }

  static #sign(privateKey: Uint8Array, seq: bigint, pairs: PairMap, maxSize = ENR_MAX_SIZE): Enr {
    const publicKey = getPublicKey(privateKey, 'compressed');
    pairs.set(EnrKey.id, new TextEncoder().encode(IDENTITY_SCHEME_V4));
    pairs.set(EnrKey.secp256k1, publicKey);
    const sorted = sortedPairs(pairs);
    const signature = signCompact(keccak256(encodeSignedContent(seq, sorted)), privateKey);
    const encoded = encodeRecord(signature, seq, sorted);
    assertSize(encoded.length, maxSize);
    return new Enr(encoded, signature, seq, pairs, {
      publicKey,
      rawPublicKey: convertPublicKey(publicKey, 'raw'),
    });
  }

  /**
   * Decodes and verifies a record: strict RLP, size limit, sorted unique keys, v4 identity, valid predefined
   * values and a valid signature. Throws only `EnrError`s (RLP problems as its subclass `RlpError`).
   */
  static decode(bytes: Uint8Array, options: EnrDecodeOptions = {}): Enr {
    // Own copy: values are views into it, and a large packet buffer is not kept alive by a small record.
    const own = copyBytes(bytes);
    const content = decodeRecordRlp(own, options);
    const pairs: PairMap = new Map();
    for (const { key, value } of content.pairs) pairs.set(keyToId(key), value);
    const keys = v4PublicKey(pairs);
    for (const [id, value] of pairs) validateStandardValue(id, value);
    if (content.signature.length !== 64) {
      throw new EnrError(
        EnrErrorCode.BadSignature,
        `v4 signature must be 64 bytes, got ${content.signature.length}`,
      );
    }
    if (!verifySignature(keccak256(content.signedContent), content.signature, keys.publicKey)) {
      throw new EnrError(EnrErrorCode.BadSignature, 'invalid signature');
    }
    return new Enr(own, content.signature, content.seq, pairs, keys);
  }

  /** Decodes the `enr:<base64url>` text form (strict base64url, no padding). */
  static decodeText(text: string, options: EnrDecodeOptions = {}): Enr {
    if (!text.startsWith(ENR_TEXT_PREFIX)) {
      throw new EnrError(EnrErrorCode.MissingPrefix, "missing 'enr:' prefix for base64-encoded record");
    }
    const body = text.slice(ENR_TEXT_PREFIX.length);
    const maxSize = options.maxSize ?? ENR_MAX_SIZE;
    // Checked before decoding, so a huge string costs nothing: n characters hold floor(3n/4) bytes.
    assertSize(Math.floor((body.length * 3) / 4), maxSize);
    return Enr.decode(base64UrlDecode(body), options);
  }

  /** The RLP encoding (for a decoded record, exactly the bytes it was decoded from). */
  encode(): Uint8Array {
    return copyBytes(this.#encoded);
  }

  /** `enr:` + URL-safe base64 without padding. */
  encodeText(): string {
    return ENR_TEXT_PREFIX + base64UrlEncode(this.#encoded);
  }

  toString(): string {
    return this.encodeText();
  }

  /** Encoded size in bytes. */
  get size(): number {
    return this.#encoded.length;
  }

  get signature(): Uint8Array {
    return copyBytes(this.#signature);
  }

  /** The 33-byte compressed key stored under `secp256k1`. */
  get publicKey(): Uint8Array {
    return copyBytes(this.#publicKey);
  }

  /** The 64-byte `X||Y` form of the key (enode URLs, RLPx). */
  get rawPublicKey(): Uint8Array {
    return copyBytes(this.#rawPublicKey);
  }

  /** Keccak-256 of the 64-byte public key. */
  get nodeId(): Uint8Array {
    this.#nodeId ??= keccak256(this.#rawPublicKey);
    return copyBytes(this.#nodeId);
  }

  get nodeIdHex(): string {
    this.#nodeId ??= keccak256(this.#rawPublicKey);
    return bytesToHex(this.#nodeId);
  }

  /** The identity scheme name ("v4"). */
  get id(): string {
    return IDENTITY_SCHEME_V4;
  }

  /** The value under `key` (text keys are UTF-8), a byte string or a list; undefined when absent. */
  get(key: string | Uint8Array): RlpItem | undefined {
    const value = this.#pairs.get(textKeyToId(key));
    return value === undefined ? undefined : cloneItem(value);
  }

  /** Like `get`, for keys whose value must be a byte string (ERR_ENR_INVALID_VALUE when it is a list). */
  getBytes(key: string | Uint8Array): Uint8Array | undefined {
    const value = this.#pairs.get(textKeyToId(key));
    if (value === undefined) return undefined;
    if (!(value instanceof Uint8Array)) {
      throw new EnrError(EnrErrorCode.InvalidValue, 'value is a list, not a byte string', {
        details: { key },
      });
    }
    return copyBytes(value);
  }

  has(key: string | Uint8Array): boolean {
    return this.#pairs.has(textKeyToId(key));
  }

  /** Every pair in record order (sorted by key bytes), values copied. */
  pairs(): EnrPair[] {
    return sortedPairs(this.#pairs).map(({ key, value }) => ({ key, value: cloneItem(value) }));
  }

  /** The keys as text, sorted; non-UTF-8 key bytes show as U+FFFD (use `pairs()` for exact bytes). */
  keys(): string[] {
    const decoder = new TextDecoder();
    return sortedPairs(this.#pairs).map(({ key }) => decoder.decode(key));
  }

  #address(key: 'ip' | 'ip6'): string | undefined {
    const value = this.#pairs.get(key) as Uint8Array | undefined;
    return value === undefined ? undefined : bytesToAddress(value);
  }

  #port(key: 'tcp' | 'udp' | 'tcp6' | 'udp6'): number | undefined {
    const value = this.#pairs.get(key) as Uint8Array | undefined;
    return value === undefined ? undefined : bytesToPort(value);
  }

  /** IPv4 address as dotted text. */
  get ip(): string | undefined {
    return this.#address(EnrKey.ip);
  }
  get tcp(): number | undefined {
    return this.#port(EnrKey.tcp);
  }
  get udp(): number | undefined {
    return this.#port(EnrKey.udp);
  }
  /** IPv6 address as RFC 5952 text. */
  get ip6(): string | undefined {
    return this.#address(EnrKey.ip6);
  }
  get tcp6(): number | undefined {
    return this.#port(EnrKey.tcp6);
  }
  get udp6(): number | undefined {
    return this.#port(EnrKey.udp6);
  }

  /**
   * Where to dial the node: the IPv4 address with `tcp`/`udp` when present, else the IPv6 one with
   * `tcp6`/`udp6` (falling back to `tcp`/`udp`). Missing ports are 0, as go-ethereum reports them.
   */
  toNodeAddress(): NodeAddress {
    const publicKey = this.rawPublicKey;
    const nodeId = this.nodeId;
    if (this.#pairs.has(EnrKey.ip) || !this.#pairs.has(EnrKey.ip6)) {
      return { publicKey, nodeId, ip: this.ip, tcp: this.tcp ?? 0, udp: this.udp ?? 0 };
    }
    return {
      publicKey,
      nodeId,
      ip: this.ip6,
      tcp: this.tcp6 ?? this.tcp ?? 0,
      udp: this.udp6 ?? this.udp ?? 0,
    };
  }

  /**
   * A new record with `changes` applied, `seq` raised (by one, or to `changes.seq`) and signed again with
   * `privateKey`, which must be this record's key (ERR_ENR_KEY_MISMATCH otherwise).
   */
  with(privateKey: Uint8Array, changes: EnrChanges = {}): Enr {
    if (!equalBytes(getPublicKey(privateKey, 'compressed'), this.#publicKey)) {
      throw new EnrError(EnrErrorCode.KeyMismatch, 'private key does not belong to this record');
    }
    const seq = changes.seq === undefined ? this.seq + 1n : toSeq(changes.seq);
    if (seq <= this.seq) {
      throw new EnrError(EnrErrorCode.InvalidSeq, `new seq ${seq} must be greater than ${this.seq}`);
    }
    assertSeq(seq);
    const pairs: PairMap = new Map(this.#pairs);
    applyChanges(pairs, changes);
    return Enr.#sign(privateKey, seq, pairs, changes.maxSize);
  }

  /** True when this record would have the same content as `changes` applied (used to skip needless bumps). */
  wouldChange(changes: EnrChanges): boolean {
    const pairs: PairMap = new Map(this.#pairs);
    applyChanges(pairs, changes);
    if (pairs.size !== this.#pairs.size) return true;
    for (const [id, value] of pairs) {
      const current = this.#pairs.get(id);
      if (current === undefined || !equalBytes(rlpEncode(current), rlpEncode(value))) return true;
    }
    return false;
  }

  /** Checks the v4 signature over the current content (always true for records built or decoded here). */
  verify(): boolean {
    const content = encodeSignedContent(this.seq, sortedPairs(this.#pairs));
    return verifySignature(keccak256(content), this.#signature, this.#publicKey);
  }

  /** Same encoded bytes. */
  equals(other: Enr): boolean {
    return equalBytes(this.#encoded, other.#encoded);
  }
}
