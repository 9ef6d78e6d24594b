import { RELAYER_TOPIC, type StatusNode } from '@status-ts/client';
import type { PeerAddedEvent } from '@status-ts/peerpool';
import type { Cast } from './cast.js';
import { waitFor } from './wait.js';

/** How a node's PeerPool filled after its start. */
export interface PoolFill {
  readonly label: string;
  /** `warm`: the node started with a peer cache from an earlier run. */
  readonly start: 'cold' | 'warm';
  /** Each peer the pool connected, with the topics it counts for and the source that found it. */
  readonly peers: readonly { peer: string; topic: string; source: string }[];
  /** From `start()` to the pool's minimum of relayers (and, for a mobile node, a mailserver selected). */
  readonly readyMs: number;
  /** Records each source had found by then (every topic), e.g. `{ discv5: 9, rendezvous: 4 }`. */
  readonly found: Readonly<Record<string, number>>;
  /** The mailserver the pool selected (a mobile node's), by label. */
  readonly mailserver: string | undefined;
}

/**
 * Starts `node` and reports how its PeerPool fills. The pool is created inside `start()` (as discovery
 * starts) and may add peers before `start()` resolves, which a listener attached afterwards would miss; the
 * client has no node-level peer event, so we listen as soon as `node.peerPool` appears, checking on every
 * turn of the event loop (a dial takes several socket round trips, so more than one turn).
 */
export async function startWatched(
  node: StatusNode,
  label: string,
  cast: Cast,
  options: { start: 'cold' | 'warm'; timeoutMs: number },
): Promise<PoolFill> {
  const added: { id: string; topic: string; source: string }[] = [];
  const startedAt = performance.now();
  let settled = false;
  const starting = node.start().finally(() => {
    settled = true;
  });
  while (!node.peerPool && !settled) await new Promise((resolve) => setImmediate(resolve));
  const onAdded = (e: PeerAddedEvent) => added.push({ id: e.id, topic: e.topic, source: e.source });
  node.peerPool?.on('peer:added', onAdded);
  await starting;
  const pool = node.peerPool;
  if (!pool) throw new Error(`${label} has no PeerPool: give it a fleet`);
  const mobile = node.role === 'mobile';
  const min = pool.topicStatus(RELAYER_TOPIC)?.limits.min ?? 0;
  await waitFor(
    () =>
      (pool.topicStatus(RELAYER_TOPIC)?.connected ?? 0) >= min &&
      (!mobile || node.mailserverId !== undefined) &&
      // The pool counts RLPx connections; messages flow once the Waku handshakes are done too.
      pool.peers().every((p) => node.waku.peers.some((w) => w.idHex === p.id)),
    `${label}'s PeerPool to reach ${min} relayers${mobile ? ' and a mailserver' : ''}`,
    options.timeoutMs,
  );
  const readyMs = performance.now() - startedAt;
  pool.off('peer:added', onAdded);
  const mailserverId = mobile ? node.mailserverId : undefined;
  const found = Object.fromEntries(
    Object.entries(pool.summary().sources).map(([source, topics]) => [
      source,
      Object.values(topics).reduce((a, b) => a + b, 0),
    ]),
  );
  return {
    label,
    start: options.start,
    peers: added.map((p) => ({ peer: cast.nodeLabel(p.id), topic: p.topic, source: p.source })),
    readyMs,
    found,
    mailserver: mailserverId === undefined ? undefined : cast.nodeLabel(mailserverId),
  };
}

/** One line: who the pool connected, under which topics, found by which source, and how fast. */
export function describeFill(fill: PoolFill): string {
  const byPeer = new Map<string, { topics: Set<string>; sources: Set<string> }>();
  for (const p of fill.peers) {
    const entry = byPeer.get(p.peer) ?? { topics: new Set<string>(), sources: new Set<string>() };
    entry.topics.add(p.topic);
    entry.sources.add(p.source);
    byPeer.set(p.peer, entry);
  }
  const peers = [...byPeer]
    .map(([peer, e]) => `${peer} (${[...e.topics].join(' + ')}, via ${[...e.sources].join(' + ')})`)
    .join(', ');
  const mailserver = fill.mailserver ? `; selected mailserver: ${fill.mailserver}` : '';
  const found = Object.entries(fill.found)
    .map(([source, n]) => `${source} ${n}`)
    .join(', ');
  return (
    `${fill.label.padEnd(12)} ready in ${fill.readyMs.toFixed(0)} ms (${fill.start} start; records found: ` +
    `${found || 'none needed'}): ${peers}${mailserver}`
  );
}
