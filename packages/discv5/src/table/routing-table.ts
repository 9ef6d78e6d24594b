import type { Enr } from '@status-ts/enr';
import { Discv5Error, Discv5ErrorCode } from '../errors.js';
import { recordInfo } from '../record-info.js';
import { compareDistance, logDistance } from './distance.js';

/** One node in the table. */
export interface TableEntry {
  readonly enr: Enr;
  readonly nodeId: Uint8Array;
  readonly nodeIdHex: string;
  /** Log distance from the local node (the bucket). */
  readonly distance: number;
  /** The node has answered us (or completed a handshake): only live nodes are relayed in NODES. */
  readonly live: boolean;
  /** Successful liveness checks; a node that answered often survives an occasional miss. */
  readonly livenessChecks: number;
  readonly addedAt: number;
  readonly lastSeen: number;
}

interface MutableEntry {
  enr: Enr;
  nodeId: Uint8Array;
  nodeIdHex: string;
  distance: number;
  live: boolean;
  livenessChecks: number;
  addedAt: number;
  lastSeen: number;
}

interface Bucket {
  /** Least recently seen first, most recently seen last. */
  entries: MutableEntry[];
  /** Nodes that did not fit, most recent last. */
  replacements: MutableEntry[];
}

export type AddResult = 'added' | 'updated' | 'replacement' | 'self' | 'unchanged';

export interface RoutingTableOptions {
  /** k, nodes per bucket (default 16). */
  bucketSize: number;
  /** Replacement list length per bucket (default 10). */
  replacementSize: number;
  /** Milliseconds, for lastSeen/addedAt. */
  now: () => number;
}

/** The Kademlia table: 256 buckets by log distance, k entries each, a replacement list per bucket. */
export class RoutingTable {
  readonly #localId: Uint8Array;
  readonly #options: RoutingTableOptions;
  readonly #buckets: Bucket[] = Array.from({ length: 256 }, () => ({ entries: [], replacements: [] }));
  readonly #byId = new Map<string, MutableEntry>();
  #size = 0;

  constructor(localId: Uint8Array, options: RoutingTableOptions) {
    if (!(options.bucketSize >= 1)) {
      throw new Discv5Error(
        Discv5ErrorCode.InvalidArgument,
        `bucket size must be >= 1, got ${options.bucketSize}`,
      );
    }
    if (!(options.replacementSize >= 0)) {
      throw new Discv5Error(
        Discv5ErrorCode.InvalidArgument,
        `replacement list size must be >= 0, got ${options.replacementSize}`,
      );
    }
    this.#localId = localId;
    this.#options = options;
  }

  /** Nodes in buckets (replacements not counted). */
  get size(): number {
    return this.#size;
  }

  get(nodeIdHex: string): TableEntry | undefined {
    const entry = this.#byId.get(nodeIdHex);
    return entry && this.#isMember(entry) ? entry : undefined;
  }

  /** A record known to the table, as bucket member or replacement. */
  getRecord(nodeIdHex: string): Enr | undefined {
    return this.#byId.get(nodeIdHex)?.enr;
  }

  #isMember(entry: MutableEntry): boolean {
    return this.#buckets[entry.distance - 1]!.entries.includes(entry);
  }

  /**
   * Inserts or refreshes a node. A newer record replaces the stored one; `live` marks a node that proved
   * itself. When the bucket is full the node goes to the replacement list ('replacement'): the caller should
   * then check the liveness of `leastRecentlySeen(distance)`.
   */
  add(enr: Enr, live = false): AddResult {
    const { nodeId, nodeIdHex: hex } = recordInfo(enr);
    const distance = logDistance(this.#localId, nodeId);
    if (distance === 0) return 'self';
    const now = this.#options.now();
    const existing = this.#byId.get(hex);
    if (existing) {
      let changed = false;
      if (enr.seq > existing.enr.seq) {
        existing.enr = enr;
        changed = true;
      }
      if (live) this.#touch(existing, now);
      return changed ? 'updated' : 'unchanged';
    }
    const entry: MutableEntry = {
      enr,
      nodeId,
      nodeIdHex: hex,
      distance,
      live,
      livenessChecks: live ? 1 : 0,
      addedAt: now,
      lastSeen: live ? now : 0,
    };
    const bucket = this.#buckets[distance - 1]!;
    this.#byId.set(hex, entry);
    if (bucket.entries.length < this.#options.bucketSize) {
      bucket.entries.push(entry);
      this.#size++;
      return 'added';
    }
    if (this.#options.replacementSize === 0) {
      this.#byId.delete(hex);
      return 'replacement';
    }
    bucket.replacements.push(entry);
    if (bucket.replacements.length > this.#options.replacementSize) {
      const dropped = bucket.replacements.shift()!;
      this.#byId.delete(dropped.nodeIdHex);
    }
    return 'replacement';
  }

  /** The node answered: it becomes live and most recently seen. */
  markLive(nodeIdHex: string): boolean {
    const entry = this.#byId.get(nodeIdHex);
    if (!entry) return false;
    this.#touch(entry, this.#options.now());
    return true;
  }

  #touch(entry: MutableEntry, now: number): void {
    entry.live = true;
    entry.livenessChecks++;
    entry.lastSeen = now;
    const list = this.#isMember(entry)
      ? this.#buckets[entry.distance - 1]!.entries
      : this.#buckets[entry.distance - 1]!.replacements;
    const i = list.indexOf(entry);
    list.splice(i, 1);
    list.push(entry);
  }

  /**
   * The node did not answer. A bucket member that answered often only loses credit; otherwise it is
   * removed and the most recent replacement takes its place. Returns what changed.
   */
  markFailed(nodeIdHex: string): { removed?: TableEntry; promoted?: TableEntry } {
    const entry = this.#byId.get(nodeIdHex);
    if (!entry) return {};
    const bucket = this.#buckets[entry.distance - 1]!;
    if (!this.#isMember(entry)) {
      bucket.replacements.splice(bucket.replacements.indexOf(entry), 1);
      this.#byId.delete(nodeIdHex);
      return {};
    }
    entry.livenessChecks = Math.floor(entry.livenessChecks / 3);
    if (entry.livenessChecks > 0) return {};
    return this.#removeMember(entry, bucket);
  }

  /** Removes a node (bucket member or replacement). */
  remove(nodeIdHex: string): { removed?: TableEntry; promoted?: TableEntry } {
    const entry = this.#byId.get(nodeIdHex);
    if (!entry) return {};
    const bucket = this.#buckets[entry.distance - 1]!;
    if (!this.#isMember(entry)) {
      bucket.replacements.splice(bucket.replacements.indexOf(entry), 1);
      this.#byId.delete(nodeIdHex);
      return {};
    }
    return this.#removeMember(entry, bucket);
  }

  #removeMember(entry: MutableEntry, bucket: Bucket): { removed: TableEntry; promoted?: TableEntry } {
    bucket.entries.splice(bucket.entries.indexOf(entry), 1);
    this.#byId.delete(entry.nodeIdHex);
    this.#size--;
    const promoted = bucket.replacements.pop();
    if (promoted) {
      bucket.entries.push(promoted);
      this.#size++;
    }
    return promoted ? { removed: entry, promoted } : { removed: entry };
  }

  /** Members of the bucket at `distance` (1..256), least recently seen first. */
  bucket(distance: number): TableEntry[] {
    if (!Number.isInteger(distance) || distance < 1 || distance > 256) return [];
    return [...this.#buckets[distance - 1]!.entries];
  }

  replacements(distance: number): TableEntry[] {
    if (!Number.isInteger(distance) || distance < 1 || distance > 256) return [];
    return [...this.#buckets[distance - 1]!.replacements];
  }

  /** The bucket member to check first when the bucket is full. */
  leastRecentlySeen(distance: number): TableEntry | undefined {
    return this.#buckets[distance - 1]?.entries[0];
  }

  /** Every bucket member, nearest buckets first. */
  entries(): TableEntry[] {
    return this.#buckets.flatMap((b) => b.entries);
  }

  /** Up to `count` nodes closest to `target` among members and replacements (lookup starting points). */
  closestKnown(target: Uint8Array, count: number): TableEntry[] {
    const all = this.#buckets.flatMap((b) => [...b.entries, ...b.replacements]);
    all.sort((a, b) => compareDistance(target, a.nodeId, b.nodeId));
    return all.slice(0, count);
  }

  /** Up to `count` members closest to `target` by XOR distance, optionally filtered. */
  closest(target: Uint8Array, count: number, filter?: (entry: TableEntry) => boolean): TableEntry[] {
    const all = filter ? this.entries().filter(filter) : this.entries();
    all.sort((a, b) => compareDistance(target, a.nodeId, b.nodeId));
    return all.slice(0, count);
  }

  /** Indexes of non-empty buckets. */
  nonEmptyDistances(): number[] {
    const out: number[] = [];
    this.#buckets.forEach((b, i) => {
      if (b.entries.length > 0) out.push(i + 1);
    });
    return out;
  }
}
