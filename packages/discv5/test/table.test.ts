import { bytesToHex, hexToBytes } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  BUCKET_SIZE,
  compareDistance,
  logDistance,
  lookupDistances,
  RoutingTable,
  widerDistances,
} from '../src/index.js';

const zero = new Uint8Array(32);

/** Records whose node ids sit at log distance 256 from the all-zero id (first bit set) until `want` are found. */
function recordsAt(local: Uint8Array, distance: number, want: number): Enr[] {
  const out: Enr[] = [];
  while (out.length < want) {
    const enr = Enr.create({ privateKey: generatePrivateKey(), ip: '10.0.0.1', udp: 9000 });
    if (logDistance(local, enr.nodeId) === distance) out.push(enr);
  }
  return out;
}

describe('distances', () => {
  it('logDistance is the bit length of the XOR', () => {
    const a = hexToBytes(`${'00'.repeat(31)}01`);
    expect(logDistance(zero, zero)).toBe(0);
    expect(logDistance(zero, a)).toBe(1);
    expect(logDistance(zero, hexToBytes(`80${'00'.repeat(31)}`))).toBe(256);
    expect(logDistance(zero, hexToBytes(`00ff${'00'.repeat(30)}`))).toBe(248);
  });

  it('compareDistance orders by XOR distance to the target', () => {
    const near = hexToBytes(`${'00'.repeat(31)}03`);
    const far = hexToBytes(`${'00'.repeat(30)}0100`);
    expect(compareDistance(zero, near, far)).toBeLessThan(0);
    expect(compareDistance(zero, far, near)).toBeGreaterThan(0);
  });

  it('lookupDistances asks d, then its neighbours, within 1..256', () => {
    const target = hexToBytes(`80${'00'.repeat(31)}`);
    expect(lookupDistances(target, zero)).toEqual([256, 255, 254]);
    expect(lookupDistances(hexToBytes(`${'00'.repeat(31)}01`), zero)).toEqual([1, 2, 3]);
    expect(lookupDistances(hexToBytes(`${'00'.repeat(30)}0100`), zero)).toEqual([9, 10, 8]);
  });

  it('widerDistances: at least half below first (closer ones first), then above; within 1..256', () => {
    const range = (from: number, to: number) =>
      Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => (from <= to ? from + i : from - i));
    expect(widerDistances([250, 251, 249], 16)).toEqual([...range(248, 238), ...range(252, 256)]);
    expect(widerDistances([200, 201, 199], 16)).toEqual([...range(198, 191), ...range(202, 209)]);
    expect(widerDistances([256, 255, 254], 16)).toEqual(range(253, 238));
    expect(widerDistances([3, 4, 2], 16)).toEqual([1, ...range(5, 19)]);
    expect(widerDistances([1, 2, 3], 4)).toEqual(range(4, 7));
  });
});

describe('RoutingTable', () => {
  const now = () => 0;

  it(`limit BUCKET_SIZE (k = ${BUCKET_SIZE}): a full bucket sends newcomers to the replacement list`, () => {
    const local = zero;
    const table = new RoutingTable(local, { bucketSize: 3, replacementSize: 2, now });
    const records = recordsAt(local, 256, 6);
    expect(records.slice(0, 3).map((r) => table.add(r))).toEqual(['added', 'added', 'added']);
    expect(table.add(records[3]!)).toBe('replacement');
    expect(table.add(records[4]!)).toBe('replacement');
    expect(table.add(records[5]!)).toBe('replacement');
    expect(table.size).toBe(3);
    // limit REPLACEMENT_CACHE_SIZE: the oldest replacement was dropped.
    expect(table.replacements(256).map((e) => e.nodeIdHex)).toEqual([
      records[4]!.nodeIdHex,
      records[5]!.nodeIdHex,
    ]);
    expect(table.leastRecentlySeen(256)?.nodeIdHex).toBe(records[0]!.nodeIdHex);
  });

  it('a failing member is replaced by the most recent replacement; a proven one survives a miss', () => {
    const table = new RoutingTable(zero, { bucketSize: 2, replacementSize: 5, now });
    const [a, b, c] = recordsAt(zero, 256, 3) as [Enr, Enr, Enr];
    table.add(a);
    table.add(b, true);
    table.add(c);
    // b answered 4 times: one miss only costs credit.
    for (let i = 0; i < 3; i++) table.markLive(b.nodeIdHex);
    expect(table.markFailed(b.nodeIdHex)).toEqual({});
    expect(table.get(b.nodeIdHex)?.livenessChecks).toBe(1);
    const { removed, promoted } = table.markFailed(a.nodeIdHex);
    expect(removed?.nodeIdHex).toBe(a.nodeIdHex);
    expect(promoted?.nodeIdHex).toBe(c.nodeIdHex);
    expect(
      table
        .bucket(256)
        .map((e) => e.nodeIdHex)
        .sort(),
    ).toEqual([b.nodeIdHex, c.nodeIdHex].sort());
  });

  it('markLive moves a node to the most-recently-seen end; newer records replace older ones', () => {
    const key = generatePrivateKey();
    const table = new RoutingTable(zero, { bucketSize: 16, replacementSize: 10, now });
    const others = recordsAt(zero, 256, 2);
    let mine = Enr.create({ privateKey: key, ip: '10.0.0.2', udp: 1 });
    while (logDistance(zero, mine.nodeId) !== 256)
      mine = Enr.create({ privateKey: generatePrivateKey(), ip: '10.0.0.2', udp: 1 });
    table.add(mine);
    for (const o of others) table.add(o);
    table.markLive(mine.nodeIdHex);
    expect(table.bucket(256).at(-1)?.nodeIdHex).toBe(mine.nodeIdHex);
    expect(table.get(mine.nodeIdHex)?.live).toBe(true);
    expect(table.add(mine)).toBe('unchanged');
  });

  it('closest() sorts by distance to the target; self is never added', () => {
    const key = generatePrivateKey();
    const self = Enr.create({ privateKey: key });
    const table = new RoutingTable(self.nodeId, { bucketSize: 16, replacementSize: 10, now });
    expect(table.add(self)).toBe('self');
    const records = Array.from({ length: 20 }, () =>
      Enr.create({ privateKey: generatePrivateKey(), ip: '10.0.0.1', udp: 1 }),
    );
    for (const r of records) table.add(r);
    const target = records[7]!.nodeId;
    const closest = table.closest(target, 5);
    expect(closest[0]?.nodeIdHex).toBe(bytesToHex(target));
    for (let i = 1; i < closest.length; i++) {
      expect(compareDistance(target, closest[i - 1]!.nodeId, closest[i]!.nodeId)).toBeLessThanOrEqual(0);
    }
  });
});
