import { ManualClock } from '@status-ts/core';
import { randomBytes } from '@status-ts/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_DISCV5_LIMITS,
  Discv5ErrorCode,
  type Discv5Node,
  encodeRandomPacket,
  MemoryNetwork,
  REPLAY_CACHE_SIZE,
} from '../src/index.js';
import { drive, ipOf, memoryNode, recording, run } from './helpers.js';

const nodes: Discv5Node[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});

function world() {
  const clock = new ManualClock(1_000_000);
  const network = new MemoryNetwork({ clock, latencyMs: 5 });
  let i = 0;
  const make = async (extra: Record<string, unknown> = {}) => {
    const node = memoryNode({ network, clock, ip: ipOf(i++), ...extra });
    nodes.push(node);
    await node.start();
    return node;
  };
  return { clock, network, make };
}

describe('replayed packets are dropped', () => {
  it('a FINDNODE packet replayed 500 times is answered once', async () => {
    const { clock, network, make } = world();
    const server = await make();
    for (let i = 0; i < 20; i++) await drive(clock, (await make()).ping(server.localEnr));
    const wire = recording(network.transport({ ip: ipOf(100), port: 7000 }));
    const asker = await make({ transport: wire });
    await drive(clock, asker.ping(server.localEnr)); // handshake first: FINDNODE then goes in a message packet
    const distances = server.table.nonEmptyDistances();
    const sentBefore = wire.sent.length;
    const before = server.counters;
    const found = await drive(clock, asker.findNode(server.localEnr, distances));
    expect(found.length).toBeGreaterThan(3);
    const requests = wire.sent.slice(sentBefore);
    expect(requests).toHaveLength(1);
    const answer = server.counters;
    const answerPackets = answer.packetsOut - before.packetsOut;
    expect(answerPackets).toBeGreaterThan(1); // several NODES packets: replays would amplify

    // An attacker on the path replays the captured packet from the asker's address.
    for (let i = 0; i < 500; i++) wire.send(requests[0]!.bytes, requests[0]!.to);
    await run(clock, 50);
    const after = server.counters;
    expect(after.packetsOut - answer.packetsOut).toBe(0);
    expect(after.requestsReceived - answer.requestsReceived).toBe(0);
    expect(after.dropped.replayed).toBe(500);
    // The session still works for fresh requests.
    expect((await drive(clock, asker.findNode(server.localEnr, distances))).length).toBe(found.length);
  });

  it('a replayed packet from an address without a session never gets more bytes out than in', async () => {
    const { clock, network, make } = world();
    const server = await make();
    const attacker = network.transport({ ip: ipOf(101), port: 7001 });
    let received = 0;
    attacker.onPacket((bytes) => {
      received += bytes.length;
    });
    const packet = encodeRandomPacket({
      srcId: randomBytes(32),
      destId: server.localEnr.nodeId,
      nonce: randomBytes(12),
      maskingIv: randomBytes(16),
      random: randomBytes(20),
    });
    const before = server.counters;
    for (let i = 0; i < 500; i++) attacker.send(packet, server.localEndpoint!);
    await run(clock, 50);
    const after = server.counters;
    const bytesIn = after.bytesIn - before.bytesIn;
    expect(bytesIn).toBe(500 * packet.length);
    expect(received).toBe(after.bytesOut - before.bytesOut);
    expect(received).toBeLessThanOrEqual(bytesIn);
    // One WHOAREYOU for the packet; its copies get nothing while that challenge is pending.
    expect(after.whoareyouSent - before.whoareyouSent).toBe(1);
    expect(after.whoareyouResent - before.whoareyouResent).toBe(0);
    expect(after.dropped['replayed-challenge']).toBe(499);
    expect(received).toBe(63);
    await attacker.close();
  });

  it('a retry with a fresh nonce still gets the pending WHOAREYOU again', async () => {
    const { clock, network, make } = world();
    const server = await make();
    const peer = network.transport({ ip: ipOf(102), port: 7002 });
    const srcId = randomBytes(32);
    const fresh = () =>
      encodeRandomPacket({
        srcId,
        destId: server.localEnr.nodeId,
        nonce: randomBytes(12),
        maskingIv: randomBytes(16),
        random: randomBytes(20),
      });
    peer.send(fresh(), server.localEndpoint!);
    peer.send(fresh(), server.localEndpoint!);
    await run(clock, 20);
    expect(server.counters.whoareyouSent).toBe(1);
    expect(server.counters.whoareyouResent).toBe(1);
    await peer.close();
  });

  it('replayCacheSize: how many nonces a session remembers; validated', async () => {
    expect(DEFAULT_DISCV5_LIMITS.replayCacheSize).toBe(REPLAY_CACHE_SIZE);
    expect(REPLAY_CACHE_SIZE).toBe(64);
    for (const bad of [0, -1, 2.5, Number.NaN]) {
      const options = {
        network: new MemoryNetwork(),
        clock: new ManualClock(),
        limits: { replayCacheSize: bad },
      };
      expect(() => memoryNode(options)).toThrowError(
        expect.objectContaining({ code: Discv5ErrorCode.InvalidArgument }),
      );
    }
    // With a window of 2, a packet older than the last two from that peer is no longer recognised.
    const { clock, network, make } = world();
    const server = await make({ limits: { replayCacheSize: 2 } });
    const wire = recording(network.transport({ ip: ipOf(103), port: 7003 }));
    const asker = await make({ transport: wire });
    await drive(clock, asker.ping(server.localEnr));
    const start = wire.sent.length;
    for (let i = 0; i < 3; i++) await drive(clock, asker.ping(server.localEnr));
    const [first, , last] = wire.sent.slice(start);
    const before = server.counters.requestsReceived;
    wire.send(last!.bytes, last!.to);
    await run(clock, 20);
    expect(server.counters.requestsReceived).toBe(before);
    expect(server.counters.dropped.replayed).toBe(1);
    wire.send(first!.bytes, first!.to);
    await run(clock, 20);
    expect(server.counters.requestsReceived).toBe(before + 1);
  });
});
