import { describe, expect, it } from 'vitest';
import { splitIntoBatches } from '../src/batches.js';
import { makeEnvelope, TOPIC_A } from './helpers/envelopes.js';

const envs = [1, 2, 3].map((d) => makeEnvelope(1_750_000_000 + d, TOPIC_A));
const L = envs[0]!.raw.length;
const sizes = (batches: unknown[][]) => batches.map((b) => b.length);

describe('splitIntoBatches', () => {
  it('without batch (Whisper-era request) sends every envelope on its own', () => {
    const batches = splitIntoBatches(envs, { maxBatchBytes: 1e6, limitReached: false, batch: false });
    expect(batches).toEqual(envs.map((e) => [e]));
  });

  it('keeps a batch strictly under maxBatchBytes', () => {
    const split = (maxBatchBytes: number) =>
      sizes(splitIntoBatches(envs, { maxBatchBytes, limitReached: false, batch: true }));
    expect(split(2 * L + 1)).toEqual([2, 1]);
    expect(split(2 * L)).toEqual([1, 1, 1]); // two would reach it exactly
    expect(split(3 * L + 1)).toEqual([3]);
  });

  it('never sends an empty batch', () => {
    const opts = { maxBatchBytes: 1, limitReached: false, batch: true };
    expect(splitIntoBatches([], opts)).toEqual([]);
    expect(splitIntoBatches(envs, opts)).toEqual(envs.map((e) => [e])); // each one alone over the cap
    expect(splitIntoBatches(envs.slice(0, 1), { ...opts, maxBatchBytes: 1e6, limitReached: true })).toEqual([
      [envs[0]],
    ]);
  });
});
