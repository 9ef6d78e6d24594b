/** What the heap orders by: PoW, then expiry (of two equal PoWs, the one expiring first is worth less). */
export interface Ranked {
  readonly pow: number;
  readonly expiry: number;
}

/** Each item keeps its position in every heap it belongs to, under the heap's own slot name. */
export type HeapSlot = 'poolAt' | 'peerAt';

export type HeapItem = Ranked & Record<HeapSlot, number>;

function lessValuable(a: Ranked, b: Ranked): boolean {
  return a.pow < b.pow || (a.pow === b.pow && a.expiry < b.expiry);
}

/**
 * A binary min-heap of pool entries by value: the least valuable on top, O(log n) insert and removal of any
 * member (items remember their index, so eviction and expiry never scan the pool).
 */
export class PowHeap<T extends HeapItem> {
  readonly #items: T[] = [];

  constructor(private readonly slot: HeapSlot) {}

  get size(): number {
    return this.#items.length;
  }

  /** The least valuable item. */
  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    item[this.slot] = this.#items.length;
    this.#items.push(item);
    this.#up(this.#items.length - 1);
  }

  /** Removes an item wherever it sits (a no-op when it is not in this heap). */
  delete(item: T): void {
    const at = item[this.slot];
    // Out of this heap (-1, or a position in another heap with the same slot name): nothing there is `item`.
    if (this.#items[at] !== item) return;
    item[this.slot] = -1;
    const last = this.#items.pop()!;
    if (last === item) return;
    this.#items[at] = last;
    last[this.slot] = at;
    this.#down(at);
    this.#up(last[this.slot]);
  }

  clear(): void {
    for (const item of this.#items) item[this.slot] = -1;
    this.#items.length = 0;
  }

  #up(at: number): void {
    const items = this.#items;
    const item = items[at]!;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const above = items[parent]!;
      if (!lessValuable(item, above)) break;
      items[at] = above;
      above[this.slot] = at;
      at = parent;
    }
    items[at] = item;
    item[this.slot] = at;
  }

  #down(at: number): void {
    const items = this.#items;
    const n = items.length;
    const item = items[at]!;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && lessValuable(items[child + 1]!, items[child]!)) child++;
      const below = items[child]!;
      if (!lessValuable(below, item)) break;
      items[at] = below;
      below[this.slot] = at;
      at = child;
    }
    items[at] = item;
    item[this.slot] = at;
  }
}
