import {
  type Cancel,
  type Clock,
  createLogger,
  type Logger,
  systemClock,
  throwIfAborted,
} from '@status-ts/core';
import type { Enr } from '@status-ts/enr';
import { isLocalIPv4 } from './address-scope.js';
import type { RendezvousClient } from './client.js';
import { DEFAULT_TTL_NS, REGISTER_PERIOD_MS } from './constants.js';
import { RendezvousError, RendezvousErrorCode } from './errors.js';
import { linkSignals } from './link-signals.js';
import { assertNamespace } from './namespace.js';
import { pickServer } from './random-server.js';

const log = createLogger('status-ts:rendezvous:registrar');

export interface RendezvousRegistrarOptions {
  client: RendezvousClient;
  /** Server addresses in the dialer's notation (`/ip4/…/tcp/…/ethv4/<peer id>` for libp2p). */
  servers: readonly string[];
  /** This node's signed ENR: `ip`, `tcp`, optional `udp` (RDV-07). */
  record: Enr;
  /** Topics to register under: `whisper` for relayers, plus `whispermail` for mailservers. */
  topics: readonly string[];
  /**
   * The record's private key. With it, a record whose IP is loopback or private is re-signed with the
   * address a server reports through REMOTEIP before registering (RDV-07); without it, it is sent as is.
   */
  privateKey?: Uint8Array;
  clock?: Clock;
  /** Re-register every topic at a random server this often. Default 5 s. */
  periodMs?: number;
  /** TTL sent with each registration. Default 10 s, in nanoseconds. */
  ttlNs?: bigint;
  random?: () => number;
  /** Where this registrar logs (default the `status-ts:rendezvous:registrar` logger, enabled by `DEBUG`). */
  logger?: Logger;
}

/**
 * Keeps this node registered: every topic at a random server right away, then again every 5 s (half the
 * 10 s TTL, so a registration never lapses while the node runs). There is no unregister (RDV-08): after
 * `stop()` the records expire on their own.
 */
export class RendezvousRegistrar {
  readonly stats = { registered: 0, failed: 0 };
  readonly #client: RendezvousClient;
  readonly #servers: readonly string[];
  readonly #topics: readonly string[];
  readonly #privateKey: Uint8Array | undefined;
  readonly #clock: Clock;
  readonly #periodMs: number;
  readonly #ttlNs: bigint;
  readonly #random: () => number;
  readonly #log: Logger;
  #record: Enr;
  #ipChecked = false;
  #stopTimer: Cancel | undefined;
  #controller: AbortController | undefined;
  #round: Promise<unknown> | undefined;

  constructor(options: RendezvousRegistrarOptions) {
    if (options.servers.length === 0) {
      throw new RendezvousError(RendezvousErrorCode.NoServers, 'registrar needs at least one server');
    }
    for (const topic of options.topics) assertNamespace(topic);
    this.#client = options.client;
    this.#log = options.logger ?? log;
    this.#servers = [...options.servers];
    this.#topics = [...options.topics];
    this.#record = options.record;
    this.#privateKey = options.privateKey;
    this.#clock = options.clock ?? systemClock;
    this.#periodMs = options.periodMs ?? REGISTER_PERIOD_MS;
    this.#ttlNs = options.ttlNs ?? DEFAULT_TTL_NS;
    this.#random = options.random ?? Math.random;
  }

  /** The record being registered (re-signed if REMOTEIP gave a public address). */
  get record(): Enr {
    return this.#record;
  }

  /** Replaces the record (for example after an address change); used from the next round on. */
  setRecord(record: Enr): void {
    this.#record = record;
  }

  /** Starts the schedule; resolves once the first round has been tried (it never throws for failures). */
  async start(): Promise<void> {
    if (this.#controller) {
      await this.#round;
      return;
    }
    this.#controller = new AbortController();
    this.#stopTimer = this.#clock.setInterval(() => {
      if (!this.#round) this.#round = this.registerAll().finally(() => (this.#round = undefined));
    }, this.#periodMs);
    this.#round = this.registerAll().finally(() => (this.#round = undefined));
    await this.#round;
  }

  async stop(): Promise<void> {
    this.#stopTimer?.();
    this.#stopTimer = undefined;
    this.#controller?.abort();
    this.#controller = undefined;
    await this.#round?.catch(() => {});
  }

  /**
   * One round: each topic at its own random server. Returns how many registrations succeeded; failures are
   * counted, not thrown. Aborting `signal` ends the round's requests and rejects with the signal's reason.
   */
  async registerAll(options: { signal?: AbortSignal } = {}): Promise<number> {
    throwIfAborted(options.signal);
    const linked = linkSignals(this.#controller?.signal, options.signal);
    const signal = linked.signal;
    try {
      await this.#resolvePublicIp(signal);
      const results = await Promise.all(
        this.#topics.map(async (topic) => {
          const server = pickServer(this.#servers, this.#random);
          try {
            await this.#client.register(server, topic, this.#record, {
              ttlNs: this.#ttlNs,
              ...(signal ? { signal } : {}),
            });
            this.stats.registered++;
            return true;
          } catch (err) {
            if (options.signal?.aborted) return false; // the caller's abort, not a failure of the server
            this.stats.failed++;
            this.#log(
              'register %s at %s failed: %s',
              topic,
              server,
              err instanceof Error ? err.message : err,
            );
            return false;
          }
        }),
      );
      throwIfAborted(options.signal);
      return results.filter(Boolean).length;
    } finally {
      linked.dispose();
    }
  }

  async #resolvePublicIp(signal: AbortSignal | undefined): Promise<void> {
    const ip = this.#record.ip;
    if (this.#ipChecked || !this.#privateKey || ip === undefined || !isLocalIPv4(ip)) return;
    const server = pickServer(this.#servers, this.#random);
    try {
      const seen = await this.#client.remoteIp(server, signal ? { signal } : {});
      this.#ipChecked = true;
      if (seen !== ip && !isLocalIPv4(seen) && /^\d+\.\d+\.\d+\.\d+$/.test(seen)) {
        this.#record = this.#record.with(this.#privateKey, { ip: seen });
      }
    } catch (err) {
      // Older servers do not know REMOTEIP (RDV-03): register the address we have, ask again next round.
      this.#log('REMOTEIP at %s failed: %s', server, err instanceof Error ? err.message : err);
    }
  }
}
