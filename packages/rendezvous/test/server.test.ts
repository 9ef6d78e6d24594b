import { ManualClock, utf8ToBytes } from '@status-ts/core';
import { rlpEncode, rlpRaw } from '@status-ts/enr';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeDiscoverResponse,
  decodeMessageType,
  decodeRegisterResponse,
  decodeRemoteIpResponse,
  encodeDiscover,
  encodeFrame,
  encodeRegister,
  MemoryRegistrationStore,
  MessageType,
  PeerRateLimiter,
  RendezvousServer,
  type RendezvousServerOptions,
  ResponseStatus,
} from '../src/index.js';
import { createMemoryStreamPair } from '../src/stream.js';
import { exchange, forgedEnrRlp, testEnr } from './helpers/fixtures.js';

const SECOND_NS = 1_000_000_000n;
let servers: RendezvousServer[] = [];

function setup(options: Partial<RendezvousServerOptions> = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const store = new MemoryRegistrationStore();
  const server = new RendezvousServer({ store, clock, rateLimit: false, ...options });
  server.start();
  servers.push(server);
  return { clock, store, server };
}

afterEach(async () => {
  for (const server of servers) await server.stop();
  servers = [];
});

/** Lets the cleaner's queued store calls finish (they are promise chains, not timers). */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

function registerFrame(topic: string | Uint8Array, record = testEnr(), ttlNs = 10n * SECOND_NS) {
  const body =
    typeof topic === 'string'
      ? encodeRegister({ topic, record, ttlNs })
      : rlpEncode([topic, rlpRaw(record.encode()), ttlNs]);
  return encodeFrame(MessageType.Register, body);
}

function discoverFrame(topic: string, limit = 10) {
  return encodeFrame(MessageType.Discover, encodeDiscover({ limit, topic }));
}

async function register(server: RendezvousServer, frame: Uint8Array) {
  const { items, reset } = await exchange(server, [frame]);
  expect(reset).toBe(false);
  expect(decodeMessageType(items[0]!)).toBe(MessageType.RegisterResponse);
  return decodeRegisterResponse(items[1]!);
}

async function discover(server: RendezvousServer, topic: string, limit = 10) {
  const { items, reset } = await exchange(server, [discoverFrame(topic, limit)]);
  expect(reset).toBe(false);
  expect(decodeMessageType(items[0]!)).toBe(MessageType.DiscoverResponse);
  return decodeDiscoverResponse(items[1]!);
}

describe('RendezvousServer rules (RDV-06)', () => {
  it('stores a registration and returns it to DISCOVER for the same topic only', async () => {
    const { server } = setup();
    const record = testEnr();
    expect(await register(server, registerFrame('whisper', record))).toEqual({ status: 0, message: '' });
    const found = await discover(server, 'whisper');
    expect(found.status).toBe(ResponseStatus.Ok);
    expect(found.records.map((r) => r.encodeText())).toEqual([record.encodeText()]);
    expect((await discover(server, 'whispermail')).records).toEqual([]);
  });

  it('keeps a record until now + TTL + 0.5 s, and the cleaner deletes it every 2 s', async () => {
    const { server, clock, store } = setup();
    await register(server, registerFrame('whisper', testEnr(), 10n * SECOND_NS));
    clock.advance(10_499);
    expect((await discover(server, 'whisper')).records).toHaveLength(1);
    clock.advance(1);
    expect((await discover(server, 'whisper')).records).toHaveLength(0);
    // still stored until the cleaner runs: its period is 2 s (12 s is the next tick)
    expect(await store.count(0)).toBe(1);
    clock.advance(1_499);
    await flush();
    expect(await store.count(0)).toBe(1);
    clock.advance(1); // the 12 s tick
    await flush();
    expect(await store.count(0)).toBe(0);
    expect(server.stats.expired).toBe(1);
  });

  it('accepts TTL up to 20 s in nanoseconds and rejects longer with status 102', async () => {
    const { server } = setup();
    expect((await register(server, registerFrame('whisper', testEnr(), 20n * SECOND_NS))).status).toBe(0);
    const tooLong = await register(server, registerFrame('whisper', testEnr(), 20n * SECOND_NS + 1n));
    expect(tooLong.status).toBe(ResponseStatus.InvalidTtl);
    // a TTL given in seconds by mistake is tiny, not huge: 10 ns lives only for the 0.5 s network delay
    expect((await register(server, registerFrame('whisper', testEnr(), 2n ** 64n - 1n))).status).toBe(102);
    expect(server.stats.rejected[102]).toBe(2);
  });

  it('rejects namespace abuse with status 100', async () => {
    const { server } = setup();
    const bad = [
      new Uint8Array(0),
      new Uint8Array(51).fill(0x61),
      new Uint8Array([0x77, 0xff, 0x77]),
      new Uint8Array([0xc3, 0x28]),
    ];
    for (const topic of bad) {
      expect((await register(server, registerFrame(topic))).status).toBe(ResponseStatus.InvalidNamespace);
    }
    expect((await register(server, registerFrame(new Uint8Array(50).fill(0x61)))).status).toBe(0);
    const { items } = await exchange(server, [
      encodeFrame(MessageType.Discover, rlpEncode([10, new Uint8Array([0xff])])),
    ]);
    expect(decodeDiscoverResponse(items[1]!).status).toBe(ResponseStatus.InvalidNamespace);
  });

  it('rejects a forged ENR with status 101 and never stores it', async () => {
    const { server, store } = setup();
    const body = rlpEncode(['whisper', rlpRaw(forgedEnrRlp(testEnr())), 10n * SECOND_NS]);
    const response = await register(server, encodeFrame(MessageType.Register, body));
    expect(response.status).toBe(ResponseStatus.InvalidEnr);
    expect(await store.count(0)).toBe(0);
  });

  it('checks in Go order: namespace before TTL before ENR', async () => {
    const { server } = setup();
    const forged = rlpRaw(forgedEnrRlp(testEnr()));
    const frame = (topic: string, ttl: bigint) =>
      encodeFrame(MessageType.Register, rlpEncode([topic, forged, ttl]));
    expect((await register(server, frame('', 30n * SECOND_NS))).status).toBe(100);
    expect((await register(server, frame('whisper', 30n * SECOND_NS))).status).toBe(102);
    expect((await register(server, frame('whisper', SECOND_NS))).status).toBe(101);
  });

  it('answers a malformed body with status 104 and keeps serving the stream', async () => {
    const { server } = setup();
    const record = testEnr();
    const { items, reset } = await exchange(server, [
      encodeFrame(MessageType.Register, rlpEncode(['whisper', 'not an enr', 1])),
      encodeFrame(MessageType.Discover, rlpEncode(['whisper'])),
      registerFrame('whisper', record),
      discoverFrame('whisper'),
    ]);
    expect(reset).toBe(false);
    expect(items.map((item, i) => (i % 2 === 0 ? decodeMessageType(item) : undefined))).toEqual([
      2,
      undefined,
      4,
      undefined,
      2,
      undefined,
      4,
      undefined,
    ]);
    expect(decodeRegisterResponse(items[1]!).status).toBe(104);
    expect(decodeDiscoverResponse(items[3]!).status).toBe(104);
    expect(decodeRegisterResponse(items[5]!).status).toBe(0);
    expect(decodeDiscoverResponse(items[7]!).records).toHaveLength(1);
  });

  it('caps a huge limit at 10 random records and rejects limit 0 with status 103', async () => {
    const { server } = setup();
    const records = Array.from({ length: 25 }, () => testEnr());
    for (const record of records) await register(server, registerFrame('whisper', record));
    const first = await discover(server, 'whisper', Number.MAX_SAFE_INTEGER);
    expect(first.records).toHaveLength(10);
    expect(new Set(first.records.map((r) => r.nodeIdHex)).size).toBe(10);
    const { items } = await exchange(server, [
      encodeFrame(MessageType.Discover, rlpEncode([2n ** 64n - 1n, 'whisper'])),
    ]);
    expect(decodeDiscoverResponse(items[1]!).records).toHaveLength(10);
    // random: across a few requests we see more than 10 distinct records
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++)
      for (const r of (await discover(server, 'whisper')).records) seen.add(r.nodeIdHex);
    expect(seen.size).toBeGreaterThan(10);
    expect((await discover(server, 'whisper', 3)).records).toHaveLength(3);
    expect((await discover(server, 'whisper', 0)).status).toBe(ResponseStatus.InvalidLimit);
  });

  it('lets a newer record replace an older one, never the reverse', async () => {
    const { server } = setup();
    const key = new Uint8Array(32).fill(7);
    const v1 = testEnr({ key, seq: 1n, tcp: 1 });
    const v2 = testEnr({ key, seq: 2n, tcp: 2 });
    await register(server, registerFrame('whisper', v2));
    await register(server, registerFrame('whisper', v1));
    expect((await discover(server, 'whisper')).records.map((r) => r.tcp)).toEqual([2]);
  });

  it('answers REMOTEIP with the address the transport reports', async () => {
    const { server } = setup();
    const { items } = await exchange(server, [encodeFrame(MessageType.RemoteIp)], { ip: '203.0.113.7' });
    expect(decodeMessageType(items[0]!)).toBe(MessageType.RemoteIpResponse);
    expect(decodeRemoteIpResponse(items[1]!)).toEqual({ status: 0, ip: '203.0.113.7' });
    const unknown = await exchange(server, [encodeFrame(MessageType.RemoteIp)]);
    expect(decodeRemoteIpResponse(unknown.items[1]!).status).toBe(ResponseStatus.InternalError);
  });

  it('tolerates an empty-list body after REMOTEIP', async () => {
    const { server } = setup();
    const { items, reset } = await exchange(
      server,
      [encodeFrame(MessageType.RemoteIp, rlpEncode([])), discoverFrame('whisper')],
      { ip: '203.0.113.7' },
    );
    expect(reset).toBe(false);
    expect(items.map((i) => i[0])).toHaveLength(4);
  });

  it('resets the stream on an unknown type, a response type and malformed framing', async () => {
    const { server } = setup();
    for (const bytes of [
      rlpEncode(9),
      rlpEncode(0),
      encodeFrame(MessageType.RegisterResponse, rlpEncode([0, ''])),
      new Uint8Array([0xb8, 0x01, 0x00]), // non-canonical length
      new Uint8Array([0xbb, 0x7f, 0xff, 0xff, 0xff]), // 2 GiB item
      utf8ToBytes('GET / HTTP/1.1\r\n'),
    ]) {
      const result = await exchange(server, [bytes]);
      expect(result.reset).toBe(true);
    }
    expect(server.stats.resets).toBe(6);
    // and still serves the next stream
    expect((await register(server, registerFrame('whisper'))).status).toBe(0);
  });

  it('resets a stream that ends inside a message body', async () => {
    const { server } = setup();
    const frame = registerFrame('whisper');
    expect((await exchange(server, [frame.subarray(0, frame.length - 3)])).reset).toBe(true);
    expect((await exchange(server, [rlpEncode(MessageType.Register)])).reset).toBe(true);
  });

  it('resets a stream idle for longer than the 10 s read timeout', async () => {
    const { server, clock } = setup();
    const { a, b } = createMemoryStreamPair({ peer: 'slow' }, {});
    const handled = server.handleStream(b);
    await a.write(rlpEncode(MessageType.Discover)); // type, then nothing
    await Promise.resolve();
    clock.advance(9_999);
    expect(server.stats.resets).toBe(0);
    clock.advance(1);
    await handled;
    expect(server.stats.resets).toBe(1);
    await expect(a.source[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'ERR_RENDEZVOUS_STREAM_RESET',
    });
  });

  it('resets open streams on stop', async () => {
    const { server } = setup();
    const { a, b } = createMemoryStreamPair({}, {});
    const handled = server.handleStream(b);
    await server.stop();
    await handled;
    await expect(a.source[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'ERR_RENDEZVOUS_STREAM_RESET',
    });
  });
});

describe('per-peer rate limits', () => {
  it('answers status 200 once a peer spends its burst, refills over time, and spares other peers', async () => {
    const { server, clock } = setup({ rateLimit: { burst: 3, perSecond: 1 } });
    const frames = Array.from({ length: 5 }, () => discoverFrame('whisper'));
    const { items } = await exchange(server, frames, { peer: 'greedy' });
    const statuses = items.filter((_, i) => i % 2 === 1).map((body) => decodeDiscoverResponse(body).status);
    expect(statuses).toEqual([0, 0, 0, 200, 200]);
    expect(server.stats.rateLimited).toBe(2);

    const other = await exchange(server, [discoverFrame('whisper')], { peer: 'polite' });
    expect(decodeDiscoverResponse(other.items[1]!).status).toBe(0);

    const refused = await exchange(server, [registerFrame('whisper')], { peer: 'greedy' });
    expect(decodeRegisterResponse(refused.items[1]!)).toEqual({
      status: 200,
      message: 'rate limit exceeded',
    });
    clock.advance(1_000);
    const again = await exchange(server, [registerFrame('whisper')], { peer: 'greedy' });
    expect(decodeRegisterResponse(again.items[1]!).status).toBe(0);
  });

  it('forgets refilled peers and bounds the number it tracks', () => {
    const clock = new ManualClock(0);
    const limiter = new PeerRateLimiter(clock, { burst: 2, perSecond: 1, maxPeers: 3 });
    for (const peer of ['a', 'b', 'c', 'd', 'e']) expect(limiter.take(peer)).toBe(true);
    expect(limiter.trackedPeers).toBe(3);
    expect(limiter.take('e')).toBe(true);
    expect(limiter.take('e')).toBe(false);
    clock.advance(999);
    expect(limiter.take('e')).toBe(false);
    clock.advance(1);
    expect(limiter.take('e')).toBe(true);
    clock.advance(2_000);
    limiter.prune();
    expect(limiter.trackedPeers).toBe(0);
  });
});

describe('hostile streams (property)', () => {
  it('random bytes never crash the server: each stream is answered or reset, and service goes on', async () => {
    const { server } = setup();
    const valid = [registerFrame('whisper'), discoverFrame('whisper'), encodeFrame(MessageType.RemoteIp)];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(...valid)), {
          minLength: 1,
          maxLength: 4,
        }),
        async (chunks) => {
          const result = await exchange(server, chunks, { ip: '192.0.2.1' });
          // answers come in (type, body) pairs of response types
          for (let i = 0; i + 1 < result.items.length; i += 2) {
            expect([2, 4, 6]).toContain(decodeMessageType(result.items[i]!));
          }
        },
      ),
      { numRuns: 300 },
    );
    expect((await register(server, registerFrame('whisper'))).status).toBe(0);
  });
});
