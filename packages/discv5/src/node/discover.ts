import { AsyncQueue, sleep } from '@status-ts/core';
import type { Enr } from '@status-ts/enr';
import { recordInfo } from '../record-info.js';
import type { Discv5Node } from './discv5-node.js';
import { type NodeTarget, targetFromEnr } from './targets.js';

export interface DiscoverOptions {
  /** Only records passing this are yielded. */
  filter?: (enr: Enr) => boolean;
  signal?: AbortSignal;
  /** Pause before walking again over known nodes once every reachable node was asked; default `randomWalkIntervalMs`. */
  intervalMs?: number;
  /** Records waiting for the consumer, at most (further ones are dropped until it catches up). */
  maxQueued?: number;
}

/** Distances of the `i`-th of `count` walk requests: the far buckets one by one, then the next ten together. */
export function walkRequestDistances(count: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < count - 1; i++) out.push([256 - i]);
  const from = 256 - (count - 1);
  out.push(Array.from({ length: 10 }, (_, i) => from - i).filter((d) => d > 0));
  return out;
}

/**
 * One round of the random walk: picks nodes at random among those known and not yet asked (`walkParallelism` at a time) and
 * reads each one's table with `walkRequestsPerNode` FINDNODE requests (its far buckets one by one, then the
 * nearer ones together), following every record learned. Reading a whole table costs one handshake, so the
 * walk finds many nodes per handshake and per packet, where a random lookup converges on one region and asks
 * ~k nodes for overlapping answers. Returns when every known node was asked, or when `signal` aborts.
 * `asked` carries over between rounds.
 */
export async function walkOnce(
  node: Discv5Node,
  signal: AbortSignal,
  asked = new Set<string>(),
): Promise<void> {
  const { walkParallelism, walkRequestsPerNode } = node.limits;
  const requests = walkRequestDistances(walkRequestsPerNode);
  asked.add(node.nodeId);
  const frontier = new Map<string, NodeTarget>();
  const offer = (target: NodeTarget) => {
    if (!asked.has(target.nodeIdHex)) frontier.set(target.nodeIdHex, target);
  };
  const offerRecord = (enr: Enr) => {
    const info = recordInfo(enr);
    if (info.endpoint && !asked.has(info.nodeIdHex) && !frontier.has(info.nodeIdHex))
      offer(targetFromEnr(enr));
  };
  for (const entry of node.table.entries()) offerRecord(entry.enr);
  for (const boot of node.bootstrapTargets) offer(boot);
  const random = node.random;
  const readTable = async (target: NodeTarget): Promise<void> => {
    const answers = await Promise.allSettled(requests.map((distances) => node.findNode(target, distances)));
    for (const answer of answers) {
      if (answer.status !== 'fulfilled') continue;
      for (const enr of answer.value) offerRecord(enr);
    }
  };

  await new Promise<void>((resolve) => {
    let inFlight = 0;
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', end);
      resolve();
    };
    signal.addEventListener('abort', end, { once: true });
    const pump = () => {
      if (done) return;
      while (inFlight < walkParallelism && frontier.size > 0 && node.running) {
        const target = pick(frontier, node, random);
        frontier.delete(target.nodeIdHex);
        asked.add(target.nodeIdHex);
        inFlight++;
        readTable(target).finally(() => {
          inFlight--;
          pump();
        });
      }
      if (inFlight === 0) end();
    };
    if (signal.aborted) end();
    else pump();
  });
}

/**
 * A random node of the frontier, preferring those we already share a session with (they cost no handshake);
 * one pass, reservoir sampling.
 */
function pick(frontier: Map<string, NodeTarget>, node: Discv5Node, random: () => number): NodeTarget {
  let cheap: NodeTarget | undefined;
  let cheapSeen = 0;
  let any: NodeTarget | undefined;
  let anySeen = 0;
  for (const target of frontier.values()) {
    if (random() * ++anySeen < 1) any = target;
    if (node.hasSession(target.nodeIdHex, target.endpoint) && random() * ++cheapSeen < 1) cheap = target;
  }
  return (cheap ?? any)!;
}

/**
 * Random-walks while the consumer iterates and yields every matching record learned on the way (from the
 * table first), each node once. Ends when the signal aborts, the node stops or the consumer returns; the
 * walk then stops asking and its timers are released.
 */
export async function* discoverRecords(node: Discv5Node, options: DiscoverOptions = {}): AsyncGenerator<Enr> {
  const filter = options.filter ?? (() => true);
  const maxQueued = options.maxQueued ?? 1024;
  const seen = new Set<string>();
  const queue = new AsyncQueue<Enr>();
  const stop = new AbortController();
  const onStop = () => {
    stop.abort();
    queue.end();
  };
  const offer = (enr: Enr) => {
    if (seen.has(enr.nodeIdHex) || !filter(enr) || queue.size >= maxQueued) return;
    seen.add(enr.nodeIdHex);
    queue.push(enr);
  };
  options.signal?.addEventListener('abort', onStop, { once: true });
  node.stopSignal.addEventListener('abort', onStop, { once: true });
  node.on('enr:discovered', offer);
  node.on('enr:updated', offer);
  for (const entry of node.table.entries()) offer(entry.enr);
  if (options.signal?.aborted || !node.running) onStop();

  const interval = options.intervalMs ?? node.limits.randomWalkIntervalMs;
  const walking = (async () => {
    while (!stop.signal.aborted) {
      // Each round asks the nodes not asked before; when none is left, wait and start over.
      const asked = new Set<string>();
      await walkOnce(node, stop.signal, asked);
      if (stop.signal.aborted) break;
      try {
        await sleep(interval, { clock: node.clock, signal: stop.signal });
      } catch {
        // Aborted: the loop ends.
      }
    }
  })();

  try {
    // Records already queued are still handed out after a stop.
    yield* queue;
  } finally {
    stop.abort();
    node.off('enr:discovered', offer);
    node.off('enr:updated', offer);
    options.signal?.removeEventListener('abort', onStop);
    node.stopSignal.removeEventListener('abort', onStop);
    await walking;
  }
}
