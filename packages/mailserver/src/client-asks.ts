import type { WakuNode } from '@status-ts/waku';
import { MAX_PAGE_LIMIT } from './constants.js';

/** A history request sent to a mailserver through a node: an answer of up to `limit` envelopes may follow. */
export interface MailserverAsk {
  /** Who sent it: a client records the asks of others, its own it tracks itself. */
  readonly origin: object;
  /** The mailserver (hex node id). */
  readonly server: string;
  readonly requestIdHex: string;
  /** Envelopes the answer may hold (the limit asked for; 0 asks for the server default). */
  readonly limit: number;
  /** How long a missing answer stays expected. */
  readonly ttlMs: number;
}

type AskListener = (ask: MailserverAsk) => void;

// Every MailClient and probe on one node sees the same P2P packets; each must know what the others asked,
// or the answer to a probe would count as envelopes nobody asked for.
const listeners = new WeakMap<WakuNode, Set<AskListener>>();

/** Calls `listener` with every ask announced on `node`; returns the unsubscribe function. */
export function onMailserverAsk(node: WakuNode, listener: AskListener): () => void {
  let set = listeners.get(node);
  if (!set) {
    set = new Set();
    listeners.set(node, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}

/** Tells every client on `node` that `ask.server` may now send an answer. */
export function announceMailserverAsk(node: WakuNode, ask: MailserverAsk): void {
  for (const listener of listeners.get(node) ?? []) listener(ask);
}

/** Envelopes an answer may hold: the limit asked for, the largest page any server gives for 0 (its default). */
export function answerLimit(limit: number): number {
  return limit > 0 ? limit : MAX_PAGE_LIMIT;
}
