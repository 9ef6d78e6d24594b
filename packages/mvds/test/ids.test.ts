import { describe, expect, it } from 'vitest';
import { assertGroupId, assertPeerId } from '../src/ids.js';
import { MAX_GROUP_ID_LENGTH, MAX_PEER_ID_LENGTH, MvdsError, MvdsErrorCode } from '../src/index.js';

function rejection(fn: () => void): MvdsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MvdsError);
    expect((err as MvdsError).code).toBe(MvdsErrorCode.InvalidArgument);
    return err as MvdsError;
  }
  throw new Error('expected ERR_MVDS_INVALID_ARGUMENT');
}

const cases = [
  { name: 'peer id', assert: assertPeerId, max: MAX_PEER_ID_LENGTH },
  { name: 'group id', assert: assertGroupId, max: MAX_GROUP_ID_LENGTH },
] as const;

describe.each(cases)('$name validation', ({ assert, max }) => {
  it('accepts 1 and exactly the maximum number of bytes', () => {
    expect(() => assert(new Uint8Array(1))).not.toThrow();
    expect(() => assert(new Uint8Array(max - 1))).not.toThrow();
    expect(() => assert(new Uint8Array(max))).not.toThrow();
  });

  it('rejects one byte over the maximum, with the length in details', () => {
    expect(rejection(() => assert(new Uint8Array(max + 1))).details).toEqual({ length: max + 1 });
  });

  it('rejects an empty id, with the length in details', () => {
    expect(rejection(() => assert(new Uint8Array())).details).toEqual({ length: 0 });
  });

  it('rejects values that are not a Uint8Array even when their length is in range', () => {
    for (const value of [[1, 2, 3], 'abc', new Uint16Array(4)]) {
      expect(rejection(() => assert(value as unknown as Uint8Array)).details).toStrictEqual({
        length: undefined,
      });
    }
  });
});
