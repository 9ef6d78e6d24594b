import { getEventListeners } from 'node:events';
import { ManualClock, seededRandom } from '@status-ts/core';
import { Enr, StatusTopic } from '@status-ts/enr';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMemoryStreamPair,
  DEFAULT_TTL_NS,
  MemoryDialer,
  MemoryRegistrationStore,
  RendezvousClient,
  type RendezvousDialer,
  RendezvousPeerSource,
  RendezvousRegistrar,
  RendezvousServer,
} from '../src/index.js';
import { testEnr, testKey } from './helpers/fixtures.js';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

function cluster(names: string[], clock: ManualClock, clientIp?: string) {
  const dialer = new MemoryDialer({ peer: 'client', ip: clientIp });
  const servers = names.map((name) => {
    const server = new RendezvousServer({ store: new MemoryRegistrationStore(), clock });
    server.start();
    dialer.add(name, server);
    cleanup.push(() => server.stop());
    return server;
  });
  const client = new RendezvousClient({ dialer, clock });
  return { dialer, servers, client };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('RendezvousClient', () => {
  it('registers, discovers and asks REMOTEIP', async () => {
    const clock = new ManualClock(1_000);
    const { client, servers } = cluster(['s1'], clock, '198.51.100.4');
    const record = testEnr();
    await client.register('s1', 'whisper', record);
    const found = await client.discover('s1', 'whisper');
    expect(found.records.map((r) => r.encodeText())).toEqual([record.encodeText()]);
    expect(await client.remoteIp('s1')).toBe('198.51.100.4');
    expect(servers[0]!.stats).toMatchObject({ registered: 1, discovered: 1, remoteIp: 1 });
  });

  it('turns a non-OK status into ERR_RENDEZVOUS_REQUEST_FAILED with the status', async () => {
    const clock = new ManualClock(1_000);
    const { client } = cluster(['s1'], clock);
    await expect(
      client.register('s1', 'whisper', testEnr(), { ttlNs: 21_000_000_000n }),
    ).rejects.toMatchObject({
      code: 'ERR_RENDEZVOUS_REQUEST_FAILED',
      details: { status: 102 },
    });
    await expect(client.discover('s1', 'whisper', { limit: 0 })).rejects.toMatchObject({
      details: { status: 103 },
    });
    await expect(client.discover('s1', 'x'.repeat(51))).rejects.toMatchObject({
      code: 'ERR_RENDEZVOUS_INVALID_NAMESPACE',
    });
  });

  it('gives up after the 5 s request timeout and resets the stream', async () => {
    const clock = new ManualClock(0);
    let serverSide: ReturnType<typeof createMemoryStreamPair>['b'] | undefined;
    const silent: RendezvousDialer = {
      async dial() {
        const { a, b } = createMemoryStreamPair();
        serverSide = b;
        void (async () => {
          for await (const _ of b.source) {
            // reads the request, never answers
          }
        })().catch(() => {});
        return a;
      },
    };
    const client = new RendezvousClient({ dialer: silent, clock });
    const pending = client.discover('anywhere', 'whisper');
    await flush();
    clock.advance(5_000);
    await expect(pending).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    await expect(serverSide!.write(new Uint8Array([1]))).rejects.toMatchObject({
      code: 'ERR_RENDEZVOUS_STREAM_RESET',
    });
  });

  it("an aborted request rejects with the signal's reason, resets the stream and releases its timer", async () => {
    const clock = new ManualClock(0);
    let serverSide: ReturnType<typeof createMemoryStreamPair>['b'] | undefined;
    const silent: RendezvousDialer = {
      async dial() {
        const { a, b } = createMemoryStreamPair();
        serverSide = b;
        void (async () => {
          for await (const _ of b.source) {
            // reads the request, never answers
          }
        })().catch(() => {});
        return a;
      },
    };
    const client = new RendezvousClient({ dialer: silent, clock });
    const controller = new AbortController();
    const pending = client.discover('anywhere', 'whisper', { signal: controller.signal });
    await flush();
    controller.abort();
    await expect(pending).rejects.toBe(controller.signal.reason);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.pendingTimers).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await expect(serverSide!.write(new Uint8Array([1]))).rejects.toMatchObject({
      code: 'ERR_RENDEZVOUS_STREAM_RESET',
    });
  });

  it('rejects an answer of the wrong type', async () => {
    const wrong: RendezvousDialer = {
      async dial() {
        const { a, b } = createMemoryStreamPair();
        void (async () => {
          for await (const _ of b.source) break; // take the request
          await b.write(new Uint8Array([0x02, 0xc2, 0x80, 0x80])); // REGISTER_RESPONSE to a DISCOVER
          await b.closeWrite();
        })();
        return a;
      },
    };
    const client = new RendezvousClient({ dialer: wrong });
    await expect(client.discover('x', 'whisper')).rejects.toMatchObject({
      code: 'ERR_RENDEZVOUS_UNEXPECTED_TYPE',
    });
  });
});

describe('RendezvousRegistrar (RDV-07)', () => {
  it('registers every topic at once, then every 5 s at a random server, with a 10 s TTL', async () => {
    const clock = new ManualClock(1_000);
    const { client, servers } = cluster(['s1', 's2', 's3'], clock);
    const record = testEnr();
    const registrar = new RendezvousRegistrar({
      client,
      servers: ['s1', 's2', 's3'],
      record,
      topics: [StatusTopic.Relayer, StatusTopic.Mailserver],
      clock,
      random: seededRandom(7),
    });
    cleanup.push(() => registrar.stop());
    await registrar.start();
    expect(registrar.stats.registered).toBe(2);
    for (let i = 0; i < 6; i++) {
      clock.advance(5_000);
      await flush();
    }
    expect(registrar.stats).toEqual({ registered: 14, failed: 0 });
    // spread over the servers at random
    expect(servers.filter((s) => s.stats.registered > 0).length).toBeGreaterThan(1);
    expect(servers.reduce((n, s) => n + s.stats.registered, 0)).toBe(14);
    // the record never lapses while running: the TTL is twice the period
    const totalLive = await Promise.all(
      ['s1', 's2', 's3'].map((s) => client.discover(s, StatusTopic.Mailserver).then((r) => r.records.length)),
    );
    expect(totalLive.some((n) => n === 1)).toBe(true);
    expect(DEFAULT_TTL_NS).toBe(10_000_000_000n);
  });

  it('stops registering on stop(): records then expire on their own', async () => {
    const clock = new ManualClock(0);
    const { client, servers } = cluster(['s1'], clock);
    const registrar = new RendezvousRegistrar({
      client,
      servers: ['s1'],
      record: testEnr(),
      topics: ['whisper'],
      clock,
    });
    await registrar.start();
    await registrar.stop();
    clock.advance(30_000);
    await flush();
    expect(registrar.stats.registered).toBe(1);
    expect((await client.discover('s1', 'whisper')).records).toHaveLength(0);
    expect(servers[0]!.stats.expired).toBe(1);
  });

  it('re-signs a loopback record with the address REMOTEIP reports', async () => {
    const clock = new ManualClock(0);
    const { client } = cluster(['s1'], clock, '203.0.113.9');
    const key = testKey();
    const local = Enr.create({ privateKey: key, ip: '127.0.0.1', tcp: 30303, udp: 30303 });
    const registrar = new RendezvousRegistrar({
      client,
      servers: ['s1'],
      record: local,
      topics: ['whisper'],
      clock,
      privateKey: key,
    });
    cleanup.push(() => registrar.stop());
    await registrar.start();
    const [found] = (await client.discover('s1', 'whisper')).records;
    expect(found!.ip).toBe('203.0.113.9');
    expect(found!.tcp).toBe(30303);
    expect(found!.seq).toBe(local.seq + 1n);
    expect(found!.nodeIdHex).toBe(local.nodeIdHex);
  });

  it("registerAll({ signal }) rejects with the signal's reason and counts no failure", async () => {
    const clock = new ManualClock(0);
    const silent: RendezvousDialer = {
      async dial() {
        const { a, b } = createMemoryStreamPair();
        void (async () => {
          for await (const _ of b.source) {
            // reads the request, never answers
          }
        })().catch(() => {});
        return a;
      },
    };
    const registrar = new RendezvousRegistrar({
      client: new RendezvousClient({ dialer: silent, clock }),
      servers: ['s1'],
      record: testEnr(),
      topics: ['whisper', 'whispermail'],
      clock,
    });
    const controller = new AbortController();
    const round = registrar.registerAll({ signal: controller.signal });
    await flush();
    expect(clock.pendingTimers).toBe(2); // one request timeout per topic
    controller.abort();
    await expect(round).rejects.toBe(controller.signal.reason);
    await expect(round).rejects.toMatchObject({ name: 'AbortError' });
    expect(registrar.stats).toEqual({ registered: 0, failed: 0 });
    expect(clock.pendingTimers).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('counts failures without throwing and needs servers', async () => {
    const clock = new ManualClock(0);
    const { client } = cluster(['s1'], clock);
    const registrar = new RendezvousRegistrar({
      client,
      servers: ['nowhere'],
      record: testEnr(),
      topics: ['whisper'],
      clock,
    });
    await registrar.start();
    await registrar.stop();
    expect(registrar.stats).toEqual({ registered: 0, failed: 1 });
    expect(
      () => new RendezvousRegistrar({ client, servers: [], record: testEnr(), topics: ['whisper'] }),
    ).toThrow(expect.objectContaining({ code: 'ERR_RENDEZVOUS_NO_SERVERS' }));
  });
});

describe('RendezvousPeerSource', () => {
  it('yields each dialable record once, again only with a higher seq', async () => {
    const clock = new ManualClock(0);
    const { client } = cluster(['s1'], clock);
    const key = testKey();
    await client.register('s1', 'whisper', testEnr({ key, seq: 1n }));
    const noAddress = Enr.create({ privateKey: testKey() });
    await client.register('s1', 'whisper', noAddress);
    const source = new RendezvousPeerSource({ client, servers: ['s1'], clock, intervalMs: 1_000 });
    const controller = new AbortController();
    const iterator = source.find('whisper', controller.signal)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value!.seq).toBe(1n);
    // same record again: nothing new until seq 2 shows up
    const second = iterator.next();
    await flush();
    clock.advance(1_000);
    await flush();
    await client.register('s1', 'whisper', testEnr({ key, seq: 2n }));
    clock.advance(2_000);
    await flush();
    expect((await second).value!.seq).toBe(2n);
    controller.abort();
    clock.advance(60_000);
    await flush();
    expect((await iterator.next()).done).toBe(true);
    expect(source.stats.yielded).toBe(2);
  });

  it('backs off exponentially from 2 s to 30 s while requests fail', async () => {
    const clock = new ManualClock(0);
    const { client } = cluster(['s1'], clock);
    const source = new RendezvousPeerSource({ client, servers: ['down'], clock });
    const controller = new AbortController();
    const iterator = source.find('whisper', controller.signal)[Symbol.asyncIterator]();
    const pending = iterator.next();
    const times: number[] = [];
    let last = 0;
    for (let t = 0; t <= 130_000; t += 500) {
      clock.set(t);
      await flush();
      if (source.stats.requests !== last) {
        last = source.stats.requests;
        times.push(t);
      }
    }
    expect(times).toEqual([0, 2_000, 6_000, 14_000, 30_000, 60_000, 90_000, 120_000]);
    expect(source.stats.failures).toBe(times.length);
    controller.abort();
    expect((await pending).done).toBe(true);
  });
});
