import { createSocket } from 'node:dgram';
import { ManualClock } from '@status-ts/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTree,
  DEFAULT_DOH_MAX_RESPONSE_BYTES,
  DEFAULT_DOH_TIMEOUT_MS,
  DnsClient,
  DnsDiscoveryError,
  type DohFetch,
  DohResolver,
  type DohResolverOptions,
  MemoryResolver,
} from '../src/index.js';
import { type DnsServer, ensureDnsmasq, startDnsmasq } from './helpers/dnsmasq.js';
import {
  buildResponse,
  characterStrings,
  type DohServer,
  startDohServer,
  zoneAnswer,
} from './helpers/doh-server.js';
import { rejection, SIGNER_KEY, testEnrs, thrown } from './helpers/fixtures.js';

const DOMAIN = 'nodes.doh.test';
const LONG = `${'a'.repeat(255)}${'b'.repeat(255)}${'c'.repeat(90)}`;
const zone: Record<string, string | string[]> = {
  [`short.${DOMAIN}`]: 'hello',
  [`long.${DOMAIN}`]: LONG,
  [`two.${DOMAIN}`]: ['first', 'second'],
};

let server: DohServer;
const resolverFor = (o: Partial<DohResolverOptions> = {}) => new DohResolver({ url: server.url, ...o });

beforeAll(async () => {
  server = await startDohServer(zone);
});
afterEach(() => {
  server.reply = () => ({});
  server.requests.length = 0;
});
afterAll(() => server.close());

describe('DohResolver (RFC 8484 DNS-over-HTTPS)', () => {
  it('GET (the default): ?dns=<base64url, no padding>, Accept application/dns-message, query ID 0', async () => {
    expect(await resolverFor().resolveTxt(`short.${DOMAIN}`)).toEqual([['hello']]);
    const [seen] = server.requests;
    expect(seen?.method).toBe('GET');
    expect(seen?.accept).toBe('application/dns-message');
    const param = new URL(seen!.url, 'http://x').searchParams.get('dns')!;
    expect(param).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(param, 'base64url').equals(Buffer.from(seen!.query))).toBe(true);
    expect([seen!.query[0], seen!.query[1]]).toEqual([0, 0]);
  });

  it('POST: the query as the body, Content-Type application/dns-message', async () => {
    expect(await resolverFor({ method: 'POST' }).resolveTxt(`two.${DOMAIN}`)).toEqual([
      ['first'],
      ['second'],
    ]);
    const [seen] = server.requests;
    expect(seen?.method).toBe('POST');
    expect(seen?.contentType).toBe('application/dns-message');
    expect(seen?.accept).toBe('application/dns-message');
    expect(new URL(seen!.url, 'http://x').searchParams.has('dns')).toBe(false);
  });

  it('a TXT record over 255 characters arrives as several character-strings and is joined', async () => {
    const [record] = await resolverFor().resolveTxt(`long.${DOMAIN}`);
    expect(record?.map((s) => s.length)).toEqual([255, 255, 90]);
    expect(record?.join('')).toBe(LONG);
  });

  it('syncs a whole EIP-1459 tree (30 nodes, a link) through DoH', async () => {
    const link = buildTree({ domain: 'other.doh.test', privateKey: SIGNER_KEY, seq: 1, enrs: [] }).url;
    const tree = buildTree({
      domain: DOMAIN,
      privateKey: SIGNER_KEY,
      seq: 4,
      enrs: testEnrs(30),
      links: [link],
    });
    const treeServer = await startDohServer(tree.records());
    try {
      for (const method of ['GET', 'POST'] as const) {
        const client = new DnsClient({ resolver: new DohResolver({ url: treeServer.url, method }) });
        const synced = await client.syncTree(tree.url);
        expect(synced.seq).toBe(4);
        expect(synced.enrs.map((e) => e.encodeText())).toEqual(tree.enrs.map((e) => e.encodeText()));
        expect(synced.links).toEqual([link]);
        expect(synced.records).toEqual(tree.records());
        expect(synced.skipped).toEqual([]);
      }
    } finally {
      await treeServer.close();
    }
  });

  it('NXDOMAIN: ERR_DNS_RESOLVE_FAILED with code ENOTFOUND, as MemoryResolver and NodeResolver report', async () => {
    const resolver = resolverFor();
    const err = await rejection(resolver.resolveTxt(`missing.${DOMAIN}`));
    const memory = await rejection(new MemoryResolver().resolveTxt(`missing.${DOMAIN}`));
    expect(err.code).toBe(memory.code);
    expect(err.details).toMatchObject({ code: 'ENOTFOUND', rcode: 3 });
    expect(resolver.stats.errors).toEqual({ ERR_DNS_RESOLVE_FAILED: 1 });
  });

  it('SERVFAIL: ERR_DNS_RESOLVE_FAILED with code ESERVFAIL', async () => {
    server.reply = (q) => ({ body: buildResponse(q, [], { rcode: 2 }) });
    const err = await rejection(resolverFor().resolveTxt(`short.${DOMAIN}`));
    expect(err.code).toBe('ERR_DNS_RESOLVE_FAILED');
    expect(err.details).toMatchObject({ code: 'ESERVFAIL', rcode: 2 });
  });

  it('timeoutMs: a server that never answers fails with ERR_DNS_TIMEOUT (on the injected clock)', async () => {
    const clock = new ManualClock();
    server.reply = () => {
      clock.advance(50);
      return { hang: true };
    };
    const resolver = resolverFor({ timeoutMs: 50, clock });
    const err = await rejection(resolver.resolveTxt(`short.${DOMAIN}`));
    expect(err.code).toBe('ERR_DNS_TIMEOUT');
    expect(err.details).toMatchObject({ ms: 50 });
    expect(resolver.stats.errors).toEqual({ ERR_DNS_TIMEOUT: 1 });
    expect(clock.pendingTimers).toBe(0);
  });

  it("the caller's abort rejects with the signal's reason and is not counted as a drop", async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    server.reply = () => {
      controller.abort(reason);
      return { hang: true };
    };
    const resolver = resolverFor();
    await expect(resolver.resolveTxt(`short.${DOMAIN}`, { signal: controller.signal })).rejects.toBe(reason);
    expect(resolver.stats.errors).toEqual({});
  });

  it('HTTP 500: ERR_DNS_HTTP_STATUS', async () => {
    server.reply = () => ({ status: 500, contentType: 'text/plain', body: Buffer.from('oops') });
    const resolver = resolverFor();
    const err = await rejection(resolver.resolveTxt(`short.${DOMAIN}`));
    expect(err.code).toBe('ERR_DNS_HTTP_STATUS');
    expect(err.details).toMatchObject({ status: 500 });
    expect(resolver.stats.errors).toEqual({ ERR_DNS_HTTP_STATUS: 1 });
  });

  it('a content type other than application/dns-message: ERR_DNS_BAD_CONTENT_TYPE', async () => {
    server.reply = () => ({ contentType: 'application/dns-json' });
    const err = await rejection(resolverFor().resolveTxt(`short.${DOMAIN}`));
    expect(err.code).toBe('ERR_DNS_BAD_CONTENT_TYPE');
    expect(err.details).toMatchObject({ contentType: 'application/dns-json' });
    // Parameters after the media type are fine.
    server.reply = () => ({ contentType: 'Application/DNS-Message; charset=binary' });
    expect(await resolverFor().resolveTxt(`short.${DOMAIN}`)).toEqual([['hello']]);
  });

  it('a body that ends mid-record: ERR_DNS_TRUNCATED', async () => {
    for (const cut of [5, 20, 8]) {
      server.reply = (_q, answer) => ({ body: answer.subarray(0, answer.length - cut) });
      const err = await rejection(resolverFor().resolveTxt(`long.${DOMAIN}`));
      expect(err.code).toBe('ERR_DNS_TRUNCATED');
    }
    server.reply = () => ({ body: new Uint8Array(0) });
    expect((await rejection(resolverFor().resolveTxt(`short.${DOMAIN}`))).code).toBe('ERR_DNS_TRUNCATED');
  });

  it('the TC flag: ERR_DNS_TRUNCATED, even with records in the answer', async () => {
    server.reply = (q) => ({ body: buildResponse(q, [characterStrings('hello')], { tc: true }) });
    const resolver = resolverFor();
    const err = await rejection(resolver.resolveTxt(`short.${DOMAIN}`));
    expect(err.code).toBe('ERR_DNS_TRUNCATED');
    expect(resolver.stats.errors).toEqual({ ERR_DNS_TRUNCATED: 1 });
  });

  it('a malformed answer (not a response, wrong question, string past its record, pointer loop): ERR_DNS_MALFORMED_ANSWER', async () => {
    const notResponse = (_q: Uint8Array, a: Uint8Array) => {
      const b = Uint8Array.from(a);
      b[2] = b[2]! & 0x7f;
      return b;
    };
    const otherQuestion = (_q: Uint8Array, a: Uint8Array) => {
      const b = Uint8Array.from(a);
      b[13] = 'x'.charCodeAt(0);
      return b;
    };
    const stringPastRecord = (q: Uint8Array) => {
      const b = buildResponse(q, [characterStrings('hello')]);
      b[b.length - 6] = 9; // "hello" claims 9 bytes inside a 6-byte record
      return b;
    };
    const pointerLoop = (q: Uint8Array) => {
      const b = buildResponse(q, [characterStrings('hello')]);
      const owner = b.length - 18;
      b[owner] = 0xc0;
      b[owner + 1] = owner; // the owner name points at itself
      return b;
    };
    for (const corrupt of [notResponse, otherQuestion, stringPastRecord, pointerLoop]) {
      server.reply = (q, a) => ({ body: corrupt(q, a) });
      const err = await rejection(resolverFor().resolveTxt(`short.${DOMAIN}`));
      expect(err.code, corrupt.name).toBe('ERR_DNS_MALFORMED_ANSWER');
    }
  });

  it('maxResponseBytes: a larger body fails with ERR_DNS_RESPONSE_TOO_LARGE, declared or streamed', async () => {
    const big = [characterStrings('x'.repeat(3_000))];
    for (const chunked of [false, true]) {
      server.reply = (q) => ({ body: buildResponse(q, big), chunked });
      const resolver = resolverFor({ maxResponseBytes: 1_000 });
      const err = await rejection(resolver.resolveTxt(`short.${DOMAIN}`));
      expect(err.code).toBe('ERR_DNS_RESPONSE_TOO_LARGE');
      expect(err.details).toMatchObject({ limit: 1_000 });
      expect(resolver.stats.errors).toEqual({ ERR_DNS_RESPONSE_TOO_LARGE: 1 });
      // The default limit takes it.
      expect((await resolverFor().resolveTxt(`short.${DOMAIN}`))[0]?.join('')).toHaveLength(3_000);
    }
  });

  it('options are validated (ERR_DNS_INVALID_INPUT) and defaults are the named constants', () => {
    expect(DEFAULT_DOH_TIMEOUT_MS).toBe(5_000);
    expect(DEFAULT_DOH_MAX_RESPONSE_BYTES).toBe(65_536);
    const resolver = resolverFor();
    expect(resolver.config).toMatchObject({
      method: 'GET',
      timeoutMs: DEFAULT_DOH_TIMEOUT_MS,
      maxResponseBytes: DEFAULT_DOH_MAX_RESPONSE_BYTES,
    });
    const bad: Partial<DohResolverOptions>[] = [
      { url: 'not a url' },
      { url: 'ftp://127.0.0.1/dns-query' },
      { method: 'PUT' as 'GET' },
      { timeoutMs: 0 },
      { timeoutMs: 1.5 },
      { maxResponseBytes: -1 },
      { maxResponseBytes: Number.NaN },
      { fetch: 'nope' as unknown as DohResolverOptions['fetch'] },
    ];
    for (const options of bad) {
      const err = thrown(() => resolverFor(options));
      expect(err, JSON.stringify(options)).toBeInstanceOf(DnsDiscoveryError);
      expect(err.code).toBe('ERR_DNS_INVALID_INPUT');
    }
  });

  it('uses an injected fetch (for runtimes whose fetch lives elsewhere)', async () => {
    // The platform's fetch fits the type an injected one must have.
    const platform: DohFetch = fetch;
    expect(typeof platform).toBe('function');
    const urls: string[] = [];
    const resolver = new DohResolver({
      url: 'https://doh.example/dns-query',
      fetch: async (url, init) => {
        urls.push(url);
        const query = new Uint8Array(Buffer.from(new URL(url).searchParams.get('dns')!, 'base64url'));
        expect(init.headers).toMatchObject({ accept: 'application/dns-message' });
        return new Response(Buffer.from(zoneAnswer(zone, query)), {
          headers: { 'content-type': 'application/dns-message' },
        });
      },
    });
    expect(await resolver.resolveTxt(`SHORT.${DOMAIN}`)).toEqual([['hello']]);
    expect(urls[0]).toMatch(/^https:\/\/doh\.example\/dns-query\?dns=/);
  });
});

describe('DohResolver against a real DNS server (a DoH front forwarding to dnsmasq over UDP)', () => {
  let dnsmasq: DnsServer;
  beforeAll(async () => {
    ensureDnsmasq();
  }, 120_000);
  afterAll(() => dnsmasq?.stop());

  it('dnsmasq parses our queries and we parse its answers: tree sync, split record, NXDOMAIN', async () => {
    const tree = buildTree({ domain: DOMAIN, privateKey: SIGNER_KEY, seq: 9, enrs: testEnrs(20) });
    dnsmasq = await startDnsmasq(tree.records(), [DOMAIN]);
    const forward = (query: Uint8Array) =>
      new Promise<Uint8Array>((resolve, reject) => {
        const socket = createSocket('udp4');
        socket.once('message', (msg) => {
          socket.close();
          resolve(new Uint8Array(msg));
        });
        socket.once('error', reject);
        socket.send(query, dnsmasq.port, '127.0.0.1');
      });
    const front = await startDohServer({}, forward);
    try {
      const client = new DnsClient({ resolver: new DohResolver({ url: front.url, method: 'POST' }) });
      const synced = await client.syncTree(tree.url);
      expect(synced.enrs.map((e) => e.encodeText())).toEqual(tree.enrs.map((e) => e.encodeText()));
      expect(synced.records).toEqual(tree.records());
      const [hash, text] = [...tree.entries].find(([, t]) => t.length > 255)!;
      const [record] = await new DohResolver({ url: front.url }).resolveTxt(`${hash}.${DOMAIN}`);
      expect(record!.length).toBeGreaterThan(1);
      expect(record!.join('')).toBe(text);
      const err = await rejection(new DohResolver({ url: front.url }).resolveTxt(`nope.${DOMAIN}`));
      expect(err.details).toMatchObject({ code: 'ENOTFOUND' });
    } finally {
      await front.close();
    }
  });
});
