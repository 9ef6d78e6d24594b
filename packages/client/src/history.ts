import { bytesToHex, type Clock, unixSeconds } from '@status-ts/core';
import {
  type HistorySummary,
  MailClient,
  type MailserverMisbehavedEvent,
  type PageEvent,
} from '@status-ts/mailserver';
import type { Topic, WakuNode } from '@status-ts/waku';
import type { MessageStore } from './store/message-store.js';

/** How far back the first history request of a topic goes (status-go: one day). */
export const INITIAL_HISTORY_SECONDS = 24 * 60 * 60;

/** Options of `requestHistory`. */
export interface HistoryOptions {
  /** The mailserver: its node id (hex or bytes); it must be a connected peer. It is marked trusted. */
  readonly mailserver: Uint8Array | string;
  /** Topics to fetch (default: every topic the node listens on). */
  readonly topics?: readonly Topic[];
  /** Unix seconds (default: per topic, where the last successful fetch ended, else one day back). */
  readonly from?: number;
  /** Unix seconds (default: now). */
  readonly to?: number;
  readonly signal?: AbortSignal;
}

/** What a history fetch did: the mail client's summary and the range fetched. */
export interface HistoryResult extends HistorySummary {
  readonly from: number;
  readonly to: number;
  readonly topics: number;
}

/** What the mail client reports, handed on to the node's events. */
interface HistoryEvents {
  onPage(event: PageEvent): void;
  onMisbehaved(event: MailserverMisbehavedEvent): void;
}

/**
 * History from a mailserver (status-go's requestMessages): the gap since the last successful fetch of the
 * topics, paginated by the mail client, from a mailserver marked trusted so its P2P envelopes reach the
 * filters (and through them the receive path, which dedups). The fetched bound is stored per topic.
 */
export class History {
  readonly #waku: WakuNode;
  readonly #store: MessageStore;
  readonly #clock: Clock;
  #client: MailClient | undefined;

  constructor(waku: WakuNode, store: MessageStore, clock: Clock, events: HistoryEvents) {
    this.#waku = waku;
    this.#store = store;
    this.#clock = clock;
    this.#events = events;
  }

  readonly #events: HistoryEvents;

  start(): void {
    this.#client = new MailClient(this.#waku, { clock: this.#clock });
    this.#client.on('page', this.#events.onPage);
    this.#client.on('mailserver:misbehaved', this.#events.onMisbehaved);
  }

  stop(): void {
    this.#client?.close();
    this.#client = undefined;
  }

  async request(options: HistoryOptions, listening: readonly Topic[]): Promise<HistoryResult> {
    const client = this.#client;
    if (!client) throw new Error('history is not running');
    const topics = options.topics ?? listening;
    const to = options.to ?? unixSeconds(this.#clock);
    let from = options.from;
    if (from === undefined) {
      const bounds = await Promise.all(topics.map((topic) => this.#store.historySyncedUntil(topic)));
      from = Math.min(...bounds.map((bound) => bound ?? to - INITIAL_HISTORY_SECONDS));
    }
    const mailserver =
      typeof options.mailserver === 'string'
        ? options.mailserver.replace(/^0x/, '')
        : bytesToHex(options.mailserver);
    this.#waku.markTrusted(mailserver);
    const summary = await client.requestHistory({
      mailservers: [mailserver],
      topics,
      from,
      to,
      force: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await this.#store.markHistorySynced(topics, summary.fetchedUntil);
    return { ...summary, from, to, topics: topics.length };
  }
}
