import { generatePrivateKey } from '@status-ts/crypto';
import { Discv5Node } from '@status-ts/discv5';
import { createUdpTransport } from '@status-ts/discv5/udp';
import { expect, test } from 'vitest';
import type { SelfMeasure } from '../src/child.js';
import { nonZero, record } from '../src/figures.js';
import { currentProfile } from '../src/profile.js';
import { useScenario } from '../src/scenario.js';
import { measureService } from '../src/service.js';
import { spawnChild } from '../src/spawn.js';

const profile = currentProfile();
useScenario();

interface Phase {
  bytesOut: number;
  bytesIn: number;
  packetsIn: number;
}

test('discv5 replayed packets and random UDP: no amplification, honest lookups answered', async () => {
  const victim = spawnChild<{ enr: string }>('discv5', 'victims/discv5', { neighbours: 16 });
  const { enr } = await victim.ready;
  const honest = new Discv5Node({
    privateKey: generatePrivateKey(),
    transport: () => createUdpTransport({ ip: '127.0.0.3', port: 0 }),
    bootstrap: [enr],
    autoRefresh: false,
  });
  await honest.start();
  try {
    await honest.joined;
    await victim.request('resetMeasure');
    const replays = 500 * profile.scale;
    const junk = 10_000 * profile.scale;
    const attacker = spawnChild('discv5-replay', 'attackers/discv5-replay', {
      victimEnr: enr,
      localAddress: '127.0.0.2',
      replays,
      junk,
    });
    await attacker.ready;
    const service = await measureService(
      async () => {
        const found = await honest.findNode(enr, [256, 255, 254, 253]);
        if (found.length === 0) throw new Error('no records in NODES');
      },
      { durationMs: Math.min(profile.attackMs, 5_000), intervalMs: 250, timeoutMs: 5_000 },
    );
    const done = await attacker.event('done', 120_000);
    const replay = done.replay as Phase;
    const noise = done.junk as Phase;
    const measure = await victim.request<SelfMeasure>('measure');
    const stats = await victim.request<{ counters: { dropped?: Record<string, number> } }>('stats');
    record({
      kind: 'attack',
      name: 'discv5 replays and random UDP',
      sent: `${String(done.captured)} packets of a real session (FINDNODE among them) replayed ${replays} times each (${replay.bytesOut} B), then ${junk} random datagrams (${noise.bytesOut} B)`,
      up: victim.alive,
      honest: service,
      peakRssMb: measure.peakRssMb,
      rssBoundMb: 250,
      drops: nonZero(stats.counters.dropped),
      note: `answered replays with ${replay.bytesIn} B in ${replay.packetsIn} packets (${(replay.bytesIn / replay.bytesOut).toFixed(3)}x), junk with ${noise.bytesIn} B (${(noise.bytesIn / noise.bytesOut).toFixed(3)}x)`,
    });
    expect(victim.alive).toBe(true);
    expect(service.ok).toBe(service.total);
    // Amplification at most 1 (bytes back per byte sent), replays answered at most once.
    expect(replay.bytesIn).toBeLessThanOrEqual(replay.bytesOut);
    expect(noise.bytesIn).toBeLessThanOrEqual(noise.bytesOut);
    expect(measure.peakRssMb).toBeLessThan(250);
  } finally {
    await honest.stop();
  }
});
