import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createStatusNode, type MessageStore } from '../src/index.js';
import { openClientSqliteStore, openNodeSqlite } from '../src/sqlite/index.js';
import { localNode, useNodes, waitFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'client-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { running } = useNodes();

/** Alice on one SQLite file (messages, sessions, MVDS); `failSaves` makes the message store refuse writes. */
function persistentAlice(
  file: string,
  key: Uint8Array,
  atRestKey: Uint8Array,
  peer: string,
  failSaves = false,
) {
  const sqlite = openNodeSqlite(file, { encryptionKey: atRestKey });
  const failing: MessageStore = new Proxy(sqlite.store, {
    get(target, property) {
      if (property === 'saveMessages') return () => Promise.reject(new Error('disk full'));
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const node = createStatusNode({
    discovery: false,
    identity: { privateKey: key },
    installationId: 'alice-laptop',
    staticPeers: [peer],
    ...sqlite.nodeOptions,
    ...(failSaves ? { store: failing } : {}),
  });
  const close = async () => {
    await node.stop();
    await sqlite.close();
  };
  return { node, store: sqlite.store, close };
}

describe('our unacknowledged messages after a restart', () => {
  it('a message MVDS holds but the store never saved is saved at start, and its ack still moves its state', async () => {
    const relayer = localNode({
      role: 'relayer',
    });
    running.push(relayer);
    await relayer.start();
    const file = join(dir, 'alice.db');
    const aliceKey = generatePrivateKey();
    const atRestKey = randomBytes(32);
    const bobKey = generatePrivateKey();
    const bobId = createStatusNode({ discovery: false, identity: { privateKey: bobKey } }).identity.id;

    // Bob is offline; Alice's store refuses the write (as if the process died right after MVDS took it).
    const first = persistentAlice(file, aliceKey, atRestKey, relayer.enode!, true);
    const storeErrors: unknown[] = [];
    first.node.on('store:error', (error) => storeErrors.push(error));
    await first.node.start();
    const sent = await first.node.sendDirectMessage(bobId, 'kept by MVDS');
    await first.node.idle();
    expect(storeErrors.length).toBeGreaterThan(0);
    expect(await first.store.hasMessage(sent.id)).toBe(false);
    await first.close();

    // Restarted, Alice finds the message in MVDS and saves it; Bob comes online and acknowledges it.
    const second = persistentAlice(file, aliceKey, atRestKey, relayer.enode!);
    running.push(second.node);
    const states: string[] = [];
    second.node.on('delivery', ({ id, state }) => id === sent.id && states.push(state));
    await second.node.start();
    await second.node.idle();
    const saved = (await second.node.chatMessages(bobId)).messages;
    expect(saved.map((m) => [m.id, m.text, m.outgoing])).toEqual([[sent.id, 'kept by MVDS', true]]);

    const bob = createStatusNode({
      discovery: false,
      identity: { privateKey: bobKey },
      staticPeers: [relayer.enode!],
    });
    running.push(bob);
    const atBob: string[] = [];
    bob.on('message', (m) => !m.outgoing && atBob.push(m.text));
    await bob.start();
    await waitFor(() => atBob.includes('kept by MVDS'), 'bob receives the resent message', 20_000);
    await waitFor(() => states.includes('acknowledged'), 'the ack reaches the restarted alice', 20_000);
    await second.node.idle();
    expect(second.node.deliveryState(sent.id)).toBe('acknowledged');
    expect((await second.store.messages(bobId, { limit: 10 })).messages[0]!.deliveryState).toBe(
      'acknowledged',
    );
    await second.close();
    running.splice(running.indexOf(second.node), 1);
  });
});

describe('public chats after a restart', () => {
  it('a node on the same store is back in the public chats it had joined, and reads them', async () => {
    const relayer = localNode({
      role: 'relayer',
    });
    running.push(relayer);
    await relayer.start();
    const file = join(dir, 'rejoin.db');
    const key = generatePrivateKey();
    const open = () => {
      const store = openClientSqliteStore(file);
      const node = createStatusNode({
        discovery: false,
        identity: { privateKey: key },
        staticPeers: [relayer.enode!],
        store,
      });
      return { node, store };
    };
    const first = open();
    await first.node.start();
    first.node.joinPublicChat('rejoin');
    first.node.joinPublicChat('left-behind');
    first.node.leavePublicChat('left-behind');
    await first.node.stop();
    await first.store.close();

    const second = open();
    running.push(second.node);
    await second.node.start();
    expect(second.node.publicChats).toEqual(['rejoin']);
    const alice = localNode({
      staticPeers: [relayer.enode!],
    });
    running.push(alice);
    await alice.start();
    alice.joinPublicChat('rejoin');
    await waitFor(() => relayer.waku.peers.filter((p) => p.ready).length === 2, 'both connected');
    const seen: string[] = [];
    second.node.on('message', (m) => !m.outgoing && seen.push(m.text));
    // Topic interest reaches the relayer asynchronously: send until the restarted node reads one.
    for (let i = 0; i < 20 && seen.length === 0; i++) {
      await alice.sendPublicMessage('rejoin', `still here ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(seen[0]).toMatch(/^still here \d+$/);
    await second.node.stop();
    await second.store.close();
    running.splice(running.indexOf(second.node), 1);
  });
});
