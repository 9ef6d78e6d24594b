import { expect, test } from 'vitest';
import type { SelfMeasure } from '../src/child.js';
import { nonZero, record } from '../src/figures.js';
import { honestDialer } from '../src/honest-dial.js';
import { currentProfile } from '../src/profile.js';
import { useScenario } from '../src/scenario.js';
import { measureService } from '../src/service.js';
import { spawnChild } from '../src/spawn.js';
import type { StatusNodeVictimInfo } from '../src/victims/status-node.js';

const profile = currentProfile();
useScenario();

interface ServerStatsReply {
  server: {
    inboundAccepted: number;
    rejectedPending: number;
    rejectedPendingPerIp: number;
    throttled: number;
    errors: Record<string, number>;
  };
}

interface RlpxAttack {
  readonly name: string;
  readonly mode: 'slowloris' | 'preHello' | 'garbage' | 'badMac' | 'snappyBomb';
  readonly sockets: number;
  /** Attacker source addresses: one host, or many. */
  readonly sources: readonly string[];
  readonly frameSize?: number;
  readonly rssBoundMb: number;
  readonly describe: string;
}

const many = (n: number) => Array.from({ length: n }, (_, i) => `127.0.2.${i + 1}`);

const attacks: RlpxAttack[] = [
  {
    name: 'RLPx slowloris',
    mode: 'slowloris',
    sockets: 1_000 * profile.scale,
    sources: ['127.0.0.2'],
    rssBoundMb: 300,
    describe: `${1_000 * profile.scale} silent sockets from one address, re-opened as they close`,
  },
  {
    name: 'RLPx pre-Hello frame buffering',
    mode: 'preHello',
    // 30 hosts: the inbound throttle lets each in once per 30 s, so each holds one session.
    sockets: 30,
    sources: many(30),
    frameSize: 16 * 1024 * 1024,
    rssBoundMb: 300,
    describe: '30 handshaken sessions from 30 addresses, each a valid 16 MiB frame header and filler',
  },
  {
    name: 'RLPx garbage',
    mode: 'garbage',
    sockets: 20,
    sources: ['127.0.0.2'],
    rssBoundMb: 300,
    describe: '20 connections at a time sending 1 KiB of random bytes instead of an auth message',
  },
  {
    name: 'RLPx bad MACs',
    mode: 'badMac',
    sockets: 20,
    sources: many(20),
    rssBoundMb: 300,
    describe: '20 connections at a time from 20 addresses, a full handshake then a frame with a bad MAC',
  },
  {
    name: 'RLPx snappy bombs',
    mode: 'snappyBomb',
    sockets: 20,
    sources: many(20),
    rssBoundMb: 300,
    describe:
      '20 connections at a time from 20 addresses, each a Hello then a 9-byte snappy body declaring 100 MiB',
  },
];

for (const attack of attacks) {
  test(`${attack.name}: honest peers from other addresses still connect`, async () => {
    // Per-IP limits apply to LAN addresses too here: on 127.0.0.0/8 every "host" is a loopback address.
    const victim = spawnChild<StatusNodeVictimInfo>('relayer', 'victims/status-node', {
      role: 'relayer',
      p2p: { perIpLimitsOnLan: true },
    });
    const info = await victim.ready;
    const dialer = await honestDialer();
    try {
      await victim.request('resetMeasure');
      const attacker = spawnChild('rlpx-raw', 'attackers/rlpx-raw', {
        mode: attack.mode,
        host: '127.0.0.1',
        port: info.port,
        nodeId: info.nodeId,
        localAddress: attack.sources,
        sockets: attack.sockets,
        durationMs: profile.attackMs + 3_000,
        frameSize: attack.frameSize,
      });
      await attacker.ready;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Each honest dial from an address of its own (the inbound throttle allows one per address per 30 s).
      const service = await measureService((i) => dialer.dial(info.enode, `127.0.3.${(i % 250) + 1}`), {
        durationMs: profile.attackMs,
        intervalMs: 500,
        timeoutMs: 10_000,
      });
      const tally = await attacker.request<Record<string, number>>('stop');
      const measure = await victim.request<SelfMeasure>('measure');
      const stats = await victim.request<ServerStatsReply>('stats');
      const { errors, inboundAccepted, ...rejections } = stats.server;
      record({
        kind: 'attack',
        name: attack.name,
        sent: `${attack.describe} (${tally.opened} connections opened, ${Math.round((tally.bytesSent ?? 0) / 1024 / 1024)} MiB sent)`,
        up: victim.alive,
        honest: service,
        peakRssMb: measure.peakRssMb,
        rssBoundMb: attack.rssBoundMb,
        drops: { ...nonZero(rejections), ...nonZero(errors) },
        note: `${inboundAccepted} inbound handshakes started, loop delay max ${measure.loopDelayMaxMs} ms`,
      });
      expect(victim.alive).toBe(true);
      expect(service.ok).toBe(service.total);
      expect(measure.peakRssMb).toBeLessThan(attack.rssBoundMb);
    } finally {
      await dialer.stop();
    }
  });
}
