import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncMode } from '../src/index.js';
import { openMvdsSqliteStore, type SqliteStores } from '../src/sqlite/index.js';
import { Simulation } from './helpers/sim.js';

const dir = mkdtempSync(join(tmpdir(), 'mvds-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function body(peer: number, n: number): Uint8Array {
  return new TextEncoder().encode(`peer ${peer} message ${n}`);
}

async function restartRun(mode: SyncMode, seed: number): Promise<void> {
  const files = [0, 1, 2].map((i) => join(dir, `${mode}-${i}.db`));
  const stores: SqliteStores[] = files.map((f) => openMvdsSqliteStore(f));
  const sim = new Simulation({
    peers: 3,
    mode,
    loss: 0.3,
    duplicate: 0.1,
    jitterMs: 600,
    seed,
    stores: (i) => stores[i]!,
  });
  await sim.start();

  const restart = async (i: number): Promise<void> => {
    await sim.nodes[i]!.stop();
    stores[i]!.close();
    stores[i] = openMvdsSqliteStore(files[i]!);
    await sim.createNode(i, stores[i]).start();
  };

  // 20 messages per peer per epoch for 10 epochs; node 1 restarts after epoch 5 and node 0 after epoch 8,
  // both with deliveries, acks and retransmissions in flight.
  for (let round = 0; round < 10; round++) {
    for (let i = 0; i < 3; i++)
      for (let n = round * 20; n < round * 20 + 20; n++) await sim.send(i, body(i, n));
    await sim.step();
    if (round === 4) {
      expect(sim.deliveries[1]!.size).toBeGreaterThan(0);
      expect(sim.deliveries[1]!.size).toBeLessThan(400);
      expect(await sim.nodes[1]!.pendingRecords()).toBeGreaterThan(0);
      const epochBefore = sim.nodes[1]!.epoch;
      await restart(1);
      expect(sim.nodes[1]!.epoch).toBe(epochBefore); // the epoch came back from SQLite
    }
    if (round === 7) await restart(0);
  }
  await sim.runUntil(
    async () => [0, 1, 2].every((i) => sim.hasAll(i)) && (await sim.pendingRecords()) === 0,
    2000,
  );

  for (let i = 0; i < 3; i++) expect(sim.deliveries[i]!.size).toBe(400);
  expect(sim.exactlyOnce()).toBe(true);
  // Copies of messages delivered before the restart did arrive afterwards and were only acked.
  expect(sim.nodes[1]!.stats.duplicates).toBeGreaterThan(0);
  // Every message body was dropped once acked by all.
  for (const s of stores) expect(await s.messages.size()).toBe(0);
  await sim.stop();
  for (const s of stores) s.close();
}

describe('restart with SQLite stores mid-sync', () => {
  it('batch mode: no loss, no duplicate delivery', async () => {
    await restartRun('batch', 21);
  });

  it('interactive mode: no loss, no duplicate delivery', async () => {
    await restartRun('interactive', 22);
  });
});
