import {
  type Cancel,
  type Clock,
  createLogger,
  isStatusTsError,
  raceSignal,
  systemClock,
  timeoutSignal,
} from '@status-ts/core';
import { addressGroup } from './address-group.js';
import {
  CLEANER_PERIOD_MS,
  DEFAULT_MAX_MESSAGE_SIZE,
  IP_REGISTER_BURST,
  IP_REGISTER_PER_SECOND,
  MAX_DISCOVER_LIMIT,
  MAX_NAMESPACES,
  MAX_RECORDS,
  MAX_RECORDS_PER_IP,
  MAX_TTL_NS,
  MessageType,
  NANOS_PER_MILLI,
  NETWORK_DELAY_MS,
  ResponseStatus,
  SERVER_IO_TIMEOUT_MS,
} from './constants.js';
import { RendezvousError, RendezvousErrorCode } from './errors.js';
import { decodeMessageType, encodeFrame, FrameReader } from './framing.js';
import {
  decodeCarriedEnr,
  decodeDiscoverFields,
  decodeRegisterFields,
  encodeDiscoverResponse,
  encodeRegisterResponse,
  encodeRemoteIpResponse,
} from './messages.js';
import { parseNamespace } from './namespace.js';
import { PeerRateLimiter, type RateLimitOptions } from './rate-limiter.js';
import { type CapacityRefusal, RegistrationLedger } from './registration-ledger.js';
import type { RegistrationStore } from './store.js';
import type { RendezvousStream } from './stream.js';

const log = createLogger('status-ts:rendezvous:server');

export interface RendezvousServerOptions {
  store: RegistrationStore;
  clock?: Clock;
  /** Longest accepted TTL in nanoseconds. Default 20 s (RDV-06). */
  maxTtlNs?: bigint;
  /** Shortest accepted TTL in nanoseconds. Default 0, as the Go server. */
  minTtlNs?: bigint;
  /** Extra time a record lives past its TTL. Default 500 ms. */
  networkDelayMs?: number;
  /** Most records per DISCOVER answer; larger limits are capped. Default 10. */
  maxDiscoverLimit?: number;
  /** Expired records are deleted this often. Default 2 s. */
  cleanerPeriodMs?: number;
  /** Time allowed to read each message and to write each answer. Default 10 s. */
  readTimeoutMs?: number;
  writeTimeoutMs?: number;
  /** Largest RLP item accepted from a stream. Default 16 KiB. */
  maxMessageSize?: number;
  /** Per-peer request budget (token bucket); `false` turns it off. */
  rateLimit?: RateLimitOptions | false;
  /**
   * REGISTER budget per remote IP (IPv6: per /64), whatever peer ids it uses; `false` turns it off.
   * Default burst `IP_REGISTER_BURST` (100), `IP_REGISTER_PER_SECOND` (20) per second.
   */
  ipRateLimit?: RateLimitOptions | false;
  /** Live registrations per remote IP (IPv6: per /64). Default `MAX_RECORDS_PER_IP` (100). */
  maxRecordsPerIp?: number;
  /** Live registrations in the server. Default `MAX_RECORDS` (5,000). */
  maxRecords?: number;
  /** Namespaces with live registrations. Default `MAX_NAMESPACES` (1,000). */
  maxNamespaces?: number;
}

/** Registrations refused by a capacity limit, by limit. */
export interface RendezvousServerLimited {
  /** Over the REGISTER rate of the remote IP (status 200). */
  ipRate: number;
  /** Over `maxRecordsPerIp` (status 200). */
  ipRecords: number;
  /** Over `maxRecords` (status 300). */
  records: number;
  /** A new namespace over `maxNamespaces` (status 300). */
  namespaces: number;
}

/** What the server has done since it started, for metrics and tests. */
export interface RendezvousServerStats {
  registered: number;
  discovered: number;
  remoteIp: number;
  /** Answers with a non-OK status, by status code. */
  rejected: Record<number, number>;
  rateLimited: number;
  /** Registrations refused by the per-IP and server-wide capacity limits (also counted in `rejected`). */
  limited: RendezvousServerLimited;
  /** Streams reset for bad framing, unknown types, timeouts or transport errors. */
  resets: number;
  expired: number;
}

type Answer = { type: MessageType; body: Uint8Array };

/**
 * The rendezvous server's protocol logic, for any transport: give it each inbound stream with
 * `handleStream`. It validates registrations (namespace, TTL, ENR signature), stores them until
 * now + TTL + 500 ms, answers DISCOVER with up to 10 random live records and REMOTEIP with the peer's
 * address, limits each peer's request rate, and resets streams that send bytes it cannot frame. Peer ids
 * cost nothing, so registrations are also limited per remote IP (rate and live records) and server-wide
 * (records, namespaces); refusals are answered with status 200 (per IP) or 300 (server full).
 */
export class RendezvousServer {
  readonly stats: RendezvousServerStats = {
    registered: 0,
    discovered: 0,
    remoteIp: 0,
    rejected: {},
    rateLimited: 0,
    limited: { ipRate: 0, ipRecords: 0, records: 0, namespaces: 0 },
    resets: 0,
    expired: 0,
  };
  readonly #store: RegistrationStore;
  readonly #clock: Clock;
  readonly #maxTtlNs: bigint;
  readonly #minTtlNs: bigint;
  readonly #networkDelayMs: number;
  readonly #maxLimit: number;
  readonly #cleanerPeriodMs: number;
  readonly #readTimeoutMs: number;
  readonly #writeTimeoutMs: number;
  readonly #maxMessageSize: number;
  readonly #limiter: PeerRateLimiter | undefined;
  readonly #ipLimiter: PeerRateLimiter | undefined;
  readonly #ledger: RegistrationLedger;
  readonly #streams = new Set<RendezvousStream>();
  #stopCleaner: Cancel | undefined;
  #cleaning: Promise<void> = Promise.resolve();

  constructor(options: RendezvousServerOptions) {
    this.#store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#maxTtlNs = options.maxTtlNs ?? MAX_TTL_NS;
    this.#minTtlNs = options.minTtlNs ?? 0n;
    this.#networkDelayMs = options.networkDelayMs ?? NETWORK_DELAY_MS;
    this.#maxLimit = options.maxDiscoverLimit ?? MAX_DISCOVER_LIMIT;
    this.#cleanerPeriodMs = options.cleanerPeriodMs ?? CLEANER_PERIOD_MS;
    this.#readTimeoutMs = options.readTimeoutMs ?? SERVER_IO_TIMEOUT_MS;
    this.#writeTimeoutMs = options.writeTimeoutMs ?? SERVER_IO_TIMEOUT_MS;
    this.#maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.#limiter =
      options.rateLimit === false ? undefined : new PeerRateLimiter(this.#clock, options.rateLimit ?? {});
    const ipRate = options.ipRateLimit ?? {};
    if (ipRate !== false) {
      positive('ipRateLimit.burst', ipRate.burst, false);
      positive('ipRateLimit.perSecond', ipRate.perSecond, false);
      positive('ipRateLimit.maxPeers', ipRate.maxPeers, true);
    }
    this.#ipLimiter =
      ipRate === false
        ? undefined
        : new PeerRateLimiter(this.#clock, {
            ...ipRate,
            burst: ipRate.burst ?? IP_REGISTER_BURST,
            perSecond: ipRate.perSecond ?? IP_REGISTER_PER_SECOND,
          });
    this.#ledger = new RegistrationLedger({
      maxRecords: positive('maxRecords', options.maxRecords ?? MAX_RECORDS, true),
      maxNamespaces: positive('maxNamespaces', options.maxNamespaces ?? MAX_NAMESPACES, true),
      maxRecordsPerIp: positive('maxRecordsPerIp', options.maxRecordsPerIp ?? MAX_RECORDS_PER_IP, true),
    });
  }

  /** Live registrations and namespaces as the capacity limits count them (`maxRecords`, `maxNamespaces`). */
  get occupancy(): { readonly records: number; readonly namespaces: number } {
    return { records: this.#ledger.records, namespaces: this.#ledger.namespaces };
  }

  get running(): boolean {
    return this.#stopCleaner !== undefined;
  }

  /** Starts the cleaner. Streams can be handled before, but nothing expires until then. */
  start(): void {
    if (this.#stopCleaner) return;
    this.#stopCleaner = this.#clock.setInterval(() => {
      const now = this.#clock.now();
      this.#cleaning = this.#cleaning.then(() => this.clean(now));
    }, this.#cleanerPeriodMs);
  }

  /** Stops the cleaner and resets every open stream. The store stays open: its owner closes it. */
  async stop(): Promise<void> {
    this.#stopCleaner?.();
    this.#stopCleaner = undefined;
    for (const stream of this.#streams) stream.reset(new Error('server stopping'));
    this.#streams.clear();
    await this.#cleaning;
  }

  /** Deletes registrations expired at `now` (the cleaner calls this every 2 s with its tick time). */
  async clean(now = this.#clock.now()): Promise<void> {
    try {
      const removed = await this.#store.removeExpired(now);
      this.stats.expired += removed;
      this.#ledger.prune(now);
      this.#limiter?.prune();
      this.#ipLimiter?.prune();
    } catch (err) {
      log.error('cleaner failed', err);
    }
  }

  /** Serves one stream until the peer half-closes it (RDV-02), then closes ours. Never throws. */
  async handleStream(stream: RendezvousStream): Promise<void> {
    this.#streams.add(stream);
    const reader = new FrameReader(stream.source, this.#maxMessageSize);
    let previous: MessageType | undefined;
    try {
      for (;;) {
        const typeItem = await this.#read(reader);
        if (typeItem === undefined) break;
        // REMOTEIP has no body on the wire; tolerate clients that send an empty list as one anyway.
        if (previous === MessageType.RemoteIp && typeItem.length === 1 && typeItem[0] === 0xc0) {
          previous = undefined;
          continue;
        }
        const type = decodeMessageType(typeItem);
        const answer = await this.#answer(type, reader, stream);
        previous = type;
        await this.#write(stream, encodeFrame(answer.type, answer.body));
      }
      await stream.closeWrite();
    } catch (err) {
      this.stats.resets++;
      log('resetting stream from %s: %s', stream.remotePeer, err instanceof Error ? err.message : err);
      stream.reset(err instanceof Error ? err : undefined);
    } finally {
      this.#streams.delete(stream);
    }
  }

  async #read(reader: FrameReader): Promise<Uint8Array | undefined> {
    const timeout = timeoutSignal(this.#readTimeoutMs, this.#clock);
    try {
      return await reader.next(timeout.signal);
    } finally {
      timeout.cancel();
    }
  }

  async #write(stream: RendezvousStream, bytes: Uint8Array): Promise<void> {
    const timeout = timeoutSignal(this.#writeTimeoutMs, this.#clock);
    try {
      await raceSignal(stream.write(bytes), timeout.signal);
    } finally {
      timeout.cancel();
    }
  }

  async #body(reader: FrameReader): Promise<Uint8Array> {
    const body = await this.#read(reader);
    if (body === undefined) {
      throw new RendezvousError(RendezvousErrorCode.UnexpectedEof, 'stream ended before the message body');
    }
    return body;
  }

  async #answer(type: MessageType, reader: FrameReader, stream: RendezvousStream): Promise<Answer> {
    switch (type) {
      case MessageType.Register: {
        const body = await this.#body(reader);
        const status = !this.#allowed(stream)
          ? this.#limited()
          : this.#ipLimiter && !this.#ipLimiter.take(addressOf(stream))
            ? this.#refused('ipRate')
            : await this.#register(body, addressOf(stream));
        this.#count(status, 'registered');
        return { type: MessageType.RegisterResponse, body: encodeRegisterResponse(status) };
      }
      case MessageType.Discover: {
        const body = await this.#body(reader);
        const answer = this.#allowed(stream)
          ? await this.#discover(body)
          : { ...this.#limited(), records: [] };
        this.#count(answer, 'discovered');
        return { type: MessageType.DiscoverResponse, body: encodeDiscoverResponse(answer) };
      }
      case MessageType.RemoteIp: {
        const answer = !this.#allowed(stream)
          ? this.#limited()
          : stream.remoteIp
            ? { status: ResponseStatus.Ok, ip: stream.remoteIp }
            : { status: ResponseStatus.InternalError, message: 'remote address unknown' };
        this.#count(answer, 'remoteIp');
        return { type: MessageType.RemoteIpResponse, body: encodeRemoteIpResponse(answer) };
      }
      default:
        // A response type sent to a server: not a request, so treat it as unknown (reset).
        throw new RendezvousError(
          RendezvousErrorCode.UnexpectedType,
          `message type ${type} is not a request`,
        );
    }
  }

  #allowed(stream: RendezvousStream): boolean {
    return this.#limiter === undefined || this.#limiter.take(stream.remotePeer);
  }

  #limited(): { status: number; message: string } {
    this.stats.rateLimited++;
    return { status: ResponseStatus.NotAuthorized, message: 'rate limit exceeded' };
  }

  #refused(limit: CapacityRefusal | 'ipRate'): { status: number; message: string } {
    this.stats.limited[limit]++;
    return REFUSALS[limit];
  }

  #count(answer: { status: number }, ok: 'registered' | 'discovered' | 'remoteIp'): void {
    if (answer.status === ResponseStatus.Ok) this.stats[ok]++;
    else this.stats.rejected[answer.status] = (this.stats.rejected[answer.status] ?? 0) + 1;
  }

  /** Checks in the Go server's order: content, namespace, TTL, ENR signature. */
  async #register(body: Uint8Array, group: string): Promise<{ status: number; message: string }> {
    const reject = (status: number, message: string) => ({ status, message });
    const request = decodeRequest(body, decodeRegisterFields);
    if ('status' in request) return request;
    const { fields, topic } = request;
    if (fields.ttlNs > this.#maxTtlNs || fields.ttlNs < this.#minTtlNs) {
      return reject(
        ResponseStatus.InvalidTtl,
        `ttl must be within [${this.#minTtlNs}, ${this.#maxTtlNs}] ns, got ${fields.ttlNs}`,
      );
    }
    let record: ReturnType<typeof decodeCarriedEnr>;
    try {
      record = decodeCarriedEnr(fields.record);
    } catch (err) {
      return reject(ResponseStatus.InvalidEnr, errorMessage(err));
    }
    const ttlMs = Number(fields.ttlNs / NANOS_PER_MILLI);
    const now = this.#clock.now();
    const expiresAt = now + ttlMs + this.#networkDelayMs;
    const admitted = this.#ledger.admit(topic, record.nodeIdHex, group, expiresAt, now);
    if ('refusal' in admitted) return this.#refused(admitted.refusal);
    try {
      await this.#store.put({
        topic,
        nodeId: record.nodeIdHex,
        seq: record.seq,
        record: record.encode(),
        expiresAt,
      });
    } catch (err) {
      admitted.undo();
      log.error('store put failed', err);
      return reject(ResponseStatus.InternalError, 'storage error');
    }
    return { status: ResponseStatus.Ok, message: '' };
  }

  async #discover(
    body: Uint8Array,
  ): Promise<{ status: number; message: string; records: readonly Uint8Array[] }> {
    const reject = (status: number, message: string) => ({ status, message, records: [] });
    const request = decodeRequest(body, decodeDiscoverFields);
    if ('status' in request) return { ...request, records: [] };
    const { fields, topic } = request;
    if (fields.limit === 0) return reject(ResponseStatus.InvalidLimit, 'limit must be at least 1');
    try {
      const records = await this.#store.random(
        topic,
        Math.min(fields.limit, this.#maxLimit),
        this.#clock.now(),
      );
      return { status: ResponseStatus.Ok, message: '', records };
    } catch (err) {
      log.error('store random failed', err);
      return reject(ResponseStatus.InternalError, 'storage error');
    }
  }
}

const REFUSALS: Record<CapacityRefusal | 'ipRate', { status: number; message: string }> = {
  ipRate: { status: ResponseStatus.NotAuthorized, message: 'too many registrations from this address' },
  ipRecords: { status: ResponseStatus.NotAuthorized, message: 'too many records from this address' },
  records: { status: ResponseStatus.InternalError, message: 'server full: too many records' },
  namespaces: { status: ResponseStatus.InternalError, message: 'server full: too many namespaces' },
};

/** The key per-address limits use: the IP's group, or the peer id when the transport knows no address. */
function addressOf(stream: RendezvousStream): string {
  return stream.remoteIp ? addressGroup(stream.remoteIp) : `peer:${stream.remotePeer}`;
}

/** `value` when it is an integer >= 1 (a number > 0 when `integer` is false, or undefined); else throws. */
function positive<T extends number | undefined>(option: string, value: T, integer: boolean): T {
  const ok =
    value === undefined ||
    (integer ? Number.isSafeInteger(value) && value >= 1 : Number.isFinite(value) && value > 0);
  if (!ok) {
    throw new RendezvousError(
      RendezvousErrorCode.InvalidOptions,
      `${option} must be ${integer ? 'an integer >= 1' : 'a number > 0'}`,
      {
        details: { option, value },
      },
    );
  }
  return value;
}

/**
 * A request body's fields and namespace, or the answer for a body that fails: bad structure is invalid
 * content (104), a bad topic an invalid namespace (100), checked in that order as the Go server does.
 */
function decodeRequest<Fields extends { topic: Uint8Array }>(
  body: Uint8Array,
  decode: (body: Uint8Array) => Fields,
): { fields: Fields; topic: string } | { status: number; message: string } {
  let fields: Fields;
  try {
    fields = decode(body);
  } catch (err) {
    return { status: ResponseStatus.InvalidContent, message: errorMessage(err) };
  }
  try {
    return { fields, topic: parseNamespace(fields.topic) };
  } catch (err) {
    return { status: ResponseStatus.InvalidNamespace, message: errorMessage(err) };
  }
}

function errorMessage(err: unknown): string {
  if (isStatusTsError(err)) return err.message;
  throw err;
}
