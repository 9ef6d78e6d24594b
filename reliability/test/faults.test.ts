import { join } from 'node:path';
import { bytesToHex } from '@status-ts/core';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import { expect, test } from 'vitest';
import { FAST_MVDS } from '../src/fast-mvds.js';
import { record } from '../src/figures.js';
import { honestNode } from '../src/honest.js';
import { currentProfile } from '../src/profile.js';
import { PartitionProxy } from '../src/proxy.js';
import { useScenario } from '../src/scenario.js';
import { spawnChild } from '../src/spawn.js';
import { tempDir } from '../src/temp.js';
import type { StatusNodeVictimInfo } from '../src/victims/status-node.js';

const profile = currentProfile();
const { honest } = useScenario();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('kill -9 of a mailserver mid-ingest, three times: no acknowledged envelope lost', async () => {
  const file = join(tempDir('ingest'), 'archive.sqlite');
  const victimConfig = { role: 'relayer', mailserver: { sqlite: file }, reportArchived: true };
  const acknowledged = new Set<string>();
  const sent = new Set<string>();
  const kills = 3;
  for (let round = 0; round < kills; round++) {
    const mailserver = spawnChild<StatusNodeVictimInfo>(
      `mailserver ${round}`,
      'victims/status-node',
      victimConfig,
    );
    const { enode } = await mailserver.ready;
    const feeder = spawnChild('feeder', 'peers/feeder', {
      targetEnode: enode,
      perSecond: 500,
      total: 100_000,
      topic: 'feedfeed',
      dataBytes: 300,
    });
    await feeder.ready;
    await sleep(1_500 + 500 * profile.scale);
    await mailserver.kill('SIGKILL');
    await feeder.kill('SIGKILL');
    for (const event of mailserver.events)
      if (event.type === 'archived') for (const hash of event.hashes as string[]) acknowledged.add(hash);
    for (const event of feeder.events)
      if (event.type === 'sent') for (const hash of event.hashes as string[]) sent.add(hash);
  }
  const reopened = spawnChild<StatusNodeVictimInfo>(
    'mailserver reopened',
    'victims/status-node',
    victimConfig,
  );
  await reopened.ready;
  const { held, rows } = await reopened.request<{ held: number; rows: number }>('holds', {
    hashes: [...acknowledged],
  });
  record({
    kind: 'fault',
    name: 'mailserver kill -9 mid-ingest',
    sent: `${kills} kills while a peer sent 500 envelopes/s (${sent.size} sent, ${acknowledged.size} acknowledged)`,
    lost: acknowledged.size - held,
    duplicated: rows - held,
  });
  expect(acknowledged.size).toBeGreaterThan(500);
  expect(held).toBe(acknowledged.size);
  expect(rows).toBe(held);
});

test('kill -9 of a relayer mid-stream: messages arrive over the other path, none lost or duplicated', async () => {
  const relayers = [0, 1].map((i) =>
    spawnChild<StatusNodeVictimInfo>(`relayer ${i}`, 'victims/status-node', { role: 'relayer' }),
  );
  await Promise.all(relayers.map((r) => r.ready));
  const [alice, bob] = await Promise.all([honestNode('127.0.0.3'), honestNode('127.0.0.4')]);
  honest.push(alice!, bob!);
  for (const node of [alice!, bob!]) node.joinPublicChat('fault');
  for (const relayer of relayers)
    for (const node of [alice!, bob!]) await relayer.request('dial', { enode: node.enode });
  await Promise.all([alice!, bob!].map((n) => n.waitForPeers(2, { signal: AbortSignal.timeout(15_000) })));

  const received = new Map<string, number>();
  bob!.on('message', (message) => {
    if (message.chatKind === 'public') received.set(message.text, (received.get(message.text) ?? 0) + 1);
  });
  const total = 60 * profile.scale;
  for (let i = 0; i < total; i++) {
    if (i === Math.floor(total / 3)) await relayers[0]!.kill('SIGKILL');
    await alice!.sendPublicMessage('fault', `stream ${i}`);
    await sleep(100);
  }
  const deadline = Date.now() + 15_000;
  while (received.size < total && Date.now() < deadline) await sleep(50);
  const duplicated = [...received.values()].reduce((sum, n) => sum + n - 1, 0);
  record({
    kind: 'fault',
    name: 'relayer kill -9 mid-stream',
    sent: `${total} public messages at 10/s over two relayers, one killed after ${Math.floor(total / 3)}`,
    lost: total - received.size,
    duplicated,
  });
  expect(received.size).toBe(total);
  expect(duplicated).toBe(0);
});

test('kill -9 of a client mid-conversation: ratchet, MVDS and store resume, nothing lost or duplicated', async () => {
  const relayer = spawnChild<StatusNodeVictimInfo>('relayer', 'victims/status-node', { role: 'relayer' });
  await relayer.ready;
  const alice = await honestNode('127.0.0.3', { mvds: FAST_MVDS });
  honest.push(alice);
  await relayer.request('dial', { enode: alice.enode });
  const bobConfig = {
    privateKeyHex: bytesToHex(generatePrivateKey()),
    installationId: 'bob-phone',
    databaseFile: join(tempDir('bob'), 'bob.sqlite'),
    atRestKeyHex: bytesToHex(randomBytes(32)),
    host: '127.0.0.4',
  };
  const startBob = async (name: string) => {
    const bob = spawnChild<{ enode: string; chatId: string }>(name, 'peers/chat-node', bobConfig);
    const info = await bob.ready;
    await relayer.request('dial', { enode: info.enode });
    return { bob, info };
  };
  let { bob, info } = await startBob('bob');
  await alice.waitForPeers(1, { signal: AbortSignal.timeout(15_000) });

  const total = 30 * profile.scale;
  const fromBob = 10 * profile.scale;
  const seenByAlice = new Map<string, number>();
  alice.on('message', (message) => {
    if (!message.outgoing) seenByAlice.set(message.text, (seenByAlice.get(message.text) ?? 0) + 1);
  });
  for (let i = 0; i < total; i++) {
    if (i === Math.floor(total / 3)) {
      await bob.kill('SIGKILL');
      await alice.sendDirectMessage(info.chatId, `to bob ${i}`);
      await sleep(1_000);
      ({ bob, info } = await startBob('bob restarted'));
      continue;
    }
    await alice.sendDirectMessage(info.chatId, `to bob ${i}`);
    await sleep(150);
  }
  for (let i = 0; i < fromBob; i++)
    await bob.request('send', { to: alice.identity.id, text: `to alice ${i}` });

  const wanted = Array.from({ length: total }, (_, i) => `to bob ${i}`);
  const deadline = Date.now() + 30_000;
  let stored: string[] = [];
  for (;;) {
    stored = await bob.request<string[]>('stored', { chatId: alice.identity.id });
    const done = wanted.every((text) => stored.includes(text)) && seenByAlice.size >= fromBob;
    if (done || Date.now() > deadline) break;
    await sleep(250);
  }
  const received = stored.filter((text) => text.startsWith('to bob '));
  const lost = wanted.filter((text) => !received.includes(text)).length + (fromBob - seenByAlice.size);
  const duplicated =
    received.length - new Set(received).size + [...seenByAlice.values()].reduce((sum, n) => sum + n - 1, 0);
  record({
    kind: 'fault',
    name: 'client kill -9 mid-conversation',
    sent: `${total} 1:1 messages to a client killed after ${Math.floor(total / 3)} and restarted on its SQLite file, then ${fromBob} back`,
    lost,
    duplicated,
  });
  expect(lost).toBe(0);
  expect(duplicated).toBe(0);
});

test('a partition between two groups of nodes, healed: MVDS catches up, nothing lost or duplicated', async () => {
  const right = spawnChild<StatusNodeVictimInfo>('relayer right', 'victims/status-node', { role: 'relayer' });
  const rightInfo = await right.ready;
  const proxy = await PartitionProxy.start({ host: '127.0.0.1', port: rightInfo.port });
  const left = spawnChild<StatusNodeVictimInfo>('relayer left', 'victims/status-node', {
    role: 'relayer',
    staticPeers: [`enode://${rightInfo.nodeId}@127.0.0.1:${proxy.port}`],
  });
  await left.ready;
  try {
    const [alice, bob] = await Promise.all([
      honestNode('127.0.0.3', { mvds: FAST_MVDS }),
      honestNode('127.0.0.4', { mvds: FAST_MVDS }),
    ]);
    honest.push(alice!, bob!);
    await left.request('dial', { enode: alice!.enode });
    await right.request('dial', { enode: bob!.enode });
    await Promise.all([alice!, bob!].map((n) => n.waitForPeers(1, { signal: AbortSignal.timeout(15_000) })));
    const seen = new Map<string, number>();
    for (const node of [alice!, bob!])
      node.on('message', (message) => {
        if (!message.outgoing) seen.set(message.text, (seen.get(message.text) ?? 0) + 1);
      });
    // A first exchange before the cut: sessions exist on both sides.
    await alice!.sendDirectMessage(bob!.identity.id, 'hello before');
    await bob!.sendDirectMessage(alice!.identity.id, 'hello back before');
    const deadline = (ms: number) => Date.now() + ms;
    for (const until = deadline(15_000); seen.size < 2 && Date.now() < until; ) await sleep(50);

    proxy.cut();
    const during = 10 * profile.scale;
    for (let i = 0; i < during; i++) {
      await alice!.sendDirectMessage(bob!.identity.id, `alice during ${i}`);
      await bob!.sendDirectMessage(alice!.identity.id, `bob during ${i}`);
      await sleep(200);
    }
    await sleep(2_000);
    const beforeHeal = seen.size;
    proxy.heal();
    await left
      .request('dial', { enode: `enode://${rightInfo.nodeId}@127.0.0.1:${proxy.port}` })
      .catch(() => undefined);
    const expected = 2 + 2 * during;
    for (const until = deadline(30_000); seen.size < expected && Date.now() < until; ) await sleep(100);
    const duplicated = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
    record({
      kind: 'fault',
      name: 'partition healed',
      sent: `${2 * during} 1:1 messages across a cut between two relayers (${beforeHeal - 2} crossed before the heal)`,
      lost: expected - seen.size,
      duplicated,
    });
    expect(beforeHeal).toBe(2);
    expect(seen.size).toBe(expected);
    expect(duplicated).toBe(0);
  } finally {
    await proxy.stop();
  }
});
