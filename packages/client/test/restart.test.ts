import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import { openMvdsSqliteStore } from '@status-ts/mvds/sqlite';
import { openSecureTransportSqliteStore } from '@status-ts/secure-transport/sqlite';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createStatusNode, type StatusMessage, type StatusNode } from '../src/index.js';
import { openClientSqliteStore } from '../src/sqlite/index.js';
import { waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'client-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const running: StatusNode[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((node) => node.stop()));
});

/** A node whose message store, secure-transport sessions and MVDS state share one SQLite file. */
function persistentNode(
  file: string,
  key: Uint8Array,
  atRestKey: Uint8Array,
  installationId: string,
  peer: string,
) {
  const store = openClientSqliteStore(file);
  const sessionStore = openSecureTransportSqliteStore(store.db, { encryptionKey: atRestKey });
  const mvdsStores = openMvdsSqliteStore(store.db);
  const node = createStatusNode({
    identity: { privateKey: key },
    installationId,
    staticPeers: [peer],
    store,
    sessionStore,
    mvds: { stores: mvdsStores },
  });
  const close = async () => {
    await node.stop();
    mvdsStores.close();
    await sessionStore.close();
    await store.close();
  };
  return { node, close };
}

describe('restart from one SQLite file', () => {
  it('sessions, MVDS state and messages resume: later messages use the ratchet, nothing is lost or repeated', async () => {
    const relayer = createStatusNode({ identity: { privateKey: generatePrivateKey() }, role: 'relayer' });
    running.push(relayer);
    await relayer.start();
    const alice = createStatusNode({
      identity: { privateKey: generatePrivateKey() },
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
