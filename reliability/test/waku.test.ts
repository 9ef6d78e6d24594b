import { DEFAULT_MAX_TTL } from '@status-ts/waku';
import { expect, test } from 'vitest';
import type { SelfMeasure } from '../src/child.js';
import { nonZero, record } from '../src/figures.js';
import { connectToVictim, honestNode, publicRoundTrip } from '../src/honest.js';
import { currentProfile } from '../src/profile.js';
import { useScenario } from '../src/scenario.js';
import { measureService } from '../src/service.js';
import { spawnChild } from '../src/spawn.js';
import type { StatusNodeVictimInfo } from '../src/victims/status-node.js';

const profile = currentProfile();
const HEAP_LIMIT_MB = 512;
const { honest } = useScenario();

test('waku pool exhaustion: a flood of cheap long-TTL envelopes leaves honest relaying working', async () => {
  // A relayer deployed with a heap limit, as on a small server: the flood must not push it over.
  const victim = spawnChild<StatusNodeVictimInfo>(
    'relayer',
    'victims/status-node',
    { role: 'relayer' },
    { nodeArgs: [`--max-old-space-size=${HEAP_LIMIT_MB}`] },
  );
  await victim.ready;
  const [alice, bob] = await Promise.all([honestNode('127.0.0.3'), honestNode('127.0.0.4')]);
  honest.push(alice!, bob!);
  alice!.joinPublicChat('reliability');
  bob!.joinPublicChat('reliability');
  await connectToVictim(victim, [alice!, bob!]);

  // Each attacker at the envelope rate limit (1,000/s), TTL at the cap, the minimum PoW; 10 identities on 10
  // addresses: more than the 8 pool shares it takes to fill the pool.
  const peers = 10;
  const envelopesPerPeer = Math.round((profile.attackMs / 1000 + 4) * 1000);
  const attacker = spawnChild('waku-flood', 'attackers/waku-flood', {
    victimEnode: (await victim.ready).enode,
    peers,
    sources: Array.from({ length: peers }, (_, i) => `127.0.4.${i + 1}`),
    envelopesPerPeer,
    ttl: DEFAULT_MAX_TTL,
    perPacket: 1_000,
    packetIntervalMs: 1_000,
    dataBytes: 16,
  });
  await attacker.ready;
  await victim.request('resetMeasure');
  // Let the pool fill before measuring.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const service = await measureService((i) => publicRoundTrip(alice!, bob!, 'reliability', `probe ${i}`), {
    durationMs: profile.attackMs,
    intervalMs: 250,
    timeoutMs: 10_000,
  });
  const measure = await victim.request<SelfMeasure>('measure', { gc: true });
  const stats = await victim.request<{
    node: { waku: { dropped: Record<string, number>; envelopesAccepted: number } };
  }>('stats');
  await attacker.kill();
  // What stays reachable is bounded by the pool: 100,000 envelopes (the default cap) at ~1.8 KB each
  // (decoded envelope, hashes, relay bookkeeping) plus ~60 MB of node. Peak RSS also holds garbage the
  // collector has not reclaimed yet; the heap limit keeps that in check.
  const liveBoundMb = 400;
  const rssBoundMb = HEAP_LIMIT_MB + 200;
  record({
    kind: 'attack',
    name: 'waku pool exhaustion',
    sent: `${peers * envelopesPerPeer} envelopes of TTL ${DEFAULT_MAX_TTL} s (the cap) at the minimum PoW from ${peers} peers on ${peers} addresses, 1,000 per packet per second each`,
    up: victim.alive,
    honest: service,
    peakRssMb: measure.peakRssMb,
    rssBoundMb,
    liveMb: measure.liveMb,
    liveBoundMb,
    drops: nonZero(stats.node.waku.dropped),
    note: `node --max-old-space-size=${HEAP_LIMIT_MB}; accepted ${stats.node.waku.envelopesAccepted}, loop delay max ${measure.loopDelayMaxMs} ms`,
  });
  expect(victim.alive).toBe(true);
  expect(service.ok).toBe(service.total);
  expect(measure.liveMb).toBeLessThan(liveBoundMb);
  expect(measure.peakRssMb).toBeLessThan(rssBoundMb);
});
