import type { Clock } from '@status-ts/core';
import type { Enr } from '@status-ts/enr';
import { compareDistance } from '../table/distance.js';
import type { NodeTarget } from './targets.js';

export interface LookupInput {
  target: Uint8Array;
  localIdHex: string;
  /** Starting candidates (closest table nodes, bootstrap nodes). */
  seeds: NodeTarget[];
  /** α. */
  parallelism: number;
  /** k: the lookup ends when the k closest candidates seen have all answered. */
  resultCount: number;
  timeoutMs: number;
  clock: Clock;
  signal?: AbortSignal;
  /** Asks one node for the nodes it knows near the target; a rejection marks the node failed. */
  query: (node: NodeTarget) => Promise<Enr[]>;
  toTarget: (enr: Enr) => NodeTarget | undefined;
}

type State = 'new' | 'pending' | 'answered' | 'failed';

interface Candidate {
  node: NodeTarget;
  state: State;
}

/**
 * Iterative Kademlia lookup (discv5-theory "Lookup"): keep α FINDNODE requests in flight to the closest
 * candidates not yet asked; finish as soon as the k closest candidates that have not failed have all
 * answered (no waiting for stragglers further away). Resolves with those k nodes, closest first.
 */
export function runLookup(input: LookupInput): Promise<NodeTarget[]> {
  const { target, resultCount, parallelism } = input;
  const byId = new Map<string, Candidate>();
  const sorted: Candidate[] = [];

  const insert = (node: NodeTarget): void => {
    if (node.nodeIdHex === input.localIdHex || byId.has(node.nodeIdHex)) return;
    const candidate: Candidate = { node, state: 'new' };
    byId.set(node.nodeIdHex, candidate);
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareDistance(target, sorted[mid]!.node.nodeId, node.nodeId) < 0) lo = mid + 1;
      else hi = mid;
    }
    sorted.splice(lo, 0, candidate);
  };
  for (const seed of input.seeds) insert(seed);

  return new Promise((resolve) => {
    let inFlight = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      cancelTimeout();
      input.signal?.removeEventListener('abort', finish);
      const answered: NodeTarget[] = [];
      for (const c of sorted) {
        if (c.state === 'answered') answered.push(c.node);
        if (answered.length >= resultCount) break;
      }
      resolve(answered);
    };
    const cancelTimeout = input.clock.setTimeout(finish, input.timeoutMs);
    input.signal?.addEventListener('abort', finish, { once: true });

    const step = (): void => {
      if (done) return;
      if (input.signal?.aborted) {
        finish();
        return;
      }
      let considered = 0;
      let waiting = 0;
      for (const c of sorted) {
        if (considered >= resultCount) break;
        if (c.state === 'failed') continue;
        considered++;
        if (c.state === 'answered') continue;
        waiting++;
        if (c.state === 'new' && inFlight < parallelism) launch(c);
      }
      if (waiting === 0) finish();
    };

    const launch = (c: Candidate): void => {
      c.state = 'pending';
      inFlight++;
      input
        .query(c.node)
        .then(
          (records) => {
            c.state = 'answered';
            for (const enr of records) {
              const node = input.toTarget(enr);
              if (node) insert(node);
            }
          },
          () => {
            c.state = 'failed';
          },
        )
        .finally(() => {
          inFlight--;
          step();
        });
    };
    step();
  });
}
