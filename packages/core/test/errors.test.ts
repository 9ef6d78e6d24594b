import { describe, expect, it } from 'vitest';
import { assertLength, isStatusTsError, StatusTsError } from '../src/index.js';

describe('StatusTsError', () => {
  it('carries a stable code, cause and details', () => {
    const cause = new Error('root');
    const err = new StatusTsError('ERR_X', 'went wrong', { cause, details: { size: 3 } });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('ERR_X');
    expect(err.cause).toBe(cause);
    expect(err.details).toEqual({ size: 3 });
    expect(isStatusTsError(err)).toBe(true);
    expect(isStatusTsError(err, 'ERR_Y')).toBe(false);
    expect(isStatusTsError(new Error('plain'))).toBe(false);
  });

  it('assertLength throws ERR_INVALID_LENGTH with the sizes', () => {
    expect(() => assertLength(new Uint8Array(3), 3)).not.toThrow();
    try {
      assertLength(new Uint8Array(2), 3, 'nonce');
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'ERR_INVALID_LENGTH', details: { expected: 3, actual: 2 } });
    }
  });
});
