import { hexToBytes, StatusTsError } from '@status-ts/core';
import { expect } from 'vitest';
import { readVectors } from '../../../../tools/vectors.js';

export { testEnrs, testKey } from './keys.js';

/** vectors/eip1459.json: the EIP-1459 example zone, geth's bad-node tree and parser cases. */
export const vectors = readVectors('eip1459.json');

/** The example zone as `{ full name: txt }` under `domain`. */
export function zoneOf(records: { name: string; txt: string }[], domain: string): Record<string, string> {
  const zone: Record<string, string> = {};
  for (const r of records) zone[r.name === '@' ? domain : `${r.name}.${domain}`] = r.txt;
  return zone;
}

/** go-ethereum's signingKeyForTesting, which signed the example root. */
export const SIGNER_KEY = hexToBytes(vectors.example_tree.signer.private_key);

/** Awaits `promise` and returns the typed error it must reject with. */
export async function rejection(promise: Promise<unknown>): Promise<StatusTsError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(StatusTsError);
    return err as StatusTsError;
  }
  throw new Error('expected a rejection');
}

/** Runs `fn` and returns the typed error it must throw. */
export function thrown(fn: () => unknown): StatusTsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusTsError);
    return err as StatusTsError;
  }
  throw new Error('expected an error');
}
