import { raceSignal } from '@status-ts/core';
import { DnsDiscoveryError, DnsErrorCode } from './errors.js';

/**
 * A source of DNS TXT records. The client needs nothing else, so browsers and React Native can plug in
 * DNS-over-HTTPS and tests an in-memory zone (DNS-06).
 */
export interface Resolver {
  /**
   * The TXT records at `name`: one array per record, holding its character-strings in order (a record
   * longer than 255 bytes arrives as several strings). Rejects when the name does not resolve.
   */
  resolveTxt(name: string, options?: { signal?: AbortSignal }): Promise<string[][]>;
}

/** Joins each record's character-strings: a split record is one text again (DNS-03). */
export function joinTxtRecords(records: readonly (readonly string[])[]): string[] {
  return records.map((strings) => strings.join(''));
}

/** Splits a text into DNS character-strings of at most `size` characters, as a server stores it. */
export function splitTxt(text: string, size = 255): string[] {
  if (text.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export interface MemoryResolverOptions {
  /** Split stored texts into character-strings of this size, like a DNS server does (default 255). */
  chunkSize?: number;
}

/**
 * An in-memory zone: `{ name: txt }` (a text, several texts, or records already split into strings).
 * Names are case-insensitive, as in DNS. Counts queries, so tests and benchmarks can assert on them.
 */
export class MemoryResolver implements Resolver {
  readonly #records = new Map<string, string[][]>();
  readonly #chunkSize: number;
  /** Number of `resolveTxt` calls so far. */
  queries = 0;

  constructor(
    zone: Record<string, string | readonly string[] | readonly (readonly string[])[]> = {},
    options: MemoryResolverOptions = {},
  ) {
    this.#chunkSize = options.chunkSize ?? 255;
    for (const [name, value] of Object.entries(zone)) this.set(name, value);
  }

  /** Replaces the records at `name`. */
  set(name: string, value: string | readonly string[] | readonly (readonly string[])[]): void {
    const texts = typeof value === 'string' ? [value] : value;
    const records = texts.map((record) =>
      typeof record === 'string' ? splitTxt(record, this.#chunkSize) : [...record],
    );
    this.#records.set(name.toLowerCase(), records);
  }

  delete(name: string): void {
    this.#records.delete(name.toLowerCase());
  }

  async resolveTxt(name: string, options: { signal?: AbortSignal } = {}): Promise<string[][]> {
    this.queries++;
    const found = this.#records.get(name.toLowerCase());
    const answer = found
      ? Promise.resolve(found.map((strings) => [...strings]))
      : Promise.reject(
          new DnsDiscoveryError(DnsErrorCode.ResolveFailed, `${name}: not found`, {
            details: { name, code: 'ENOTFOUND' },
          }),
        );
    return raceSignal(answer, options.signal);
  }
}
