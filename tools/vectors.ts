import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The conformance vectors and reference `.proto` files live in the repository's `vectors/` folder (its
 * README gives each file's origin and how it was checked), so a clone needs nothing beside it.
 */
export const vectorsDir: string = fileURLToPath(new URL('../vectors/', import.meta.url));

export function vectorPath(file: string): string {
  const path = `${vectorsDir}${file}`;
  if (!existsSync(path)) throw new Error(`conformance vector ${file} not found at ${path}`);
  return path;
}

/** Parses one JSON vector file of `vectors/`. */
// biome-ignore lint/suspicious/noExplicitAny: vector files are untyped JSON; each test states the shape it reads.
export function readVectors<T = any>(file: string): T {
  return JSON.parse(readFileSync(vectorPath(file), 'utf8')) as T;
}
