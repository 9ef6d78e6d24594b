import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createStatusNode, type StatusMessage } from '../src/index.js';
import { openNodeSqlite } from '../src/sqlite/index.js';
import { localNode, useNodes, waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'client-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { running } = useNodes();

/** A node whose message store, secure-transport sessions and MVDS state share one SQLite file. */
function persistentNode(
  file: string,
  key: Uint8Array,
  atRestKey: Uint8Array,
  installationId: string,
  peer: string,
) {
  const sqlite = openNodeSqlite(file, { encryptionKey: atRestKey });
  const node = createStatusNode({
    discovery: false,
    identity: { privateKey: key },
    installationId,
    staticPeers: [peer],
    ...sqlite.nodeOptions,
  });
  const close = async () => {
    await node.stop();
    await sqlite.close();
  };
  return { node, close };
}

describe('restart from one SQLite file', () => {
  it('sessions, MVDS state and messages resume: later messages use the ratchet, nothing is lost or repeated', async () => {
    const relayer = localNode({
      role: 'relayer',
    });
    running.push(relayer);
    await relayer.start();
    const alice = localNode({
      staticPeers: [relayer.enode!],
    });
    running.push(alice);
    await alice.start();
    const file = join(dir, 'bob.db');
    const bobKey = generatePrivateKey();
    const atRestKey = randomBytes(32);
    const installation = globalThis.crypto.randomUUID();

    const first = persistentNode(file, bobKey, atRestKey, installation, relayer.enode!);
    await first.node.start();
    await waitFor(() => relayer.waku.peers.length === 2, 'connected');
    const seenFirst: StatusMessage[] = [];
    first.node.on('message', (m) => !m.outgoing && seenFirst.push(m));
    const m1 = await alice.sendDirectMessage(first.node.identity.id, 'before the restart');
    await waitFor(() => seenFirst.length === 1, 'bob reading before the restart');
    const r1 = await first.node.sendDirectMessage(alice.identity.id, 'reply before');
    await waitFor(() => alice.deliveryState(m1.id) === 'acknowledged', 'ack of m1');
    await waitFor(() => first.node.deliveryState(r1.id) === 'acknowledged', 'ack of r1');
    await first.node.idle();
    await first.close();

    const second = persistentNode(file, bobKey, atRestKey, installation, relayer.enode!);
    running.push(second.node);
    await second.node.start();
    await second.node.waitForPeers();
    const seenSecond: StatusMessage[] = [];
    second.node.on('message', (m) => !m.outgoing && seenSecond.push(m));
    const m2 = await alice.sendDirectMessage(second.node.identity.id, 'after the restart');
    await waitFor(() => seenSecond.length === 1, 'bob reading after the restart');
    expect(seenSecond.map((m) => m.text)).toEqual(['after the restart']);
    // The first message was a DH-header first contact; after the restart the stored session continues.
    expect(seenFirst[0]!.protection).toBe('dh');
    expect(seenSecond[0]!.protection).toBe('ratchet');
    const r2 = await second.node.sendDirectMessage(alice.identity.id, 'reply after');
    await waitFor(() => alice.deliveryState(m2.id) === 'acknowledged', 'ack of m2');
    await waitFor(() => second.node.deliveryState(r2.id) === 'acknowledged', 'ack of r2');
    await second.node.idle();
    const stored = await second.node.chatMessages(alice.identity.id);
    expect(stored.messages.map((m) => m.text)).toEqual([
      'before the restart',
      'reply before',
      'after the restart',
      'reply after',
    ]);
    await second.close();
    running.splice(running.indexOf(second.node), 1);
  });
});
