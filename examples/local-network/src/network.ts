import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, bytesToUtf8, utf8ToBytes } from '@status-ts/core';
import { convertPublicKey } from '@status-ts/crypto';
import { threeWordName } from '@status-ts/identity';
import { type HistorySummary, MailClient } from '@status-ts/mailserver';
import { messageSigner, publicChatId } from '@status-ts/payloads';
import { MemoryPeerCache, type PeerAddedEvent, type PeerCache } from '@status-ts/peerpool';
import { openPeerPoolSqliteStore } from '@status-ts/peerpool/sqlite';
import type { RendezvousServerStats } from '@status-ts/rendezvous';
import { type RunningRendezvousServer, runRendezvousServer } from '@status-ts/rendezvous/libp2p';
import { SecureTransport } from '@status-ts/secure-transport';
import { publicChat, type ReceivedMessage, topicFromName } from '@status-ts/waku';
import { LIGHT_CLIENT_TOPICS, poolIsFull } from './discovery.js';
import { type DemoNode, type DemoRole, startDemoNode } from './node.js';
import { publicChatPost, readPublicChatPost } from './status-message.js';

/** One message as a node received it. */
export interface Delivery {
  to: string;
  from: string;
  kind: 'public chat' | 'direct' | 'history';
  text: string;
  ms: number;
  /** For Status chat messages (public chat, history): the message id and Lamport clock. */
  status?: { id: string; clock: number };
}

/** A node's rendezvous registration. */
export interface Registration {
  label: string;
  topics: string[];
  /** `ip:tcp` from the registered ENR. */
  address: string;
}

/** How a light client's PeerPool filled. */
export interface PoolFill {
  label: string;
  /** `cold`: an empty cache; `warm`: started from the peer cache. */
  start: 'cold' | 'warm';
  /** Every peer the pool connected, with the topic it counts for and the source that found it. */
  peers: Array<{ peer: string; topic: string; source: string }>;
  /** From `pool.start()` to every topic at `max` with a mailserver selected. */
  fullMs: number;
  /** The mailserver the pool selected, and the round trip its probe measured. */
  mailserver: string;
  mailserverRttMs: number | undefined;
}

export interface DemoReport {
  nodes: DemoNode[];
  deliveries: Delivery[];
  linkMs: number;
  /** The server's address, who registered, and what it answered (REGISTER, DISCOVER) during the run. */
  rendezvous: { address: string; registrations: Registration[]; stats: RendezvousServerStats };
  pools: PoolFill[];
  /** Bob's history fetch after coming back online. */
  history: HistorySummary;
  /** History envelopes Bob already had before going offline (counted, not delivered again). */
  historyAlreadySeen: number;
  /** Stops every node, the rendezvous server and removes Bob's data folder. */
  stop(): Promise<void>;
}

export interface LocalNetworkOptions {
  /** How long to wait for each step, default 15 s. */
  timeoutMs?: number;
  onEvent?: (line: string) => void;
}

const LAYOUT: Array<[string, DemoRole]> = [
  ['relayer-1', 'relayer'],
  ['relayer-2', 'relayer'],
  ['bridge', 'bridge'],
  ['legacy-whisper', 'whisper-only'],
  ['mailserver', 'mailserver'],
  ['alice', 'light-client'],
  ['bob', 'light-client'],
];

// The static backbone: relayer-1 — relayer-2 — bridge — legacy-whisper, and the mailserver on relayer-2.
// Light clients find their peers through rendezvous.
const LINKS: Array<[string, string]> = [
  ['relayer-2', 'relayer-1'],
  ['mailserver', 'relayer-2'],
  ['bridge', 'relayer-2'],
  ['legacy-whisper', 'bridge'],
];

/** Messages Alice posts while Bob is offline. */
export const MISSED_MESSAGES = 3;

export const PUBLIC_CHAT = 'status-ts';

/**
 * Runs the demo: starts a rendezvous server and the nodes; relayers, the bridge and the mailserver register
 * their ENRs, the backbone links over RLPx, and the light clients' PeerPools find relayers and a mailserver
 * through rendezvous. Alice posts to a public chat (received by Bob and, through the bridge, by a
 * Whisper-only node) and Bob sends Alice a direct message encrypted to her chat key. Bob then goes offline,
 * Alice posts more, and Bob comes back: his pool starts from his peer cache, and he fetches what he missed
 * from the mailserver it selected. Returns what happened; the caller calls `report.stop()`.
 */
export async function runLocalNetwork(options: LocalNetworkOptions = {}): Promise<DemoReport> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const say = options.onEvent ?? (() => {});
  const nodes: DemoNode[] = [];
  const byLabel = (label: string) => nodes.find((n) => n.label === label)!;
  const labelOf = (id: string) => nodes.find((n) => bytesToHex(n.server.id) === id)?.label ?? id.slice(0, 8);
  let rendezvous: RunningRendezvousServer | undefined;
  // Bob's data folder: his peer cache survives his restart.
  const bobDir = mkdtempSync(join(tmpdir(), 'status-ts-demo-bob-'));
  const bobCachePath = join(bobDir, 'peers.db');
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await rendezvous?.stop();
    rmSync(bobDir, { recursive: true, force: true });
  };
  try {
    rendezvous = await runRendezvousServer({ listen: ['/ip4/127.0.0.1/tcp/0'] });
    const servers = rendezvous.addresses;
    say(`rendezvous server on ${servers[0]}`);

    const caches: Record<string, () => PeerCache> = {
      alice: () => new MemoryPeerCache(),
      bob: () => openPeerPoolSqliteStore(bobCachePath),
    };
    const started = await Promise.all(
      LAYOUT.map(([label, role]) =>
        startDemoNode(label, role, {
          rendezvous: servers,
          ...(caches[label] ? { peerCache: caches[label]() } : {}),
        }),
      ),
    );
    nodes.push(...started);
    const registrations: Registration[] = [];
    for (const node of nodes) {
      if (!node.registrar) continue;
      const topics = node.role === 'mailserver' ? ['whisper', 'whispermail'] : ['whisper'];
      if (node.registrar.stats.registered < topics.length) {
        throw new Error(`${node.label} could not register at the rendezvous server`);
      }
      const address = `${node.enr.ip}:${node.enr.tcp}`;
      registrations.push({ label: node.label, topics, address });
      say(`${node.label.padEnd(15)} registered its ENR (${address}) under ${topics.join(' + ')}`);
    }

    const linking = performance.now();
    await Promise.all(LINKS.map(([from, to]) => byLabel(from).server.dial(byLabel(to).enr)));
    await waitFor(
      () => LINKS.every(([a, b]) => linked(byLabel(a), byLabel(b))),
      timeoutMs,
      'Waku handshakes',
    );
    const linkMs = performance.now() - linking;
    say(`linked the backbone: ${LINKS.length} RLPx + Waku/Whisper links in ${linkMs.toFixed(0)} ms`);

    const fillPool = async (node: DemoNode, start: PoolFill['start']): Promise<PoolFill> => {
      const pool = node.pool!;
      const peers: PoolFill['peers'] = [];
      pool.on('peer:added', (e: PeerAddedEvent) =>
        peers.push({ peer: labelOf(e.id), topic: e.topic, source: e.source }),
      );
      const t = performance.now();
      await pool.start();
      await waitFor(() => poolIsFull(pool), timeoutMs, `${node.label}'s peer pool`);
      const fullMs = performance.now() - t;
      // The pool counts RLPx connections; messages flow once the Waku handshakes are done too.
      await waitFor(
        () => pool.peers().every((p) => linked(node, nodes.find((n) => bytesToHex(n.server.id) === p.id)!)),
        timeoutMs,
        `${node.label}'s Waku handshakes`,
      );
      const fill = {
        label: node.label,
        start,
        peers,
        fullMs,
        mailserver: labelOf(pool.mailserver!.id),
        mailserverRttMs: pool.mailserver!.rttMs,
      };
      const found = peers.map((p) => `${p.peer} (${p.topic}, via ${p.source})`).join(', ');
      say(`${node.label.padEnd(15)} pool full in ${fullMs.toFixed(0)} ms (${start} start): ${found}`);
      return fill;
    };
    const pools = await Promise.all([fillPool(byLabel('alice'), 'cold'), fillPool(byLabel('bob'), 'cold')]);

    const alice = byLabel('alice');
    const bob = byLabel('bob');
    const deliveries: Delivery[] = [];
    const t0 = performance.now();
    const record = (to: DemoNode, kind: Delivery['kind']) => (m: ReceivedMessage) => {
      // Public chat and history carry Status chat messages (author from their signature); the direct
      // message is still plain text to the recipient's key (1:1 Status messages come with the client).
      let from: string;
      let text: string;
      let status: Delivery['status'];
      if (kind === 'direct') {
        from = m.signer ? threeWordName(convertPublicKey(m.signer, 'uncompressed')) : 'anonymous';
        text = bytesToUtf8(m.payload);
      } else {
        const post = readPublicChatPost(m.payload, m.sent);
        from = threeWordName(post.author);
        text = post.text;
        status = { id: post.id, clock: post.clock };
      }
      const delivery: Delivery = {
        to: to.label,
        from,
        kind,
        text,
        ms: performance.now() - t0,
        ...(status ? { status } : {}),
      };
      deliveries.push(delivery);
      say(
        `${delivery.to.padEnd(15)} <- ${kind.padEnd(11)} from ${from}: "${delivery.text}" (${delivery.ms.toFixed(0)} ms)` +
          (status ? ` [Status message ${status.id.slice(0, 10)}…, clock ${status.clock}]` : ''),
      );
    };

    const chat = publicChat(publicChatId(PUBLIC_CHAT));
    // Alice posts as a Status app: signed ChatMessages with a Lamport clock, in a secure-transport
    // ProtocolMessage carrying her bundle.
    const aliceSigner = messageSigner(alice.account.chatKey.privateKey);
    const aliceTransport = new SecureTransport({
      identityKey: alice.account.chatKey.privateKey,
      installationId: globalThis.crypto.randomUUID(),
    });
    let aliceClock: number | undefined;
    const postAsAlice = async (text: string) => {
      const post = await publicChatPost({
        transport: aliceTransport,
        signer: aliceSigner,
        chat: PUBLIC_CHAT,
        text,
        now: Date.now(),
        ...(aliceClock === undefined ? {} : { lastClock: aliceClock }),
      });
      aliceClock = post.clock;
      await alice.waku.post({ ...chat, payload: post.bytes, signingKey: alice.account.chatKey.privateKey });
    };
    // What Bob has seen, as a client remembers message ids: history he already had is not shown again.
    const bobSeen = new Set<string>();
    for (const label of ['bob', 'legacy-whisper', 'relayer-1']) {
      const node = byLabel(label);
      node.waku
        .subscribe({ topics: [chat.topic], symKey: chat.symKey })
        .on('message', record(node, 'public chat'))
        .on('message', (m) => label === 'bob' && bobSeen.add(m.hashHex));
    }
    // A direct message goes to a topic derived from the recipient's key, encrypted to that key (ECIES).
    const aliceTopic = topicFromName(`contact-${bytesToHex(alice.account.chatKey.publicKey)}`);
    alice.waku
      .subscribe({ topics: [aliceTopic], privateKey: alice.account.chatKey.privateKey })
      .on('message', record(alice, 'direct'));
    // Light clients advertise topic interest: give it a relay tick to reach their relayers.
    await sleep(400);

    await postAsAlice(`hello #${PUBLIC_CHAT}, this is ${alice.account.name}`);
    await bob.waku.post({
      topic: aliceTopic,
      publicKey: alice.account.chatKey.publicKey,
      payload: utf8ToBytes('hi Alice, only you can read this'),
      signingKey: bob.account.chatKey.privateKey,
    });
    await waitFor(() => deliveries.length >= 4, timeoutMs, 'message delivery');

    // Bob goes offline; Alice keeps talking; the mailserver archives what it relays.
    const mailserver = byLabel('mailserver');
    await bob.stop();
    nodes.splice(nodes.indexOf(bob), 1);
    say('bob went offline');
    const archivedBefore = mailserver.waku.counters.envelopesAccepted;
    for (let i = 1; i <= MISSED_MESSAGES; i++) {
      await postAsAlice(`message ${i} of ${MISSED_MESSAGES} while bob is away`);
    }
    await waitFor(
      () => mailserver.waku.counters.envelopesAccepted >= archivedBefore + MISSED_MESSAGES,
      timeoutMs,
      'archiving',
    );
    await mailserver.mailserver!.flush();

    // Bob comes back with the same account on a new node; his pool dials the peers in his cache first.
    const bobCache = openPeerPoolSqliteStore(bobCachePath);
    const cached = await Promise.all(Object.keys(LIGHT_CLIENT_TOPICS).map((t) => bobCache.list(t)));
    say(`bob is back: his peer cache (${bobCachePath}) holds ${cached.flat().length} peers`);
    const back = await startDemoNode('bob', 'light-client', {
      account: bob.account,
      rendezvous: servers,
      peerCache: bobCache,
    });
    nodes.push(back);
    pools.push(await fillPool(back, 'warm'));

    let historyAlreadySeen = 0;
    const showHistory = record(back, 'history');
    back.waku.subscribe({ topics: [chat.topic], symKey: chat.symKey }).on('message', (m) => {
      if (bobSeen.has(m.hashHex)) historyAlreadySeen++;
      else showHistory(m);
    });
    const selected = back.pool!.mailserver!;
    const client = new MailClient(back.waku);
    const history = await client.requestHistory({ mailservers: [selected.id], topics: [chat.topic] });
    client.close();
    say(
      `bob fetched ${history.uniqueEnvelopes} envelopes in ${history.pages} page(s) from ${labelOf(selected.id)} ` +
        `(the pool's mailserver) in ${history.durationMs.toFixed(0)} ms: ` +
        `${history.uniqueEnvelopes - historyAlreadySeen} he missed, ${historyAlreadySeen} he already had`,
    );
    return {
      nodes,
      deliveries,
      linkMs,
      rendezvous: { address: servers[0]!, registrations, stats: { ...rendezvous.server.stats } },
      pools,
      history,
      historyAlreadySeen,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function linked(a: DemoNode, b: DemoNode): boolean {
  const hasPeer = (node: DemoNode, other: DemoNode) =>
    node.waku.peers.some((p) => p.ready && p.idHex === bytesToHex(other.server.id));
  return hasPeer(a, b) && hasPeer(b, a);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} did not complete within ${timeoutMs} ms`);
    await sleep(10);
  }
}
