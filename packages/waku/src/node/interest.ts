import { bytesToHex, equalBytes, hexToBytes } from '@status-ts/core';
import { bloomMatches, bloomOfTopics, fullBloom, isFullBloom } from '../envelope/bloom.js';
import type { Envelope } from '../envelope/envelope.js';

/**
 * What a node wants to receive (WAKU-06): everything, the topics of a bloom filter, or an exact topic set
 * (topic interest). An all-zero bloom or an empty topic set wants nothing.
 */
export type Interest =
  | { readonly kind: 'full' }
  | { readonly kind: 'bloom'; readonly bloom: Uint8Array }
  | { readonly kind: 'topics'; readonly topics: ReadonlySet<string> };

export const FULL_INTEREST: Interest = Object.freeze({ kind: 'full' });

/** A bloom as an interest: all ones and zero-length (status-go) mean full node. */
export function interestFromBloom(bloom: Uint8Array): Interest {
  // A zero-length bloom has no byte that is not 0xff: isFullBloom covers it.
  if (isFullBloom(bloom)) return FULL_INTEREST;
  return { kind: 'bloom', bloom: bloom.slice() };
}

export function interestFromTopics(topics: Iterable<Uint8Array>): Interest {
  const set = new Set<string>();
  for (const t of topics) set.add(bytesToHex(t));
  return { kind: 'topics', topics: set };
}

export function interestMatches(interest: Interest, envelope: Envelope): boolean {
  switch (interest.kind) {
    case 'full':
      return true;
    case 'bloom':
      return bloomMatches(interest.bloom, envelope.bloom);
    case 'topics':
      return interest.topics.has(envelope.topicHex);
  }
}

/** The bloom that advertises an interest to peers that only know blooms (shh/6). */
export function interestToBloom(interest: Interest): Uint8Array {
  switch (interest.kind) {
    case 'full':
      return fullBloom();
    case 'bloom':
      return interest.bloom;
    case 'topics':
      return bloomOfTopics([...interest.topics].map((t) => hexToBytes(t)));
  }
}

export function interestTopics(interest: Interest): Uint8Array[] | undefined {
  return interest.kind === 'topics' ? [...interest.topics].map((t) => hexToBytes(t)) : undefined;
}

export function sameInterest(a: Interest, b: Interest): boolean {
  switch (a.kind) {
    case 'full':
      return b.kind === 'full';
    case 'bloom':
      return b.kind === 'bloom' && equalBytes(a.bloom, b.bloom);
    case 'topics':
      return (
        b.kind === 'topics' && a.topics.size === b.topics.size && [...a.topics].every((t) => b.topics.has(t))
      );
  }
}
