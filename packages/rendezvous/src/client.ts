import {
  abortReason,
  type Clock,
  raceSignal,
  systemClock,
  throwIfAborted,
  timeoutSignal,
} from '@status-ts/core';
import type { Enr } from '@status-ts/enr';
import {
  CLIENT_REQUEST_TIMEOUT_MS,
  DEFAULT_MAX_MESSAGE_SIZE,
  DEFAULT_TTL_NS,
  MAX_DISCOVER_LIMIT,
  MessageType,
  ResponseStatus,
} from './constants.js';
import { RendezvousError, RendezvousErrorCode } from './errors.js';
import { decodeMessageType, encodeFrame, FrameReader } from './framing.js';
import { linkSignals } from './link-signals.js';
import {
  type DiscoverResponse,
  decodeDiscoverResponse,
  decodeRegisterResponse,
  decodeRemoteIpResponse,
  encodeDiscover,
  encodeRegister,
} from './messages.js';
import { assertNamespace } from './namespace.js';
import type { RendezvousDialer } from './stream.js';

export interface RendezvousClientOptions {
  dialer: RendezvousDialer;
  clock?: Clock;
  /** Time allowed for one request, dial included. Default 5 s (RDV-07). */
  requestTimeoutMs?: number;
  /** Largest RLP item accepted from a server. Default 16 KiB. */
  maxMessageSize?: number;
}

export interface RegisterOptions {
  /** Default 10 s in nanoseconds (RDV-07). */
  ttlNs?: bigint;
  signal?: AbortSignal;
}

export interface DiscoverOptions {
  /** Default 10 (RDV-07); servers cap it at 10. */
  limit?: number;
  signal?: AbortSignal;
}

function failed(request: string, status: number, message: string): RendezvousError {
  return new RendezvousError(
    RendezvousErrorCode.RequestFailed,
    `${request} failed with status ${status}${message ? `: ${message}` : ''}`,
    { details: { status, message } },
  );
}

/**
 * One-shot rendezvous requests: each opens its own stream (RDV-02), sends one message, half-closes,
 * and reads one answer. Non-OK answers throw ERR_RENDEZVOUS_REQUEST_FAILED with `details.status`.
 */
export class RendezvousClient {
  readonly #dialer: RendezvousDialer;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #maxMessageSize: number;

  constructor(options: RendezvousClientOptions) {
    this.#dialer = options.dialer;
    this.#clock = options.clock ?? systemClock;
    this.#timeoutMs = options.requestTimeoutMs ?? CLIENT_REQUEST_TIMEOUT_MS;
    this.#maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  }

  /** Registers `record` under `topic` at `server` for `ttlNs` (default 10 s). */
  async register(server: string, topic: string, record: Enr, options: RegisterOptions = {}): Promise<void> {
    assertNamespace(topic);
    const body = encodeRegister({ topic, record, ttlNs: options.ttlNs ?? DEFAULT_TTL_NS });
    const answer = await this.#request(
      server,
      encodeFrame(MessageType.Register, body),
      MessageType.RegisterResponse,
      options.signal,
    );
    const response = decodeRegisterResponse(answer);
    if (response.status !== ResponseStatus.Ok) throw failed('REGISTER', response.status, response.message);
  }

  /** Up to `limit` records registered under `topic`; records that fail to verify are dropped and counted. */
  async discover(server: string, topic: string, options: DiscoverOptions = {}): Promise<DiscoverResponse> {
    assertNamespace(topic);
    const body = encodeDiscover({ limit: options.limit ?? MAX_DISCOVER_LIMIT, topic });
    const answer = await this.#request(
      server,
      encodeFrame(MessageType.Discover, body),
      MessageType.DiscoverResponse,
      options.signal,
    );
    const response = decodeDiscoverResponse(answer);
    if (response.status !== ResponseStatus.Ok) throw failed('DISCOVER', response.status, response.message);
    return response;
  }

  /** This node's IP address as the server sees it (newer servers only: older ones reset the stream). */
  async remoteIp(server: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    const answer = await this.#request(
      server,
      encodeFrame(MessageType.RemoteIp),
      MessageType.RemoteIpResponse,
      options.signal,
    );
    const response = decodeRemoteIpResponse(answer);
    if (response.status !== ResponseStatus.Ok) throw failed('REMOTEIP', response.status, '');
    return response.ip;
  }

  async #request(
    server: string,
    frame: Uint8Array,
    expected: MessageType,
    userSignal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    throwIfAborted(userSignal);
    const timeout = timeoutSignal(this.#timeoutMs, this.#clock);
    const linked = linkSignals(timeout.signal, userSignal);
    const signal = linked.signal ?? timeout.signal;
    try {
      const stream = await raceSignal(this.#dialer.dial(server, signal), signal);
      try {
        await raceSignal(stream.write(frame), signal);
        await raceSignal(stream.closeWrite(), signal);
        const reader = new FrameReader(stream.source, this.#maxMessageSize);
        const type = await reader.next(signal);
        if (type === undefined) {
          throw new RendezvousError(
            RendezvousErrorCode.UnexpectedEof,
            'server closed the stream without answering',
          );
        }
        const got = decodeMessageType(type);
        if (got !== expected) {
          throw new RendezvousError(
            RendezvousErrorCode.UnexpectedType,
            `expected type ${expected}, got ${got}`,
            {
              details: { expected, got },
            },
          );
        }
        const body = await reader.next(signal);
        if (body === undefined) {
          throw new RendezvousError(
            RendezvousErrorCode.UnexpectedEof,
            'server closed the stream before the body',
          );
        }
        // The server closes after our half-close; reading its end lets the transport free the stream.
        try {
          if ((await reader.next(signal)) !== undefined) stream.reset();
        } catch {
          stream.reset();
        }
        return body;
      } catch (err) {
        stream.reset(err instanceof Error ? err : undefined);
        if (signal.aborted) throw abortReason(signal);
        throw err;
      }
    } finally {
      timeout.cancel();
      linked.dispose();
    }
  }
}
