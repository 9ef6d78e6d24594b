import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The project's conformance vectors live in `shared/vectors/` beside the repository (CI lays a copy of
 * shared/ next to its clone). `STATUS_TS_VECTORS` points elsewhere when the checkout sits alone.
 */
export const sharedVectorsDir: string =
  process.env.STATUS_TS_VECTORS ?? fileURLToPath(new URL('../../shared/vectors/', import.meta.url));

export function sharedVectorPath(file: string): string {
  const path = `${sharedVectorsDir.replace(/\/?$/, '/')}${file}`;
  if (!existsSync(path)) {
    throw new Error(
      `conformance vector ${file} not found at ${path}: set STATUS_TS_VECTORS to the vectors folder`,
    );
  }
  return path;
}

/** Parses one JSON vector file of shared/vectors. */
// biome-ignore lint/suspicious/noExplicitAny: vector files are untyped JSON; each test states the shape it reads.
export function readSharedVectors<T = any>(file: string): T {
  return JSON.parse(readFileSync(sharedVectorPath(file), 'utf8')) as T;
}
