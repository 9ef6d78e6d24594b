import type { Enr, PeerSource } from '@status-ts/enr';
import { DnsClient } from './client.js';
import type { DnsClientOptions } from './options.js';

export interface DnsPeerSourceOptions extends DnsClientOptions {
  /**
   * Tree URLs per topic. Status publishes one tree per fleet and role, so the topic picks the trees:
   * `{ whisper: ['enrtree://…@relays.example.org'], whispermail: ['enrtree://…@mail.example.org'] }`.
   * A topic without trees yields nothing.
   */
  trees: Readonly<Record<string, readonly string[]>>;
  /** A client to share (its cache and seq memory); default: a new one built from these options. */
  client?: DnsClient;
  /** Which records to yield for a topic; default `isDialable` (an IP address and a TCP port, DNS-08). */
  accept?: (enr: Enr, topic: string) => boolean;
}

/** True when the record carries what an RLPx dial needs: `ip` + `tcp`, or `ip6` + `tcp6`/`tcp`. */
export function isDialable(enr: Enr): boolean {
  if (enr.ip !== undefined && enr.tcp !== undefined && enr.tcp !== 0) return true;
  const tcp6 = enr.tcp6 ?? enr.tcp;
  return enr.ip6 !== undefined && tcp6 !== undefined && tcp6 !== 0;
}

/**
 * EIP-1459 trees as a `PeerSource`: `find(topic)` walks the topic's trees lazily at random and yields each
 * dialable node once (again only if it republishes a higher seq), until the signal aborts or the consumer
 * stops. Topics map to trees rather than to ENR entries because Status fleets publish one tree per role.
 */
export class DnsPeerSource implements PeerSource {
  readonly name = 'dns';
  readonly client: DnsClient;
  readonly #trees: Readonly<Record<string, readonly string[]>>;
  readonly #accept: (enr: Enr, topic: string) => boolean;

  constructor(options: DnsPeerSourceOptions) {
    this.client = options.client ?? new DnsClient(options);
    this.#trees = options.trees;
    this.#accept = options.accept ?? isDialable;
  }

  async *find(topic: string, signal?: AbortSignal): AsyncIterable<Enr> {
    const urls = Object.hasOwn(this.#trees, topic) ? this.#trees[topic]! : [];
    if (urls.length === 0) return;
    const seen = new Map<string, bigint>();
    for await (const enr of this.client.walk(urls, { signal })) {
      if (!this.#accept(enr, topic)) continue;
      const id = enr.nodeIdHex;
      const last = seen.get(id);
      if (last !== undefined && last >= enr.seq) continue;
      seen.set(id, enr.seq);
      yield enr;
    }
  }
}
