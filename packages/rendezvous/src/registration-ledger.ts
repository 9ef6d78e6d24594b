/** Which capacity limit a registration would break. */
export type CapacityRefusal = 'ipRecords' | 'namespaces' | 'records';

export interface CapacityLimits {
  readonly maxRecords: number;
  readonly maxNamespaces: number;
  readonly maxRecordsPerIp: number;
}

interface Entry {
  readonly topic: string;
  readonly group: string;
  expiresAt: number;
}

/**
 * The server's own count of the registrations it accepted, by namespace and by address group, so the
 * capacity limits are checked without asking the store. A record stored before a restart is not counted
 * here; it expires within the longest TTL (20.5 s).
 */
export class RegistrationLedger {
  readonly #limits: CapacityLimits;
  readonly #entries = new Map<string, Entry>();
  readonly #perTopic = new Map<string, number>();
  readonly #perGroup = new Map<string, number>();

  constructor(limits: CapacityLimits) {
    this.#limits = limits;
  }

  get records(): number {
    return this.#entries.size;
  }

  get namespaces(): number {
    return this.#perTopic.size;
  }

  /**
   * Counts (topic, nodeId) from address `group` until `expiresAt`, or says which limit refuses it. A
   * refresh from the same group always passes (it adds nothing). The returned `undo` takes it back (the
   * store failed). Synchronous, so concurrent registrations cannot both take the last place.
   */
  admit(
    topic: string,
    nodeId: string,
    group: string,
    expiresAt: number,
    now: number,
  ): { refusal: CapacityRefusal } | { undo: () => void } {
    const key = `${nodeId}/${topic}`;
    let current = this.#entries.get(key);
    if (current && current.expiresAt <= now) {
      this.#remove(key, current);
      current = undefined;
    }
    if (current && current.group === group) {
      const previous = current.expiresAt;
      const entry = current;
      entry.expiresAt = expiresAt;
      return {
        undo: () => {
          entry.expiresAt = previous;
        },
      };
    }
    const replacing = current !== undefined;
    let refusal = this.#check(topic, group, replacing);
    if (refusal) {
      this.prune(now); // expired entries may still hold places between cleaner runs
      refusal = this.#check(topic, group, replacing);
    }
    if (refusal) return { refusal };
    if (current) this.#remove(key, current);
    const entry = { topic, group, expiresAt };
    this.#add(key, entry);
    return {
      undo: () => {
        if (this.#entries.get(key) !== entry) return;
        this.#remove(key, entry);
        if (current) this.#add(key, current);
      },
    };
  }

  /** Forgets registrations expired at `now`. */
  prune(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#remove(key, entry);
  }

  #check(topic: string, group: string, replacing: boolean): CapacityRefusal | undefined {
    if ((this.#perGroup.get(group) ?? 0) >= this.#limits.maxRecordsPerIp) return 'ipRecords';
    if (replacing) return undefined; // same (topic, node): no new record, no new namespace
    if (!this.#perTopic.has(topic) && this.#perTopic.size >= this.#limits.maxNamespaces) return 'namespaces';
    if (this.#entries.size >= this.#limits.maxRecords) return 'records';
    return undefined;
  }

  #add(key: string, entry: Entry): void {
    this.#entries.set(key, entry);
    increment(this.#perTopic, entry.topic, 1);
    increment(this.#perGroup, entry.group, 1);
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    increment(this.#perTopic, entry.topic, -1);
    increment(this.#perGroup, entry.group, -1);
  }
}

function increment(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
