/**
 * Issue 17: "a mobile node's bytes in/out in its first minute and per idle hour", in real time over real
 * sockets with real timers (a ManualClock would fire the timers, but not pace the sockets or the peers'
 * own timers: advancing it would not be a faithful hour).
 *
 * Bytes come from the counters the layers already keep: devp2p `Peer.stats` (what the RLPx connection read
 * and wrote: handshake, frame headers, MACs, snappy-compressed bodies; no TCP/IP headers) summed over the
 * node's peers, including peers gone meanwhile; and the Waku counters (packet payloads before compression).
 */
import { bytesToHex } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import type { StatusNode } from '../src/index.js';
import { localNode } from './local-node.js';
import { kib, sleep, until } from './stats.js';

const CHAT = 'bench-bytes';
const ARCHIVED_BEFORE = 5;
const LIVE_MESSAGES = 6;

interface Reading {
  readonly wireIn: number;
  readonly wireOut: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  readonly wakuIn: number;
  readonly wakuOut: number;
}

/** Sums a node's byte counters; a peer's last figures are kept when it disconnects. */
function byteMeter(node: StatusNode): () => Reading {
  const gone = { wireIn: 0, wireOut: 0, messagesIn: 0, messagesOut: 0 };
  node.server.on('peer:disconnected', (peer) => {
    const stats = peer.stats;
    gone.wireIn += stats.bytesIn;
    gone.wireOut += stats.bytesOut;
    gone.messagesIn += stats.messagesIn;
    gone.messagesOut += stats.messagesOut;
  });
  return () => {
    const reading = { ...gone };
    for (const peer of node.server.peers) {
      const stats = peer.stats;
      reading.wireIn += stats.bytesIn;
      reading.wireOut += stats.bytesOut;
      reading.messagesIn += stats.messagesIn;
      reading.messagesOut += stats.messagesOut;
    }
    const waku = node.waku.counters;
    return { ...reading, wakuIn: waku.bytesReceived, wakuOut: waku.bytesSent };
  };
}

function minus(b: Reading, a: Reading): Reading {
  return {
    wireIn: b.wireIn - a.wireIn,
    wireOut: b.wireOut - a.wireOut,
    messagesIn: b.messagesIn - a.messagesIn,
    messagesOut: b.messagesOut - a.messagesOut,
    wakuIn: b.wakuIn - a.wakuIn,
    wakuOut: b.wakuOut - a.wakuOut,
  };
}

export async function runBytes(firstMinuteMs: number, idleMs: number): Promise<void> {
  console.log('\n## Mobile node bytes');
  // A relayer of its own, so only this section's traffic crosses it.
  const relayer = localNode({ identity: { privateKey: generatePrivateKey() }, mailserver: true });
  await relayer.start();
  const dave = localNode({
    identity: { privateKey: generatePrivateKey() },
    staticPeers: [relayer.enode!],
  });
  await dave.start();
  await dave.waitForPeers();
  dave.joinPublicChat(CHAT);
  for (let i = 1; i <= ARCHIVED_BEFORE; i++) await dave.sendPublicMessage(CHAT, `earlier ${i}`);
  await until(() => relayer.mailserver!.counters.archived >= ARCHIVED_BEFORE, 10_000);

  // The mobile node as the app runs it: its mailserver as static peer and history source.
  const carol = localNode({
    identity: { privateKey: generatePrivateKey() },
    staticPeers: [relayer.enode!],
    historyFrom: bytesToHex(relayer.server.id),
  });
  const read = byteMeter(carol);
  let received = 0;
  carol.on('message', (m) => {
    if (!m.outgoing) received++;
  });

  const start = read();
  const t0 = performance.now();
  await carol.start();
  carol.joinPublicChat(CHAT);
  // A little traffic, spread over the minute: another member writes six times (at 1/7 … 6/7 of it), Carol once.
  const timers: NodeJS.Timeout[] = [];
  for (let i = 1; i <= LIVE_MESSAGES; i++) {
    timers.push(
      setTimeout(
        () => void dave.sendPublicMessage(CHAT, `live ${i}`).catch(() => {}),
        (i * firstMinuteMs) / 7,
      ),
    );
  }
  timers.push(
    setTimeout(
      () => void carol.sendPublicMessage(CHAT, 'hello from carol').catch(() => {}),
      firstMinuteMs / 2,
    ),
  );
  await sleep(firstMinuteMs - (performance.now() - t0));
  const minute = minus(read(), start);
  for (const timer of timers) clearTimeout(timer);
  const chatMessages = received;

  // Idle: no chat traffic at all (the other member leaves; that does not touch Carol's link).
  await dave.stop();
  const idleStart = read();
  await sleep(idleMs);
  const idle = minus(read(), idleStart);
  await carol.stop();
  await relayer.stop();

  const seconds = (ms: number) => (ms / 1000).toFixed(0);
  const realMinute =
    firstMinuteMs === 60_000 ? '' : ` (SHORTENED by BENCH_FIRST_MINUTE_MS: not the real first minute)`;
  console.log(
    `First ${seconds(firstMinuteMs)} s of a mobile node${realMinute}, from start(): dial + RLPx handshake + Hello + ` +
      `Waku status with one relayer (static peer, also its mailserver), history gap fetch on connecting and on ` +
      `joining #${CHAT} (${ARCHIVED_BEFORE} archived messages), ${LIVE_MESSAGES} live messages from another member, ` +
      `1 sent; ${chatMessages} chat messages received.`,
  );
  console.log('figure | in | out | devp2p messages in / out');
  console.log('--- | --- | --- | ---');
  console.log(
    `first ${seconds(firstMinuteMs)} s, wire (RLPx) | ${kib(minute.wireIn)} | ${kib(minute.wireOut)} | ${minute.messagesIn} / ${minute.messagesOut}`,
  );
  console.log(
    `first ${seconds(firstMinuteMs)} s, Waku packets | ${kib(minute.wakuIn)} | ${kib(minute.wakuOut)} | `,
  );
  const perHour = 3_600_000 / idleMs;
  console.log(
    `idle ${seconds(idleMs)} s measured, wire (RLPx) | ${idle.wireIn} B | ${idle.wireOut} B | ${idle.messagesIn} / ${idle.messagesOut}`,
  );
  console.log(
    `per idle hour, wire (RLPx), extrapolated from ${seconds(idleMs)} s idle (×${perHour.toFixed(0)}) | ` +
      `${kib(idle.wireIn * perHour)} | ${kib(idle.wireOut * perHour)} | ` +
      `${Math.round(idle.messagesIn * perHour)} / ${Math.round(idle.messagesOut * perHour)}`,
  );
  console.log(
    `per idle hour, Waku packets, extrapolated from ${seconds(idleMs)} s idle | ${kib(idle.wakuIn * perHour)} | ` +
      `${kib(idle.wakuOut * perHour)} | `,
  );
  console.log(
    'Wire = RLPx bytes read/written (devp2p Peer.stats: handshake, frame headers and MACs, snappy-compressed ' +
      'bodies; without TCP/IP headers). Waku packets = payloads of waku/1 packets before compression (Waku ' +
      'counters). Idle = real sockets and timers with no chat traffic (devp2p pings every 15 s each way, Waku ' +
      'status updates if any); events rarer than the window (e.g. a 6 h contact-code advertisement) are not in it.',
  );
}
