import { throwIfAborted, yieldToEventLoop } from '@status-ts/core';
import {
  createKeccak256,
  createKeccak256SuffixHasher,
  KECCAK256_LENGTH,
  type Keccak256Hasher,
  type Keccak256SuffixHasher,
  keccak256Backend,
} from '@status-ts/crypto';
import { DEFAULT_POW_TIME_MS, ENVELOPE_HEADER_LENGTH } from '../constants.js';
import { WakuError, WakuErrorCode } from '../errors.js';
import { Envelope, type EnvelopeFields, leadingZeroBits, powInputPrefix } from './envelope.js';

/**
 * Leading zero bits a seal must reach for `pow` (status-go `powToFirstBit`, WAKU-10):
 * `max(1, ceil(log2(pow * size * ttl)))`, multiplied in that order.
 */
export function powTargetBits(pow: number, size: number, ttl: number): number {
  const bits = Math.ceil(Math.log2(pow * size * ttl));
  return Number.isFinite(bits) ? Math.max(1, bits) : 1;
}

/**
 * The size a seal targets: status-go seals with `20 + len(data)` but checks with the nonce-less RLP length;
 * the larger of the two makes our envelopes pass both (checklist ambiguity "PoW size").
 */
export function sealSize(envelope: Envelope): number {
  return Math.max(envelope.size, envelope.rlpWithoutNonceLength);
}

export interface SealOptions {
  /** Required proof of work; 0 skips the search (nonce 0). */
  pow: number;
  /** Wall-clock budget for the nonce search (default 5 s); the seal fails when it runs out. */
  timeMs?: number;
  /** Most nonces to try; the seal fails after that many. */
  maxAttempts?: number;
  signal?: AbortSignal;
}

export interface SealResult {
  envelope: Envelope;
  /** Nonces hashed. */
  attempts: number;
  /** Leading zero bits the search required. */
  targetBits: number;
}

const CHECK_EVERY = 256;
const YIELD_AFTER_MS = 8;

const now: () => number =
  typeof globalThis.performance?.now === 'function' ? () => performance.now() : () => Date.now();

/**
 * Hashers and buffers of one nonce search, recycled between seals: a Keccak state is 200 bytes off the V8
 * heap, and allocating one costs about as much as an attempt. A seal takes a set and gives it back, so
 * concurrent async seals each hold their own; sets are per keccak backend (forceNobleCrypto switches it).
 */
interface SearchTools {
  readonly backend: 'wasm' | 'noble';
  /** Never updated: resets `base` by `empty.cloneInto(base)`. */
  readonly empty: Keccak256Hasher;
  readonly base: Keccak256Hasher;
  readonly attempt: Keccak256SuffixHasher;
  readonly hash: Uint8Array;
  readonly nonce: Uint8Array;
}

const NONCE_LENGTH = 8;
const MAX_SPARE_TOOLS = 4;
// Stryker disable next-line ArrayDeclaration: a foreign entry never matches a backend and is shifted out; recycling only saves allocations.
const spareTools: SearchTools[] = [];

function takeTools(): SearchTools {
  const backend = keccak256Backend();
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: skipping a spare set only allocates a fresh one (recycling is a performance choice).
  for (let i = spareTools.length - 1; i >= 0; i--) {
    const tools = spareTools[i]!;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: both backends compute the same Keccak; the backend check only keeps each set on its own (no output depends on it).
    if (tools.backend !== backend) continue;
    spareTools[i] = spareTools[spareTools.length - 1]!;
    spareTools.pop();
    tools.empty.cloneInto(tools.base);
    return tools;
  }
  const empty = createKeccak256();
  return {
    backend,
    empty,
    base: createKeccak256(),
    attempt: createKeccak256SuffixHasher(empty, NONCE_LENGTH),
    hash: new Uint8Array(KECCAK256_LENGTH),
    nonce: new Uint8Array(NONCE_LENGTH),
  };
}

// Stryker disable next-line BlockStatement: a set not given back is garbage collected; the next seal allocates a new one.
function giveBackTools(tools: SearchTools): void {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: how many spare sets are kept only changes allocations and memory, not any result.
  if (spareTools.length >= MAX_SPARE_TOOLS) spareTools.shift();
  spareTools.push(tools);
}

/**
 * Writes a nonce below 2^53 as 8 big-endian bytes (the PoW input suffix) without a BigInt.
 * @internal exported for tests
 */
export function writeNonce8(out: Uint8Array, nonce: number): void {
  // Above 32 bits the shifts wrap, so the high word comes from a float division.
  const hi = Math.floor(nonce / 0x100000000);
  out[0] = hi >>> 24;
  out[1] = hi >>> 16;
  out[2] = hi >>> 8;
  out[3] = hi;
  out[4] = nonce >>> 24;
  out[5] = nonce >>> 16;
  out[6] = nonce >>> 8;
  out[7] = nonce;
}

/**
 * Turns `out`, holding `nonce - 1` as written by `writeNonce8`, into `nonce` (below 2^53): only the last byte
 * changes except when it wraps to 0, once in 256 nonces, when the whole nonce is rewritten (the carry). This
 * keeps the float division of `writeNonce8` out of all but one attempt in 256.
 * @internal exported for tests
 */
export function advanceNonce8(out: Uint8Array, nonce: number): void {
  // `&` keeps the low 32 bits of any integer below 2^53, so the low byte is exact.
  const low = nonce & 0xff;
  if (low === 0) writeNonce8(out, nonce);
  else out[7] = low;
}

/**
 * The nonce search. The fixed part `RLP([expiry, ttl, topic, data])` is absorbed into a Keccak state once
 * (its prefix, then the data straight from the caller's buffer) and snapshotted, with the Keccak padding for
 * the 8 bytes still to come already applied (`createKeccak256SuffixHasher`). Each attempt then costs one
 * copy of that state, the XOR of the nonce and one permutation, digested into a reused buffer: one
 * keccak256 of 8 bytes whatever the envelope size, and nothing allocated per attempt (nor per seal, with the
 * recycled tools, apart from the envelope itself). The hash is the one status-go computes over the whole
 * buffer.
 */
class NonceSearch {
  readonly fields: EnvelopeFields;
  readonly prefix: Uint8Array;
  readonly targetBits: number;
  readonly #tools: SearchTools;
  #next = 0;
  #bestBits = -1;
  /** The PoW hash of the nonce found. */
  winningHash: Uint8Array | undefined;

  constructor(fields: EnvelopeFields, pow: number) {
    this.fields = fields;
    this.prefix = powInputPrefix(fields);
    // The larger of status-go's seal size and its check size (see sealSize).
    const size = Math.max(
      ENVELOPE_HEADER_LENGTH + fields.data.length,
      this.prefix.length + fields.data.length,
    );
    this.targetBits = powTargetBits(pow, size, fields.ttl);
    const tools = takeTools();
    tools.attempt.setPrefix(tools.base.update(this.prefix).update(fields.data));
    this.#tools = tools;
  }

  /** Returns the recycled hashers and buffers; the search must not run afterwards. */
  // Stryker disable next-line BlockStatement: not recycling only allocates a new set for the next seal.
  release(): void {
    giveBackTools(this.#tools);
  }

  get attempts(): number {
    return this.#next;
  }

  get bestBits(): number {
    return this.#bestBits;
  }

  /** Tries up to `count` nonces; returns the winning nonce or undefined. */
  run(count: number): number | undefined {
    const { attempt, hash, nonce: bytes } = this.#tools;
    const target = this.targetBits;
    let best = this.#bestBits;
    const start = this.#next;
    const end = start + count;
    // Stryker disable next-line ConditionalExpression: an empty run writes a nonce it never hashes.
    if (start < end) writeNonce8(bytes, start);
    for (let nonce = start; nonce < end; nonce++) {
      if (nonce !== start) advanceNonce8(bytes, nonce);
      attempt.digestInto(bytes, hash, 0);
      // Most hashes start with a non-zero byte: count its zero bits without the loop over the bytes.
      const first = hash[0]!;
      const bits = first === 0 ? leadingZeroBits(hash) : Math.clz32(first) - 24;
      if (bits > best) best = bits;
      if (bits >= target) {
        this.#bestBits = best;
        this.#next = nonce + 1;
        this.winningHash = hash.slice();
        return nonce;
      }
    }
    this.#bestBits = best;
    this.#next = end;
    return undefined;
  }
}

/** The fields without nonce (an envelope's fields are already valid; the prefix validates plain ones). */
function withoutNonce(fields: EnvelopeFields | Envelope): EnvelopeFields {
  return { expiry: fields.expiry, ttl: fields.ttl, topic: fields.topic, data: fields.data };
}

function result(search: NonceSearch, nonce: number): SealResult {
  return {
    envelope: Envelope.fromSeal(search.fields, search.prefix, nonce, search.winningHash!),
    attempts: search.attempts,
    targetBits: search.targetBits,
  };
}

function failure(search: NonceSearch, reason: string): WakuError {
  return new WakuError(
    WakuErrorCode.LowPow,
    `proof of work target of ${search.targetBits} bits not reached: ${reason} (best ${search.bestBits} bits after ${search.attempts} attempts)`,
    { details: { targetBits: search.targetBits, bestBits: search.bestBits, attempts: search.attempts } },
  );
}

function checkOptions(options: SealOptions): void {
  // Number.isFinite is false for non-numbers, NaN and the infinities.
  if (!Number.isFinite(options.pow) || !(options.pow >= 0)) {
    throw new WakuError(WakuErrorCode.InvalidOptions, `pow must be a finite number >= 0, got ${options.pow}`);
  }
}

/**
 * Finds a nonce giving the envelope at least `options.pow` (WAKU-10), searching from 0, within the time and
 * attempt budgets; rejects with ERR_WAKU_LOW_POW when they run out, or the signal's reason when aborted.
 * Yields to the event loop every few milliseconds, so it never blocks a node for long.
 */
export async function sealEnvelope(
  fields: EnvelopeFields | Envelope,
  options: SealOptions,
): Promise<SealResult> {
  checkOptions(options);
  const plain = withoutNonce(fields);
  if (options.pow === 0) return { envelope: Envelope.create(plain), attempts: 0, targetBits: 0 };
  const search = new NonceSearch(plain, options.pow);
  try {
    const deadline = now() + (options.timeMs ?? DEFAULT_POW_TIME_MS);
    const maxAttempts = options.maxAttempts ?? Number.MAX_SAFE_INTEGER;
    let sliceStart = now();
    for (;;) {
      throwIfAborted(options.signal);
      const found = search.run(Math.min(CHECK_EVERY, maxAttempts - search.attempts));
      if (found !== undefined) return result(search, found);
      if (search.attempts >= maxAttempts) throw failure(search, `${maxAttempts} attempts exhausted`);
      const t = now();
      if (t >= deadline) throw failure(search, 'time budget exhausted');
      if (t - sliceStart >= YIELD_AFTER_MS) {
        await yieldToEventLoop();
        sliceStart = now();
      }
    }
  } finally {
    search.release();
  }
}

/** `sealEnvelope` without yielding (blocks until done): for tools and benchmarks. */
export function sealEnvelopeSync(
  fields: EnvelopeFields | Envelope,
  options: Omit<SealOptions, 'signal'>,
): SealResult {
  checkOptions(options);
  const plain = withoutNonce(fields);
  if (options.pow === 0) return { envelope: Envelope.create(plain), attempts: 0, targetBits: 0 };
  const search = new NonceSearch(plain, options.pow);
  try {
    const deadline = now() + (options.timeMs ?? DEFAULT_POW_TIME_MS);
    const maxAttempts = options.maxAttempts ?? Number.MAX_SAFE_INTEGER;
    for (;;) {
      const found = search.run(Math.min(CHECK_EVERY, maxAttempts - search.attempts));
      if (found !== undefined) return result(search, found);
      if (search.attempts >= maxAttempts) throw failure(search, `${maxAttempts} attempts exhausted`);
      if (now() >= deadline) throw failure(search, 'time budget exhausted');
    }
  } finally {
    search.release();
  }
}
