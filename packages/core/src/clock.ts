/** Cancels a scheduled callback; calling it twice is harmless. */
export type Cancel = () => void;

/**
 * Time as protocols see it. Everything with epochs, expiry, retries or timeouts takes a Clock, so tests
 * can drive time with `ManualClock` instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): Cancel;
  setInterval(fn: () => void, ms: number): Cancel;
}

/** Seconds since the Unix epoch, as Waku envelopes and mailserver requests count time. */
export function unixSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}

/** The system clock. Timers are unref'd so a forgotten timer never keeps a process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return () => clearTimeout(handle);
  },
  setInterval(fn, ms) {
    const handle = setInterval(fn, ms);
    handle.unref?.();
    return () => clearInterval(handle);
  },
};

interface ManualTimer {
  id: number;
  due: number;
  fn: () => void;
  every: number | undefined;
}

/**
 * A clock for tests: time moves only when `advance` or `set` is called, and timers that fall due run
 * in due-time order (ties in scheduling order).
 */
export class ManualClock implements Clock {
  #now: number;
  #timers: ManualTimer[] = [];
  #nextId = 0;

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): Cancel {
    return this.#schedule(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): Cancel {
    return this.#schedule(fn, ms, Math.max(1, ms));
  }

  /** Number of timers still scheduled: lets tests assert that `stop()` released everything. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    this.set(this.#now + ms);
  }

  /** Moves time to `targetMs` (never backwards), running due timers in order. */
  set(targetMs: number): void {
    if (targetMs < this.#now) throw new RangeError('ManualClock cannot go backwards');
    for (;;) {
      const next = this.#nextDue(targetMs);
      if (!next) break;
      this.#now = next.due;
      if (next.every === undefined) this.#remove(next.id);
      else next.due += next.every;
      next.fn();
    }
    this.#now = targetMs;
  }

  /** Runs timers due now or earlier without moving time. */
  runDue(): void {
    this.set(this.#now);
  }

  #schedule(fn: () => void, ms: number, every: number | undefined): Cancel {
    const timer: ManualTimer = { id: this.#nextId++, due: this.#now + Math.max(0, ms), fn, every };
    this.#timers.push(timer);
    return () => this.#remove(timer.id);
  }

  #nextDue(limit: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.#timers) {
      if (t.due <= limit && (!best || t.due < best.due || (t.due === best.due && t.id < best.id))) best = t;
    }
    return best;
  }

  #remove(id: number): void {
    const i = this.#timers.findIndex((t) => t.id === id);
    if (i >= 0) this.#timers.splice(i, 1);
  }
}
