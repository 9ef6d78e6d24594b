import { ManualClock } from '@status-ts/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DnsErrorCode,
  type DohFetch,
  type DohFetchResponse,
  DohResolver,
  type DohResolverOptions,
} from '../src/index.js';
import { buildResponse, characterStrings, zoneAnswer } from './helpers/doh-server.js';
import { rejection, thrown } from './helpers/fixtures.js';

/** DohResolver on an injected fetch: no sockets, every part of the response under the test's control. */
const NAME = 'short.doh.test';
const URL_ = 'https://doh.example/dns-query';

const queryOf = (url: string) =>
  new Uint8Array(Buffer.from(new URL(url).searchParams.get('dns')!, 'base64url'));
const answerTo = (url: string) => zoneAnswer({ [NAME]: 'hello' }, queryOf(url));

interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** 'stream' (default): the body as a stream of these chunks; 'buffer': no stream, arrayBuffer() only. */
  mode?: 'stream' | 'buffer';
  chunks?: (answer: Uint8Array) => Uint8Array[];
}

function response(answer: Uint8Array, reply: Reply = {}): DohFetchResponse & { cancelled: boolean } {
  const chunks = reply.chunks?.(answer) ?? [answer];
  const out = {
    status: reply.status ?? 200,
    cancelled: false,
    headers: new Headers(reply.headers ?? { 'content-type': 'application/dns-message' }),
    body:
      reply.mode === 'buffer'
        ? null
        : new ReadableStream<Uint8Array>({
            start(c) {
              for (const chunk of chunks) c.enqueue(chunk);
              c.close();
            },
            cancel() {
              out.cancelled = true;
            },
          }),
    arrayBuffer: async () => {
      if (reply.mode !== 'buffer') throw new Error('the stream must be read, not arrayBuffer()');
      return Uint8Array.from(answer).buffer;
    },
  };
  return out;
}

function resolverWith(reply: Reply | ((url: string) => Reply), options: Partial<DohResolverOptions> = {}) {
  const responses: ReturnType<typeof response>[] = [];
  const fetch: DohFetch = async (url) => {
    const r = response(answerTo(url), typeof reply === 'function' ? reply(url) : reply);
    responses.push(r);
    return r;
  };
  return { resolver: new DohResolver({ url: URL_, fetch, ...options }), responses };
}

/** The size of the answer to NAME's query, to set limits around. */
async function answerSize(): Promise<number> {
  let n = 0;
  await resolverWith((url) => {
    n = answerTo(url).length;
    return {};
  }).resolver.resolveTxt(NAME);
  return n;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('DohResolver responses', () => {
  it('counts queries and answers', async () => {
    const { resolver } = resolverWith({});
    expect(await resolver.resolveTxt(NAME)).toEqual([['hello']]);
    expect(await resolver.resolveTxt(NAME)).toEqual([['hello']]);
    expect(resolver.stats).toEqual({ queries: 2, answers: 2, errors: {} });
  });

  it('accepts every 2xx status and no other', async () => {
    for (const status of [200, 204, 299]) {
      expect(await resolverWith({ status }).resolver.resolveTxt(NAME)).toEqual([['hello']]);
    }
    for (const status of [199, 300, 404]) {
      const { resolver, responses } = resolverWith({ status });
      const err = await rejection(resolver.resolveTxt(NAME));
      expect(err.code).toBe(DnsErrorCode.HttpStatus);
      expect(err.details).toEqual({ name: NAME, status });
      expect(responses[0]?.cancelled, 'the body is discarded').toBe(true);
    }
    const noBody = await rejection(resolverWith({ status: 500, mode: 'buffer' }).resolver.resolveTxt(NAME));
    expect(noBody.code).toBe(DnsErrorCode.HttpStatus);
  });

  it('reads the media type before any parameter, trimmed, in any case; a missing type is refused', async () => {
    const headers = { 'content-type': ' Application/DNS-Message ; charset=binary' };
    expect(await resolverWith({ headers }).resolver.resolveTxt(NAME)).toEqual([['hello']]);
    const { resolver, responses } = resolverWith({ headers: {} });
    const err = await rejection(resolver.resolveTxt(NAME));
    expect(err.code).toBe(DnsErrorCode.BadContentType);
    expect(err.details).toEqual({ name: NAME, contentType: null });
    expect(responses[0]?.cancelled).toBe(true);
  });

  it('refuses a declared Content-Length over the limit before reading, and accepts one at the limit', async () => {
    const n = await answerSize();
    const declared = (extra: number) => ({
      headers: { 'content-type': 'application/dns-message', 'content-length': String(n + extra) },
    });
    expect(await resolverWith(declared(0), { maxResponseBytes: n }).resolver.resolveTxt(NAME)).toEqual([
      ['hello'],
    ]);
    const { resolver, responses } = resolverWith(declared(1), { maxResponseBytes: n });
    const err = await rejection(resolver.resolveTxt(NAME));
    expect(err.code).toBe(DnsErrorCode.ResponseTooLarge);
    expect(err.details).toEqual({ name: NAME, bytes: n + 1, limit: n });
    expect(responses[0]?.cancelled).toBe(true);
  });

  it('limits a streamed body (in several chunks) and a body without a stream, at the limit and one over', async () => {
    const n = await answerSize();
    const split = (a: Uint8Array) => [a.subarray(0, 5), a.subarray(5, 20), a.subarray(20)];
    for (const reply of [{ chunks: split }, { mode: 'buffer' as const }]) {
      expect(await resolverWith(reply, { maxResponseBytes: n }).resolver.resolveTxt(NAME)).toEqual([
        ['hello'],
      ]);
      const err = await rejection(resolverWith(reply, { maxResponseBytes: n - 1 }).resolver.resolveTxt(NAME));
      expect(err.code).toBe(DnsErrorCode.ResponseTooLarge);
      expect(err.details).toEqual({
        name: NAME,
        bytes: reply.mode === 'buffer' ? n : undefined,
        limit: n - 1,
      });
    }
  });

  it('NOERROR without TXT records fails with ENODATA', async () => {
    const fetch: DohFetch = async (url) => response(buildResponse(queryOf(url), []));
    const err = await rejection(new DohResolver({ url: URL_, fetch }).resolveTxt(NAME));
    expect(err.code).toBe(DnsErrorCode.ResolveFailed);
    expect(err.details).toEqual({ name: NAME, code: 'ENODATA', rcode: 0 });
  });

  it('an error rcode fails with its c-ares name even with records in the answer', async () => {
    const fetch: DohFetch = async (url) =>
      response(buildResponse(queryOf(url), [characterStrings('x')], { rcode: 5 }));
    const err = await rejection(new DohResolver({ url: URL_, fetch }).resolveTxt(NAME));
    expect(err.details).toEqual({ name: NAME, code: 'EREFUSED', rcode: 5 });
  });

  it('wraps a failing fetch as ERR_DNS_RESOLVE_FAILED with the name, the URL and the cause', async () => {
    const cause = new TypeError('network down');
    const resolver = new DohResolver({ url: URL_, fetch: () => Promise.reject(cause) });
    const err = await rejection(resolver.resolveTxt(NAME));
    expect(err.code).toBe(DnsErrorCode.ResolveFailed);
    expect(err.details).toEqual({ name: NAME, url: URL_ });
    expect(err.cause).toBe(cause);
    expect(resolver.stats.errors).toEqual({ [DnsErrorCode.ResolveFailed]: 1 });
  });

  it('fails with ERR_DNS_RESOLVE_FAILED where there is no global fetch and none is given', async () => {
    vi.stubGlobal('fetch', undefined);
    const err = await rejection(new DohResolver({ url: URL_ }).resolveTxt(NAME));
    expect(err.code).toBe(DnsErrorCode.ResolveFailed);
    // Its own error, not a call of undefined wrapped as a failed request.
    expect(err.details).toBeUndefined();
    expect(err.cause).toBeUndefined();
  });

  it("stops at the caller's abort even when the injected fetch ignores its signal, and cleans up", async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    const resolver = new DohResolver({ url: URL_, clock, fetch: () => new Promise(() => {}) });
    let settled = false;
    const outcome = resolver.resolveTxt(NAME, { signal: controller.signal }).then(
      () => undefined,
      (err: unknown) => {
        settled = true;
        return err;
      },
    );
    const reason = new Error('stop');
    controller.abort(reason);
    await new Promise((r) => setTimeout(r, 0));
    expect(settled, 'settled without waiting for the timeout').toBe(true);
    expect(await outcome).toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    expect(removed).toHaveBeenCalledWith('abort', expect.any(Function));
  });

  it('clears its timer after an answer', async () => {
    const clock = new ManualClock();
    const { resolver } = resolverWith({}, { clock });
    await resolver.resolveTxt(NAME);
    expect(clock.pendingTimers).toBe(0);
  });

  it('names the option and value of a bad option', () => {
    const cases: [Partial<DohResolverOptions>, string, unknown][] = [
      [{ url: 'not a url' }, 'url', 'not a url'],
      [{ url: 'ftp://doh.example/' }, 'url', 'ftp://doh.example/'],
      [{ method: 'PUT' as 'GET' }, 'method', 'PUT'],
      [{ fetch: 'nope' as unknown as DohFetch }, 'fetch', 'nope'],
      [{ timeoutMs: 0 }, 'timeoutMs', 0],
      [{ maxResponseBytes: 0 }, 'maxResponseBytes', 0],
    ];
    for (const [options, option, value] of cases) {
      const err = thrown(() => new DohResolver({ url: URL_, ...options }));
      expect(err.code).toBe(DnsErrorCode.InvalidInput);
      expect(err.details).toEqual({ option, value });
    }
    expect(new DohResolver({ url: 'http://127.0.0.1:1/q', method: 'POST' }).config.method).toBe('POST');
  });
});
