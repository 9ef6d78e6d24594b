/**
 * The offline-history scenario, built once and measured several times: a relayer with the mailserver role,
 * Alice and Bob with an established Double Ratchet session (two round trips, as after any real
 * conversation, so Alice writes on their negotiated topic), Bob goes offline, Alice sends `missed` 1:1
 * messages, each in its own envelope, and they are archived. What Bob knew when he went offline (his
 * secure-transport store) is kept as a dump, so every end-to-end round and every secure-transport part
 * starts from exactly that state.
 */
import { bytesToHex, systemClock, unixSeconds } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { MemorySessionStore } from '@status-ts/secure-transport';
import type { PayloadKey, Topic } from '@status-ts/waku';
import { type DeliveryState, type NodeIdentity, resolveIdentity, type StatusNode } from '../src/index.js';
import { localNode } from './local-node.js';
import { sleep, until } from './stats.js';

export type SessionDump = ReturnType<MemorySessionStore['dump']>;

/** One of Bob's Waku filters: the topics it listens on and the key it opens them with. */
export interface FilterKey {
  readonly topicHexes: readonly string[];
  readonly key: PayloadKey;
}

export interface HistoryScenario {
  readonly relayer: StatusNode;
  readonly mailserverId: string;
  readonly bob: NodeIdentity;
  readonly installationId: string;
  /** Bob's secure-transport store when he went offline. */
  readonly sessions: SessionDump;
  readonly filters: readonly FilterKey[];
  /** What Bob asks the mailserver for: his listening topics and the offline window (unix s, inclusive). */
  readonly topics: readonly Topic[];
  readonly from: number;
  readonly to: number;
  readonly missed: number;
  readonly prefix: string;
  /** How the last pre-offline message reached Bob: `ratchet` means an established session. */
  readonly protection: string;
  readonly sendSeconds: number;
}

/** A fresh secure-transport store holding exactly what the dump holds (records are copied by `apply`). */
export async function restoreSessions(dump: SessionDump): Promise<MemorySessionStore> {
  const store = new MemorySessionStore();
  await store.apply({
    preKeys: dump.preKeys,
    installations: dump.installations,
    sessions: dump.sessions,
    messageKeys: dump.messageKeys,
  });
  return store;
}

// A chat line of ordinary length (the wrapper, MVDS record and envelope sizes follow from it).
const FILLER = 'see you at the station at eight, bring the tickets and the umbrella';

/** Resolves when `node` emits `state` for message `id` (the listener stays for the next ids). */
function deliveryWatcher(node: StatusNode): (id: string, state: DeliveryState) => Promise<boolean> {
  const seen = new Map<string, Set<DeliveryState>>();
  node.on('delivery', ({ id, state }) => {
    const states = seen.get(id) ?? new Set<DeliveryState>();
    seen.set(id, states.add(state));
  });
  return (id, state) => until(() => seen.get(id)?.has(state) === true, 20_000, 1);
}

async function nextSecond(): Promise<void> {
  // Envelope times are whole seconds: moving past a boundary separates "before" from "after" exactly.
  await sleep(1000 - (Date.now() % 1000) + 20);
}

export async function buildHistoryScenario(missed: number): Promise<HistoryScenario> {
  const relayer = localNode({ identity: { privateKey: generatePrivateKey() }, mailserver: true });
  await relayer.start();
  const aliceNode = localNode({
    identity: { privateKey: generatePrivateKey() },
    staticPeers: [relayer.enode!],
    // Alice's MVDS runs 10 ms epochs so each message leaves in its own envelope without waiting 300 ms
    // per message (a person types seconds apart: one message per envelope is the realistic shape), and
    // never retransmits within the bench, so the archive holds exactly one envelope per message.
    mvds: { epochMs: 10, nextSendEpoch: (_count, epoch) => epoch + 1_000_000_000 },
  });
  const bobKey = generatePrivateKey();
  const installationId = globalThis.crypto.randomUUID();
  const bobStore = new MemorySessionStore();
  const bobNode = localNode({
    identity: { privateKey: bobKey },
    installationId,
    sessionStore: bobStore,
    staticPeers: [relayer.enode!],
  });
  await Promise.all([aliceNode.start(), bobNode.start()]);
  await until(() => relayer.waku.peers.length === 2, 10_000);

  // Two round trips: DH first contact, Bob's X3DH reply, then ratchet both ways; all acknowledged.
  const aliceDelivered = deliveryWatcher(aliceNode);
  const bobDelivered = deliveryWatcher(bobNode);
  let protection = 'none';
  let bobGot = 0;
  let aliceGot = 0;
  bobNode.on('message', (m) => {
    if (m.outgoing) return;
    bobGot++;
    protection = m.protection ?? 'none';
  });
  aliceNode.on('message', (m) => {
    if (!m.outgoing) aliceGot++;
  });
  const lines = ['hello bob', 'hi alice', 'how are you?', 'fine, and you?'];
  for (const [i, text] of lines.entries()) {
    const fromAlice = i % 2 === 0;
    const sender = fromAlice ? aliceNode : bobNode;
    const recipient = fromAlice ? bobNode : aliceNode;
    const sent = await sender.sendDirectMessage(recipient.identity.id, text);
    await until(() => (fromAlice ? bobGot : aliceGot) === Math.floor(i / 2) + 1, 20_000);
    await (fromAlice ? aliceDelivered : bobDelivered)(sent.id, 'acknowledged');
  }
  await Promise.all([aliceNode.idle(), bobNode.idle(), aliceNode.mvds.idle(), bobNode.mvds.idle()]);

  const filters = bobNode.waku.filters.map((f) => ({ topicHexes: f.topicHexes, key: f.key }));
  const topics = bobNode.listeningTopics();
  await bobNode.stop();
  await until(() => relayer.waku.peers.length === 1, 10_000);
  const sessions = bobStore.dump();

  await nextSecond();
  const from = unixSeconds(systemClock);
  const prefix = 'missed ';
  const archivedBefore = relayer.mailserver!.counters.archived;
  const t0 = performance.now();
  for (let i = 1; i <= missed; i++) {
    const sent = await aliceNode.sendDirectMessage(bobNode.identity.id, `${prefix}${i}: ${FILLER}`);
    // Wait until it is posted, so the next message gets its own MVDS payload and envelope.
    await aliceDelivered(sent.id, 'sent');
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  await until(() => relayer.mailserver!.counters.archived >= archivedBefore + missed, 30_000);
  const to = unixSeconds(systemClock);
  await aliceNode.stop(); // nothing else runs in the process while Bob is measured
  await nextSecond(); // later envelopes (Bob's acks in a round) fall after `to`

  return {
    relayer,
    mailserverId: bytesToHex(relayer.server.id),
    bob: resolveIdentity({ privateKey: bobKey }),
    installationId,
    sessions,
    filters,
    topics,
    from,
    to,
    missed,
    prefix,
    protection,
    sendSeconds,
  };
}
