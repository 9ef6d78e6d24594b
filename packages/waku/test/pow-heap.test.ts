import { describe, expect, it } from 'vitest';
import { type HeapItem, PowHeap } from '../src/node/pow-heap.js';

type Item = HeapItem & { name: string };
const item = (name: string, pow: number, expiry = 0): Item => ({ name, pow, expiry, poolAt: -1, peerAt: -1 });

/** Takes the items out least valuable first. */
function drain(heap: PowHeap<Item>): string[] {
  const out: string[] = [];
  for (let top = heap.peek(); top; top = heap.peek()) {
    out.push(top.name);
    heap.delete(top);
  }
  return out;
}

describe('PowHeap', () => {
  it('orders by PoW, then by expiry (of equal PoWs the one expiring first is worth less), in any push order', () => {
    const items = [item('a', 2, 10), item('b', 1, 50), item('c', 2, 5), item('d', 3, 1), item('e', 1, 40)];
    for (const order of [items, [...items].reverse()]) {
      const heap = new PowHeap<Item>('poolAt');
      for (const it of order) heap.push(it);
      expect(heap.size).toBe(5);
      expect(drain(heap)).toEqual(['e', 'b', 'c', 'a', 'd']);
      expect(heap.size).toBe(0);
    }
  });

  it('keeps the order when an item leaves from the middle or the end', () => {
    const heap = new PowHeap<Item>('poolAt');
    const all = [8, 3, 6, 1, 9, 4, 7, 2, 5].map((p) => item(`p${p}`, p));
    for (const it of all) heap.push(it);
    heap.delete(all[0]!); // p8, somewhere inside
    heap.delete(all[all.length - 1]!); // p5
    const last = all.find((it) => it.poolAt === heap.size - 1)!;
    heap.delete(last);
    expect(heap.size).toBe(6);
    const left = [1, 2, 3, 4, 6, 7, 9].map((p) => `p${p}`).filter((n) => n !== last.name);
    expect(drain(heap)).toEqual(left);
  });

  it('moves an item that replaces a deleted one down past all its more valuable children', () => {
    const heap = new PowHeap<Item>('poolAt');
    const all = [1, 2, 3, 4, 5, 6, 7].map((p) => item(`p${p}`, p));
    for (const it of all) heap.push(it);
    heap.delete(all[0]!); // p7 (the last) takes the root and must sink
    expect(drain(heap)).toEqual(['p2', 'p3', 'p4', 'p5', 'p6', 'p7']);
  });

  it('marks an item out of the heap with -1 on delete and clear', () => {
    const heap = new PowHeap<Item>('peerAt');
    const a = item('a', 1);
    const b = item('b', 2);
    heap.push(a);
    heap.push(b);
    heap.delete(b);
    expect(b.peerAt).toBe(-1);
    expect(a.peerAt).toBe(0);
    heap.push(b);
    heap.clear();
    expect(heap.size).toBe(0);
    expect(heap.peek()).toBeUndefined();
    expect([a.peerAt, b.peerAt]).toEqual([-1, -1]);
    expect(a.poolAt).toBe(-1);
  });

  it('ignores the delete of an item it does not hold, also one held by another heap under the same slot', () => {
    const one = new PowHeap<Item>('peerAt');
    const two = new PowHeap<Item>('peerAt');
    const a = item('a', 1);
    const b = item('b', 2);
    const c = item('c', 3);
    one.push(a);
    two.push(b);
    two.push(c);
    one.delete(b); // b.peerAt is 0: a sits there in `one`
    one.delete(item('x', 0)); // -1
    expect(one.size).toBe(1);
    expect(one.peek()).toBe(a);
    expect(drain(two)).toEqual(['b', 'c']);
  });
});
