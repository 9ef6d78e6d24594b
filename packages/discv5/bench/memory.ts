import { ManualClock, yieldToEventLoop } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { Discv5Node, MemoryNetwork, seededRandom } from '../src/index.js';

// Ours alone on the in-memory network with a ManualClock: simulated time, and wall time that is CPU on this
// machine. Nothing here is compared with @chainsafe/discv5 (it has no in-memory transport).

const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) + 1}`;

async function drive<T>(clock: ManualClock, promise: Promise<T>, stepMs = 5): Promise<T> {
  let done = false;
  const p = promise.finally(() => {
    done = true;
  });
  while (!done) {
    clock.advance(stepMs);
    await yieldToEventLoop();
  }
  return p;
}

async function idle(clock: ManualClock, ms: number, stepMs = 10): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(stepMs);
    await yieldToEventLoop();
  }
}

/** Node handshakes/s over the in-memory network (one node PINGs `peers` fresh peers at once, 0 ms latency). */
export async function memoryHandshakes(peers: number): Promise<number> {
  const clock = new ManualClock(0);
  const network = new MemoryNetwork({ clock, latencyMs: 0 });
  const mk = (i: number) =>
    new Discv5Node({
      privateKey: generatePrivateKey(),
      transport: network.transport({ ip: ipOf(i), port: 1 }),
      clock,
      autoRefresh: false,
    });
  const a = mk(0);
  const others = Array.from({ length: peers }, (_, i) => mk(i + 1));
  await Promise.all([a, ...others].map((n) => n.start()));
  const start = performance.now();
  await drive(clock, Promise.all(others.map((o) => a.ping(o.localEnr))), 1);
  const elapsed = performance.now() - start;
  await Promise.all([a, ...others].map((n) => n.stop()));
  return (peers / elapsed) * 1000;
}

/** A `count`-node in-memory network, joined one by one with a self-lookup each; 10-30 ms one-way latency. */
export async function memoryNetwork(count: number, seed: number) {
  const clock = new ManualClock(1_000_000);
  const latency = seededRandom(seed);
  const network = new MemoryNetwork({ clock, seed, latencyMs: () => 10 + Math.floor(latency() * 20) });
  const nodes: Discv5Node[] = [];
  for (let i = 0; i < count; i++) {
    const node = new Discv5Node({
      privateKey: generatePrivateKey(),
      transport: network.transport({ ip: ipOf(i), port: 30303 }),
      clock,
      random: seededRandom(seed + i),
      roles: i % 10 === 0 ? ['whisper', 'whispermail'] : ['whisper'],
      limits: { refreshIntervalMs: 1e9, revalidateIntervalMs: 1e9 },
      ...(i === 0 ? {} : { bootstrap: [nodes[0]!.localEnr] }),
    });
    await node.start();
    nodes.push(node);
    await idle(clock, 100);
  }
  await idle(clock, 3000);
  return { clock, network, nodes };
}

export interface LookupFigures {
  /** Simulated ms per lookup. */
  simulatedMs: number[];
  wallMs: number[];
  packets: number[];
  /** Lookups that did not return their target first. */
  missed: number;
}

/** `lookups` lookups of existing nodes in a `count`-node network. */
export async function memoryLookups(count: number, lookups: number): Promise<LookupFigures> {
  const { clock, nodes } = await memoryNetwork(count, 42);
  const out: LookupFigures = { simulatedMs: [], wallMs: [], packets: [], missed: 0 };
  for (let i = 0; i < lookups; i++) {
    const node = nodes[(i * 37) % nodes.length]!;
    const target = nodes[(i * 53 + 11) % nodes.length]!;
    const before = node.counters.packetsOut;
    const t0 = clock.now();
    const w0 = performance.now();
    const found = await drive(clock, node.lookup(target.localEnr.nodeId), 1);
    out.simulatedMs.push(clock.now() - t0);
    out.wallMs.push(performance.now() - w0);
    out.packets.push(node.counters.packetsOut - before);
    if (found[0]?.nodeIdHex !== target.nodeId) out.missed++;
  }
  await Promise.all(nodes.map((n) => n.stop()));
  return out;
}

/**
 * Cold start of a fresh node (default timers) in a `count`-node network: simulated ms until it found 3 whisper
 * and 1 whispermail nodes, and its traffic then and after its first minute.
 */
export async function memoryColdStart(count: number) {
  const { clock, network, nodes } = await memoryNetwork(count, 7);
  const fresh = new Discv5Node({
    privateKey: generatePrivateKey(),
    transport: network.transport({ ip: ipOf(500), port: 1 }),
    clock,
    bootstrap: [nodes[0]!.localEnr],
  });
  const t0 = clock.now();
  await fresh.start();
  const source = fresh.source();
  const abort = new AbortController();
  let relays = 0;
  let mail = 0;
  let coldMs = 0;
  const relay = (async () => {
    for await (const _ of source.find('whisper', abort.signal)) if (++relays >= 3) break;
  })();
  const mailFind = (async () => {
    for await (const _ of source.find('whispermail', abort.signal)) if (++mail >= 1) break;
  })();
  const both = Promise.all([relay, mailFind]).then(() => {
    coldMs = clock.now() - t0;
  });
  await drive(clock, both, 1);
  const atCold = fresh.counters;
  await idle(clock, 60_000 - (clock.now() - t0), 100);
  const minute = fresh.counters;
  abort.abort();
  await fresh.stop();
  await Promise.all(nodes.map((n) => n.stop()));
  return { coldMs, atCold, minute };
}
