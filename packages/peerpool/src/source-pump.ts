import type { Enr, PeerSource } from '@status-ts/enr';

export interface PumpHooks {
  onRecord(pump: SourcePump): void;
  onEnd(pump: SourcePump, error: unknown): void;
}

/**
 * One source's `find` for one topic, pulled one record at a time: at most one `next()` in flight and one
 * record waiting. Holding back like this is what makes mixing fair: a source that could yield forever has
 * produced one record until the pool takes it, so it cannot crowd out the others.
 */
export class SourcePump {
  readonly source: PeerSource;
  readonly #topic: string;
  readonly #hooks: PumpHooks;
  #controller = new AbortController();
  #iterator: AsyncIterator<Enr> | undefined;
  #waiting: Enr | undefined;
  #pending = false;
  /** The iterator finished (or failed): a new `find` is needed. */
  done = false;
  readonly #pulls: Map<number, number>;
  readonly #index: number;
  /** Set while a failed source waits for its retry. */
  retryCancel: (() => void) | undefined;

  /** `pulls` counts records asked per source index over a round; it outlives pumps closed mid-round. */
  constructor(
    source: PeerSource,
    index: number,
    topic: string,
    pulls: Map<number, number>,
    hooks: PumpHooks,
  ) {
    this.source = source;
    this.#index = index;
    this.#pulls = pulls;
    this.#topic = topic;
    this.#hooks = hooks;
  }

  /** Records asked of this source in the current round. */
  get pulls(): number {
    return this.#pulls.get(this.#index) ?? 0;
  }

  get hasRecord(): boolean {
    return this.#waiting !== undefined;
  }

  get pending(): boolean {
    return this.#pending;
  }

  /** Asks for the next record unless one is waiting, one is on its way, or the find is over. */
  request(): void {
    if (this.#pending || this.#waiting !== undefined || this.done || this.retryCancel) return;
    const signal = this.#controller.signal;
    if (signal.aborted) return;
    this.#pending = true;
    this.#pulls.set(this.#index, this.pulls + 1);
    let next: Promise<IteratorResult<Enr>>;
    try {
      this.#iterator ??= this.source.find(this.#topic, signal)[Symbol.asyncIterator]();
      next = this.#iterator.next();
    } catch (err) {
      next = Promise.reject(err);
    }
    next.then(
      (result) => {
        this.#pending = false;
        if (signal.aborted) return;
        if (result.done) {
          this.#finish();
          this.#hooks.onEnd(this, undefined);
        } else {
          this.#waiting = result.value;
          this.#hooks.onRecord(this);
        }
      },
      (err: unknown) => {
        this.#pending = false;
        if (signal.aborted) return;
        this.#finish();
        this.#hooks.onEnd(this, err);
      },
    );
  }

  take(): Enr | undefined {
    const record = this.#waiting;
    this.#waiting = undefined;
    return record;
  }

  /** Starts a new `find` on the next request (a finished source is asked again each round). */
  restart(): void {
    if (!this.done) return;
    this.done = false;
    this.#iterator = undefined;
  }

  /** Aborts the find (the source stops its work) and ends the iterator. */
  close(): void {
    this.retryCancel?.();
    this.retryCancel = undefined;
    this.#controller.abort();
    this.#finish();
    this.#waiting = undefined;
  }

  #finish(): void {
    const iterator = this.#iterator;
    this.#iterator = undefined;
    this.done = true;
    if (iterator?.return) {
      try {
        iterator.return().catch(() => {});
      } catch {
        // A source whose return() throws is already finished.
      }
    }
  }
}

/** Round-robin over pumps with a waiting record, starting after the one served last. */
export function takeFair(
  pumps: readonly SourcePump[],
  turn: number,
): { pump: SourcePump; record: Enr; turn: number } | undefined {
  for (let i = 0; i < pumps.length; i++) {
    const index = (turn + i) % pumps.length;
    const pump = pumps[index]!;
    if (!pump.hasRecord) continue;
    return { pump, record: pump.take()!, turn: (index + 1) % pumps.length };
  }
  return undefined;
}
