import { MemoryResolver, type Resolver } from '../src/index.js';

/**
 * One in-process DNS zone that both clients of the side-by-side figures query: the same records, split into
 * 255-character strings as a DNS server stores them, the same added latency (none by default), and one lookup
 * counter per caller. Ours reaches it through the `Resolver` interface; @ethereumjs/devp2p through a stand-in
 * for `dns.promises.resolve` (see ethereumjs.ts), the only resolver hook its DNS class has.
 */
export class BenchZone {
  readonly #memory: MemoryResolver;
  readonly #latencyMs: number;
  /** TXT lookups answered (or refused) so far; callers read the difference around a run. */
  lookups = 0;

  constructor(records: Record<string, string>, latencyMs = 0) {
    this.#memory = new MemoryResolver(records);
    this.#latencyMs = latencyMs;
  }

  async txt(name: string): Promise<string[][]> {
    this.lookups++;
    if (this.#latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
    return this.#memory.resolveTxt(name);
  }

  /** The zone as our client's `Resolver`. */
  resolver(): Resolver {
    return { resolveTxt: (name) => this.txt(name) };
  }
}
