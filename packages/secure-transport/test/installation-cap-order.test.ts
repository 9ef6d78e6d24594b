import { describe, expect, it } from 'vitest';
import { installationsOverCap } from '../src/installation-cap.js';
import type { StoredInstallation } from '../src/store/types.js';

function device(id: string, lastSeen: number, version = 0): StoredInstallation {
  return {
    identity: new Uint8Array(33),
    id,
    signedPreKey: undefined,
    version,
    protocolVersion: 1,
    enabled: true,
    lastSeen,
    agreed: false,
  };
}

describe('installationsOverCap: which devices are dropped', () => {
  it('nothing while the merged set is at or under the cap', () => {
    expect(installationsOverCap([device('a', 1)], [device('b', 2)], 2)).toEqual([]);
    expect(installationsOverCap([device('a', 1), device('b', 2)], [device('a', 3)], 2)).toEqual([]);
  });

  it('the least recently seen go first', () => {
    expect(installationsOverCap([device('a', 5), device('b', 1), device('c', 3)], [], 1)).toEqual(['c', 'b']);
  });

  it('on a lastSeen tie the devices being written now are kept, whichever list they are in', () => {
    expect(installationsOverCap([device('a', 1)], [device('z', 1)], 1)).toEqual(['a']);
    expect(installationsOverCap([device('z', 1)], [device('a', 1)], 1)).toEqual(['z']);
    // A known device written again counts as incoming.
    expect(installationsOverCap([device('a', 1), device('z', 1)], [device('z', 1)], 1)).toEqual(['a']);
  });

  it('then the higher bundle version, then the smaller id, the same for every input order', () => {
    expect(installationsOverCap([device('a', 1, 1), device('b', 1, 2)], [], 1)).toEqual(['a']);
    expect(installationsOverCap([device('b', 1, 2), device('a', 1, 1)], [], 1)).toEqual(['a']);
    const ids = ['d', 'b', 'e', 'a', 'c'];
    const orders = [ids, [...ids].reverse(), ['a', 'b', 'c', 'd', 'e'], ['c', 'e', 'a', 'd', 'b']];
    for (const order of orders) {
      const known = order.map((id) => device(id, 7, 3));
      expect(installationsOverCap(known, [], 2), order.join('')).toEqual(['c', 'd', 'e']);
    }
  });
});
