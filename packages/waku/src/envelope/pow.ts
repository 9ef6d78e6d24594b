import { abortError } from '@status-ts/core';
import { createKeccak256, keccak256 } from '@status-ts/crypto';
import { DEFAULT_POW_TIME_MS, ENVELOPE_HEADER_LENGTH } from '../constants.js';
import { WakuError, WakuErrorCode } from '../errors.js';
import { Envelope, type EnvelopeFields, encodeRlpWithoutNonce, leadingZeroBits } from './envelope.js';

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

/**
 * How each attempt hashes (the nonce found is the same either way):
 * - 'clone' (default): the fixed part is absorbed once; each attempt clones that Keccak state and absorbs
 *   only the nonce, so an attempt costs about one permutation whatever the envelope size;
 * - 'rehash': each attempt hashes `RLP without nonce || nonce` from scratch, as status-go does (for
 *   comparison in tests and benchmarks).
 */
export type SealStrategy = 'clone' | 'rehash';

export interface SealOptions {
  /** Required proof of work; 0 skips the search (nonce 0). */
  pow: number;
  strategy?: SealStrategy;
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
  /** How the attempts were hashed (absent when no search ran). */
  strategy?: SealStrategy;
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
 * The nonce search. With 'clone' the fixed part `RLP([expiry, ttl, topic, data])` is absorbed into a Keccak
 * state once and each attempt clones that state and absorbs only the 8-byte nonce, so an attempt costs one
 * permutation whatever the envelope size; 'rehash' hashes the whole input per attempt. Either way the hash
 * is the one status-go computes over the whole buffer.
 */
class NonceSearch {
  readonly targetBits: number;
  readonly strategy: SealStrategy;
  readonly #hashAttempt: () => Uint8Array;
  readonly #view: DataView;
  #next = 0;
  #bestBits = -1;

  constructor(
    readonly fields: EnvelopeFields,
    rlp: Uint8Array,
    pow: number,
    strategy: SealStrategy,
  ) {
    // The larger of status-go's seal size and its check size (see sealSize).
    const size = Math.max(ENVELOPE_HEADER_LENGTH + fields.data.length, rlp.length);
    this.targetBits = powTargetBits(pow, size, fields.ttl);
    this.strategy = strategy;
    if (strategy === 'clone') {
      const base = createKeccak256().update(rlp);
      const nonce = new Uint8Array(8);
      this.#view = new DataView(nonce.buffer);
      this.#hashAttempt = () => base.clone().update(nonce).digest();
    } else {
      const input = new Uint8Array(rlp.length + 8);
      input.set(rlp, 0);
      this.#view = new DataView(input.buffer, rlp.length, 8);
      this.#hashAttempt = () => keccak256(input);
    }
  }

  get attempts(): number {
    return this.#next;
  }

  get bestBits(): number {
    return this.#bestBits;
  }

  /** Tries up to `count` nonces; returns the winning nonce or undefined. */
  run(count: number): number | undefined {
    const view = this.#view;
    const target = this.targetBits;
    for (let i = 0; i < count; i++) {
      const nonce = this.#next++;
      view.setUint32(0, Math.floor(nonce / 0x100000000));
      view.setUint32(4, nonce >>> 0);
      const bits = leadingZeroBits(this.#hashAttempt());
      if (bits > this.#bestBits) this.#bestBits = bits;
      if (bits >= target) return nonce;
    }
    return undefined;
  }
}

/** The fields without nonce and their nonce-less RLP (one encoding, no intermediate envelope). */
function prepare(fields: EnvelopeFields | Envelope): { fields: EnvelopeFields; rlp: Uint8Array } {
  const plain = { expiry: fields.expiry, ttl: fields.ttl, topic: fields.topic, data: fields.data };
  return {
    fields: plain,
    rlp: fields instanceof Envelope ? fields.rlpWithoutNonce() : encodeRlpWithoutNonce(plain),
  };
}

function result(search: NonceSearch, nonce: number): SealResult {
  return {
    envelope: Envelope.create({ ...search.fields, nonce }),
    attempts: search.attempts,
    targetBits: search.targetBits,
    strategy: search.strategy,
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
  const prepared = prepare(fields);
  if (options.pow === 0) return { envelope: Envelope.create(prepared.fields), attempts: 0, targetBits: 0 };
  const search = new NonceSearch(prepared.fields, prepared.rlp, options.pow, options.strategy ?? 'clone');
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
  const prepared = prepare(fields);
  if (options.pow === 0) return { envelope: Envelope.create(prepared.fields), attempts: 0, targetBits: 0 };
  const search = new NonceSearch(prepared.fields, prepared.rlp, options.pow, options.strategy ?? 'clone');
  const deadline = now() + (options.timeMs ?? DEFAULT_POW_TIME_MS);
  const maxAttempts = options.maxAttempts ?? Number.MAX_SAFE_INTEGER;
  for (;;) {
    const found = search.run(Math.min(CHECK_EVERY, maxAttempts - search.attempts));
    if (found !== undefined) return result(search, found);
    if (search.attempts >= maxAttempts) throw failure(search, `${maxAttempts} attempts exhausted`);
    if (now() >= deadline) throw failure(search, 'time budget exhausted');
  }
}
