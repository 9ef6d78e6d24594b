import { StatusTsError } from '@status-ts/core';

/** The typed error `fn` throws; anything else (or nothing) fails the test. */
export function errorOf(fn: () => unknown): StatusTsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusTsError) return err;
    throw err;
  }
  throw new Error('expected a StatusTsError');
}
