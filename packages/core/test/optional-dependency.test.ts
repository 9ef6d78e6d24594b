import { describe, expect, it } from 'vitest';
import {
  importOptional,
  isStatusTsError,
  MISSING_DEPENDENCY,
  MissingDependencyError,
  requireOptional,
} from '../src/index.js';

describe('optional peer dependencies', () => {
  it('requireOptional loads an installed CommonJS module from the caller', () => {
    const path = requireOptional<typeof import('node:path')>(import.meta.url, 'node:path', 'test');
    expect(path.join('a', 'b')).toBe('a/b');
  });

  it('requireOptional names the missing package in a typed error', () => {
    let caught: unknown;
    try {
      requireOptional(import.meta.url, 'status-ts-no-such-driver', 'the SQLite store');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MissingDependencyError);
    expect(isStatusTsError(caught, MISSING_DEPENDENCY)).toBe(true);
    expect((caught as MissingDependencyError).dependency).toBe('status-ts-no-such-driver');
    expect((caught as Error).message).toContain('npm install status-ts-no-such-driver');
    expect((caught as Error).message).toContain('the SQLite store');
  });

  it('importOptional turns a missing ESM package into the typed error', async () => {
    const load = () => import(/* @vite-ignore */ ['status-ts', 'absent-esm'].join('-'));
    await expect(importOptional('status-ts-absent-esm', 'the libp2p transport', load)).rejects.toMatchObject({
      code: MISSING_DEPENDENCY,
      dependency: 'status-ts-absent-esm',
    });
  });

  it('other load failures are not reported as a missing package', async () => {
    const boom = new Error('native binding failed');
    await expect(importOptional('x', 'y', () => Promise.reject(boom))).rejects.toBe(boom);
  });
});
