import { bytesToHex, bytesToUtf8, utf8ToBytes } from '@status-ts/core';
import { convertPublicKey } from '@status-ts/crypto';
import { threeWordName } from '@status-ts/identity';
import { type HistorySummary, MailClient } from '@status-ts/mailserver';
import { publicChat, type ReceivedMessage, topicFromName } from '@status-ts/waku';
import { type DemoNode, type DemoRole, startDemoNode } from './node.js';

/** One message as a node received it. */
export interface Delivery {
  to: string;
  from: string;
  kind: 'public chat' | 'direct' | 'history';
  text: string;
  ms: number;
}

export interface DemoReport {
  nodes: DemoNode[];
  deliveries: Delivery[];
  linkMs: number;
  /** Bob's history fetch after coming back online. */
  history: HistorySummary;
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

// relayer-1 — relayer-2 — bridge — legacy-whisper, a mailserver on relayer-2, alice on relayer-1, bob on
// relayer-2 and the mailserver.
const LINKS: Array<[string, string]> = [
  ['relayer-2', 'relayer-1'],
  ['mailserver', 'relayer-2'],
  ['bridge', 'relayer-2'],
  ['legacy-whisper', 'bridge'],
  ['alice', 'relayer-1'],
  ['bob', 'relayer-2'],
  ['bob', 'mailserver'],
];

/** Messages Alice posts while Bob is offline. */
export const MISSED_MESSAGES = 3;

export const PUBLIC_CHAT = 'status-ts';

/**
 * Runs the demo: starts the nodes, links them over RLPx, then Alice posts to a public chat (received by Bob
 * and, through the bridge, by a Whisper-only node) and Bob sends Alice a direct message encrypted to her
 * chat key. Bob then goes offline, Alice posts more, and Bob comes back and fetches what he missed from the
 * mailserver. Returns what every node received; the caller stops the nodes.
 */
export async function runLocalNetwork(options: LocalNetworkOptions = {}): Promise<DemoReport> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const say = options.onEvent ?? (() => {});
  const nodes: DemoNode[] = [];
  const byLabel = (label: string) => nodes.find((n) => n.label === label)!;
  try {
    for (const [label, role] of LAYOUT) nodes.push(await startDemoNode(label, role));
    const started = performance.now();
    await Promise.all(LINKS.map(([from, to]) => byLabel(from).server.dial(byLabel(to).enr)));
    await waitFor(
      () => LINKS.every(([a, b]) => linked(byLabel(a), byLabel(b))),
      timeoutMs,
      'Waku handshakes',
    );
    const linkMs = performance.now() - started;
    say(`linked ${LINKS.length} RLPx + Waku/Whisper links in ${linkMs.toFixed(0)} ms`);

    const alice = byLabel('alice');
    const bob = byLabel('bob');
    const deliveries: Delivery[] = [];
    const t0 = performance.now();
    const record = (to: DemoNode, kind: Delivery['kind']) => (m: ReceivedMessage) => {
      const from = m.signer ? threeWordName(convertPublicKey(m.signer, 'uncompressed')) : 'anonymous';
      const delivery = { to: to.label, from, kind, text: bytesToUtf8(m.payload), ms: performance.now() - t0 };
      deliveries.push(delivery);
      say(
        `${delivery.to.padEnd(15)} <- ${kind.padEnd(11)} from ${from}: "${delivery.text}" (${delivery.ms.toFixed(0)} ms)`,
      );
    };

    const chat = publicChat(PUBLIC_CHAT);
    for (const label of ['bob', 'legacy-whisper', 'relayer-1']) {
      const node = byLabel(label);
      node.waku
        .subscribe({ topics: [chat.topic], symKey: chat.symKey })
        .on('message', record(node, 'public chat'));
    }
    // A direct message goes to a topic derived from the recipient's key, encrypted to that key (ECIES).
    const aliceTopic = topicFromName(`contact-${bytesToHex(alice.account.chatKey.publicKey)}`);
    alice.waku
      .subscribe({ topics: [aliceTopic], privateKey: alice.account.chatKey.privateKey })
      .on('message', record(alice, 'direct'));
    // Light clients advertise topic interest: give it a relay tick to reach their relayers.
    await sleep(400);

    await alice.waku.post({
      ...chat,
      payload: utf8ToBytes(`hello #${PUBLIC_CHAT}, this is ${alice.account.name}`),
      signingKey: alice.account.chatKey.privateKey,
    });
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
      await alice.waku.post({
        ...chat,
        payload: utf8ToBytes(`message ${i} of ${MISSED_MESSAGES} while bob is away`),
        signingKey: alice.account.chatKey.privateKey,
      });
    }
    await waitFor(
      () => mailserver.waku.counters.envelopesAccepted >= archivedBefore + MISSED_MESSAGES,
      timeoutMs,
      'archiving',
    );
    await mailserver.mailserver!.flush();

    // Bob comes back with the same account on a new node, and asks the mailserver for the last 24 h.
    const back = await startDemoNode('bob', 'light-client', bob.account);
    nodes.push(back);
    await Promise.all([back.server.dial(byLabel('relayer-2').enr), back.server.dial(mailserver.enr)]);
    await waitFor(() => linked(back, mailserver), timeoutMs, 'reconnecting');
    back.waku.subscribe({ topics: [chat.topic], symKey: chat.symKey }).on('message', record(back, 'history'));
    const client = new MailClient(back.waku);
    const history = await client.requestHistory({
      mailservers: [mailserver.server.id],
      topics: [chat.topic],
    });
    client.close();
    say(
      `bob fetched ${history.uniqueEnvelopes} envelopes in ${history.pages} page(s) from the mailserver ` +
        `in ${history.durationMs.toFixed(0)} ms`,
    );
    return { nodes, deliveries, linkMs, history };
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
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
