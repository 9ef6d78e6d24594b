import { ManualClock } from '@status-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { addressGroup } from '../src/address-group.js';
import {
  decodeDiscoverResponse,
  decodeRegisterResponse,
  encodeDiscover,
  encodeFrame,
  encodeRegister,
  MAX_NAMESPACES,
  MAX_RECORDS,
  MAX_RECORDS_PER_IP,
  MemoryRegistrationStore,
  MessageType,
  RendezvousErrorCode,
  RendezvousServer,
  type RendezvousServerOptions,
  ResponseStatus,
} from '../src/index.js';
import { exchange, testEnr } from './helpers/fixtures.js';

const TTL_NS = 20_000_000_000n;
const ATTACKER_IP = '127.0.0.2';
const HONEST_IP = '127.0.0.3';
let servers: RendezvousServer[] = [];

function setup(options: Partial<RendezvousServerOptions> = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const store = new MemoryRegistrationStore();
  const server = new RendezvousServer({ store, clock, ...options });
  server.start();
  servers.push(server);
  return { clock, store, server };
}

afterEach(async () => {
  for (const server of servers) await server.stop();
  servers = [];
});

// A few signed records reused under many namespaces: each (namespace, node) is a distinct registration.
const records = Array.from({ length: 16 }, () => testEnr());

/** One REGISTER over a fresh stream, as a fresh peer id from `ip`; returns the answer. */
async function register(
  server: RendezvousServer,
  topic: string,
  ip: string,
  peer: string,
  record = records[0]!,
) {
  const frame = encodeFrame(MessageType.Register, encodeRegister({ topic, record, ttlNs: TTL_NS }));
  const { items, reset } = await exchange(server, [frame], { peer, ip });
  expect(reset).toBe(false);
  return decodeRegisterResponse(items[1]!);
}

async function discover(server: RendezvousServer, topic: string, ip = HONEST_IP) {
  const frame = encodeFrame(MessageType.Discover, encodeDiscover({ limit: 10, topic }));
  const { items } = await exchange(server, [frame], { peer: 'mobile', ip });
  return decodeDiscoverResponse(items[1]!);
}

describe('RendezvousServer capacity limits', () => {
  it('10,000 registrations from fresh peer ids under fresh namespaces from one IP: the per-IP limits hold', async () => {
    const { server, store, clock } = setup();
    const statuses = new Map<number, number>();
    for (let i = 0; i < 10_000; i++) {
      const answer = await register(
        server,
        `ns-${i}`,
        ATTACKER_IP,
        `attacker-${i}`,
        records[i % records.length],
      );
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    }
    const live = await store.count(clock.now());
    expect(live).toBeLessThanOrEqual(MAX_RECORDS_PER_IP);
    expect(statuses.get(ResponseStatus.Ok)).toBe(live);
    expect(statuses.get(ResponseStatus.NotAuthorized)).toBe(10_000 - live);
    expect(server.stats.registered).toBe(live);
    expect(server.stats.limited.ipRate + server.stats.limited.ipRecords).toBe(10_000 - live);
    // An honest node on another IP still registers and is found.
    const honest = records[5]!;
    expect(await register(server, 'whisper', HONEST_IP, 'relayer', honest)).toEqual({
      status: 0,
      message: '',
    });
    const found = await discover(server, 'whisper');
    expect(found.status).toBe(ResponseStatus.Ok);
    expect(found.records.map((r) => r.encodeText())).toEqual([honest.encodeText()]);
  });

  it('records per IP: live registrations from one IP stop at maxRecordsPerIp, even at a polite rate', async () => {
    const { server, store, clock } = setup({ maxRecordsPerIp: 30 });
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      clock.advance(60); // under the per-IP rate; all still live (TTL 20 s)
      const answer = await register(server, `ns-${i}`, ATTACKER_IP, `attacker-${i}`);
      if (answer.status !== ResponseStatus.Ok) {
        expect(answer.status).toBe(ResponseStatus.NotAuthorized);
        refused++;
      }
    }
    expect(await store.count(clock.now())).toBe(30);
    expect(refused).toBe(170);
    expect(server.stats.limited.ipRecords).toBe(170);
    expect(server.stats.rejected[ResponseStatus.NotAuthorized]).toBe(170);
    // Refreshing a registration it already holds is still allowed.
    expect((await register(server, 'ns-0', ATTACKER_IP, 'attacker-x')).status).toBe(ResponseStatus.Ok);
    // Once its records expire, the IP may register again.
    clock.advance(21_000);
    await server.clean();
    expect((await register(server, 'later', ATTACKER_IP, 'attacker-y')).status).toBe(ResponseStatus.Ok);
  });

  it('register rate per IP: fresh peer ids share one IP budget', async () => {
    const { server } = setup({ ipRateLimit: { burst: 5, perSecond: 1 } });
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await register(server, `ns-${i}`, ATTACKER_IP, `attacker-${i}`));
    expect(answers.map((a) => a.status)).toEqual([0, 0, 0, 0, 0, 200, 200, 200]);
    expect(server.stats.limited.ipRate).toBe(3);
    expect((await register(server, 'whisper', HONEST_IP, 'relayer')).status).toBe(ResponseStatus.Ok);
  });

  it('global caps on records and namespaces hold across many IPs; refusals are status 300 and counted', async () => {
    const { server, store, clock } = setup({ maxRecords: 50, maxNamespaces: 20, maxRecordsPerIp: 10 });
    let ok = 0;
    for (let ip = 10; ip < 30; ip++) {
      for (let i = 0; i < 10; i++) {
        // 20 IPs x 10 records under namespaces ns-0..ns-39: the namespace cap (20) and then the record cap (50).
        const answer = await register(
          server,
          `ns-${(ip * 10 + i) % 40}`,
          `127.0.0.${ip}`,
          `p-${ip}-${i}`,
          testEnr(), // a distinct node each time: every answer is a new record
        );
        if (answer.status === ResponseStatus.Ok) ok++;
        else expect(answer.status).toBe(ResponseStatus.InternalError);
      }
    }
    expect(ok).toBe(50);
    expect(await store.count(clock.now())).toBe(50);
    expect(server.stats.limited.records).toBeGreaterThan(0);
    expect(server.stats.limited.namespaces).toBeGreaterThan(0);
    expect(server.stats.limited.records + server.stats.limited.namespaces).toBe(200 - 50);
    expect(server.stats.rejected[ResponseStatus.InternalError]).toBe(150);
    // Space comes back when records expire.
    clock.advance(21_000);
    await server.clean();
    expect((await register(server, 'whisper', HONEST_IP, 'relayer')).status).toBe(ResponseStatus.Ok);
  });

  it('IPv6 addresses share their /64: fresh addresses in one prefix do not get fresh budgets', async () => {
    expect(addressGroup('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressGroup('2001:0db8:0000:0000:ffff::3')).toBe('2001:db8:0:0::/64');
    expect(addressGroup('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(addressGroup('127.0.0.2')).toBe('127.0.0.2');
    const { server } = setup({ maxRecordsPerIp: 3 });
    const ips = ['2001:db8::1', '2001:db8::2', '2001:db8:0:0:ffff::3', '2001:db8::4'];
    const statuses = [];
    for (const [i, ip] of ips.entries())
      statuses.push((await register(server, `ns-${i}`, ip, `p-${i}`)).status);
    expect(statuses).toEqual([0, 0, 0, ResponseStatus.NotAuthorized]);
    expect((await register(server, 'ns-x', '2001:db8:0:1::1', 'p-x')).status).toBe(ResponseStatus.Ok);
  });

  it('a registration the store fails to keep gives its place back', async () => {
    const store = new MemoryRegistrationStore();
    let fail = true;
    const flaky = Object.assign(Object.create(store), {
      put: async (registration: Parameters<typeof store.put>[0]) => {
        if (fail) throw new Error('disk full');
        return store.put(registration);
      },
    });
    const { server } = setup({ store: flaky, maxRecords: 1 });
    expect((await register(server, 'whisper', HONEST_IP, 'a', records[1])).status).toBe(
      ResponseStatus.InternalError,
    );
    expect(server.stats.limited.records).toBe(0);
    fail = false;
    expect((await register(server, 'whisper', HONEST_IP, 'b', records[2])).status).toBe(ResponseStatus.Ok);
  });

  it('the new options are validated and have named defaults', () => {
    const store = new MemoryRegistrationStore();
    for (const bad of [
      { maxRecords: 0 },
      { maxNamespaces: -1 },
      { maxRecordsPerIp: 1.5 },
      { maxRecordsPerIp: Number.NaN },
      { ipRateLimit: { burst: 0 } },
      { ipRateLimit: { perSecond: -1 } },
    ]) {
      expect(() => new RendezvousServer({ store, ...bad })).toThrowError(
        expect.objectContaining({ code: RendezvousErrorCode.InvalidOptions }),
      );
    }
    expect(() => new RendezvousServer({ store, ipRateLimit: false })).not.toThrow();
    expect([MAX_RECORDS, MAX_NAMESPACES, MAX_RECORDS_PER_IP]).toEqual([5_000, 1_000, 100]);
  });
});
