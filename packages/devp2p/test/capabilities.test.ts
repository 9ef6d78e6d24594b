import { describe, expect, it } from 'vitest';
import { Devp2pErrorCode, matchCapabilities, validateCapability } from '../src/index.js';

const cap = (name: string, version: number, length: number) => ({ name, version, length });
const invalid = expect.objectContaining({ code: Devp2pErrorCode.InvalidOptions });

describe('validateCapability bounds', () => {
  it('accepts version 0 and refuses -1', () => {
    expect(() => validateCapability(cap('a', 0, 1))).not.toThrow();
    expect(() => validateCapability(cap('a', -1, 1))).toThrow(invalid);
    expect(() => validateCapability(cap('a', 1.5, 1))).toThrow(invalid);
  });

  it('accepts 1 to 0xffff message ids', () => {
    expect(() => validateCapability(cap('a', 1, 1))).not.toThrow();
    expect(() => validateCapability(cap('a', 1, 0xff_ff))).not.toThrow();
    expect(() => validateCapability(cap('a', 1, 0x1_00_00))).toThrow(invalid);
    expect(() => validateCapability(cap('a', 1, 0))).toThrow(invalid);
  });
});

describe('matchCapabilities', () => {
  it('picks the highest shared version whatever order our list has', () => {
    const remote = [
      { name: 'b', version: 3 },
      { name: 'b', version: 2 },
    ];
    for (const local of [
      [cap('b', 3, 4), cap('b', 2, 3)],
      [cap('b', 2, 3), cap('b', 3, 4)],
    ]) {
      expect(matchCapabilities(local, remote).map((s) => [s.version, s.length])).toEqual([[3, 4]]);
    }
  });

  it('keeps the first of two local entries with the same name and version', () => {
    const shared = matchCapabilities([cap('a', 1, 2), cap('a', 1, 5)], [{ name: 'a', version: 1 }]);
    expect(shared.map((s) => [s.name, s.length, s.offset])).toEqual([['a', 2, 0x10]]);
  });

  it('sorts names in byte order whatever order either side lists them in', () => {
    const names = ['d', 'c', 'b', 'a', 'B', 'aa'];
    const local = names.map((n) => cap(n, 1, 1));
    const remote = names.map((name) => ({ name, version: 1 }));
    const expected = [
      ['B', 0x10],
      ['a', 0x11],
      ['aa', 0x12],
      ['b', 0x13],
      ['c', 0x14],
      ['d', 0x15],
    ];
    expect(matchCapabilities(local, remote).map((s) => [s.name, s.offset])).toEqual(expected);
    expect(
      matchCapabilities([...local].reverse(), [...remote].reverse()).map((s) => [s.name, s.offset]),
    ).toEqual(expected);
  });
});
