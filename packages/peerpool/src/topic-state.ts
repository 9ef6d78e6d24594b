import type { Cancel } from '@status-ts/core';
import type { Enr } from '@status-ts/enr';
import type { TopicLimits } from './constants.js';
import type { PeerTarget } from './dialer.js';
import type { TopicRequirement } from './requirements.js';
import type { SourcePump } from './source-pump.js';

export type SearchMode = 'fast' | 'slow';

/** A peer that may be dialed for a topic. */
export interface Candidate {
  id: string;
  target: PeerTarget;
  enr: Enr | undefined;
  source: string;
  seenAt: number;
  /** Cache seeds and configured mailservers go before anything discovered. */
  priority: boolean;
  trusted: boolean;
}

export interface TopicCounters {
  found: number;
  dialed: number;
  added: number;
  failed: number;
  dropped: number;
  /** Discovered records claiming the mailserver role, skipped because they are not trusted. */
  untrusted: number;
}

/** Everything the pool tracks for one topic. */
export class TopicState {
  readonly name: string;
  limits: TopicLimits;
  readonly requirement: TopicRequirement;
  mode: SearchMode = 'fast';
  /** Sources are being asked (not suspended). */
  searching = false;
  /** The current round still wants records from the sources. */
  hungry = false;
  pumps: SourcePump[] = [];
  /** Records asked per source (by index) in the current round. */
  readonly roundPulls = new Map<number, number>();
  turn = 0;
  readonly candidates = new Map<string, Candidate>();
  tickCancel: Cancel | undefined;
  fastCapCancel: Cancel | undefined;
  stopCancel: Cancel | undefined;
  timeToMinMs: number | undefined;
  readonly counters: TopicCounters = { found: 0, dialed: 0, added: 0, failed: 0, dropped: 0, untrusted: 0 };
  /** Records found per source name. */
  readonly foundBySource = new Map<string, number>();

  constructor(name: string, limits: TopicLimits, requirement: TopicRequirement) {
    this.name = name;
    this.limits = limits;
    this.requirement = requirement;
  }

  /** Remembers a candidate; the oldest seen ones go when over `max`. */
  remember(candidate: Candidate, max: number): void {
    const existing = this.candidates.get(candidate.id);
    if (existing) {
      existing.seenAt = Math.max(existing.seenAt, candidate.seenAt);
      existing.priority ||= candidate.priority;
      existing.trusted ||= candidate.trusted;
      existing.enr ??= candidate.enr;
      return;
    }
    this.candidates.set(candidate.id, candidate);
    if (this.candidates.size > max) {
      let oldest: Candidate | undefined;
      for (const c of this.candidates.values())
        if (!c.priority && (!oldest || c.seenAt < oldest.seenAt)) oldest = c;
      if (oldest) this.candidates.delete(oldest.id);
    }
  }

  /** The best dialable candidate: priority ones first, then the most recently seen (PP-04). */
  best(usable: (c: Candidate) => boolean): Candidate | undefined {
    let best: Candidate | undefined;
    for (const c of this.candidates.values()) {
      if (!usable(c)) continue;
      if (!best || (c.priority && !best.priority) || (c.priority === best.priority && c.seenAt > best.seenAt))
        best = c;
    }
    return best;
  }

  clearTimers(): void {
    this.tickCancel?.();
    this.fastCapCancel?.();
    this.stopCancel?.();
    this.tickCancel = undefined;
    this.fastCapCancel = undefined;
    this.stopCancel = undefined;
  }
}
