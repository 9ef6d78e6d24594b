import type { Peer, Server } from '@status-ts/devp2p';
import type { MailServerCounters } from '@status-ts/mailserver';
import type { MvdsNodeStats } from '@status-ts/mvds';
import type { DiscoverySummary } from '@status-ts/peerpool';
import type { WakuCountersSnapshot } from '@status-ts/waku';

/** RLPx traffic of a node since it was created: live connections plus those already closed. */
export interface TrafficStats {
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  /** Connections now, and ever completed (handshake done). */
  readonly peers: number;
  readonly connections: number;
}

/**
 * Sums RLPx byte and message counts over a server's connections: a peer's counters are kept when it
 * disconnects, so the totals only grow (what a metrics exporter wants).
 */
export class TrafficMeter {
  readonly #server: Server;
  #closed = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 };
  #connections = 0;

  constructor(server: Server) {
    this.#server = server;
    server.on('peer:connected', () => {
      this.#connections++;
    });
    server.on('peer:disconnected', (peer: Peer) => {
      const { bytesIn, bytesOut, messagesIn, messagesOut } = peer.stats;
      const c = this.#closed;
      this.#closed = {
        bytesIn: c.bytesIn + bytesIn,
        bytesOut: c.bytesOut + bytesOut,
        messagesIn: c.messagesIn + messagesIn,
        messagesOut: c.messagesOut + messagesOut,
      };
    });
  }

  snapshot(): TrafficStats {
    const totals = { ...this.#closed };
    const live = this.#server.peers;
    for (const peer of live) {
      const s = peer.stats;
      totals.bytesIn += s.bytesIn;
      totals.bytesOut += s.bytesOut;
      totals.messagesIn += s.messagesIn;
      totals.messagesOut += s.messagesOut;
    }
    return { ...totals, peers: live.length, connections: this.#connections };
  }
}

/** Everything a node counts, in one snapshot (`node.stats()`): the metrics hook of the client. */
export interface StatusNodeStats {
  /** RLPx bytes and messages on the wire (handshakes, framing, snappy bodies; not TCP/IP headers). */
  readonly traffic: TrafficStats;
  /** Waku: packets, envelopes posted, received, relayed and dropped by reason, peers. */
  readonly waku: WakuCountersSnapshot;
  /** MVDS of 1:1 and group messages: payloads, messages delivered, resends, give-ups. */
  readonly mvds: MvdsNodeStats;
  /** The PeerPool (with discovery): per topic and source. */
  readonly discovery: DiscoverySummary | undefined;
  /** The mailserver role: archived, served, rejected. */
  readonly mailserver: MailServerCounters | undefined;
}
