import { readFileSync } from 'node:fs';

/** Reads a JSON vector file from test/vectors/ (data copied from the upstream sources it names). */
// biome-ignore lint/suspicious/noExplicitAny: vector files are untyped JSON; each test reads the fields it needs.
export function loadVectors<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as T;
}

/** What the tests read from an error: the StatusTsError fields. */
export interface ThrownError {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** Runs `fn` and returns the error it throws (fails the test when nothing is thrown). */
export function thrown(fn: () => unknown): ThrownError {
  try {
    fn();
  } catch (err) {
    return err as ThrownError;
  }
  throw new Error('expected a throw');
}
