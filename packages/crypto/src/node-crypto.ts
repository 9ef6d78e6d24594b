import type * as NodeCryptoModule from 'node:crypto';
import { loadNodeBuiltin } from '@status-ts/core';

/** The subset of `node:crypto` the fast paths use (type only: nothing here is imported at runtime). */
export type NodeCrypto = typeof NodeCryptoModule;

/**
 * Loads `node:crypto` synchronously without an `import` statement, so browser and React Native bundlers
 * never see it: `process.getBuiltinModule` exists on Node >= 20.16 (and Bun/Deno); anywhere else this
 * returns undefined and the pure-JS (noble) paths are used.
 */
export function loadNodeCrypto(): NodeCrypto | undefined {
  const mod = loadNodeBuiltin<NodeCrypto>('node:crypto', 'createCipheriv');
  return typeof mod?.createCipheriv === 'function' && typeof mod.createHash === 'function' ? mod : undefined;
}

interface NodeProcessLike {
  env?: Record<string, string | undefined>;
}

/** Reads an environment variable where one exists (Node), undefined elsewhere. */
export function readEnv(name: string): string | undefined {
  try {
    return (globalThis as { process?: NodeProcessLike }).process?.env?.[name];
  } catch {
    return undefined;
  }
}

/** A Node Buffer as a plain Uint8Array: a view when the Buffer owns its memory, a copy when pooled. */
export function fromBuffer(buf: Uint8Array): Uint8Array {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength) {
    return new Uint8Array(buf.buffer, 0, buf.byteLength);
  }
  return new Uint8Array(buf);
}
