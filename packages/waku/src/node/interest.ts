import { bytesToHex, hexToBytes } from '@status-ts/core';
import { BLOOM_SIZE } from '../constants.js';
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
  if (bloom.length === 0 || isFullBloom(bloom)) return FULL_INTEREST;
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
  if (a.kind !== b.kind) return false;
  if (a.kind === 'bloom' && b.kind === 'bloom') {
    for (let i = 0; i < BLOOM_SIZE; i++) if (a.bloom[i] !== b.bloom[i]) return false;
    return true;
  }
  if (a.kind === 'topics' && b.kind === 'topics') {
    if (a.topics.size !== b.topics.size) return false;
    for (const t of a.topics) if (!b.topics.has(t)) return false;
    return true;
  }
  return true;
}
