import { expect } from 'vitest';
import { SecureTransportError } from '../../src/index.js';

/** The SecureTransportError `fn` throws; fails the test when it throws nothing or another kind of error. */
export function thrown(fn: () => unknown): SecureTransportError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SecureTransportError);
    return err as SecureTransportError;
  }
  throw new Error('did not throw');
}
