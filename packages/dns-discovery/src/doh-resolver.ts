import {
  abortReason,
  type Clock,
  isStatusTsError,
  raceSignal,
  systemClock,
  throwIfAborted,
} from '@status-ts/core';
import { base64UrlEncode } from '@status-ts/enr';
import { DEFAULT_DOH_MAX_RESPONSE_BYTES, DEFAULT_DOH_TIMEOUT_MS } from './constants.js';
import { decodeTxtResponse, encodeTxtQuery, rcodeName } from './dns-wire.js';
import { DnsDiscoveryError, DnsErrorCode } from './errors.js';
import { positiveInteger } from './options.js';
import type { Resolver } from './resolver.js';

/** The media type of DNS wire-format messages over HTTP (RFC 8484 6). */
export const DNS_MESSAGE_MEDIA_TYPE = 'application/dns-message';

/** What the resolver needs of a `fetch` response: the global one fits, so do React Native's. */
export interface DohFetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  /** The body as a stream, where the runtime has one; otherwise `arrayBuffer()` is used. */
  readonly body?: ReadableStream<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A `fetch` function: the global one by default, or one injected (tests, custom agents, polyfills). */
export type DohFetch = (
  url: string,
  init: {
    method: 'GET' | 'POST';
    headers: Record<string, string>;
    body?: Uint8Array<ArrayBuffer>;
    signal: AbortSignal;
  },
) => Promise<DohFetchResponse>;

export interface DohResolverOptions {
  /** The server's DoH endpoint (`https://…/dns-query`); `http:` is accepted for local proxies and tests. */
  url: string;
  /**
   * `GET` (default: RFC 8484 4.1, HTTP caches can serve it; the query rides in `?dns=`) or `POST` (the
   * query as the body: smaller requests, no caching).
   */
  method?: 'GET' | 'POST';
  /** Limit for the whole exchange, body included, ms (default `DEFAULT_DOH_TIMEOUT_MS`, 5 s). */
  timeoutMs?: number;
  /** Largest response body read, bytes (default `DEFAULT_DOH_MAX_RESPONSE_BYTES`, 64 KiB). */
  maxResponseBytes?: number;
  /** The `fetch` to use (default the global `fetch`, looked up at each query). */
  fetch?: DohFetch;
  /** Clock the timeout runs on (default the system clock). */
  clock?: Clock;
}

export interface DohResolverConfig {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

export interface DohResolverStats {
  /** Queries sent. */
  queries: number;
  /** Queries answered with TXT records. */
  answers: number;
  /** Queries that failed, by error code (the caller's own aborts are not counted). */
  errors: Record<string, number>;
}

function invalid(option: string, value: unknown, why: string): DnsDiscoveryError {
  return new DnsDiscoveryError(DnsErrorCode.InvalidInput, `${option} ${why}, got ${String(value)}`, {
    details: { option, value },
  });
}

function checkUrl(url: unknown): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw invalid('url', url, 'must be an absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw invalid('url', url, 'must be an https: (or http:) URL');
  }
  return parsed.href;
}

const globalFetch: DohFetch = (url, init) => {
  const platform = (globalThis as { fetch?: DohFetch }).fetch;
  if (typeof platform !== 'function') {
    return Promise.reject(
      new DnsDiscoveryError(DnsErrorCode.ResolveFailed, 'no global fetch here: pass options.fetch'),
    );
  }
  return platform(url, init);
};

/**
 * RFC 8484 DNS-over-HTTPS resolver for TXT records, on `fetch` alone, so browsers and React Native can
 * sync EIP-1459 trees. Queries are DNS wire format (ID 0); answers must be `application/dns-message`,
 * complete (no TC bit), parse, answer the question, and fit in `maxResponseBytes`. NXDOMAIN, SERVFAIL and
 * other RCODEs, and a NOERROR answer without TXT records, fail with ERR_DNS_RESOLVE_FAILED and the
 * c-ares code (`ENOTFOUND`, `ESERVFAIL`, `ENODATA`…) in `details.code`, as `NodeResolver` reports them.
 */
export class DohResolver implements Resolver {
  readonly config: DohResolverConfig;
  readonly stats: DohResolverStats = { queries: 0, answers: 0, errors: {} };
  readonly #fetch: DohFetch;
  readonly #clock: Clock;

  constructor(options: DohResolverOptions) {
    const method = options.method ?? 'GET';
    if (method !== 'GET' && method !== 'POST') throw invalid('method', method, "must be 'GET' or 'POST'");
    if (options.fetch !== undefined && typeof options.fetch !== 'function') {
      throw invalid('fetch', options.fetch, 'must be a function');
    }
    this.config = {
      url: checkUrl(options.url),
      method,
      timeoutMs: positiveInteger('timeoutMs', options.timeoutMs ?? DEFAULT_DOH_TIMEOUT_MS),
      maxResponseBytes: positiveInteger(
        'maxResponseBytes',
        options.maxResponseBytes ?? DEFAULT_DOH_MAX_RESPONSE_BYTES,
      ),
    };
    this.#fetch = options.fetch ?? globalFetch;
    this.#clock = options.clock ?? systemClock;
  }

  async resolveTxt(name: string, options: { signal?: AbortSignal } = {}): Promise<string[][]> {
    const { signal } = options;
    throwIfAborted(signal);
    this.stats.queries++;
    try {
      const records = await this.#exchange(name, signal);
      this.stats.answers++;
      return records;
    } catch (err) {
      if (signal?.aborted) throw abortReason(signal);
      const typed = isStatusTsError(err)
        ? err
        : new DnsDiscoveryError(DnsErrorCode.ResolveFailed, `${name}: DNS-over-HTTPS request failed`, {
            cause: err,
            details: { name, url: this.config.url },
          });
      this.stats.errors[typed.code] = (this.stats.errors[typed.code] ?? 0) + 1;
      throw typed;
    }
  }

  async #exchange(name: string, signal: AbortSignal | undefined): Promise<string[][]> {
    const query = encodeTxtQuery(name);
    const { timeoutMs } = this.config;
    // One signal for fetch and the body: the caller's abort or our timeout, whichever comes first.
    const controller = new AbortController();
    // Stryker disable next-line OptionalChaining: onAbort is only registered on a signal, so it is defined here
    const onAbort = () => controller.abort(signal?.reason);
    // No `once`: a signal aborts at most once, and the finally below removes the listener.
    signal?.addEventListener('abort', onAbort);
    const cancelTimer = this.#clock.setTimeout(() => {
      controller.abort(
        new DnsDiscoveryError(
          DnsErrorCode.Timeout,
          `${name}: no DNS-over-HTTPS answer within ${timeoutMs} ms`,
          {
            details: { name, ms: timeoutMs },
          },
        ),
      );
    }, timeoutMs);
    try {
      // raceSignal as well: an injected fetch may ignore the signal.
      const response = await raceSignal(this.#request(query, controller.signal), controller.signal);
      const body = await raceSignal(this.#readBody(name, response), controller.signal);
      return this.#records(name, body);
    } finally {
      cancelTimer();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #request(query: Uint8Array<ArrayBuffer>, signal: AbortSignal): Promise<DohFetchResponse> {
    const headers: Record<string, string> = { accept: DNS_MESSAGE_MEDIA_TYPE };
    if (this.config.method === 'POST') {
      headers['content-type'] = DNS_MESSAGE_MEDIA_TYPE;
      return this.#fetch(this.config.url, { method: 'POST', headers, body: query, signal });
    }
    const url = new URL(this.config.url);
    url.searchParams.set('dns', base64UrlEncode(query)); // unpadded base64url (RFC 8484 4.1)
    return this.#fetch(url.href, { method: 'GET', headers, signal });
  }

  /** Checks status and content type, then reads at most `maxResponseBytes` of the body. */
  async #readBody(name: string, response: DohFetchResponse): Promise<Uint8Array> {
    const { maxResponseBytes: limit } = this.config;
    const discard = () => response.body?.cancel().catch(() => {});
    if (response.status < 200 || response.status > 299) {
      void discard();
      throw new DnsDiscoveryError(
        DnsErrorCode.HttpStatus,
        `${name}: DNS-over-HTTPS server answered HTTP ${response.status}`,
        {
          details: { name, status: response.status },
        },
      );
    }
    const contentType = response.headers.get('content-type');
    // Stryker disable next-line OptionalChaining: split always returns at least one element, so [0] is defined
    const media = contentType?.split(';')[0]?.trim().toLowerCase();
    if (media !== DNS_MESSAGE_MEDIA_TYPE) {
      void discard();
      throw new DnsDiscoveryError(
        DnsErrorCode.BadContentType,
        `${name}: DNS-over-HTTPS answer of type ${contentType ?? 'none'}, not ${DNS_MESSAGE_MEDIA_TYPE}`,
        { details: { name, contentType } },
      );
    }
    const tooLarge = (bytes: number | undefined) =>
      new DnsDiscoveryError(
        DnsErrorCode.ResponseTooLarge,
        `${name}: DNS-over-HTTPS answer over ${limit} bytes${bytes === undefined ? '' : ` (${bytes})`}`,
        { details: { name, bytes, limit } },
      );
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > limit) {
      void discard();
      throw tooLarge(declared);
    }
    if (!response.body) {
      // No streams (React Native): the whole body, then the check.
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length > limit) throw tooLarge(bytes.length);
      return bytes;
    }
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        void reader.cancel().catch(() => {});
        throw tooLarge(undefined);
      }
      chunks.push(value);
    }
    const out = new Uint8Array(total);
    let pos = 0;
    for (const chunk of chunks) {
      out.set(chunk, pos);
      pos += chunk.length;
    }
    return out;
  }

  #records(name: string, body: Uint8Array): string[][] {
    const { rcode, records } = decodeTxtResponse(body, name);
    // `records` is empty unless rcode is 0.
    if (records.length > 0) return records;
    const code = rcode === 0 ? 'ENODATA' : rcodeName(rcode);
    throw new DnsDiscoveryError(DnsErrorCode.ResolveFailed, `${name}: ${code}`, {
      details: { name, code, rcode },
    });
  }
}
