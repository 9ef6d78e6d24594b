import { type Clock, createLogger, type Logger, sleep, systemClock } from '@status-ts/core';
import type { Enr, PeerSource } from '@status-ts/enr';
import type { RendezvousClient } from './client.js';
import { MAX_DISCOVER_LIMIT } from './constants.js';
import { RendezvousError, RendezvousErrorCode } from './errors.js';
import { pickServer } from './random-server.js';

const log = createLogger('status-ts:rendezvous:peer-source');

export interface RendezvousPeerSourceOptions {
  client: RendezvousClient;
  servers: readonly string[];
  clock?: Clock;
  /** Records asked for per DISCOVER. Default 10 (RDV-07). */
  limit?: number;
  /** Wait after a request that found new peers. Default 1 s. */
  intervalMs?: number;
  /** First wait after a failed or fruitless request; doubles each time up to `maxBackoffMs`. Default 2 s. */
  minBackoffMs?: number;
  /** Default 30 s. */
  maxBackoffMs?: number;
  random?: () => number;
  /** Where this source logs (default the `status-ts:rendezvous:peer-source` logger, enabled by `DEBUG`). */
  logger?: Logger;
}

/**
 * A `PeerSource` for the PeerPool: asks a random server for records of the topic, yields each dialable
 * record (signed, with `ip` and `tcp`) once per `find` call — again only if it comes back with a higher
 * `seq` — and backs off exponentially while requests fail or bring nothing new.
 */
export class RendezvousPeerSource implements PeerSource {
  readonly name = 'rendezvous';
  readonly stats = { requests: 0, failures: 0, invalidRecords: 0, yielded: 0 };
  readonly #client: RendezvousClient;
  readonly #servers: readonly string[];
  readonly #clock: Clock;
  readonly #limit: number;
  readonly #intervalMs: number;
  readonly #minBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #random: () => number;
  readonly #log: Logger;

  constructor(options: RendezvousPeerSourceOptions) {
    if (options.servers.length === 0) {
      throw new RendezvousError(RendezvousErrorCode.NoServers, 'peer source needs at least one server');
    }
    this.#client = options.client;
    this.#log = options.logger ?? log;
    this.#servers = [...options.servers];
    this.#clock = options.clock ?? systemClock;
    this.#limit = options.limit ?? MAX_DISCOVER_LIMIT;
    this.#intervalMs = options.intervalMs ?? 1_000;
    this.#minBackoffMs = options.minBackoffMs ?? 2_000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.#random = options.random ?? Math.random;
  }

  async *find(topic: string, signal?: AbortSignal): AsyncIterable<Enr> {
    const seen = new Map<string, bigint>();
    let backoff = this.#minBackoffMs;
    while (!signal?.aborted) {
      const fresh = await this.#request(topic, signal);
      const news = (fresh ?? []).filter((record) => {
        const known = seen.get(record.nodeIdHex);
        return known === undefined || record.seq > known;
      });
      for (const record of news) {
        seen.set(record.nodeIdHex, record.seq);
        this.stats.yielded++;
        yield record;
      }
      if (news.length > 0) backoff = this.#minBackoffMs;
      const wait = news.length > 0 ? this.#intervalMs : backoff;
      if (news.length === 0) backoff = Math.min(backoff * 2, this.#maxBackoffMs);
      try {
        await sleep(wait, { clock: this.#clock, signal });
      } catch {
        return;
      }
    }
  }

  async #request(topic: string, signal: AbortSignal | undefined): Promise<Enr[] | undefined> {
    const server = pickServer(this.#servers, this.#random);
    this.stats.requests++;
    try {
      const response = await this.#client.discover(server, topic, { limit: this.#limit, signal });
      this.stats.invalidRecords += response.invalidRecords;
      return response.records.filter((r) => r.ip !== undefined && r.tcp !== undefined);
    } catch (err) {
      this.stats.failures++;
      this.#log('discover %s at %s failed: %s', topic, server, err instanceof Error ? err.message : err);
      return undefined;
    }
  }
}
