import { Enr, type PeerSource } from '@status-ts/enr';

/**
 * A fixed list of records per topic as a `PeerSource` (a configured fleet, a test network). Unlike the
 * pool's `staticPeers`, these are ordinary candidates: dialed only when a topic needs peers.
 */
export class StaticPeerSource implements PeerSource {
  readonly name: string;
  readonly #records: ReadonlyMap<string, readonly Enr[]>;

  constructor(records: Readonly<Record<string, ReadonlyArray<Enr | string>>>, name = 'list') {
    this.name = name;
    this.#records = new Map(
      Object.entries(records).map(([topic, list]) => [
        topic,
        list.map((r) => (typeof r === 'string' ? Enr.decodeText(r) : r)),
      ]),
    );
  }

  async *find(topic: string, signal?: AbortSignal): AsyncGenerator<Enr> {
    for (const enr of this.#records.get(topic) ?? []) {
      if (signal?.aborted) return;
      yield enr;
    }
  }
}
