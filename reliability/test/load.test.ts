import { expect, test } from 'vitest';
import { record } from '../src/figures.js';
import { currentProfile } from '../src/profile.js';
import { useScenario } from '../src/scenario.js';
import { serviceFigures } from '../src/service.js';
import { spawnChild } from '../src/spawn.js';
import type { StatusNodeVictimInfo } from '../src/victims/status-node.js';

const profile = currentProfile();
useScenario();

interface CrowdReport {
  sent: string[];
  receivers: [string, number][];
  latencies: number[];
  sendErrors: number;
}

test('load: 20 nodes, 100 public messages a second between them, none lost on the honest path', async () => {
  const relayerCount = 4;
  const clients = profile.loadNodes - relayerCount;
  const crowds = 2;
  const relayers = Array.from({ length: relayerCount }, (_, i) =>
    spawnChild<StatusNodeVictimInfo>(`relayer ${i}`, 'victims/status-node', { role: 'relayer' }),
  );
  const infos = await Promise.all(relayers.map((r) => r.ready));
  // A full mesh of relayers.
  for (let i = 0; i < relayerCount; i++)
    for (let j = i + 1; j < relayerCount; j++) await relayers[i]!.request('dial', { enode: infos[j]!.enode });
  const crowdHandles = Array.from({ length: crowds }, (_, c) =>
    spawnChild<{ enodes: string[] }>(`crowd ${c}`, 'peers/crowd', {
      name: `c${c}`,
      chat: 'load',
      hosts: Array.from({ length: clients / crowds }, (_, k) => `127.0.1.${c * 100 + k + 1}`),
    }),
  );
  const crowdInfos = await Promise.all(crowdHandles.map((c) => c.ready));
  // Each client is kept by two relayers.
  const enodes = crowdInfos.flatMap((info) => info.enodes);
  for (const [k, enode] of enodes.entries())
    for (const r of [k % relayerCount, (k + 1) % relayerCount]) await relayers[r]!.request('dial', { enode });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const peers = (await Promise.all(crowdHandles.map((c) => c.request<number[]>('peers')))).flat();
    if (peers.every((n) => n >= 2)) break;
    if (Date.now() > deadline) throw new Error(`clients not connected: ${peers.join(',')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await Promise.all(
    crowdHandles.map((c) =>
      c.request('start', { perSecond: profile.loadRate / crowds, durationMs: profile.loadMs }),
    ),
  );
  // Let the last messages travel, then count.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const reports = await Promise.all(crowdHandles.map((c) => c.request<CrowdReport>('report')));
  const receivers = new Map<string, number>();
  for (const report of reports)
    for (const [key, n] of report.receivers) receivers.set(key, (receivers.get(key) ?? 0) + n);
  const sent = reports.flatMap((r) => r.sent);
  const expected = sent.length * (clients - 1);
  const delivered = sent.reduce((sum, key) => sum + Math.min(receivers.get(key) ?? 0, clients - 1), 0);
  const duplicated = sent.reduce(
    (sum, key) => sum + Math.max(0, (receivers.get(key) ?? 0) - (clients - 1)),
    0,
  );
  const latency = serviceFigures(
    reports.flatMap((r) => r.latencies),
    expected,
  );
  const sendErrors = reports.reduce((sum, r) => sum + r.sendErrors, 0);
  record({
    kind: 'load',
    name: `${profile.loadNodes} nodes at ${profile.loadRate} messages/s`,
    sent: `${sent.length} public messages in ${profile.loadMs / 1000} s from ${clients} clients over ${relayerCount} relayers, each to ${clients - 1} others`,
    honest: latency,
    lost: expected - delivered,
    duplicated,
    note: `send errors ${sendErrors}`,
  });
  expect(sendErrors).toBe(0);
  expect(delivered).toBe(expected);
  expect(duplicated).toBe(0);
});
