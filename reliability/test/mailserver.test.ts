import { join } from 'node:path';
import type { StatusNode } from '@status-ts/client';
import { bytesToHex } from '@status-ts/core';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import type { MailServerCounters } from '@status-ts/mailserver';
import { expect, test } from 'vitest';
// The mailserver package's throwaway PostgreSQL (initdb on a free port, stop and start on demand).
import { startPostgres } from '../../packages/mailserver/test/helpers/postgres.js';
import type { SelfMeasure } from '../src/child.js';
import { nonZero, record } from '../src/figures.js';
import { connectToVictim, honestNode } from '../src/honest.js';
import { currentProfile } from '../src/profile.js';
import { useScenario } from '../src/scenario.js';
import { measureService } from '../src/service.js';
import { type ChildHandle, spawnChild, stopChildren } from '../src/spawn.js';
import { tempDir } from '../src/temp.js';
import type { StatusNodeVictimInfo } from '../src/victims/status-node.js';

const profile = currentProfile();
const { honest } = useScenario();

const BIG_TOPIC = 'b16b16b1';
const HONEST_TOPIC = '0a0b0c0d';
const HONEST_ENVELOPES = 200;

interface MailStats {
  node: { mailserver: MailServerCounters };
}

/** A mailserver victim archiving into a SQLite file of its own. */
async function sqliteMailserver(name: string) {
  const victim = spawnChild<StatusNodeVictimInfo>('mailserver', 'victims/status-node', {
    role: 'relayer',
    mailserver: { sqlite: join(tempDir(name), 'archive.sqlite') },
  });
  return { victim, info: await victim.ready };
}

/** The history honest peers ask for: HONEST_ENVELOPES small envelopes on HONEST_TOPIC, a minute old. */
function seedHonestHistory(mailserver: ChildHandle<StatusNodeVictimInfo>): Promise<unknown> {
  return mailserver.request('seed', {
    topic: HONEST_TOPIC,
    count: HONEST_ENVELOPES,
    dataBytes: 200,
    agoSeconds: 60,
  });
}

/** An honest node the victim dials (an address of its own), kept in the scenario's honest nodes. */
async function honestReader(victim: ChildHandle<StatusNodeVictimInfo>): Promise<StatusNode> {
  const reader = await honestNode('127.0.0.3');
  honest.push(reader);
  await connectToVictim(victim, [reader]);
  return reader;
}

/** Fetches the last hour of `topics` from `mailserver`; fails unless `expected` distinct envelopes came. */
async function fetchHistory(
  reader: StatusNode,
  mailserver: string,
  topics: readonly string[],
  expected: number,
): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const result = await reader.requestHistory({
    mailserver,
    topics: topics.map((t) => Buffer.from(t, 'hex')),
    from: now - 3_600,
    to: now + 60,
  });
  if (result.uniqueEnvelopes < expected) throw new Error(`got ${result.uniqueEnvelopes} of ${expected}`);
}

test('mailserver request storm: peers asking fast and never reading leave honest history working', async () => {
  const { victim, info } = await sqliteMailserver('storm');
  await victim.request('seed', { topic: BIG_TOPIC, count: 5_000, dataBytes: 1_000, agoSeconds: 60 });
  await seedHonestHistory(victim);
  const reader = await honestReader(victim);

  const peers = 10 * profile.scale;
  const attacker = spawnChild('mail-storm', 'attackers/mail-storm', {
    victimEnode: info.enode,
    peers,
    perSecond: 4,
    durationMs: profile.attackMs + 4_000,
    topic: BIG_TOPIC,
    limit: 1_000,
  });
  await attacker.ready;
  await victim.request('resetMeasure');
  // Let the storm build up before the honest peer asks.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const service = await measureService(
    () => fetchHistory(reader, info.nodeId, [HONEST_TOPIC], HONEST_ENVELOPES),
    { durationMs: profile.attackMs, intervalMs: 1_000, timeoutMs: 10_000 },
  );
  const measure = await victim.request<SelfMeasure>('measure');
  const stats = await victim.request<MailStats>('stats');
  // Idle ~150 MB (+50 of margin); the byte caps allow 64 MiB in flight plus 4 MiB stalled per peer.
  const rssBoundMb = 200 + 64 + 4 * peers;
  record({
    kind: 'attack',
    name: 'mailserver request storm',
    sent: `${peers} peers x 4 requests/s for 1,000 envelopes of 1 KB each, never reading`,
    up: victim.alive,
    honest: service,
    peakRssMb: measure.peakRssMb,
    rssBoundMb,
    drops: nonZero(stats.node.mailserver.limited),
    note: `served ${stats.node.mailserver.served} of ${stats.node.mailserver.requests} requests, loop delay max ${measure.loopDelayMaxMs} ms`,
  });
  expect(victim.alive).toBe(true);
  expect(service.ok).toBe(service.total);
  expect(measure.peakRssMb).toBeLessThan(rssBoundMb);
});

test('1,000 topics in one history request: answered from the SQLite archive through the whole stack', async () => {
  const { victim, info } = await sqliteMailserver('topics');
  const topics = Array.from({ length: 1_000 }, (_, i) => (0x10000000 + i).toString(16));
  // Two envelopes on every 10th topic.
  for (const topic of topics.filter((_, i) => i % 10 === 0))
    await victim.request('seed', { topic, count: 2, dataBytes: 100, agoSeconds: 60 });
  const reader = await honestReader(victim);
  const service = await measureService(() => fetchHistory(reader, info.nodeId, topics, 200), {
    durationMs: 3_000,
    intervalMs: 1_000,
    timeoutMs: 15_000,
  });
  const stats = await victim.request<MailStats>('stats');
  record({
    kind: 'attack',
    name: 'mailserver: 1,000 topics in one request (honest)',
    sent: '1,000-topic history requests against a SQLite archive holding 200 matching envelopes',
    up: victim.alive,
    honest: service,
    drops: nonZero(stats.node.mailserver.limited),
  });
  expect(service.ok).toBe(service.total);
});

test('PostgreSQL down and back while envelopes arrive: every envelope archived, none dropped', async () => {
  const postgres = await startPostgres('reliability_archive');
  try {
    const victim = spawnChild<StatusNodeVictimInfo>('mailserver', 'victims/status-node', {
      role: 'relayer',
      mailserver: { postgres: postgres.connection },
      reportArchived: true,
    });
    const { enode } = await victim.ready;
    const feeder = spawnChild('feeder', 'peers/feeder', {
      targetEnode: enode,
      perSecond: 200,
      total: 200 * 8,
      topic: 'feedbeef',
      dataBytes: 300,
    });
    await feeder.ready;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    postgres.pause();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    postgres.resume();
    await feeder.event('done', 60_000);
    const sent = new Set<string>();
    for (const event of feeder.events)
      if (event.type === 'sent') for (const hash of event.hashes as string[]) sent.add(hash);
    // The retry queue backs off up to 30 s; wait until every sent envelope is acknowledged as archived.
    const archived = new Set<string>();
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      for (const event of victim.events)
        if (event.type === 'archived') for (const hash of event.hashes as string[]) archived.add(hash);
      if ([...sent].every((hash) => archived.has(hash))) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const { held } = await victim.request<{ held: number }>('holds', { hashes: [...sent] });
    const stats = await victim.request<MailStats>('stats');
    const counters = stats.node.mailserver;
    record({
      kind: 'fault',
      name: 'PostgreSQL stopped and restarted mid-ingest',
      sent: `${sent.size} envelopes at 200/s, PostgreSQL stopped for 3 s`,
      lost: sent.size - held,
      duplicated: 0,
      drops: nonZero({
        archiveErrors: counters.archiveErrors,
        archiveDropped: counters.archiveDropped,
        archiveQueued: counters.archiveQueued,
      }),
    });
    expect(victim.alive).toBe(true);
    expect(held).toBe(sent.size);
    expect(counters.archiveDropped).toBe(0);
  } finally {
    await stopChildren();
    await postgres.stop();
  }
});

test('a trusted mailserver that overwhelms a client: dropped and reported, history comes from another', async () => {
  const honestMailserver = spawnChild<StatusNodeVictimInfo>('mailserver', 'victims/status-node', {
    role: 'relayer',
    mailserver: 'memory',
  });
  const honestInfo = await honestMailserver.ready;
  await seedHonestHistory(honestMailserver);
  const hostile = spawnChild<{ enode: string }>('hostile mailserver', 'attackers/hostile-mailserver', {
    topic: HONEST_TOPIC,
    packets: 20 * profile.scale,
    perPacket: 2_000,
  });
  const hostileInfo = await hostile.ready;
  const hostileId = hostileInfo.enode.slice('enode://'.length, hostileInfo.enode.indexOf('@'));
  const victim = spawnChild<{ enode: string; chatId: string }>('client', 'peers/chat-node', {
    privateKeyHex: bytesToHex(generatePrivateKey()),
    installationId: 'victim-phone',
    databaseFile: join(tempDir('hostile'), 'client.sqlite'),
    atRestKeyHex: bytesToHex(randomBytes(32)),
    host: '127.0.0.4',
  });
  await victim.ready;
  await victim.request('dial', { enode: hostileInfo.enode });
  await victim.request('dial', { enode: honestInfo.enode });
  await victim.request('resetMeasure');
  const now = Math.floor(Date.now() / 1000);
  const range = { topics: [HONEST_TOPIC], from: now - 3_600, to: now + 60 };
  const fromHostile = await victim.request('history', { mailserver: hostileId, ...range }).then(
    () => 'answered',
    (error: Error) => error.message,
  );
  const service = await measureService(
    async () => {
      const result = await victim.request<{ uniqueEnvelopes: number }>('history', {
        mailserver: honestInfo.nodeId,
        ...range,
      });
      if (result.uniqueEnvelopes < HONEST_ENVELOPES) throw new Error(`got ${result.uniqueEnvelopes}`);
    },
    { durationMs: 3_000, intervalMs: 1_000, timeoutMs: 15_000 },
  );
  const misbehaved = victim.events.filter((e) => e.type === 'misbehaved');
  const peers = await victim.request<string[]>('peers');
  const measure = await victim.request<SelfMeasure>('measure');
  record({
    kind: 'attack',
    name: 'hostile trusted mailserver',
    sent: `unasked P2P history, then ${20 * profile.scale} P2P packets of 2,000 envelopes for one request, never complete`,
    up: victim.alive,
    honest: service,
    peakRssMb: measure.peakRssMb,
    rssBoundMb: 300,
    note: `request to it: ${fromHostile.split('\n')[0]?.slice(0, 80)}; reported ${misbehaved.length}x (${String(misbehaved[0]?.reason)}); still connected: ${peers.includes(hostileId)}`,
  });
  expect(victim.alive).toBe(true);
  expect(misbehaved.length).toBeGreaterThan(0);
  expect(peers).not.toContain(hostileId);
  expect(service.ok).toBe(service.total);
  expect(measure.peakRssMb).toBeLessThan(300);
});

test('malformed history requests: refused and counted, honest history still served', async () => {
  const { victim, info } = await sqliteMailserver('malformed');
  await seedHonestHistory(victim);
  const reader = await honestReader(victim);
  const attacker = spawnChild('mail-malformed', 'attackers/mail-storm', {
    victimEnode: info.enode,
    peers: 4,
    perSecond: 4,
    durationMs: profile.attackMs + 2_000,
    topic: HONEST_TOPIC,
    limit: 0,
    malformed: true,
  });
  await attacker.ready;
  await victim.request('resetMeasure');
  const service = await measureService(
    () => fetchHistory(reader, info.nodeId, [HONEST_TOPIC], HONEST_ENVELOPES),
    { durationMs: profile.attackMs, intervalMs: 1_000, timeoutMs: 10_000 },
  );
  const measure = await victim.request<SelfMeasure>('measure');
  const stats = await victim.request<MailStats>('stats');
  const counters = stats.node.mailserver;
  record({
    kind: 'attack',
    name: 'malformed history requests',
    sent: '4 peers x 4 requests/s: random bytes, undecryptable envelopes, 2,000 topics, a 30-day span, bad cursors',
    up: victim.alive,
    honest: service,
    peakRssMb: measure.peakRssMb,
    rssBoundMb: 300,
    drops: nonZero(counters.rejected),
    note: `requests ${counters.requests}, served ${counters.served}`,
  });
  expect(victim.alive).toBe(true);
  expect(service.ok).toBe(service.total);
  expect(measure.peakRssMb).toBeLessThan(300);
});
