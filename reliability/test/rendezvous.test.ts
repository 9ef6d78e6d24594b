import { generatePrivateKey } from '@status-ts/crypto';
import { Enr } from '@status-ts/enr';
import { MAX_NAMESPACES, MAX_RECORDS } from '@status-ts/rendezvous';
import { expect, test } from 'vitest';
import type { SelfMeasure } from '../src/child.js';
import { nonZero, record } from '../src/figures.js';
import { currentProfile } from '../src/profile.js';
import { rendezvousClientFrom } from '../src/rendezvous-node.js';
import { useScenario } from '../src/scenario.js';
import { measureService } from '../src/service.js';
import { spawnChild } from '../src/spawn.js';

const profile = currentProfile();
useScenario();

interface RendezvousStats {
  peak: { records: number; namespaces: number };
  limited: Record<string, number>;
  rejected: Record<string, number>;
}

test('rendezvous registrations from many peer ids and addresses: caps hold, honest hosts still register', async () => {
  const victim = spawnChild<{ address: string }>('rendezvous', 'victims/rendezvous', {});
  const { address } = await victim.ready;
  const honest = await rendezvousClientFrom('127.0.0.3');
  // Honest hosts register under the namespaces Status uses, which exist before any attack.
  const namespace = 'whisper';
  const honestRecord = () =>
    Enr.create({ privateKey: generatePrivateKey(), ip: '127.0.0.3', tcp: 30303, udp: 30303 });
  try {
    await honest.client.register(address, namespace, honestRecord());
    await victim.request('resetMeasure');
    const registrations = 4_000 * profile.scale;
    // 40 hosts: 40 x 100 records per address would pass the 5,000-record and 1,000-namespace caps.
    const sources = Array.from({ length: 40 }, (_, i) => `127.0.5.${i + 1}`);
    const attacker = spawnChild('rendezvous-flood', 'attackers/rendezvous-flood', {
      server: address,
      registrations,
      sources,
      concurrency: 16,
    });
    await attacker.ready;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const service = await measureService(
      async () => {
        const record = honestRecord();
        await honest.client.register(address, namespace, record);
        // DISCOVER answers up to 10 random live records of the namespace: all of them honest ones here.
        const found = await honest.client.discover(address, namespace);
        if (found.records.length === 0) throw new Error('no record discovered');
      },
      { durationMs: profile.attackMs, intervalMs: 500, timeoutMs: 10_000 },
    );
    const done = await attacker.event('done', 120_000);
    const measure = await victim.request<SelfMeasure>('measure');
    const stats = await victim.request<RendezvousStats>('stats');
    record({
      kind: 'attack',
      name: 'rendezvous registrations from many peer ids',
      sent: `${registrations} REGISTERs, each a fresh key under a fresh namespace, from ${sources.length} addresses (${String(done.accepted)} accepted)`,
      up: victim.alive,
      honest: service,
      peakRssMb: measure.peakRssMb,
      rssBoundMb: 300,
      drops: { ...nonZero(stats.limited), ...nonZero(stats.rejected) },
      note: `peak live records ${stats.peak.records}, namespaces ${stats.peak.namespaces}`,
    });
    expect(victim.alive).toBe(true);
    expect(service.ok).toBe(service.total);
    // The server-wide caps (defaults: 5,000 records, 1,000 namespaces) held at every moment.
    expect(stats.peak.namespaces).toBeLessThanOrEqual(MAX_NAMESPACES);
    expect(stats.peak.records).toBeLessThanOrEqual(MAX_RECORDS);
    expect(measure.peakRssMb).toBeLessThan(300);
  } finally {
    await honest.node.stop();
  }
});

test('forged rendezvous registrations: refused, never served to honest clients', async () => {
  const victim = spawnChild<{ address: string }>('rendezvous', 'victims/rendezvous', {});
  const { address } = await victim.ready;
  const honest = await rendezvousClientFrom('127.0.0.3');
  try {
    const honestRecord = Enr.create({
      privateKey: generatePrivateKey(),
      ip: '127.0.0.3',
      tcp: 30303,
      udp: 30303,
    });
    await honest.client.register(address, 'whisper', honestRecord);
    const attacker = spawnChild('rendezvous-forged', 'attackers/rendezvous-flood', {
      server: address,
      registrations: 1_000 * profile.scale,
      sources: ['127.0.0.2'],
      concurrency: 8,
      forgedUnder: 'whisper',
    });
    await attacker.ready;
    const service = await measureService(
      async () => {
        const found = await honest.client.discover(address, 'whisper');
        if (found.records.length !== 1 || found.records[0]!.nodeIdHex !== honestRecord.nodeIdHex)
          throw new Error(`discovered ${found.records.length} records`);
      },
      { durationMs: 3_000, intervalMs: 250, timeoutMs: 5_000 },
    );
    const done = await attacker.event('done', 120_000);
    const stats = await victim.request<RendezvousStats>('stats');
    record({
      kind: 'attack',
      name: 'forged rendezvous registrations',
      sent: `${1_000 * profile.scale} REGISTERs of records with a flipped signature byte under "whisper" (${String(done.accepted)} accepted)`,
      up: victim.alive,
      honest: service,
      drops: { ...nonZero(stats.limited), ...nonZero(stats.rejected) },
    });
    expect(done.accepted).toBe(0);
    expect(service.ok).toBe(service.total);
  } finally {
    await honest.node.stop();
  }
});
