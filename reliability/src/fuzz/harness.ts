import { bytesToHex, StatusTsError } from '@status-ts/core';
import fc from 'fast-check';

/**
 * One fuzzed decoder: inputs from `arbitrary`, each handed to `decode`, which must return or throw a
 * `StatusTsError` whose code starts with `ERR_`. Anything else (RangeError, TypeError, a plain Error, a
 * thrown string) fails the run and reports the input.
 */
export interface FuzzEntry<T = unknown> {
  readonly layer: string;
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** How the inputs are made, for the figure ("random bytes, mutated valid envelopes"). */
  readonly how: string;
  /** Method syntax on purpose: entries of different input types share one table. */
  decode(input: T): unknown;
  /** The decoder returns a promise (awaited per case). */
  readonly async?: boolean;
  /**
   * Slow per case (secp256k1, ECIES, KDFs, AES-GCM with real keys): this share of the profile's cases,
   * never fewer than MIN_SLOW_RUNS; `why` goes into the figure.
   */
  readonly slow?: { readonly share: number; readonly why: string };
  /**
   * A finding: this decoder is known to throw an untyped error starting with this text (`Name: message`),
   * reported for fixing in its package. Such throws are counted, every other input must still be typed.
   */
  readonly knownUntyped?: string;
  show?(input: T): string;
}

/** A layer's entries before the layer name is attached. */
export type LayerEntry<T = unknown> = Omit<FuzzEntry<T>, 'layer'>;

/** Attaches the layer name; keeps each entry's own input type checked against its decoder. */
export function layer(name: string, entries: readonly LayerEntry<never>[]): FuzzEntry[] {
  return entries.map((entry) => ({ ...entry, layer: name }) as FuzzEntry);
}

/** Typed entry helper: infers T from the arbitrary so `decode` is checked against it. */
export function entry<T>(e: LayerEntry<T>): LayerEntry<never> {
  return e as LayerEntry<never>;
}

/** Issue 18: every decoder gets at least 10,000 cases in CI, slow ones included. */
export const MIN_SLOW_RUNS = 10_000;

export function casesFor(e: FuzzEntry, profileRuns: number): number {
  if (!e.slow) return profileRuns;
  return Math.min(profileRuns, Math.max(MIN_SLOW_RUNS, Math.round(profileRuns * e.slow.share)));
}

/** The rule: a StatusTsError (or subclass) with a string code starting with ERR_. */
export function isTypedRejection(error: unknown): error is StatusTsError {
  return error instanceof StatusTsError && typeof error.code === 'string' && /^ERR_/.test(error.code);
}

/**
 * Runs each decoder of a composite entry on the same input: an untyped throw propagates at once; otherwise
 * the first typed rejection is rethrown after all have run, so every decoder sees every input.
 */
export function each(calls: readonly (() => unknown)[]): unknown[] {
  const out: unknown[] = [];
  let rejected: StatusTsError | undefined;
  for (const call of calls) {
    try {
      out.push(call());
    } catch (err) {
      if (!isTypedRejection(err)) throw err;
      rejected ??= err;
    }
  }
  if (rejected) throw rejected;
  return out;
}

/** `Name: message` of what was thrown, as `knownUntyped` matches it. */
export function describeThrow(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  let text: string;
  try {
    text = String(error);
  } catch {
    text = Object.prototype.toString.call(error);
  }
  return `non-error throw (${typeof error}): ${text}`;
}

/** Input text for failure reports: bytes as hex, text as a JSON string, objects as JSON with hex bytes. */
export function showInput(input: unknown): string {
  if (input instanceof Uint8Array) return `0x${bytesToHex(input)} (${input.length} bytes)`;
  if (typeof input === 'string') return JSON.stringify(input);
  try {
    return JSON.stringify(input, (_, v) =>
      v instanceof Uint8Array ? `0x${bytesToHex(v)}` : typeof v === 'bigint' ? `${v}n` : v,
    );
  } catch {
    return String(input);
  }
}

export interface FuzzCounts {
  cases: number;
  returned: number;
  typed: number;
  /** Untyped throws matching the entry's `knownUntyped`. */
  known: number;
  /** Shortest input that hit the known finding, for the report. */
  knownExample?: string;
}

/** An untyped throw: fails the property with the decoder, what was thrown and the input. */
export class UntypedThrow extends Error {
  constructor(e: FuzzEntry, thrown: unknown, input: string) {
    super(`${e.layer}: ${e.name} threw untyped ${describeThrow(thrown)} on input ${input}`, {
      cause: thrown,
    });
    this.name = 'UntypedThrow';
  }
}

/**
 * Runs `runs` cases of `e` under fast-check (shrinking an untyped throw to a small input) and returns the
 * outcome counts. `seed` (FUZZ_SEED) replays a reported run.
 */
export async function runFuzz(e: FuzzEntry, runs: number, seed?: number): Promise<FuzzCounts> {
  const counts: FuzzCounts = { cases: 0, returned: 0, typed: 0, known: 0 };
  const judge = (input: unknown, thrown: unknown): void => {
    if (isTypedRejection(thrown)) {
      counts.typed++;
      return;
    }
    const show = e.show ? e.show(input) : showInput(input);
    if (e.knownUntyped !== undefined && describeThrow(thrown).startsWith(e.knownUntyped)) {
      counts.known++;
      if (counts.knownExample === undefined || show.length < counts.knownExample.length)
        counts.knownExample = show;
      return;
    }
    throw new UntypedThrow(e, thrown, show);
  };
  const params: fc.Parameters<[unknown]> = { numRuns: runs, ...(seed === undefined ? {} : { seed }) };
  if (e.async) {
    await fc.assert(
      fc.asyncProperty(e.arbitrary, async (input) => {
        counts.cases++;
        try {
          await e.decode(input);
        } catch (thrown) {
          judge(input, thrown);
          return;
        }
        counts.returned++;
      }),
      params,
    );
  } else {
    fc.assert(
      fc.property(e.arbitrary, (input) => {
        counts.cases++;
        let out: unknown;
        try {
          out = e.decode(input);
        } catch (thrown) {
          judge(input, thrown);
          return;
        }
        // A promise here would hide its rejection: such decoders must be marked async.
        if (out instanceof Promise) throw new Error(`${e.name} returned a promise: mark the entry async`);
        counts.returned++;
      }),
      params,
    );
  }
  return counts;
}
