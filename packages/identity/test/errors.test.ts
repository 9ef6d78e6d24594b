import { isStatusTsError, StatusTsError } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { IdentityError, IdentityErrorCode } from '../src/index.js';

describe('IdentityError', () => {
  it('is a StatusTsError with a stable code', () => {
    const err = new IdentityError(IdentityErrorCode.InvalidAddress, 'bad', { details: { x: 1 } });
    expect(err).toBeInstanceOf(StatusTsError);
    expect(err.name).toBe('IdentityError');
    expect(isStatusTsError(err, 'ERR_IDENTITY_INVALID_ADDRESS')).toBe(true);
    expect(err.details).toEqual({ x: 1 });
  });

  it('codes are namespaced and distinct', () => {
    const codes = Object.values(IdentityErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^ERR_IDENTITY_[A-Z_]+$/);
  });
});
