import type { Envelope } from '../envelope/envelope.js';
import { type HeapItem, PowHeap } from './pow-heap.js';

/** One envelope held for relay until it expires or is evicted. */
export interface PoolEntry {
  /**
   * Pool key: hex of the PoW hash. The PoW input and the envelope encoding are both canonical, so the PoW
   * hash identifies an envelope exactly as its hash does, and validation hashes each envelope only once.
   */
  readonly key: string;
  readonly envelope: Envelope;
  /** PoW as computed at admission (with the future-sent adjustment): the entry's value when space runs out. */
  readonly pow: number;
  /** Posted by this node: never evicted for a peer's envelope. */
  readonly local: boolean;
  /** Node id (hex) of the peer it came from, whose pool share it counts in; undefined for ours. */
  readonly peer?: string | undefined;
  /** Set once the entry left the pool (expired or evicted): relay queues skip it. */
  removed: boolean;
}

export interface PoolLimits {
  /** Envelopes held at most. */
  readonly maxSize: number;
  /** Encoded bytes held at most. */
  readonly maxBytes: number;
  /** Fraction (0, 1] of both caps one peer's entries may hold. */
  readonly maxSharePerPeer: number;
}

/** Whether `add` took the entry, and what it evicted to make room (or why it refused). */
export type PoolAdmission =
  | { readonly added: true; readonly evicted: readonly PoolEntry[] }
  | { readonly added: false; readonly reason: 'poolFull' | 'peerShare' };

export interface PoolShare {
  count: number;
  bytes: number;
}

interface Slot extends HeapItem {
  readonly entry: PoolEntry;
  readonly bytes: number;
}

interface PeerShare extends PoolShare {
  /** The peer's entries, least valuable on top. */
  readonly heap: PowHeap<Slot>;
}

/**
 * Envelopes by key, with an index by expiry second (status-go's envelopes + expirations maps), bounded by
 * count and bytes. A full pool evicts the peers' entries of lowest PoW (PoW already weighs bytes x TTL) for a
 * more valuable newcomer, and any of them for our own posts; each peer's entries are bounded by a share.
 */
export class EnvelopePool {
  readonly maxSize: number;
  readonly maxBytes: number;
  /** What one peer's entries may hold. */
  readonly peerShareLimit: Readonly<PoolShare>;
  /** False for a share of 1: the caps bound every peer already, and a refusal is then `poolFull`. */
  readonly #sharing: boolean;
  readonly #slots = new Map<string, Slot>();
  readonly #byExpiry = new Map<number, Set<Slot>>();
  /** The peers' entries (ours are never evicted), least valuable on top. */
  // Stryker disable next-line StringLiteral: any slot name other than the peer heaps' 'peerAt' works alike
  readonly #evictable = new PowHeap<Slot>('poolAt');
  readonly #shares = new Map<string, PeerShare>();
  #bytes = 0;
  #localCount = 0;
  #localBytes = 0;

  constructor(limits: PoolLimits) {
    this.maxSize = limits.maxSize;
    this.maxBytes = limits.maxBytes;
    this.peerShareLimit = {
      count: Math.max(1, Math.floor(limits.maxSize * limits.maxSharePerPeer)),
      bytes: Math.max(1, Math.floor(limits.maxBytes * limits.maxSharePerPeer)),
    };
    this.#sharing = limits.maxSharePerPeer < 1;
  }

  get size(): number {
    return this.#slots.size;
  }

  /** Encoded bytes of the pooled envelopes. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Our own entries in the pool. */
  get localSize(): number {
    return this.#localCount;
  }

  has(key: string): boolean {
    return this.#slots.has(key);
  }

  get(key: string): PoolEntry | undefined {
    return this.#slots.get(key)?.entry;
  }

  *values(): IterableIterator<PoolEntry> {
    for (const slot of this.#slots.values()) yield slot.entry;
  }

  /** Peers with entries in the pool (an emptied share is dropped, so peers that come and go leave nothing). */
  get sharingPeers(): number {
    return this.#shares.size;
  }

  /** Distinct expiry seconds indexed (an emptied second is dropped as soon as its last entry leaves). */
  get expirySeconds(): number {
    return this.#byExpiry.size;
  }

  /** What a peer's entries hold now. */
  shareOf(peer: string): PoolShare {
    const share = this.#shares.get(peer);
    return { count: share?.count ?? 0, bytes: share?.bytes ?? 0 };
  }

  /**
   * Adds the entry, evicting less valuable peer entries when a cap would be exceeded: first the sending peer's
   * own when its share is full, then the pool's. A peer's entry must be worth strictly more (by PoW) than each
   * entry it evicts; ours evicts any peer entry. Refused entries evict nothing.
   */
  add(entry: PoolEntry): PoolAdmission {
    const slot: Slot = {
      entry,
      pow: entry.pow,
      expiry: entry.envelope.expiry,
      bytes: entry.envelope.raw.length,
      // Stryker disable next-line UnaryOperator: a heap sets its slot on push and reads it only after that
      poolAt: -1,
      peerAt: -1,
    };
    const peer = entry.local || !this.#sharing ? undefined : entry.peer;
    // What can never fit is refused before anything moves. A shortcut: the eviction loop below would refuse
    // it too, after taking out every peer entry and putting them back.
    // Stryker disable next-line ArithmeticOperator,BlockStatement: a shortcut only (see above)
    if (this.#localCount + 1 > this.maxSize || this.#localBytes + slot.bytes > this.maxBytes) {
      return { added: false, reason: 'poolFull' };
    }
    if (peer !== undefined && slot.bytes > this.peerShareLimit.bytes)
      return { added: false, reason: 'peerShare' };
    const victims: Slot[] = [];
    if (peer !== undefined) {
      const limit = this.peerShareLimit;
      for (;;) {
        const share = this.#shares.get(peer);
        if (!share || (share.count + 1 <= limit.count && share.bytes + slot.bytes <= limit.bytes)) break;
        const least = share.heap.peek()!;
        if (!(least.pow < slot.pow)) return this.#refuse(victims, 'peerShare');
        this.#detach(least);
        victims.push(least);
      }
    }
    while (this.#slots.size + 1 > this.maxSize || this.#bytes + slot.bytes > this.maxBytes) {
      const least = this.#evictable.peek();
      if (!least || !(entry.local || least.pow < slot.pow)) return this.#refuse(victims, 'poolFull');
      this.#detach(least);
      victims.push(least);
    }
    this.#attach(slot);
    this.#index(slot);
    const evicted: PoolEntry[] = [];
    for (const victim of victims) {
      this.#unindex(victim);
      victim.entry.removed = true;
      evicted.push(victim.entry);
    }
    return { added: true, evicted };
  }

  /** Puts back what an admission had taken out, and says why it failed. */
  #refuse(victims: readonly Slot[], reason: 'poolFull' | 'peerShare'): PoolAdmission {
    for (const victim of victims) this.#attach(victim);
    return { added: false, reason };
  }

  /** Removes and returns every entry whose expiry is before `nowSeconds`. */
  expire(nowSeconds: number): PoolEntry[] {
    const removed: PoolEntry[] = [];
    for (const [expiry, bucket] of this.#byExpiry) {
      if (expiry >= nowSeconds) continue;
      this.#byExpiry.delete(expiry);
      for (const slot of bucket) {
        this.#detach(slot);
        slot.entry.removed = true;
        removed.push(slot.entry);
      }
    }
    return removed;
  }

  clear(): void {
    for (const slot of this.#slots.values()) slot.entry.removed = true;
    this.#slots.clear();
    this.#byExpiry.clear();
    this.#evictable.clear();
    this.#shares.clear();
    this.#bytes = 0;
    this.#localCount = 0;
    this.#localBytes = 0;
  }

  /** Counts a slot in (map, bytes, heaps, share); the expiry index is separate so a refusal can undo this. */
  #attach(slot: Slot): void {
    this.#slots.set(slot.entry.key, slot);
    this.#bytes += slot.bytes;
    if (slot.entry.local) {
      this.#localCount++;
      // Stryker disable next-line AssignmentOperator: #localBytes feeds only the never-fits shortcut in add
      this.#localBytes += slot.bytes;
      return;
    }
    this.#evictable.push(slot);
    const peer = slot.entry.peer;
    if (peer === undefined || !this.#sharing) return;
    let share = this.#shares.get(peer);
    if (!share) {
      // Stryker disable next-line StringLiteral: any slot name other than the pool heap's 'poolAt' works alike
      share = { count: 0, bytes: 0, heap: new PowHeap<Slot>('peerAt') };
      this.#shares.set(peer, share);
    }
    share.count++;
    share.bytes += slot.bytes;
    share.heap.push(slot);
  }

  #detach(slot: Slot): void {
    this.#slots.delete(slot.entry.key);
    this.#bytes -= slot.bytes;
    if (slot.entry.local) {
      this.#localCount--;
      // Stryker disable next-line AssignmentOperator: #localBytes feeds only the never-fits shortcut in add
      this.#localBytes -= slot.bytes;
      return;
    }
    this.#evictable.delete(slot);
    const peer = slot.entry.peer;
    const share = peer === undefined ? undefined : this.#shares.get(peer);
    if (!share) return;
    share.heap.delete(slot);
    share.count--;
    share.bytes -= slot.bytes;
    if (share.count === 0) this.#shares.delete(peer!);
  }

  #index(slot: Slot): void {
    const bucket = this.#byExpiry.get(slot.expiry);
    if (bucket) bucket.add(slot);
    else this.#byExpiry.set(slot.expiry, new Set([slot]));
  }

  #unindex(slot: Slot): void {
    // Only victims are unindexed, and every pooled slot is in its expiry bucket.
    const bucket = this.#byExpiry.get(slot.expiry)!;
    bucket.delete(slot);
    if (bucket.size === 0) this.#byExpiry.delete(slot.expiry);
  }
}
