import type { Clock } from '@status-ts/core';
import type { Envelope } from '@status-ts/waku';
import type { MailClientCounters, MailserverViolation } from './client-counters.js';
import { MAILSERVER_BYTES_BURST_SECONDS } from './constants.js';

export interface MailserverGuardOptions {
  clock: Clock;
  maxStrikes: number;
  /** 0: no byte budget. */
  maxBytesPerSecond: number;
  counters: MailClientCounters;
}

/** What the guard made of a P2P message packet. */
export type EnvelopesVerdict =
  | { kind: 'ignored' }
  | { kind: 'misbehaving' }
  | { kind: 'checked'; accepted: Envelope[]; violation?: MailserverViolation; struckOut: boolean };

/** What the guard made of a request-complete packet. */
export type CompleteVerdict =
  | { kind: 'ignored' | 'misbehaving' | 'answer' | 'unexpected' }
  | { kind: 'overRate'; struckOut: boolean };

interface Ledger {
  /** Whether this client polices the peer (one of its mailservers, or a peer it asked). */
  policed: boolean;
  /** Open asks by request id: envelopes the answer may hold, and until when (clock ms) it is expected. */
  readonly asks: Map<string, { limit: number; until: number }>;
  /** Sum of the open asks' limits, and envelopes accepted against them. */
  outstanding: number;
  used: number;
  /** Byte budget (a token bucket). */
  tokens: number;
  refilledAt: number;
  strikes: number;
  /** Set once the peer is dropped: the violation of its last strike. */
  misbehaved?: MailserverViolation;
}

/**
 * Bounds what each mailserver may send the client: envelopes only up to the sum of the limits of the
 * requests open to it (every client and probe on the node announces its own, see client-asks), envelope
 * bytes under a token bucket, and one strike per packet that breaks either; `maxStrikes` strikes drop it.
 * Over its lifetime a peer can thus never get more envelopes accepted than were asked of it.
 */
export class MailserverGuard {
  readonly #o: MailserverGuardOptions;
  readonly #capacity: number;
  readonly #ledgers = new Map<string, Ledger>();

  constructor(options: MailserverGuardOptions) {
    this.#o = options;
    this.#capacity = options.maxBytesPerSecond * MAILSERVER_BYTES_BURST_SECONDS;
  }

  #ledger(server: string): Ledger {
    let ledger = this.#ledgers.get(server);
    if (!ledger) {
      ledger = {
        policed: false,
        asks: new Map(),
        outstanding: 0,
        used: 0,
        tokens: this.#capacity,
        refilledAt: this.#o.clock.now(),
        strikes: 0,
      };
      this.#ledgers.set(server, ledger);
    }
    return ledger;
  }

  /** Polices `server` from now on: what it sends is checked, counted and may strike it. */
  watch(server: string): void {
    this.#ledger(server).policed = true;
  }

  /** The violation it was dropped for, or undefined while it is not. */
  misbehaved(server: string): MailserverViolation | undefined {
    return this.#ledgers.get(server)?.misbehaved;
  }

  strikes(server: string): number {
    return this.#ledgers.get(server)?.strikes ?? 0;
  }

  /** A request to `server` was sent: an answer of up to `limit` envelopes may come, until `ttlMs` passed. */
  open(server: string, requestIdHex: string, limit: number, ttlMs = Number.POSITIVE_INFINITY): void {
    // Ended asks go here, where asks are added (one per request sent): probed peers that never answered are
    // forgotten. Every reader of a ledger's asks prunes it first all the same.
    for (const [id, other] of this.#ledgers) {
      this.#prune(other);
      this.#forgetIfIdle(id, other);
    }
    const ledger = this.#ledger(server);
    this.#close(ledger, requestIdHex);
    ledger.asks.set(requestIdHex, { limit, until: this.#o.clock.now() + ttlMs });
    ledger.outstanding += limit;
  }

  /** The sender stopped waiting (timeout, abort): a late answer is still accepted for `ttlMs`. */
  expire(server: string, requestIdHex: string, ttlMs: number): void {
    const ask = this.#ledgers.get(server)?.asks.get(requestIdHex);
    if (ask) ask.until = Math.min(ask.until, this.#o.clock.now() + ttlMs);
  }

  /** Least ms to wait before asking `server` again so that half the byte budget is there for the answer. */
  budgetWaitMs(server: string): number {
    const rate = this.#o.maxBytesPerSecond;
    const ledger = this.#ledgers.get(server);
    if (!ledger) return 0;
    this.#refill(ledger);
    // Without a budget (rate 0) capacity and tokens stay 0: nothing is missing.
    const missing = this.#capacity / 2 - ledger.tokens;
    return missing > 0 ? Math.ceil((missing * 1000) / rate) : 0;
  }

  envelopes(server: string, envelopes: readonly Envelope[]): EnvelopesVerdict {
    const ledger = this.#ledgers.get(server);
    if (!ledger?.policed) return { kind: 'ignored' };
    const counters = this.#o.counters;
    counters.envelopesReceived += envelopes.length;
    for (const e of envelopes) counters.bytesReceived += e.raw.length;
    if (ledger.misbehaved) {
      counters.dropped.misbehaving += envelopes.length;
      return { kind: 'misbehaving' };
    }
    this.#prune(ledger);
    this.#refill(ledger);
    const limited = this.#o.maxBytesPerSecond > 0;
    const accepted: Envelope[] = [];
    let violation: MailserverViolation | undefined;
    for (const e of envelopes) {
      let reason: MailserverViolation | undefined;
      if (ledger.used >= ledger.outstanding) reason = ledger.asks.size === 0 ? 'outsideRequest' : 'overLimit';
      else if (limited && ledger.tokens < e.raw.length) reason = 'overRate';
      if (reason) {
        counters.dropped[reason]++;
        violation ??= reason;
        continue;
      }
      ledger.used++;
      if (limited) ledger.tokens -= e.raw.length;
      accepted.push(e);
    }
    counters.envelopesAccepted += accepted.length;
    const struckOut = violation !== undefined && this.#strike(ledger, violation);
    return { kind: 'checked', accepted, ...(violation ? { violation } : {}), struckOut };
  }

  /** A request-complete of `bytes` for `requestIdHex`: one that ends an open ask is always taken. */
  complete(server: string, requestIdHex: string, bytes: number): CompleteVerdict {
    const ledger = this.#ledgers.get(server);
    if (!ledger) return { kind: 'ignored' };
    const counters = this.#o.counters;
    if (ledger.policed) counters.completesReceived++;
    if (ledger.misbehaved) {
      counters.completesDropped.misbehaving++;
      return { kind: 'misbehaving' };
    }
    // An ask that ended (expire() passed, or its ttl) takes no answer any more, as for envelopes.
    this.#prune(ledger);
    this.#refill(ledger);
    const limited = this.#o.maxBytesPerSecond > 0;
    if (this.#close(ledger, requestIdHex)) {
      // Never refused: without it the request would time out. It is paid for all the same.
      if (limited) ledger.tokens -= bytes;
      this.#forgetIfIdle(server, ledger);
      return { kind: 'answer' };
    }
    if (!ledger.policed) return { kind: 'ignored' };
    // Ends nothing we know of; cheap to read, but a stream of them runs into the byte budget.
    if (limited && ledger.tokens < bytes) {
      counters.completesDropped.overRate++;
      return { kind: 'overRate', struckOut: this.#strike(ledger, 'overRate') };
    }
    if (limited) ledger.tokens -= bytes;
    counters.completesUnexpected++;
    return { kind: 'unexpected' };
  }

  #strike(ledger: Ledger, violation: MailserverViolation): boolean {
    ledger.strikes++;
    this.#o.counters.strikes++;
    if (ledger.strikes < this.#o.maxStrikes) return false;
    ledger.misbehaved = violation;
    this.#o.counters.misbehaved++;
    return true;
  }

  /** Ends an ask: its limit leaves the sum, and so do envelopes it may have taken (at most its limit). */
  #close(ledger: Ledger, requestIdHex: string): boolean {
    const ask = ledger.asks.get(requestIdHex);
    if (!ask) return false;
    ledger.asks.delete(requestIdHex);
    ledger.outstanding -= ask.limit;
    ledger.used = Math.max(0, ledger.used - ask.limit);
    return true;
  }

  #prune(ledger: Ledger): void {
    const now = this.#o.clock.now();
    for (const [id, ask] of ledger.asks) if (ask.until <= now) this.#close(ledger, id);
  }

  #refill(ledger: Ledger): void {
    const now = this.#o.clock.now();
    const rate = this.#o.maxBytesPerSecond;
    // Rate 0 (no budget) adds nothing to a capacity of 0.
    ledger.tokens = Math.min(this.#capacity, ledger.tokens + ((now - ledger.refilledAt) * rate) / 1000);
    ledger.refilledAt = now;
  }

  /** Peers only probed (not policed) are forgotten once no answer is due from them. */
  #forgetIfIdle(server: string, ledger: Ledger): void {
    if (!ledger.policed && ledger.asks.size === 0) this.#ledgers.delete(server);
  }
}
