import { abortError } from '@status-ts/core';
import { createKeccak256, type Keccak256Hasher } from '@status-ts/crypto';
import { DEFAULT_POW_TIME_MS, ENVELOPE_HEADER_LENGTH } from '../constants.js';
import { WakuError, WakuErrorCode } from '../errors.js';
import { Envelope, type EnvelopeFields, leadingZeroBits, powInputPrefix } from './envelope.js';

/**
 * Leading zero bits a seal must reach for `pow` (status-go `powToFirstBit`, WAKU-10):
 * `max(1, ceil(log2(pow * size * ttl)))`, multiplied in that order.
 */
export function powTargetBits(pow: number, size: number, ttl: number): number {
  const bits = Math.ceil(Math.log2(pow * size * ttl));
  return Number.isFinite(bits) && bits > 1 ? bits : 1;
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
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now();

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/**
 * The nonce search. The fixed part `RLP([expiry, ttl, topic, data])` is absorbed into a Keccak state once
 * (its prefix, then the data straight from the caller's buffer);
 * each attempt clones that state, absorbs the 8-byte nonce and digests, so an attempt costs one keccak256 of
 * 8 bytes whatever the envelope size. The hash is the one status-go computes over the whole buffer.
 */
class NonceSearch {
  readonly fields: EnvelopeFields;
  readonly prefix: Uint8Array;
  readonly targetBits: number;
  readonly #base: Keccak256Hasher;
  readonly #nonce = new Uint8Array(8);
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
    this.#base = createKeccak256().update(this.prefix).update(fields.data);
  }

  get attempts(): number {
    return this.#next;
  }

  get bestBits(): number {
    return this.#bestBits;
  }

  /** Tries up to `count` nonces; returns the winning nonce or undefined. */
  run(count: number): number | undefined {
    const base = this.#base;
    const bytes = this.#nonce;
    const target = this.targetBits;
    const end = this.#next + count;
    for (let nonce = this.#next; nonce < end; nonce++) {
      // Big-endian; nonces stay below 2^53, so the high word is a float division.
      const hi = Math.floor(nonce / 0x100000000);
      bytes[0] = hi >>> 24;
      bytes[1] = hi >>> 16;
      bytes[2] = hi >>> 8;
      bytes[3] = hi;
      bytes[4] = nonce >>> 24;
      bytes[5] = nonce >>> 16;
      bytes[6] = nonce >>> 8;
      bytes[7] = nonce;
      const hash = base.clone().update(bytes).digest();
      const bits = leadingZeroBits(hash);
      if (bits > this.#bestBits) this.#bestBits = bits;
      if (bits >= target) {
        this.#next = nonce + 1;
        this.winningHash = hash;
        return nonce;
      }
    }
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
  if (typeof options.pow !== 'number' || !(options.pow >= 0) || !Number.isFinite(options.pow)) {
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
  const deadline = now() + (options.timeMs ?? DEFAULT_POW_TIME_MS);
  const maxAttempts = options.maxAttempts ?? Number.MAX_SAFE_INTEGER;
  let sliceStart = now();
  for (;;) {
    if (options.signal?.aborted) throw abortError(options.signal);
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
  const deadline = now() + (options.timeMs ?? DEFAULT_POW_TIME_MS);
  const maxAttempts = options.maxAttempts ?? Number.MAX_SAFE_INTEGER;
  for (;;) {
    const found = search.run(Math.min(CHECK_EVERY, maxAttempts - search.attempts));
    if (found !== undefined) return result(search, found);
    if (search.attempts >= maxAttempts) throw failure(search, `${maxAttempts} attempts exhausted`);
    if (now() >= deadline) throw failure(search, 'time budget exhausted');
  }
}
