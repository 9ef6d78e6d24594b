// MVDS figures: messages/s through the simulator at 0% and 30% loss, bytes on the wire per message against
// body + ids, and SQLite-backed state updates/s. Prints figures; never fails a build.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncMode, SyncRecord } from '../src/index.js';
import { openMvdsSqliteStore } from '../src/sqlite/index.js';
import { Simulation } from '../test/helpers/sim.js';

const MESSAGE_ID = 32;
const GROUP_ID = 32;

async function simulate(mode: SyncMode, loss: number, messages: number, bodySize: number, perEpoch: number) {
  const sim = new Simulation({ peers: 2, mode, loss, jitterMs: loss > 0 ? 300 : 0, seed: 42 });
  await sim.start();
  const started = performance.now();
  for (let n = 0; n < messages; n += perEpoch) {
    for (let k = n; k < Math.min(messages, n + perEpoch); k++) {
      const body = new Uint8Array(bodySize);
      new DataView(body.buffer).setUint32(0, k);
      await sim.send(0, body);
    }
    await sim.step();
  }
  const tail = await sim.runUntil(async () => sim.hasAll(1) && (await sim.pendingRecords()) === 0, 100_000);
  const seconds = (performance.now() - started) / 1000;
  await sim.stop();
  const useful = messages * (bodySize + GROUP_ID + MESSAGE_ID);
  return {
    mode,
    loss: `${loss * 100}%`,
    body: bodySize,
    'msgs/epoch': perEpoch,
    'delivered msgs/s': Math.round(sim.deliveries[1]!.size / seconds),
    'wire bytes / (body+ids)': +(sim.network.stats.bytesSent / useful).toFixed(3),
    epochs: Math.ceil(messages / perEpoch) + tail,
    payloads: sim.network.stats.sent,
  };
}

async function sqliteUpdates(batch: number, total: number) {
  const dir = mkdtempSync(join(tmpdir(), 'mvds-bench-'));
  const stores = openMvdsSqliteStore(join(dir, 'bench.db'));
  const peer = new Uint8Array(65).fill(4);
  const records: SyncRecord[] = Array.from({ length: total }, (_, i) => {
    const messageId = new Uint8Array(32);
    new DataView(messageId.buffer).setUint32(0, i);
    return { peer, messageId, type: 'message', groupId: new Uint8Array(32), sendCount: 0, sendEpoch: i };
  });
  const started = performance.now();
  // Each batch is one transaction, as the node writes one batch per epoch and per payload.
  for (let i = 0; i < total; i += batch)
    await stores.syncState.apply({ put: records.slice(i, i + batch), epoch: i });
  const seconds = (performance.now() - started) / 1000;
  stores.close();
  rmSync(dir, { recursive: true, force: true });
  return { 'records per transaction': batch, 'record updates/s': Math.round(total / seconds) };
}

await simulate('batch', 0.3, 2000, 200, 50); // warm-up: JIT
const rows = [];
for (const mode of ['batch', 'interactive'] as const) {
  for (const loss of [0, 0.3]) rows.push(await simulate(mode, loss, 2000, 200, 50));
}
console.log(
  'Simulator throughput (2 peers, 2,000 messages of 200 bytes, 50 per epoch; ManualClock, no sleeping)',
);
console.table(rows);

const overhead = [];
for (const mode of ['batch', 'interactive'] as const) {
  for (const body of [100, 200, 1000]) {
    for (const perEpoch of [1, 20]) overhead.push(await simulate(mode, 0, 200, body, perEpoch));
  }
}
console.log(
  'Wire overhead at 0% loss: all payload bytes (both directions) / messages × (body + 32 group id + 32 message id)',
);
console.table(
  overhead.map(({ mode, body, 'msgs/epoch': m, 'wire bytes / (body+ids)': ratio }) => ({
    mode,
    body,
    'msgs/epoch': m,
    ratio,
  })),
);

console.log('SQLite sync-state updates (file in tmpdir, WAL, synchronous=NORMAL)');
console.table([
  await sqliteUpdates(1, 5_000),
  await sqliteUpdates(100, 100_000),
  await sqliteUpdates(1000, 200_000),
]);
