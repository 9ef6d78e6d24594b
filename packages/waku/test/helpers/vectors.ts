import { hexToBytes } from '@status-ts/core';
import { readVectors } from '../../../../tools/vectors.js';

// biome-ignore lint/suspicious/noExplicitAny: vector files are free-form JSON, read field by field in tests.
export type Json = any;

export function loadVectors(name: string): Json {
  return readVectors(name);
}

/** Hex with or without `0x` ("0x" alone is empty). */
export function hex(value: string): Uint8Array {
  return hexToBytes(value);
}
