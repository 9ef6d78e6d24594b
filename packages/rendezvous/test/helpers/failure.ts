import { expect } from 'vitest';
import { RendezvousError } from '../../src/index.js';

/** What `fn` throws, asserted to be a typed rendezvous error; fails the test when nothing is thrown. */
export function failure(fn: () => unknown): RendezvousError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RendezvousError);
    return err as RendezvousError;
  }
  throw new Error('no error');
}
