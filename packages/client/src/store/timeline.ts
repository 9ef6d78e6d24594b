import { compareChatOrder } from '@status-ts/payloads';
import type { ChatPosition } from './cursor.js';

/**
 * The messages of one chat in chat order (clock, then id), for the memory store: kept sorted on insert so
 * a page is a binary search and a slice, not a sort of the whole chat per request.
 */
export class ChatTimeline {
  readonly #positions: ChatPosition[] = [];

  get size(): number {
    return this.#positions.length;
  }

  /** Index of the first position not before `p`. */
  #lowerBound(p: ChatPosition): number {
    let lo = 0;
    let hi = this.#positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareChatOrder(this.#positions[mid]!, p) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(p: ChatPosition): void {
    this.#positions.splice(this.#lowerBound(p), 0, { clock: p.clock, id: p.id });
  }

  remove(p: ChatPosition): void {
    const i = this.#lowerBound(p);
    if (this.#positions[i]?.id === p.id) this.#positions.splice(i, 1);
  }

  /** The last `limit` positions before `before` (before the end without it), oldest first; `more` when older ones remain. */
  page(before: ChatPosition | undefined, limit: number): { positions: ChatPosition[]; more: boolean } {
    const end = before ? this.#lowerBound(before) : this.#positions.length;
    const start = Math.max(0, end - limit);
    return { positions: this.#positions.slice(start, end), more: start > 0 };
  }
}
