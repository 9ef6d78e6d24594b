import { hexToBytes, StatusTsError, utf8ToBytes } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import {
  CAPABILITIES_KEY,
  capabilitiesOf,
  Enr,
  EnrErrorCode,
  MAX_ROLE_NAME_LENGTH,
  type RlpItem,
  ROLES_KEY,
  roleEntries,
  rolesOf,
} from '../src/index.js';

const key = hexToBytes('b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291');
const record = (entries: Record<string, RlpItem>) => Enr.create({ privateKey: key, entries });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusTsError) return err.code;
    throw err;
  }
  throw new Error('expected a StatusTsError');
}

describe('role and capability names when advertising', () => {
  it('accepts names up to MAX_ROLE_NAME_LENGTH characters', () => {
    const longest = 'a'.repeat(MAX_ROLE_NAME_LENGTH);
    expect(roleEntries({ roles: [longest] })[ROLES_KEY]).toEqual([utf8ToBytes(longest)]);
    expect(codeOf(() => roleEntries({ roles: [`${longest}a`] }))).toBe(EnrErrorCode.InvalidValue);
  });

  it('rejects a name with a character outside the set anywhere', () => {
    expect(codeOf(() => roleEntries({ roles: ['whisper!'] }))).toBe(EnrErrorCode.InvalidValue);
    expect(codeOf(() => roleEntries({ capabilities: [{ name: 'waku ', version: 1 }] }))).toBe(
      EnrErrorCode.InvalidValue,
    );
  });

  it('accepts capability versions 0 to 0xffff', () => {
    const entries = roleEntries({
      capabilities: [
        { name: 'a', version: 0 },
        { name: 'b', version: 0xffff },
      ],
    });
    expect(entries[CAPABILITIES_KEY]).toEqual([
      [utf8ToBytes('a'), new Uint8Array(0)],
      [utf8ToBytes('b'), Uint8Array.of(0xff, 0xff)],
    ]);
    for (const version of [-1, 0x10000]) {
      expect(codeOf(() => roleEntries({ capabilities: [{ name: 'a', version }] }))).toBe(
        EnrErrorCode.InvalidValue,
      );
    }
  });
});

describe('reading roles and capabilities from a remote record', () => {
  it('skips role names that are lists, empty, too long or not UTF-8', () => {
    const longest = 'b'.repeat(MAX_ROLE_NAME_LENGTH);
    const enr = record({
      [ROLES_KEY]: [
        [utf8ToBytes('x')],
        new Uint8Array(0),
        utf8ToBytes('c'.repeat(MAX_ROLE_NAME_LENGTH + 1)),
        Uint8Array.of(0xff),
        utf8ToBytes('whisper'),
        utf8ToBytes(longest),
      ],
    });
    expect(rolesOf(enr)).toEqual(['whisper', longest]);
  });

  it('gives no capabilities when the entry is absent or not a list', () => {
    expect(capabilitiesOf(record({}))).toEqual([]);
    expect(capabilitiesOf(record({ [CAPABILITIES_KEY]: utf8ToBytes('waku') }))).toEqual([]);
  });

  it('skips pairs without a valid name or a canonical version of at most 2 bytes', () => {
    const name = utf8ToBytes('waku');
    const enr = record({
      [CAPABILITIES_KEY]: [
        name,
        [name],
        [[name], Uint8Array.of(1)],
        [name, [Uint8Array.of(1)]],
        [name, Uint8Array.of(1, 2, 3)],
        [name, Uint8Array.of(0, 5)],
        [utf8ToBytes('shh'), Uint8Array.of(1, 2)],
        [utf8ToBytes('les'), new Uint8Array(0)],
      ],
    });
    expect(capabilitiesOf(enr)).toEqual([
      { name: 'shh', version: 0x102 },
      { name: 'les', version: 0 },
    ]);
  });
});
