import { ManualClock } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { formatEnode } from '@status-ts/enr';
import { afterEach, describe, expect, it } from 'vitest';
import { Discv5Node, decodePacket, MemoryNetwork, PacketFlag } from '../src/index.js';
import { createUdpTransport } from '../src/udp/index.js';
import { drive, ipOf, memoryNode, recording, run } from './helpers.js';

const nodes: Discv5Node[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});

function world(latencyMs = 5) {
  const clock = new ManualClock(1_000_000);
  const network = new MemoryNetwork({ clock, latencyMs });
  const make = (
    i: number,
    extra: Parameters<typeof memoryNode>[0] extends infer O ? Partial<O> : never = {},
  ) => {
    const node = memoryNode({ network, clock, ip: ipOf(i), ...extra });
    nodes.push(node);
    return node;
  };
  return { clock, network, make };
}

describe('records, roles and bootstrap', () => {
  it('a newer ENR seq learned from PONG is fetched with FINDNODE 0 and replaces the stored record', async () => {
    const { clock, make } = world();
    const a = make(0);
    const b = make(1);
    await a.start();
    await b.start();
    await drive(clock, a.ping(b.localEnr));
    const before = a.table.get(b.nodeId)!.enr.seq;
    expect(b.updateEnr({ roles: ['whispermail'] })).toBe(true);
    const updated = new Promise((resolve) => a.once('enr:updated', resolve));
    const pong = await drive(clock, a.ping(b.localEnr));
    expect(pong.enrSeq).toBe(before + 1n);
    await drive(clock, updated);
    expect(a.table.get(b.nodeId)!.enr.seq).toBe(before + 1n);
    expect(a.getEnr(b.nodeId)!.get('status')).toBeDefined();
  });

  it('a PING announcing a newer seq makes the recipient fetch the record too', async () => {
    const { clock, make } = world();
    const a = make(0);
    const b = make(1);
    await a.start();
    await b.start();
    await drive(clock, a.ping(b.localEnr));
    a.updateEnr({ roles: ['whisper'] });
    await drive(clock, a.ping(b.localEnr));
    await run(clock, 100);
    expect(b.getEnr(a.nodeId)!.seq).toBe(a.localEnr.seq);
  });

  it('bootstraps from an enode URL (key + UDP port only): PONG, then FINDNODE 0 gets the record into the table', async () => {
    const { clock, network, make } = world();
    const boot = make(0);
    await boot.start();
    const enode = formatEnode({
      ...boot.localEnr.toNodeAddress(),
      tcp: 30303,
      udp: boot.localEndpoint!.port,
    });
    const joiner = new Discv5Node({
      privateKey: generatePrivateKey(),
      transport: network.transport({ ip: ipOf(1), port: 0 }),
      clock,
      autoRefresh: false,
      bootstrap: [enode],
    });
    nodes.push(joiner);
    const added = new Promise((resolve) => joiner.once('enr:added', resolve));
    await joiner.start();
    await drive(clock, added);
    expect(joiner.table.get(boot.nodeId)?.live).toBe(true);
    expect(boot.table.get(joiner.nodeId)?.live).toBe(true);
  });

  it('endpoint voting: enough PONGs agreeing on another address update the own record', async () => {
    const { clock, make } = world();
    const a = make(0, { enrIp: '10.200.0.1', limits: { endpointVotesRequired: 3 } });
    const others = [make(1), make(2), make(3)];
    await a.start();
    for (const o of others) await o.start();
    const updates: string[] = [];
    a.on('local-enr:updated', (enr) => updates.push(`${enr.ip}:${enr.udp}`));
    const seq = a.localEnr.seq;
    await drive(clock, a.ping(others[0]!.localEnr));
    await drive(clock, a.ping(others[1]!.localEnr));
    expect(a.localEnr.ip).toBe('10.200.0.1');
    await drive(clock, a.ping(others[2]!.localEnr));
    expect(a.localEnr.ip).toBe(ipOf(0));
    expect(a.localEnr.seq).toBe(seq + 1n);
    expect(updates).toEqual([`${ipOf(0)}:${a.localEndpoint!.port}`]);
  });

  it('enrAutoUpdate: false keeps the configured address', async () => {
    const { clock, make } = world();
    const a = make(0, { enrIp: '10.200.0.1', enrAutoUpdate: false, limits: { endpointVotesRequired: 1 } });
    const b = make(1);
    await a.start();
    await b.start();
    await drive(clock, a.ping(b.localEnr));
    expect(a.localEnr.ip).toBe('10.200.0.1');
  });
});

describe('sessions and handshakes', () => {
  it('both sides pinging each other at once end up with working sessions', async () => {
    const { clock, make } = world();
    const a = make(0);
    const b = make(1);
    await a.start();
    await b.start();
    const both = Promise.all([a.ping(b.localEnr), b.ping(a.localEnr)]);
    await drive(clock, both);
    // And the sessions keep working afterwards.
    await drive(clock, Promise.all([a.ping(b.localEnr), b.ping(a.localEnr), a.findNode(b.localEnr, [0])]));
    expect(a.counters.requestTimeouts + b.counters.requestTimeouts).toBe(0);
  });

  it('a replayed handshake packet is dropped: no new session, no crash', async () => {
    const clock = new ManualClock(0);
    const network = new MemoryNetwork({ clock, latencyMs: 5 });
    const tap = recording(network.transport({ ip: ipOf(0), port: 9000 }));
    const a = new Discv5Node({ privateKey: generatePrivateKey(), transport: tap, clock, autoRefresh: false });
    const b = memoryNode({ network, clock, ip: ipOf(1) });
    nodes.push(a, b);
    await a.start();
    await b.start();
    await drive(clock, a.ping(b.localEnr));
    const handshake = tap.sent.find((p) => {
      try {
        return decodePacket(b.localEnr.nodeId, p.bytes).flag === PacketFlag.Handshake;
      } catch {
        return false;
      }
    })!;
    expect(handshake).toBeDefined();
    const replayer = network.transport({ ip: ipOf(0), port: 9001 });
    // Same bytes, from the original endpoint and from another one.
    tap.send(handshake.bytes, handshake.to);
    replayer.send(handshake.bytes, handshake.to);
    await run(clock, 50);
    expect(b.counters.dropped['unexpected-handshake']).toBe(2);
    expect(b.counters.handshakesAccepted).toBe(1);
    // The real session still works.
    await drive(clock, a.ping(b.localEnr));
    await replayer.close();
  });

  it('a lost session (peer restarted) is re-established through WHOAREYOU', async () => {
    const { clock, network, make } = world();
    const a = make(0);
    const key = generatePrivateKey();
    let b = new Discv5Node({
      privateKey: key,
      transport: network.transport({ ip: ipOf(1), port: 7000 }),
      clock,
      autoRefresh: false,
    });
    await a.start();
    await b.start();
    await drive(clock, a.ping(b.localEnr));
    await b.stop();
    b = new Discv5Node({
      privateKey: key,
      transport: network.transport({ ip: ipOf(1), port: 7000 }),
      clock,
      autoRefresh: false,
    });
    nodes.push(b);
    await b.start();
    const pong = await drive(clock, a.ping(b.localEnr));
    expect(pong.port).toBe(a.localEndpoint!.port);
    expect(a.counters.handshakesInitiated).toBe(2);
  });

  it('TALK handlers may be async; a throwing handler answers empty', async () => {
    const { clock, make } = world();
    const a = make(0);
    const b = make(1);
    await a.start();
    await b.start();
    b.handleTalk('slow', async (req) => new Uint8Array([req.length]));
    b.handleTalk('bad', () => {
      throw new Error('boom');
    });
    expect([...(await drive(clock, a.talkRequest(b.localEnr, 'slow', new Uint8Array(3))))]).toEqual([3]);
    expect((await drive(clock, a.talkRequest(b.localEnr, 'bad', new Uint8Array(3)))).length).toBe(0);
  });
});

describe('bad input', () => {
  it('a flood from one IP is rate-limited, memory stays bounded, and the node keeps serving others', async () => {
    const { clock, network, make } = world(0);
    const victim = make(0);
    const friend = make(1);
    await victim.start();
    await friend.start();
    const flooder = network.transport({ ip: '10.99.0.1', port: 1 });
    const to = victim.localEndpoint!;
    // 5,000 packets with random source ids: each would cost a WHOAREYOU and a stored challenge.
    for (let i = 0; i < 5000; i++) {
      const bytes = new Uint8Array(100);
      globalThis.crypto.getRandomValues(bytes);
      flooder.send(bytes, to);
    }
    clock.runDue();
    const c = victim.counters;
    expect(c.packetsIn).toBe(5000);
    expect(c.dropped['rate-limited']).toBe(5000 - victim.limits.rateLimitBurst);
    expect(victim.stats.challenges).toBeLessThanOrEqual(victim.limits.maxPendingChallenges);
    expect(victim.stats.trackedIps).toBe(1);
    const pong = await drive(clock, friend.ping(victim.localEnr));
    expect(pong.ip).toBe(ipOf(1));
    await flooder.close();
  });

  it('datagrams that are not discv5 are counted and dropped', async () => {
    const { clock, network, make } = world(0);
    const node = make(0);
    await node.start();
    const other = network.transport({ ip: '10.98.0.1', port: 1 });
    other.send(new Uint8Array(10), node.localEndpoint!);
    other.send(new Uint8Array(2000), node.localEndpoint!);
    other.send(new Uint8Array(200), node.localEndpoint!);
    clock.runDue();
    expect(node.counters.dropped).toEqual({
      ERR_DISCV5_PACKET_TOO_SMALL: 1,
      ERR_DISCV5_PACKET_TOO_LARGE: 1,
      ERR_DISCV5_BAD_HEADER: 1,
    });
    await other.close();
  });
});

describe('lifecycle', () => {
  it('stop() fails pending requests, cancels every timer and closes the transport', async () => {
    const { clock, network, make } = world();
    const a = make(0, { autoRefresh: true });
    const b = make(1, { autoRefresh: true, bootstrap: [] });
    await a.start();
    await b.start();
    await drive(clock, a.ping(b.localEnr));
    network.lossRate = 1;
    const pending = a.ping(b.localEnr);
    const walk = (async () => {
      for await (const _ of a.randomNodes()) {
        // keep walking until the node stops
      }
    })();
    await run(clock, 50);
    await a.stop();
    await b.stop();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_DISCV5_NOT_RUNNING' });
    await walk;
    expect(clock.pendingTimers).toBe(0);
    expect(network.size).toBe(0);
    await expect(a.ping(b.localEnr)).rejects.toMatchObject({ code: 'ERR_DISCV5_NOT_RUNNING' });
  });

  it('UDP: start() binds a socket and stop() releases it', async () => {
    const udpSockets = () => process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length;
    const before = udpSockets();
    const loopback = () => createUdpTransport({ ip: '127.0.0.1', port: 0 });
    const a = new Discv5Node({ privateKey: generatePrivateKey(), transport: loopback });
    const b = new Discv5Node({ privateKey: generatePrivateKey(), transport: await loopback() });
    await a.start();
    await b.start();
    expect(a.localEnr.udp).toBe(a.localEndpoint!.port);
    expect(udpSockets()).toBe(before + 2);
    await a.ping(b.localEnr);
    await a.stop();
    // A node given a function opens a fresh socket at each start.
    await a.start();
    expect(a.running).toBe(true);
    await a.ping(b.localEnr);
    await a.stop();
    await b.stop();
    expect(udpSockets()).toBe(before);
  });

  it('a transport that cannot open fails start() with ERR_DISCV5_TRANSPORT', async () => {
    const taken = await createUdpTransport({ ip: '127.0.0.1', port: 0 });
    const a = new Discv5Node({
      privateKey: generatePrivateKey(),
      transport: () => createUdpTransport(taken.localEndpoint),
    });
    await expect(a.start()).rejects.toMatchObject({ code: 'ERR_DISCV5_TRANSPORT' });
    expect(a.running).toBe(false);
    await taken.close();
  });

  it('without a transport the constructor says where the UDP one lives', () => {
    expect(() => new Discv5Node({ privateKey: generatePrivateKey() } as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_DISCV5_INVALID_ARGUMENT',
        message: expect.stringContaining('@status-ts/discv5/udp'),
      }),
    );
  });
});
