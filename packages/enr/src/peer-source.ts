import type { Enr } from './enr/enr.js';

/**
 * Anything that yields dialable peers for a topic (ARCHITECTURE.md seam): discv5, rendezvous, EIP-1459
 * DNS lists, the peer cache and static nodes. The PeerPool mixes sources fairly.
 *
 * Topics are Status roles: `whisper` (a relayer: waku/1 or shh/6) and `whispermail` (a mailserver).
 * A source yields each record it finds once per `find` call, may yield forever (a random walk), and
 * must stop promptly, releasing its timers and sockets, when `signal` aborts or the consumer returns.
 */
export interface PeerSource {
  /** Short name for logs and per-source counters ("discv5", "dns", "rendezvous", "cache", "static"). */
  readonly name: string;
  find(topic: string, signal?: AbortSignal): AsyncIterable<Enr>;
}

/** The Status discovery topics (checklist CLI-04, CLI-05). */
export const StatusTopic = {
  Relayer: 'whisper',
  Mailserver: 'whispermail',
} as const;
