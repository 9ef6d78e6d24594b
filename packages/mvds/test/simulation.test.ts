import { describe, expect, it } from 'vitest';
import { exponentialBackoff, type SyncMode } from '../src/index.js';
import { Simulation } from './helpers/sim.js';

const MESSAGES = 1000;
const PER_EPOCH = 25;

function body(peer: number, n: number): Uint8Array {
  const b = new Uint8Array(64);
  new DataView(b.buffer).setUint32(0, peer);
  new DataView(b.buffer).setUint32(4, n);
  return b;
}

async function groupRun(mode: SyncMode, seed: number): Promise<{ sim: Simulation; epochs: number }> {
  // 30% loss per copy, 10% duplicated, 0..600 ms of jitter (two epochs): copies overtake each other.
  const sim = new Simulation({ peers: 3, mode, loss: 0.3, duplicate: 0.1, jitterMs: 600, seed });
  await sim.start();
  let epochs = 0;
  for (let n = 0; n < MESSAGES; n += PER_EPOCH) {
    for (let i = 0; i < 3; i++) for (let k = n; k < n + PER_EPOCH; k++) await sim.send(i, body(i, k));
    await sim.step();
    epochs++;
  }
  epochs += await sim.runUntil(
    async () => [0, 1, 2].every((i) => sim.hasAll(i)) && (await sim.pendingRecords()) === 0,
    2000,
  );
  await sim.stop();
  return { sim, epochs };
}

describe('simulation: 3 peers in a group, 1,000 messages each, 30% loss, duplication, reordering', () => {
  for (const [mode, seed] of [
    ['batch', 11],
    ['interactive', 12],
  ] as const) {
    it(`${mode} mode: every message reaches every other peer exactly once`, async () => {
      const { sim, epochs } = await groupRun(mode, seed);
      for (let i = 0; i < 3; i++) {
        expect(sim.sent[i]!.size).toBe(MESSAGES);
        expect(sim.deliveries[i]!.size).toBe(2 * MESSAGES);
      }
      expect(sim.exactlyOnce()).toBe(true);
      // The faults really happened.
      expect(sim.network.stats.dropped).toBeGreaterThan(0.25 * sim.network.stats.sent);
      expect(sim.network.stats.duplicated).toBeGreaterThan(0);
      expect(sim.nodes.reduce((n, node) => n + node.stats.duplicates, 0)).toBeGreaterThan(0);
      expect(sim.clock.pendingTimers).toBe(sim.network.inFlight); // node timers released; only links busy
      expect(epochs).toBeLessThan(2000);
    });
  }
});

describe('simulation: a peer that goes away', () => {
  async function awayRun(useOnline: boolean): Promise<{ sim: Simulation; catchUp: number }> {
    const sim = new Simulation({ peers: 3, mode: 'batch', loss: 0.1, jitterMs: 300, seed: 5 });
    await sim.start();
    const away = 2;
    sim.network.setOnline(sim.ids[away]!, false);
    await sim.nodes[away]!.stop();
    for (let e = 0; e < 100; e++) {
      if (e < 50) for (const i of [0, 1]) await sim.send(i, body(i, e));
      await sim.step();
    }
    expect(sim.deliveries[away]!.size).toBe(0);
    expect(sim.hasAll(0) && sim.hasAll(1)).toBe(true);
    sim.network.setOnline(sim.ids[away]!, true);
    await sim.nodes[away]!.start();
    if (useOnline) for (const i of [0, 1]) await sim.nodes[i]!.peerOnline(sim.ids[away]!);
    const catchUp = await sim.runUntil(() => sim.hasAll(away), 500);
    await sim.stop();
    return { sim, catchUp };
  }

  it('catches up after 100 epochs away, through the capped backoff alone', async () => {
    const { sim, catchUp } = await awayRun(false);
    expect(sim.deliveries[2]!.size).toBe(100);
    expect(sim.exactlyOnce()).toBe(true);
    // Delays never exceed 16 epochs (exponentialBackoff max), so the first retry comes within 16 epochs.
    expect(catchUp).toBeLessThan(100);
  });

  it('catches up at once when the senders are told the peer is back (peerOnline)', async () => {
    const { sim, catchUp } = await awayRun(true);
    expect(sim.deliveries[2]!.size).toBe(100);
    expect(sim.exactlyOnce()).toBe(true);
    expect(catchUp).toBeLessThanOrEqual(8);
  });
});

describe('simulation: give-up', () => {
  it('fires give-up once per record after maxSends when a peer never answers', async () => {
    const sim = new Simulation({
      peers: 2,
      mode: 'batch',
      loss: 0,
      seed: 3,
      node: { maxSends: 4, nextSendEpoch: exponentialBackoff({ baseEpochs: 1, maxEpochs: 8 }) },
    });
    await sim.start();
    sim.network.setOnline(sim.ids[1]!, false);
    const gaveUp: number[] = [];
    sim.nodes[0]!.on('give-up', (e) => gaveUp.push(e.sendCount));
    for (let k = 0; k < 5; k++) await sim.send(0, body(0, k));
    // delays 1, 2, 4, 8 epochs after the four sends: give-up comes 1+2+4+8 = 15 epochs after the first send
    await sim.step(15);
    expect(gaveUp).toEqual([]);
    await sim.step(1);
    expect(gaveUp).toEqual([4, 4, 4, 4, 4]);
    expect(await sim.nodes[0]!.pendingRecords()).toBe(0);
    await sim.step(40);
    expect(gaveUp).toHaveLength(5);
    expect(sim.network.stats.sent).toBe(4);
    await sim.stop();
  });
});
