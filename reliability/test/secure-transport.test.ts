import { join } from 'node:path';
import { bytesToHex } from '@status-ts/core';
import { generatePrivateKey, getPublicKey, randomBytes } from '@status-ts/crypto';
import { MAX_STORED_INSTALLATIONS } from '@status-ts/secure-transport';
import { expect, test } from 'vitest';
import type { SelfMeasure } from '../src/child.js';
import { record } from '../src/figures.js';
import { honestNode } from '../src/honest.js';
import { currentProfile } from '../src/profile.js';
import { useScenario } from '../src/scenario.js';
import { measureService } from '../src/service.js';
import { spawnChild } from '../src/spawn.js';
import { tempDir } from '../src/temp.js';
import type { StatusNodeVictimInfo } from '../src/victims/status-node.js';

const profile = currentProfile();
const { honest } = useScenario();

test('installations flood from one identity: the victim keeps a bounded set and still chats', async () => {
  const relayer = spawnChild<StatusNodeVictimInfo>('relayer', 'victims/status-node', {
    role: 'relayer',
    // Every flood device dials from 127.0.0.1: per-IP limits would measure the relayer, not the victim.
    waku: { rateLimits: { packetsPerIp: 0, bytesPerIp: 0, envelopesPerIp: 0 } },
  });
  const relayerInfo = await relayer.ready;
  const victim = spawnChild<{ enode: string; chatId: string }>('victim', 'peers/chat-node', {
    privateKeyHex: bytesToHex(generatePrivateKey()),
    installationId: 'victim-phone',
    databaseFile: join(tempDir('installs'), 'victim.sqlite'),
    atRestKeyHex: bytesToHex(randomBytes(32)),
    host: '127.0.0.4',
  });
  const victimInfo = await victim.ready;
  const alice = await honestNode('127.0.0.3');
  honest.push(alice);
  for (const enode of [victimInfo.enode, alice.enode]) await relayer.request('dial', { enode });
  await alice.waitForPeers(1, { signal: AbortSignal.timeout(15_000) });
  await victim.request('resetMeasure');

  const attackerKey = generatePrivateKey();
  const installations = 100 * profile.scale;
  const attacker = spawnChild('installations', 'attackers/installations', {
    privateKeyHex: bytesToHex(attackerKey),
    victimChatId: victimInfo.chatId,
    relayerEnode: relayerInfo.enode,
    installations,
    parallel: 4,
  });
  await attacker.ready;
  const received = (text: string) => victim.events.some((e) => e.type === 'message' && e.text === text);
  const service = await measureService(
    async (i) => {
      const text = `alice ${i}`;
      await alice.sendDirectMessage(victimInfo.chatId, text);
      while (!received(text)) await new Promise((resolve) => setTimeout(resolve, 50));
    },
    { durationMs: profile.attackMs, intervalMs: 500, timeoutMs: 10_000 },
  );
  const done = await attacker.event('done', 300_000);
  const attackerIdentity = bytesToHex(getPublicKey(attackerKey, 'compressed'));
  const kept = await victim.request<number>('installationsOf', { identity: attackerIdentity });
  const learnt = victim.events.filter(
    (e) => e.type === 'message' && String(e.text).startsWith('device '),
  ).length;
  const measure = await victim.request<SelfMeasure>('measure');
  record({
    kind: 'attack',
    name: 'installations from one identity',
    sent: `${installations} devices of one chat key, each sending a 1:1 message (${String(done.sent)} sent, ${learnt} delivered)`,
    up: victim.alive,
    honest: service,
    peakRssMb: measure.peakRssMb,
    rssBoundMb: 300,
    note: `installations kept ${kept} (cap ${MAX_STORED_INSTALLATIONS})`,
  });
  expect(victim.alive).toBe(true);
  expect(service.ok).toBe(service.total);
  expect(learnt).toBeGreaterThan(MAX_STORED_INSTALLATIONS);
  expect(kept).toBeLessThanOrEqual(MAX_STORED_INSTALLATIONS);
  expect(measure.peakRssMb).toBeLessThan(300);
});
