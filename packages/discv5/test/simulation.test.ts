import { ManualClock } from '@status-ts/core';
import type { Enr } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import { Discv5Node, MemoryNetwork, seededRandom } from '../src/index.js';
import { flush, ipOf, seededPrivateKey } from './helpers.js';

interface Sim {
  clock: ManualClock;
  network: MemoryNetwork;
  nodes: Discv5Node[];
}

/** `count` nodes on an in-memory network, all bootstrapped from node 0; every fifth one is a mailserver. */
async function buildNetwork(count: number, lossRate: number, seed: number): Promise<Sim> {
  const clock = new ManualClock(1_000_000);
  const latency = seededRandom(seed);
  const network = new MemoryNetwork({
    clock,
    lossRate,
    seed,
    latencyMs: () => 5 + Math.floor(latency() * 20),
  });
  const nodes: Discv5Node[] = [];
  for (let i = 0; i < count; i++) {
    const node = new Discv5Node({
      // Seeded keys: the same topology on every run (random ones could make a rare slow network).
      privateKey: seededPrivateKey(`simulation ${seed} node ${i}`),
      transport: network.transport({ ip: ipOf(i), port: 30303 }),
      clock,
      autoRefresh: false,
      random: seededRandom(seed + i),
      roles: i % 5 === 0 ? ['whisper', 'whispermail'] : ['whisper'],
      ...(i === 0 ? {} : { bootstrap: [nodes[0]!.localEnr] }),
    });
    await node.start();
    nodes.push(node);
  }
  return { clock, network, nodes };
}

/**
 * Every node random-walks (`randomNodes()`) until it has found `share` of the others; returns the simulated
 * milliseconds each needed (Infinity if it did not get there within `limitMs`). The nodes keep running.
 */
async function walkUntil(sim: Sim, share: number, limitMs: number): Promise<number[]> {
  const { clock, nodes } = sim;
  const want = Math.ceil(share * (nodes.length - 1));
  const start = clock.now();
  const doneAt = nodes.map(() => Number.POSITIVE_INFINITY);
  const stops = nodes.map(() => new AbortController());
  const walks = nodes.map(async (node, i) => {
    const found = new Set<string>();
    for await (const enr of node.randomNodes(stops[i]!.signal)) {
      found.add(enr.nodeIdHex);
      if (found.size >= want) {
        doneAt[i] = clock.now() - start;
        stops[i]!.abort();
      }
    }
  });
  while (doneAt.some((t) => t === Number.POSITIVE_INFINITY) && clock.now() - start < limitMs) {
    clock.advance(10);
    await flush();
  }
  for (const stop of stops) stop.abort();
  await Promise.all(walks);
  return doneAt;
}

async function stopAll(sim: Sim): Promise<void> {
  await Promise.all(sim.nodes.map((n) => n.stop()));
}

describe('in-memory simulation (ManualClock)', () => {
  it('100 nodes bootstrapped from one: every random walk finds >= 90% of the network within 10 s', async () => {
    const sim = await buildNetwork(100, 0, 7);
    const doneAt = await walkUntil(sim, 0.9, 10_000);
    await stopAll(sim);
    expect(doneAt.filter((t) => t <= 10_000).length).toBe(100);
    expect(sim.clock.pendingTimers).toBe(0);
  }, 180_000);

  it("a fresh node's PeerSource for 'whispermail' yields exactly the mailservers, each once, and stops on abort", async () => {
    const sim = await buildNetwork(40, 0, 11);
    const { clock, network, nodes } = sim;
    await walkUntil(sim, 0.9, 10_000);
    const mailservers = new Set(nodes.filter((_, i) => i % 5 === 0).map((n) => n.nodeId));
    const fresh = new Discv5Node({
      privateKey: seededPrivateKey('simulation fresh node'),
      transport: network.transport({ ip: ipOf(99), port: 30303 }),
      clock,
      autoRefresh: false,
      bootstrap: [nodes[0]!.localEnr],
    });
    await fresh.start();
    const abort = new AbortController();
    const yielded: Enr[] = [];
    const consuming = (async () => {
      for await (const enr of fresh.source().find('whispermail', abort.signal)) yielded.push(enr);
    })();
    for (let t = 0; t < 3_000; t += 10) {
      clock.advance(10);
      await flush();
    }
    const ids = yielded.map((e) => e.nodeIdHex);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(mailservers);
    abort.abort();
    await consuming;
    // After the abort the source asks nothing more. A request already in flight may still be retried, so
    // let those settle first (timeout 700 ms x 2 tries + a handshake), staying clear of the 10 s revalidation.
    for (let t = 0; t < 2_500; t += 100) {
      clock.advance(100);
      await flush();
    }
    const sent = fresh.counters.requestsSent;
    for (let t = 0; t < 3_000; t += 100) {
      clock.advance(100);
      await flush();
    }
    expect(fresh.counters.requestsSent).toBe(sent);
    await fresh.stop();
    await stopAll(sim);
    expect(clock.pendingTimers).toBe(0);
  }, 60_000);

  it('a lossy network (15% of packets lost) still converges', async () => {
    const sim = await buildNetwork(30, 0.15, 23);
    const doneAt = await walkUntil(sim, 0.9, 30_000);
    await stopAll(sim);
    expect(doneAt.filter((t) => t <= 30_000).length).toBe(30);
    expect(sim.network.stats.lost).toBeGreaterThan(0);
  }, 60_000);
});
