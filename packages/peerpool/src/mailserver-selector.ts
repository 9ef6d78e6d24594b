import { anySignal, type Cancel, type Clock, raceSignal, timeoutSignal } from '@status-ts/core';
import type { ConnectedPeer } from './dialer.js';
import { PeerPoolError, PeerPoolErrorCode } from './errors.js';

/**
 * Measures a mailserver's round trip. The Waku layer implements it (`mailserverProbe(client)` from
 * `@status-ts/mailserver` times a one-envelope request for an unused topic); resolve with the RTT in ms, or
 * with nothing to have the selector time the call on its clock. Reject (or hang past the timeout) when the
 * mailserver does not answer.
 */
export type MailserverProbe = (
  peer: ConnectedPeer,
  signal: AbortSignal,
) => Promise<number | undefined | undefined>;

export interface SelectedMailserver {
  readonly id: string;
  readonly peer: ConnectedPeer;
  /** Last measured round trip; undefined without a probe. */
  readonly rttMs: number | undefined;
}

export interface SelectorHost {
  readonly clock: Clock;
  signal(): AbortSignal;
  /** Connected mailservers, most recently connected last. */
  mailservers(): ConnectedPeer[];
  /** A mailserver that failed its probe: disconnect it and back it off. */
  fail(id: string, error: unknown): void;
  changed(selected: SelectedMailserver | undefined): void;
}

/**
 * Keeps one mailserver selected among the connected ones (PP-06): the lowest probed RTT, re-probed every
 * `checkIntervalMs`; a mailserver that fails its probe is dropped and the next best selected; when the selected
 * one disconnects another is picked at once (and the pool dials a replacement).
 */
export class MailserverSelector {
  readonly #host: SelectorHost;
  readonly #probe: MailserverProbe | undefined;
  readonly #timeoutMs: number;
  readonly #intervalMs: number;
  #selected: SelectedMailserver | undefined;
  #announced: string | undefined;
  #interval: Cancel | undefined;
  #checking = false;
  #again = false;

  constructor(
    host: SelectorHost,
    options: { probe?: MailserverProbe; timeoutMs: number; intervalMs: number },
  ) {
    this.#host = host;
    this.#probe = options.probe;
    this.#timeoutMs = options.timeoutMs;
    this.#intervalMs = options.intervalMs;
  }

  get selected(): SelectedMailserver | undefined {
    return this.#selected;
  }

  start(): void {
    this.#interval ??= this.#host.clock.setInterval(() => void this.check(), this.#intervalMs);
  }

  stop(): void {
    this.#interval?.();
    this.#interval = undefined;
    this.#selected = undefined;
    this.#announced = undefined;
  }

  /** The set of connected mailservers changed. */
  peersChanged(): void {
    const current = this.#selected;
    if (!current || !this.#host.mailservers().some((p) => p.id === current.id)) void this.check();
  }

  /** A mailserver disconnected. */
  peerGone(id: string): void {
    if (this.#selected?.id !== id) return;
    // Cleared quietly: the check picks the next one, and only then is the change announced (no flap through none).
    this.#selected = undefined;
    void this.check();
  }

  /** Probes the connected mailservers and selects the best; runs one at a time. */
  async check(): Promise<void> {
    if (this.#checking) {
      this.#again = true;
      return;
    }
    this.#checking = true;
    try {
      do {
        this.#again = false;
        await this.#checkOnce();
      } while (this.#again && !this.#host.signal().aborted);
    } finally {
      this.#checking = false;
    }
  }

  async #checkOnce(): Promise<void> {
    const peers = this.#host.mailservers();
    if (!this.#probe) {
      const keep = peers.find((p) => p.id === this.#selected?.id);
      const pick = keep ?? peers[0];
      this.#select(pick ? { id: pick.id, peer: pick, rttMs: undefined } : undefined);
      return;
    }
    const results = await Promise.all(peers.map((peer) => this.#measure(peer)));
    if (this.#host.signal().aborted) return;
    let best: SelectedMailserver | undefined;
    for (const [i, result] of results.entries()) {
      const peer = peers[i]!;
      if (typeof result !== 'number') {
        this.#host.fail(peer.id, result.error);
        continue;
      }
      // Only peers still connected count: one may have gone while we probed.
      if (!this.#host.mailservers().some((p) => p.id === peer.id)) continue;
      if (!best || result < best.rttMs!) best = { id: peer.id, peer, rttMs: result };
    }
    this.#select(best);
  }

  async #measure(peer: ConnectedPeer): Promise<number | { error: unknown }> {
    const timeout = timeoutSignal(this.#timeoutMs, this.#host.clock);
    const signal = anySignal([timeout.signal, this.#host.signal()]);
    const started = this.#host.clock.now();
    try {
      const rtt = await raceSignal(this.#probe!(peer, signal), signal);
      return typeof rtt === 'number' ? rtt : this.#host.clock.now() - started;
    } catch (cause) {
      return {
        error: new PeerPoolError(PeerPoolErrorCode.ProbeFailed, 'mailserver probe failed', {
          cause,
          details: { id: peer.id },
        }),
      };
    } finally {
      timeout.cancel();
    }
  }

  #select(next: SelectedMailserver | undefined): void {
    this.#selected = next;
    if (this.#announced !== next?.id) {
      this.#announced = next?.id;
      this.#host.changed(next);
    }
  }
}
