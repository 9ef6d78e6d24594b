import {
  bytesToHex,
  type Cancel,
  type Clock,
  createLogger,
  type Logger,
  systemClock,
  TypedEmitter,
} from '@status-ts/core';
import { type Enr, hasRole, type PeerSource, StatusTopic } from '@status-ts/enr';
import { Backoff } from './backoff.js';
import type { PeerCache } from './cache/peer-cache.js';
import { DEFAULT_TOPIC_LIMITS, DEFAULT_USE_DISCOVERED_MAILSERVERS, type TopicLimits } from './constants.js';
import {
  type ConnectedPeer,
  type Dialer,
  normaliseId,
  type PeerTarget,
  targetId,
  targetRecord,
} from './dialer.js';
import { PeerPoolError, PeerPoolErrorCode } from './errors.js';
import { MailserverSelector, type SelectedMailserver } from './mailserver-selector.js';
import {
  DEFAULT_TIMING,
  type DiscoverySummary,
  type DropReason,
  type PeerPoolEvents,
  type PeerPoolOptions,
  type PeerPoolTiming,
  type StopReason,
  type TopicSummary,
} from './options.js';
import { mailserverRequirement, relayRequirement } from './requirements.js';
import { SourcePump, takeFair } from './source-pump.js';
import { type Candidate, type SearchMode, TopicState } from './topic-state.js';

const log = createLogger('status-ts:peerpool');

/** Why a topic counts a connection: the source that offered the peer to it, and since when. */
interface Membership {
  readonly source: string;
  /** Set in the topic a static node is configured for: never dismissed from it. */
  readonly isStatic: boolean;
  readonly addedAt: number;
}

/**
 * A connection the pool dialed (or is dialing). While dialing it counts toward the topic that dialed it;
 * once connected, every topic it was offered to and meets the requirement of may count it too (status-go's
 * topic pools each confirm a connected peer they found), so one connection can serve `whisper` and
 * `whispermail` without a second dial.
 */
interface PoolPeer {
  readonly id: string;
  /** The topic that dialed it (its requirement is checked after Hello). */
  readonly dialTopic: TopicState;
  readonly isStatic: boolean;
  readonly target: PeerTarget;
  readonly enr: Enr | undefined;
  state: 'dialing' | 'connected';
  peer: ConnectedPeer | undefined;
  connectedAt: number;
  unsubscribe: (() => void) | undefined;
  /** The topics counting it toward their limits (only `dialTopic` while dialing). */
  readonly topics: Map<TopicState, Membership>;
}

interface StaticEntry {
  readonly id: string;
  readonly target: PeerTarget;
  readonly topic: TopicState;
  attempts: number;
  timer: Cancel | undefined;
}

/** A view of one topic for callers. */
export interface TopicStatus {
  limits: TopicLimits;
  mode: SearchMode;
  searching: boolean;
  connected: number;
  dialing: number;
}

function checkLimits(topic: string, limits: TopicLimits): TopicLimits {
  const { min, max } = limits;
  const problem = !Number.isInteger(min)
    ? `min must be an integer, got ${min}`
    : !Number.isInteger(max)
      ? `max must be an integer, got ${max}`
      : min < 0
        ? `min must be >= 0, got ${min}`
        : max < 1
          ? `max must be >= 1, got ${max}`
          : max < min
            ? `min (${min}) is above max (${max})`
            : undefined;
  if (problem !== undefined) {
    throw new PeerPoolError(PeerPoolErrorCode.InvalidArgument, `topic ${topic}: ${problem}`, {
      details: { topic, min, max },
    });
  }
  return { min, max };
}

function dialable(enr: Enr): boolean {
  const address = enr.toNodeAddress();
  return address.ip !== undefined && address.tcp > 0;
}

/**
 * Keeps the node connected to enough peers per topic (checklist PP-01..PP-07; docs/peerpool.md):
 *
 * - **Search rounds**: every `fastPeriodMs` (3 s) while a topic is below `min`, at most `fastModeTimeoutMs`
 *   (30 s) in a row, else every `slowPeriodMs` (30 s). A round dials remembered candidates first (cache seeds
 *   and configured mailservers, then the most recently seen), then pulls records from the sources round-robin,
 *   one at a time, until the topic has `max` peers connected or dialing.
 * - **Suspend/resume**: `stopSearchDelayMs` (10 s) after a topic reaches `max` its sources' `find` calls are
 *   aborted; all discovery stops when every topic stopped, or `discoveryTimeoutMs` (3 min) after it started.
 *   A topic that drops below `min` (or loses the selected mailserver) searches again in fast mode.
 * - **Dialing**: never beyond `max`; skips self, peers without the needed capability, and failed peers while
 *   they back off (exponential, capped). Peers that connect go to the cache; a failed one leaves it.
 * - **Static nodes** are always dialed, re-dialed with backoff, and count toward their topic's limits.
 * - **Shared peers**: a connected peer offered to another topic whose requirement it meets counts there too,
 *   without a second dial (a mailserver dialed as a relayer is also the mailserver); a disconnect removes it
 *   from every topic that counted it.
 */
export class PeerPool extends TypedEmitter<PeerPoolEvents> {
  readonly #dialer: Dialer;
  readonly #sources: readonly PeerSource[];
  readonly #cache: PeerCache | undefined;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #timing: PeerPoolTiming;
  readonly #topics = new Map<string, TopicState>();
  readonly #peers = new Map<string, PoolPeer>();
  readonly #static = new Map<string, StaticEntry>();
  readonly #trusted = new Map<string, PeerTarget>();
  readonly #backoff: Backoff;
  readonly #selfId: string | undefined;
  readonly #stopWhenFull: boolean;
  readonly #mailserverTopic: string;
  readonly #selector: MailserverSelector;
  #controller = new AbortController();
  #running = false;
  #startedAt = 0;
  #discoveryStartedAt: number | undefined;
  #discoveryTimeout: Cancel | undefined;
  #lastStopReason: StopReason | undefined;

  constructor(options: PeerPoolOptions) {
    super();
    this.#dialer = options.dialer;
    this.#log = options.logger ?? log;
    this.#sources = [...(options.sources ?? [])];
    this.#cache = options.cache;
    this.#clock = options.clock ?? systemClock;
    this.#timing = { ...DEFAULT_TIMING, ...options.timing };
    this.#backoff = new Backoff(this.#clock, this.#timing.backoffMinMs, this.#timing.backoffMaxMs);
    this.#selfId = options.selfId === undefined ? undefined : normaliseId(options.selfId);
    this.#stopWhenFull = options.stopSearchWhenFull ?? true;
    this.#mailserverTopic = options.mailserverTopic ?? StatusTopic.Mailserver;
    for (const target of options.mailservers ?? []) this.#trusted.set(targetId(target), target);
    const useDiscovered = options.useDiscoveredMailservers ?? DEFAULT_USE_DISCOVERED_MAILSERVERS;
    if (typeof useDiscovered !== 'boolean') {
      throw new PeerPoolError(
        PeerPoolErrorCode.InvalidArgument,
        `useDiscoveredMailservers must be a boolean, got ${typeof useDiscovered}`,
      );
    }
    const limits = options.topics ?? DEFAULT_TOPIC_LIMITS;
    for (const [name, topicLimits] of Object.entries(limits)) {
      const requirement =
        options.requirements?.[name] ??
        (name === this.#mailserverTopic
          ? mailserverRequirement({
              ...(options.capabilities ? { capabilities: options.capabilities } : {}),
              trustedOnly: this.#trusted.size > 0,
              acceptDiscovered: useDiscovered,
            })
          : relayRequirement(options.capabilities));
      this.#topics.set(name, new TopicState(name, checkLimits(name, topicLimits), requirement));
    }
    if (this.#topics.size === 0) {
      throw new PeerPoolError(PeerPoolErrorCode.InvalidArgument, 'at least one topic is needed');
    }
    for (const item of options.staticPeers ?? []) {
      const { target, topic } =
        typeof item === 'object' && 'target' in item ? item : { target: item, topic: undefined };
      if (topic !== undefined && !this.#topics.has(topic)) {
        throw new PeerPoolError(PeerPoolErrorCode.InvalidArgument, `static peer for unknown topic ${topic}`);
      }
      // Without a topic a static node counts as a relayer (or toward the only topic there is).
      const state = this.#topics.get(topic ?? StatusTopic.Relayer) ?? [...this.#topics.values()][0]!;
      const id = targetId(target);
      this.#static.set(id, { id, target, topic: state, attempts: 0, timer: undefined });
    }
    this.#selector = new MailserverSelector(
      {
        clock: this.#clock,
        signal: () => this.#controller.signal,
        mailservers: () => this.#connectedIn(this.#mailserverTopic),
        fail: (id, error) => this.#failConnected(id, error),
        changed: (selected) => this.emit('mailserver:changed', selected),
      },
      {
        ...(options.mailserverProbe ? { probe: options.mailserverProbe } : {}),
        timeoutMs: this.#timing.mailserverProbeTimeoutMs,
        intervalMs: this.#timing.mailserverCheckIntervalMs,
      },
    );
  }

  get running(): boolean {
    return this.#running;
  }

  /** The mailserver in use, if one is connected. */
  get mailserver(): SelectedMailserver | undefined {
    return this.#selector.selected;
  }

  /** True while at least one topic is asking its sources. */
  get discovering(): boolean {
    return [...this.#topics.values()].some((t) => t.searching);
  }

  /** Connected peers, of one topic or all. */
  peers(topic?: string): ConnectedPeer[] {
    return [...this.#peers.values()]
      .filter((p) => p.state === 'connected' && (topic === undefined || this.#countsFor(p, topic)))
      .map((p) => p.peer!);
  }

  topicStatus(topic: string): TopicStatus | undefined {
    const state = this.#topics.get(topic);
    if (!state) return undefined;
    const { connected, dialing } = this.#count(state);
    return { limits: { ...state.limits }, mode: state.mode, searching: state.searching, connected, dialing };
  }

  /**
   * Seeds every topic from the cache (up to `cacheSeed` peers) and the configured mailservers, dials the
   * static nodes and starts searching.
   */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#controller = new AbortController();
    this.#startedAt = this.#clock.now();
    for (const topic of this.#topics.values()) {
      topic.timeToMinMs = undefined;
      if (!this.#cache) continue;
      let seeds: Awaited<ReturnType<PeerCache['list']>> = [];
      try {
        seeds = await this.#cache.list(topic.name, this.#timing.cacheSeed);
      } catch (err) {
        this.#log.error('peer cache list failed', err);
      }
      for (const seed of seeds) this.#remember(topic, seed.enr, 'cache', true, true);
      if (!this.#running) return;
    }
    const mail = this.#topics.get(this.#mailserverTopic);
    if (mail) {
      for (const [id, target] of this.#trusted) {
        mail.remember(
          {
            id,
            target,
            enr: targetRecord(target),
            source: 'config',
            seenAt: this.#clock.now(),
            priority: true,
            trusted: true,
          },
          this.#timing.maxCandidates,
        );
      }
    }
    for (const entry of this.#static.values()) this.#dialStatic(entry);
    if (mail) this.#selector.start();
    for (const topic of this.#topics.values()) {
      this.#setMode(topic, 'fast');
      this.#resume(topic);
    }
  }

  /**
   * Stops searching and dialing and releases every timer. Connections stay up: they belong to the dialer's
   * server (stop that to close them).
   */
  async stop(): Promise<void> {
    if (!this.#running) return;
    for (const topic of this.#topics.values()) this.#suspend(topic, 'stopped');
    this.#running = false;
    this.#controller.abort();
    this.#discoveryTimeout?.();
    this.#discoveryTimeout = undefined;
    for (const topic of this.#topics.values()) topic.clearTimers();
    for (const entry of this.#static.values()) {
      entry.timer?.();
      entry.timer = undefined;
    }
    for (const peer of this.#peers.values()) peer.unsubscribe?.();
    this.#peers.clear();
    this.#selector.stop();
  }

  /** Changes a topic's limits; peers over the new `max` are dismissed and remembered as candidates (PP-04). */
  setLimits(topicName: string, limits: TopicLimits): void {
    const topic = this.#topics.get(topicName);
    if (!topic) throw new PeerPoolError(PeerPoolErrorCode.InvalidArgument, `unknown topic ${topicName}`);
    topic.limits = checkLimits(topicName, limits);
    this.#trimToMax(topic);
    if (this.#running) this.#afterChange(topic, 'limits');
  }

  /** Counts, modes and per-source figures of the current (or last) discovery. */
  summary(): DiscoverySummary {
    const topics: Record<string, TopicSummary> = {};
    const sources: Record<string, Record<string, number>> = {};
    for (const topic of this.#topics.values()) {
      topics[topic.name] = {
        limits: { ...topic.limits },
        mode: topic.mode,
        searching: topic.searching,
        connected: this.#count(topic).connected,
        ...topic.counters,
        timeToMinMs: topic.timeToMinMs,
      };
      for (const [source, n] of topic.foundBySource) {
        sources[source] ??= {};
        sources[source][topic.name] = n;
      }
    }
    const startedAt = this.#discoveryStartedAt;
    return {
      reason: this.discovering ? undefined : this.#lastStopReason,
      startedAt,
      durationMs: startedAt === undefined ? undefined : this.#clock.now() - startedAt,
      topics,
      sources,
    };
  }

  // ---- topics: modes, rounds, suspend/resume ----

  #countsFor(entry: PoolPeer, topicName: string): boolean {
    for (const topic of entry.topics.keys()) if (topic.name === topicName) return true;
    return false;
  }

  #count(topic: TopicState): { connected: number; dialing: number } {
    let connected = 0;
    let dialing = 0;
    for (const p of this.#peers.values()) {
      if (!p.topics.has(topic)) continue;
      if (p.state === 'connected') connected++;
      else dialing++;
    }
    return { connected, dialing };
  }

  #capacity(topic: TopicState): number {
    const { connected, dialing } = this.#count(topic);
    return topic.limits.max - connected - dialing;
  }

  #connectedIn(topicName: string): ConnectedPeer[] {
    const topic = this.#topics.get(topicName);
    if (!topic) return [];
    return [...this.#peers.values()]
      .filter((p) => p.state === 'connected' && p.topics.has(topic))
      .sort((a, b) => a.topics.get(topic)!.addedAt - b.topics.get(topic)!.addedAt)
      .map((p) => p.peer!);
  }

  #setMode(topic: TopicState, mode: SearchMode): void {
    topic.fastCapCancel?.();
    topic.fastCapCancel = undefined;
    if (mode === 'fast') {
      // PP-02: fast mode is capped, so a topic that cannot reach min does not search every 3 s forever.
      topic.fastCapCancel = this.#clock.setTimeout(() => {
        topic.fastCapCancel = undefined;
        this.#setMode(topic, 'slow');
      }, this.#timing.fastModeTimeoutMs);
    }
    if (topic.mode === mode) return;
    topic.mode = mode;
    this.emit('topic:mode', { topic: topic.name, mode });
    if (topic.searching) this.#scheduleTick(topic);
  }

  #period(topic: TopicState): number {
    return topic.mode === 'fast' ? this.#timing.fastPeriodMs : this.#timing.slowPeriodMs;
  }

  #scheduleTick(topic: TopicState): void {
    topic.tickCancel?.();
    topic.tickCancel = this.#clock.setTimeout(() => this.#tick(topic), this.#period(topic));
  }

  #resume(topic: TopicState): void {
    if (topic.searching || !this.#running) return;
    const wasIdle = !this.discovering;
    topic.searching = true;
    if (wasIdle) {
      this.#discoveryStartedAt = this.#clock.now();
      this.#discoveryTimeout?.();
      this.#discoveryTimeout = this.#clock.setTimeout(() => {
        this.#discoveryTimeout = undefined;
        for (const t of this.#topics.values()) this.#suspend(t, 'timeout');
      }, this.#timing.discoveryTimeoutMs);
      this.emit('discovery:started');
    }
    this.emit('search:resumed', { topic: topic.name });
    this.#tick(topic);
  }

  #suspend(topic: TopicState, reason: StopReason): void {
    if (!topic.searching) return;
    topic.searching = false;
    topic.hungry = false;
    topic.tickCancel?.();
    topic.tickCancel = undefined;
    topic.stopCancel?.();
    topic.stopCancel = undefined;
    for (const pump of topic.pumps) pump.close();
    topic.pumps = [];
    this.emit('search:suspended', { topic: topic.name, reason });
    if (!this.discovering) {
      this.#discoveryTimeout?.();
      this.#discoveryTimeout = undefined;
      this.#lastStopReason = reason;
      this.emit('discovery:stopped', { reason });
      this.emit('discovery:summary', this.summary());
    }
  }

  /** A search round: finished sources are asked again, pull budgets reset, the topic is filled. */
  #tick(topic: TopicState): void {
    if (!topic.searching || !this.#running) return;
    const now = this.#clock.now();
    for (const [id, c] of topic.candidates) {
      if (now - c.seenAt > this.#timing.peerExpiryMs) topic.candidates.delete(id);
    }
    topic.roundPulls.clear();
    for (const pump of topic.pumps) pump.restart();
    topic.hungry = true;
    this.#scheduleTick(topic);
    this.#fill(topic);
  }

  /**
   * A candidate the topic can take now: one to dial, or a peer already connected for another topic that
   * this topic can count too (no second dial). A peer being dialed, or a static node (dialed on its own), waits.
   */
  #usable(topic: TopicState, c: Candidate): boolean {
    if (c.id === this.#selfId || this.#backoff.blocked(c.id)) return false;
    if (this.#clock.now() - c.seenAt > this.#timing.peerExpiryMs) return false;
    const entry = this.#peers.get(c.id);
    if (entry) return this.#canShare(topic, entry);
    return !this.#static.has(c.id);
  }

  #canShare(topic: TopicState, entry: PoolPeer): boolean {
    return (
      entry.state === 'connected' &&
      !entry.topics.has(topic) &&
      topic.requirement.acceptsPeer(entry.peer!.capabilities)
    );
  }

  /** Dials remembered candidates, then (in a hungry round) pulls the sources, while there is room. */
  #fill(topic: TopicState): void {
    if (!this.#running) return;
    this.#dialCandidates(topic);
    if (!topic.searching || !topic.hungry || this.#sources.length === 0) return;
    if (this.#capacity(topic) <= 0) {
      this.#sated(topic);
      return;
    }
    if (topic.pumps.length === 0) {
      topic.pumps = this.#sources.map(
        (source, index) =>
          new SourcePump(source, index, topic.name, topic.roundPulls, {
            onRecord: () => this.#fill(topic),
            onEnd: (pump, error) => this.#sourceEnded(topic, pump, error),
          }),
      );
    }
    const max = this.#timing.maxPullsPerRound;
    while (this.#capacity(topic) > 0) {
      const taken = takeFair(topic.pumps, topic.turn);
      if (!taken) break;
      topic.turn = taken.turn;
      // The pool's own cache given as a source vouches for its records like the seeds do (by identity, not name).
      this.#found(topic, taken.pump.source.name, taken.record, taken.pump.source === this.#cache);
      this.#dialCandidates(topic);
    }
    if (this.#capacity(topic) <= 0) {
      this.#sated(topic);
      return;
    }
    for (const pump of topic.pumps) if (pump.pulls < max) pump.request();
    const exhausted = topic.pumps.every(
      (p) => !p.pending && !p.hasRecord && (p.done || p.retryCancel !== undefined || p.pulls >= max),
    );
    if (exhausted) topic.hungry = false;
  }

  /**
   * The round has what it needs: the sources' finds are closed now rather than left running (a discv5 walk
   * costs packets), and opened again when the topic needs peers.
   */
  #sated(topic: TopicState): void {
    topic.hungry = false;
    for (const pump of topic.pumps) pump.close();
    topic.pumps = [];
  }

  #dialCandidates(topic: TopicState): void {
    while (this.#capacity(topic) > 0) {
      const candidate = topic.best((c) => this.#usable(topic, c));
      if (!candidate) return;
      topic.candidates.delete(candidate.id);
      const connected = this.#peers.get(candidate.id);
      if (connected) this.#share(topic, connected, candidate.source);
      else this.#dial(topic, candidate);
    }
  }

  #sourceEnded(topic: TopicState, pump: SourcePump, error: unknown): void {
    if (error !== undefined) {
      this.#log('source %s failed for %s: %o', pump.source.name, topic.name, error);
      // PP-03: a source that failed to start is tried again after a short delay.
      pump.retryCancel = this.#clock.setTimeout(() => {
        pump.retryCancel = undefined;
        pump.restart();
        if (!topic.searching) return;
        topic.hungry = true;
        this.#fill(topic);
      }, this.#timing.sourceRetryMs);
    }
    this.#fill(topic);
  }

  #found(topic: TopicState, source: string, enr: Enr, vouched: boolean): void {
    const id = bytesToHex(enr.rawPublicKey);
    topic.counters.found++;
    topic.foundBySource.set(source, (topic.foundBySource.get(source) ?? 0) + 1);
    this.emit('peer:found', { topic: topic.name, source, id, enr });
    this.#remember(topic, enr, source, false, vouched);
  }

  /**
   * `vouched`: the pool accepted this record for the topic before (its cache, or a peer the topic counted).
   * For the mailserver topic that makes it trusted unless a configured list decides alone: the cache's
   * mailserver entries are written only for trusted or (opted-in) discovered mailservers.
   */
  #remember(topic: TopicState, enr: Enr, source: string, priority: boolean, vouched: boolean): void {
    const id = bytesToHex(enr.rawPublicKey);
    // A peer connected (or being dialed) for another topic is remembered too: this topic may count it.
    if (id === this.#selfId || this.#peers.get(id)?.topics.has(topic)) return;
    const isMail = topic.name === this.#mailserverTopic;
    const trusted = isMail && (this.#trusted.has(id) || (vouched && this.#trusted.size === 0));
    if (!dialable(enr)) return;
    if (!topic.requirement.acceptsRecord(enr, trusted)) {
      // A role claim refused for want of trust is a drop a harness wants to see.
      if (isMail && hasRole(enr, StatusTopic.Mailserver)) topic.counters.untrusted++;
      return;
    }
    topic.remember(
      { id, target: enr, enr, source, seenAt: this.#clock.now(), priority, trusted },
      this.#timing.maxCandidates,
    );
  }

  // ---- dialing and peer lifecycle ----

  #dial(topic: TopicState, candidate: Candidate): void {
    const entry: PoolPeer = {
      id: candidate.id,
      dialTopic: topic,
      isStatic: false,
      target: candidate.target,
      enr: candidate.enr,
      state: 'dialing',
      peer: undefined,
      connectedAt: 0,
      unsubscribe: undefined,
      topics: new Map([[topic, { source: candidate.source, isStatic: false, addedAt: 0 }]]),
    };
    this.#startDial(entry);
  }

  #startDial(entry: PoolPeer): void {
    this.#peers.set(entry.id, entry);
    entry.dialTopic.counters.dialed++;
    const signal = this.#controller.signal;
    Promise.resolve()
      .then(() => this.#dialer.dial(entry.target, signal))
      .then(
        (peer) => this.#connected(entry, peer),
        (error: unknown) => this.#dialFailed(entry, error),
      );
  }

  #connected(entry: PoolPeer, peer: ConnectedPeer): void {
    if (!this.#running || this.#peers.get(entry.id) !== entry) {
      peer.disconnect();
      return;
    }
    const topic = entry.dialTopic;
    if (!entry.isStatic && !topic.requirement.acceptsPeer(peer.capabilities)) {
      peer.disconnect();
      this.#dialFailed(
        entry,
        new PeerPoolError(
          PeerPoolErrorCode.MissingCapability,
          `peer shares no capability ${topic.name} needs`,
          {
            details: { id: entry.id, capabilities: peer.capabilities.map((c) => `${c.name}/${c.version}`) },
          },
        ),
      );
      return;
    }
    entry.state = 'connected';
    entry.peer = peer;
    entry.connectedAt = this.#clock.now();
    this.#backoff.succeed(entry.id);
    const staticEntry = this.#static.get(entry.id);
    if (staticEntry) staticEntry.attempts = 0;
    entry.unsubscribe = peer.onDisconnected((reason) => this.#disconnected(entry, reason));
    const membership = entry.topics.get(topic)!;
    entry.topics.set(topic, { ...membership, addedAt: entry.connectedAt });
    this.#confirmAdded(topic, entry);
    // Other topics this peer was offered to while it was being dialed count it now, if they have room.
    for (const other of this.#topics.values()) {
      if (this.#peers.get(entry.id) !== entry) return;
      const candidate = other.candidates.get(entry.id);
      if (!candidate || this.#capacity(other) <= 0 || !this.#usable(other, candidate)) continue;
      other.candidates.delete(entry.id);
      this.#share(other, entry, candidate.source);
    }
  }

  /** A connected peer counts toward `topic` too (it was offered to it and meets its requirement). */
  #share(topic: TopicState, entry: PoolPeer, source: string): void {
    entry.topics.set(topic, { source, isStatic: false, addedAt: this.#clock.now() });
    this.#confirmAdded(topic, entry);
  }

  /** `topic` now counts `entry`: cache it for the topic, announce it, update modes and the mailserver. */
  #confirmAdded(topic: TopicState, entry: PoolPeer): void {
    const membership = entry.topics.get(topic)!;
    // Static nodes are configured, not found: never cached, whichever topics count them.
    if (!entry.isStatic && entry.enr && this.#cache) {
      this.#cache
        .add(topic.name, entry.enr, membership.addedAt)
        .catch((err) => this.#log.error('cache add failed', err));
    }
    topic.counters.added++;
    this.emit('peer:added', {
      topic: topic.name,
      source: membership.source,
      id: entry.id,
      peer: entry.peer!,
      static: membership.isStatic,
    });
    this.#afterChange(topic, 'added');
    if (topic.name === this.#mailserverTopic) this.#selector.peersChanged();
  }

  #dialFailed(entry: PoolPeer, error: unknown): void {
    if (this.#peers.get(entry.id) !== entry) return;
    this.#peers.delete(entry.id);
    const topic = entry.dialTopic;
    const source = entry.topics.get(topic)?.source ?? 'unknown';
    topic.counters.failed++;
    let retryInMs: number;
    const staticEntry = this.#static.get(entry.id);
    if (entry.isStatic && staticEntry) {
      retryInMs = this.#scheduleStatic(staticEntry);
    } else {
      retryInMs = this.#backoff.fail(entry.id);
      // PP-05: a cached peer that fails leaves the cache.
      this.#cache?.remove(topic.name, entry.id).catch((err) => this.#log.error('cache remove failed', err));
    }
    if (!this.#running) return;
    this.emit('peer:failed', {
      topic: topic.name,
      source,
      id: entry.id,
      static: entry.isStatic,
      error,
      retryInMs,
    });
    // In fast mode a failed dial is replaced within the round's pull budget, not a whole period later.
    if (topic.mode === 'fast' && topic.searching) topic.hungry = true;
    this.#fill(topic);
  }

  #disconnected(entry: PoolPeer, reason: string | undefined): void {
    if (this.#peers.get(entry.id) !== entry) return;
    this.#peers.delete(entry.id);
    entry.unsubscribe?.();
    // The connection is gone for every topic that counted it: each one reacts (refill, mailserver switch).
    const topics = [...entry.topics];
    entry.topics.clear();
    for (const [topic, membership] of topics) this.#dropped(entry, topic, membership, 'disconnected', reason);
    const staticEntry = this.#static.get(entry.id);
    if (entry.isStatic && staticEntry && this.#running) this.#scheduleStatic(staticEntry);
    if (!this.#running) return;
    for (const [topic] of topics) this.#leftTopic(topic, entry.id);
  }

  /** After `id` stopped counting for `topic`: switch the mailserver if it was selected, refill. */
  #leftTopic(topic: TopicState, id: string): void {
    if (topic.name === this.#mailserverTopic) {
      const wasSelected = this.#selector.selected?.id === id;
      this.#selector.peerGone(id);
      // DV5-09 / PP-07: losing the mailserver resumes its topic's search whatever the counts.
      if (wasSelected && !topic.searching) {
        this.#setMode(topic, 'fast');
        this.#resume(topic);
      }
    }
    this.#afterChange(topic, 'dropped');
  }

  #dropped(
    entry: PoolPeer,
    topic: TopicState,
    membership: Membership,
    reason: DropReason,
    detail?: string,
  ): void {
    topic.counters.dropped++;
    this.emit('peer:dropped', {
      topic: topic.name,
      source: membership.source,
      id: entry.id,
      static: membership.isStatic,
      reason,
      detail,
    });
  }

  /**
   * Over `max` after a limit change: the topic stops counting the peer and remembers it as a candidate; the
   * connection is closed unless another topic still counts it.
   */
  #dismiss(topic: TopicState, entry: PoolPeer): void {
    const membership = entry.topics.get(topic)!;
    entry.topics.delete(topic);
    if (entry.topics.size === 0) {
      this.#peers.delete(entry.id);
      entry.unsubscribe?.();
      entry.peer?.disconnect();
    }
    this.#dropped(entry, topic, membership, 'dismissed');
    if (topic.name === this.#mailserverTopic) this.#selector.peerGone(entry.id);
    if (entry.enr) this.#remember(topic, entry.enr, membership.source, false, true);
  }

  /**
   * A connected mailserver failed its probe: it stops counting as a mailserver and is backed off (so it is
   * neither redialed nor counted again for a while). The connection is closed unless another topic (a relayer
   * that also advertises the mailserver role) still counts it.
   */
  #failConnected(id: string, error: unknown): void {
    const entry = this.#peers.get(id);
    const topic = this.#topics.get(this.#mailserverTopic);
    if (entry?.state !== 'connected' || !topic) return;
    const membership = entry.topics.get(topic);
    if (!membership) return;
    entry.topics.delete(topic);
    let retryInMs: number;
    const staticEntry = this.#static.get(id);
    if (entry.topics.size === 0) {
      this.#peers.delete(id);
      entry.unsubscribe?.();
      entry.peer?.disconnect();
    }
    // A static node is redialed on its own schedule; any other peer backs off (not counted again meanwhile).
    if (entry.isStatic && staticEntry && entry.topics.size === 0)
      retryInMs = this.#scheduleStatic(staticEntry);
    else retryInMs = this.#backoff.fail(id);
    this.#dropped(entry, topic, membership, 'disconnected', 'mailserver probe failed');
    this.emit('peer:failed', {
      topic: topic.name,
      source: membership.source,
      id,
      static: membership.isStatic,
      error,
      retryInMs,
    });
    if (!topic.searching && this.#running) {
      this.#setMode(topic, 'fast');
      this.#resume(topic);
    }
    this.#afterChange(topic, 'dropped');
  }

  /**
   * Over `max` (limits lowered, or a static node connected into a full topic): the peers most recently
   * counted by the topic are dismissed and remembered as candidates. Static nodes are never dismissed from
   * their own topic.
   */
  #trimToMax(topic: TopicState): void {
    const { connected, dialing } = this.#count(topic);
    let excess = connected + dialing - topic.limits.max;
    if (excess <= 0) return;
    const own = [...this.#peers.values()]
      .filter((p) => p.state === 'connected' && p.topics.has(topic) && !p.topics.get(topic)!.isStatic)
      .sort((a, b) => b.topics.get(topic)!.addedAt - a.topics.get(topic)!.addedAt);
    for (const entry of own) {
      if (excess-- <= 0) break;
      this.#dismiss(topic, entry);
    }
  }

  #afterChange(topic: TopicState, change: 'added' | 'dropped' | 'limits'): void {
    if (!this.#running) return;
    if (change === 'added') this.#trimToMax(topic);
    const { connected } = this.#count(topic);
    const { min, max } = topic.limits;
    if (connected >= min) {
      topic.timeToMinMs ??= this.#clock.now() - this.#startedAt;
      if (topic.mode === 'fast') this.#setMode(topic, 'slow');
    }
    if (connected >= max) {
      if (this.#stopWhenFull && topic.searching && !topic.stopCancel) {
        topic.stopCancel = this.#clock.setTimeout(() => {
          topic.stopCancel = undefined;
          if (this.#count(topic).connected >= topic.limits.max) this.#suspend(topic, 'limits');
        }, this.#timing.stopSearchDelayMs);
      }
    } else {
      topic.stopCancel?.();
      topic.stopCancel = undefined;
    }
    if (change !== 'added' && connected < min) {
      // PP-03: below min again: search in fast mode, now.
      this.#setMode(topic, 'fast');
      if (topic.searching) this.#tick(topic);
      else this.#resume(topic);
      return;
    }
    this.#fill(topic);
  }

  // ---- static nodes ----

  #dialStatic(entry: StaticEntry): void {
    entry.timer = undefined;
    if (!this.#running || this.#peers.has(entry.id)) return;
    this.#startDial({
      id: entry.id,
      dialTopic: entry.topic,
      isStatic: true,
      target: entry.target,
      enr: targetRecord(entry.target),
      state: 'dialing',
      peer: undefined,
      connectedAt: 0,
      unsubscribe: undefined,
      topics: new Map([[entry.topic, { source: 'static', isStatic: true, addedAt: 0 }]]),
    });
  }

  /** Re-dials a static node after `min * 2^(attempts-1)`, capped; returns the wait. */
  #scheduleStatic(entry: StaticEntry): number {
    entry.attempts++;
    const wait = Math.min(
      this.#timing.staticRedialMaxMs,
      this.#timing.staticRedialMinMs * 2 ** Math.min(30, entry.attempts - 1),
    );
    entry.timer?.();
    if (this.#running) entry.timer = this.#clock.setTimeout(() => this.#dialStatic(entry), wait);
    return wait;
  }
}
