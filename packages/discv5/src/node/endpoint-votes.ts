import { endpointKey, type UdpEndpoint } from '../transport/types.js';

export interface EndpointVoteOptions {
  /** Distinct nodes that must report the same endpoint before it is believed. */
  required: number;
  /** A vote counts for this long. */
  ttlMs: number;
  /** Voters remembered at once (oldest forgotten first). */
  maxVoters: number;
  now: () => number;
}

interface Vote {
  endpoint: UdpEndpoint;
  key: string;
  at: number;
}

/**
 * Our external endpoint as other nodes see it: each PONG is a vote by its sender for the address it saw our
 * PING come from; an endpoint with `required` recent votes (and more than any other) wins.
 */
export class EndpointVotes {
  readonly #options: EndpointVoteOptions;
  readonly #votes = new Map<string, Vote>();

  constructor(options: EndpointVoteOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#votes.size;
  }

  /** Records `voter`'s view; returns the winning endpoint when one has enough votes. */
  vote(voter: string, endpoint: UdpEndpoint): UdpEndpoint | undefined {
    const now = this.#options.now();
    this.#votes.delete(voter);
    this.#votes.set(voter, { endpoint, key: endpointKey(endpoint), at: now });
    if (this.#votes.size > this.#options.maxVoters)
      this.#votes.delete(this.#votes.keys().next().value as string);
    const counts = new Map<string, { endpoint: UdpEndpoint; count: number }>();
    for (const [id, v] of this.#votes) {
      if (now - v.at > this.#options.ttlMs) {
        this.#votes.delete(id);
        continue;
      }
      const c = counts.get(v.key);
      if (c) c.count++;
      else counts.set(v.key, { endpoint: v.endpoint, count: 1 });
    }
    let best: { endpoint: UdpEndpoint; count: number } | undefined;
    // Stryker disable next-line BooleanLiteral: the first count always resets it (best is unset), and with no counts best stays unset so it is never read
    let tie = false;
    for (const c of counts.values()) {
      if (!best || c.count > best.count) {
        best = c;
        tie = false;
      } else if (c.count === best.count) tie = true;
    }
    return best && !tie && best.count >= this.#options.required ? best.endpoint : undefined;
  }

  clear(): void {
    this.#votes.clear();
  }
}
