import {
  abortReason,
  bytesToHex,
  type Cancel,
  type Clock,
  createLogger,
  hexToBytes,
  isStatusTsError,
  systemClock,
  TypedEmitter,
  throwIfAborted,
} from '@status-ts/core';
import { getPublicKey, keccak256 } from '@status-ts/crypto';
import {
  CAPABILITIES_KEY,
  Enr,
  LocalRecord,
  type RlpItem,
  ROLES_KEY,
  type RoleAdvertisement,
  roleEntries,
} from '@status-ts/enr';
import { Discv5Error, Discv5ErrorCode } from '../errors.js';
import {
  decodeMessage,
  encodeMessage,
  isRequest,
  type Message,
  MessageType,
  type NodesMessage,
  type PongMessage,
  type RequestMessage,
  type ResponseMessage,
} from '../messages.js';
import {
  decodeHandshakeAuthdata,
  decodeMessageAuthdata,
  decodeWhoareyouAuthdata,
} from '../packet/authdata.js';
import {
  GCM_TAG_SIZE,
  MASKING_IV_SIZE,
  NONCE_SIZE,
  PacketFlag,
  RANDOM_MESSAGE_SIZE,
} from '../packet/constants.js';
import { type DecodedPacket, decodePacket } from '../packet/header.js';
import {
  encodeHandshakePacket,
  encodeMessagePacket,
  encodeRandomPacket,
  encodeWhoareyouPacket,
} from '../packet/packets.js';
import { Discv5PeerSource, type Discv5PeerSourceOptions } from '../peer-source.js';
import { takeRandom as randomBytes } from '../random-pool.js';
import { recordInfo } from '../record-info.js';
import { decryptMessage } from '../session/crypto.js';
import { acceptHandshake, initiateHandshake } from '../session/handshake.js';
import { ReplayWindow } from '../session/replay-window.js';
import { Session, SessionCache } from '../session/session-cache.js';
import { logDistance, lookupDistances, widerDistances } from '../table/distance.js';
import { RoutingTable, type TableEntry } from '../table/routing-table.js';
import { type PacketTransport, sameEndpoint, type UdpEndpoint } from '../transport/types.js';
import { type Discv5Counters, emptyCounters } from './counters.js';
import { discoverRecords } from './discover.js';
import { EndpointVotes } from './endpoint-votes.js';
import { DEFAULT_DISCV5_LIMITS, type Discv5Limits } from './limits.js';
import { runLookup } from './lookup.js';
import type {
  Discv5Events,
  Discv5NodeOptions,
  PongResult,
  RoutingTableView,
  TalkHandler,
  TalkRequestInfo,
} from './options.js';
import { packNodes } from './pack-nodes.js';
import { IpRateLimiter } from './rate-limiter.js';
import { decodeRecordCached, recordEndpoint, relayAllowed } from './records.js';
import { newRequestId } from './request-id.js';
import { type NodeTarget, resolveTarget, type TargetInput, targetFromEnr } from './targets.js';

interface PendingRequest {
  readonly id: string;
  readonly requestId: Uint8Array;
  readonly target: NodeTarget;
  readonly key: string;
  readonly plaintext: Uint8Array;
  readonly expects: MessageType;
  readonly distances: number[] | undefined;
  readonly nonces: string[];
  handshakes: number;
  retriesLeft: number;
  cancelTimer: Cancel | undefined;
  responses: ResponseMessage[];
  /** NODES messages expected (0 until the first arrives). */
  total: number;
  resolve: (responses: ResponseMessage[]) => void;
  reject: (err: unknown) => void;
}

/** What every request to a node accepts: `signal` abandons it, rejecting with the signal's reason. */
export interface Discv5RequestOptions {
  signal?: AbortSignal;
}

interface HandshakeInProgress {
  leader: PendingRequest;
  waiting: PendingRequest[];
}

interface Challenge {
  challengeData: Uint8Array;
  packet: Uint8Array;
  record: Enr | undefined;
  expiresAt: number;
  /** Nonces of the packets this WHOAREYOU was sent for: the same packet again gets nothing. */
  answered: ReplayWindow;
}

/** Distances a second FINDNODE asks when the first answer was short. */
const SHORT_ANSWER_EXTRA_DISTANCES = 16;

const WILDCARDS = new Set(['0.0.0.0', '::', '']);
/** A NODES packet's bytes besides records: header 16+23+32, tag 16, type 1, list headers 2x3, id 9, total 1. */
const NODES_OVERHEAD = MASKING_IV_SIZE + 23 + 32 + GCM_TAG_SIZE + 1 + 3 + 9 + 1 + 3;

/**
 * A Node Discovery v5.1 node: sessions and handshakes, the Kademlia table, lookups and requests over a
 * `PacketTransport`. Bad packets are counted and dropped, never thrown.
 */
export class Discv5Node extends TypedEmitter<Discv5Events> {
  readonly #privateKey: Uint8Array;
  readonly #localId: Uint8Array;
  readonly #localIdHex: string;
  readonly #clock: Clock;
  readonly #limits: Discv5Limits;
  readonly #options: Discv5NodeOptions;
  readonly #log;
  readonly #local: LocalRecord;
  readonly #table: RoutingTable;
  readonly #sessions: SessionCache;
  readonly #challenges = new Map<string, Challenge>();
  readonly #requests = new Map<string, PendingRequest>();
  readonly #byNonce = new Map<string, PendingRequest>();
  /** Handshakes we started (keyed like sessions): the request that leads it and those waiting for it. */
  readonly #handshaking = new Map<string, HandshakeInProgress>();
  /** Records learned outside the table (handshakes, FINDNODE 0), most recent last. */
  readonly #knownRecords = new Map<string, Enr>();
  readonly #rateLimiter: IpRateLimiter;
  readonly #votes: EndpointVotes;
  readonly #talkHandlers = new Map<string, TalkHandler>();
  readonly #refreshing = new Set<string>();
  readonly #checking = new Set<string>();
  readonly #random: () => number;
  #counters: Discv5Counters = emptyCounters();
  #transport: PacketTransport | undefined;
  #bootstrap: NodeTarget[] = [];
  #timers: Cancel[] = [];
  #running = false;
  #stopController = new AbortController();
  #joined: Promise<number> = Promise.resolve(0);

  constructor(options: Discv5NodeOptions) {
    super();
    // The UDP socket lives in '@status-ts/discv5/udp' so this entry bundles for browsers: say where it went.
    if (options.transport === undefined) {
      throw new Discv5Error(
        Discv5ErrorCode.InvalidArgument,
        "no transport: pass `transport: () => createUdpTransport({ ip, port })` from '@status-ts/discv5/udp', or a MemoryNetwork transport",
      );
    }
    this.#options = options;
    this.#privateKey = options.privateKey;
    this.#clock = options.clock ?? systemClock;
    this.#limits = { ...DEFAULT_DISCV5_LIMITS, ...options.limits };
    const replayCacheSize = this.#limits.replayCacheSize;
    if (!Number.isSafeInteger(replayCacheSize) || replayCacheSize < 1) {
      throw new Discv5Error(
        Discv5ErrorCode.InvalidArgument,
        'limits.replayCacheSize must be an integer >= 1',
        {
          details: { replayCacheSize },
        },
      );
    }
    this.#random = options.random ?? Math.random;
    this.#localId = keccak256(getPublicKey(options.privateKey, 'raw'));
    this.#localIdHex = bytesToHex(this.#localId);
    this.#log = options.logger ?? createLogger(`status-ts:discv5:${this.#localIdHex.slice(0, 8)}`);
    const entries = { ...options.entries, ...roleEntries(options) };
    if (options.record !== undefined) {
      this.#local = LocalRecord.restore(options.privateKey, options.record);
      this.#local.update({ entries });
    } else {
      this.#local = new LocalRecord({ privateKey: options.privateKey, clock: this.#clock, entries });
    }
    if (options.enrIp !== undefined || options.enrUdp !== undefined) {
      this.#local.update({ ip: options.enrIp, udp: options.enrUdp });
    }
    const now = () => this.#clock.now();
    this.#table = new RoutingTable(this.#localId, {
      bucketSize: this.#limits.bucketSize,
      replacementSize: this.#limits.replacementCacheSize,
      now,
    });
    this.#sessions = new SessionCache(this.#limits.sessionCacheLimit);
    this.#rateLimiter = new IpRateLimiter({
      packetsPerSecond: this.#limits.rateLimitPacketsPerSecond,
      burst: this.#limits.rateLimitBurst,
      maxTrackedIps: this.#limits.rateLimitMaxTrackedIps,
      now,
    });
    this.#votes = new EndpointVotes({
      required: this.#limits.endpointVotesRequired,
      ttlMs: this.#limits.endpointVoteTtlMs,
      maxVoters: this.#limits.maxEndpointVoters,
      now,
    });
  }

  // ------------------------------------------------------------------ introspection

  /** The local node id (hex). */
  get nodeId(): string {
    return this.#localIdHex;
  }

  /** The current signed own record. */
  get localEnr(): Enr {
    return this.#local.enr;
  }

  get running(): boolean {
    return this.#running;
  }

  /** The bound transport address (undefined before start). */
  get localEndpoint(): UdpEndpoint | undefined {
    return this.#transport?.localEndpoint;
  }

  get table(): RoutingTableView {
    return this.#table;
  }

  /** Bootstrap nodes given at start. */
  get bootstrapTargets(): readonly NodeTarget[] {
    return this.#bootstrap;
  }

  /** The node's non-cryptographic random source. */
  get random(): () => number {
    return this.#random;
  }

  get clock(): Clock {
    return this.#clock;
  }

  get limits(): Readonly<Discv5Limits> {
    return this.#limits;
  }

  /** A snapshot of the counters. */
  get counters(): Discv5Counters {
    return {
      ...this.#counters,
      dropped: { ...this.#counters.dropped },
      recordsRejectedBy: { ...this.#counters.recordsRejectedBy },
    };
  }

  /** Sessions, pending challenges, requests and tracked IPs: what bounds memory. */
  get stats(): { sessions: number; challenges: number; requests: number; trackedIps: number; table: number } {
    return {
      sessions: this.#sessions.size,
      challenges: this.#challenges.size,
      requests: this.#requests.size,
      trackedIps: this.#rateLimiter.trackedIps,
      table: this.#table.size,
    };
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Binds the transport, publishes the bound address in the own record, puts bootstrap nodes in the table and
   * pings them, and (with `autoRefresh`) starts the self-lookup, refresh and liveness timers. Resolves once
   * the node can send and receive; joining continues in the background.
   */
  async start(): Promise<void> {
    if (this.#running) return;
    const given = this.#options.transport;
    let transport: PacketTransport;
    if (typeof given === 'function') {
      try {
        transport = await given();
      } catch (cause) {
        throw new Discv5Error(Discv5ErrorCode.Transport, 'cannot open the transport', { cause });
      }
    } else {
      transport = given;
    }
    this.#transport = transport;
    this.#stopController = new AbortController();
    const bound = transport.localEndpoint;
    const ip = this.#options.enrIp ?? (WILDCARDS.has(bound.ip) ? undefined : bound.ip);
    const udp = this.#options.enrUdp ?? bound.port;
    if (ip !== undefined) this.#local.update({ ip, udp });
    else this.#local.update({ udp });
    transport.onPacket((bytes, from) => this.#onPacket(bytes, from));
    this.#running = true;

    this.#bootstrap = [];
    const pings: Promise<boolean>[] = [];
    for (const input of this.#options.bootstrap ?? []) {
      const target = resolveTarget(input);
      if (target.nodeIdHex === this.#localIdHex) continue;
      this.#bootstrap.push(target);
      if (target.enr) this.#learnFound(target.enr);
      pings.push(
        this.ping(target).then(
          () => true,
          () => false,
        ),
      );
    }
    this.#joined = Promise.all(pings).then((answers) => answers.filter(Boolean).length);
    if (this.#options.autoRefresh !== false) {
      this.#timers.push(this.#clock.setInterval(() => this.#revalidate(), this.#limits.revalidateIntervalMs));
      this.#timers.push(
        this.#clock.setInterval(() => {
          this.randomLookup().catch(() => {});
        }, this.#limits.refreshIntervalMs),
      );
      this.lookup(this.#localId).catch(() => {});
    }
  }

  /** Stops timers, fails pending requests with ERR_DISCV5_NOT_RUNNING and closes the transport. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#stopController.abort(new Discv5Error(Discv5ErrorCode.NotRunning, 'node stopped'));
    for (const cancel of this.#timers) cancel();
    this.#timers = [];
    const stopped = new Discv5Error(Discv5ErrorCode.NotRunning, 'node stopped');
    this.#handshaking.clear();
    for (const request of [...this.#requests.values()]) this.#fail(request, stopped);
    this.#challenges.clear();
    this.#sessions.clear();
    this.#rateLimiter.clear();
    const transport = this.#transport;
    this.#transport = undefined;
    await transport?.close();
  }

  /**
   * Settles once every bootstrap node answered its first PING or failed to: resolves with how many answered.
   * `start()` does not wait for this, so that it never blocks on unreachable bootstrap nodes.
   */
  get joined(): Promise<number> {
    return this.#joined;
  }

  /** Aborted when the node stops (for loops that run while the node runs). */
  get stopSignal(): AbortSignal {
    return this.#stopController.signal;
  }

  // ------------------------------------------------------------------ public requests

  /** PING a node; resolves with its PONG. */
  async ping(target: TargetInput, options: Discv5RequestOptions = {}): Promise<PongResult> {
    const node = resolveTarget(target);
    const [pong] = (await this.#request(
      node,
      MessageType.Pong,
      (requestId) => ({ type: MessageType.Ping, requestId, enrSeq: this.#local.seq }),
      undefined,
      options.signal,
    )) as PongMessage[];
    return { enrSeq: pong!.enrSeq, ip: pong!.ip, port: pong!.port };
  }

  /**
   * FINDNODE at the given log distances (0 = the node's own record); resolves with the valid records of all
   * NODES answers (checked against the distances, deduplicated) and adds them to the table as unverified.
   */
  async findNode(
    target: TargetInput,
    distances: readonly number[],
    options: Discv5RequestOptions = {},
  ): Promise<Enr[]> {
    const node = resolveTarget(target);
    for (const d of distances) {
      if (!Number.isInteger(d) || d < 0 || d > 256) {
        throw new Discv5Error(Discv5ErrorCode.InvalidArgument, `distance ${d} is not in 0..256`);
      }
    }
    const unique = [...new Set(distances)];
    const responses = (await this.#request(
      node,
      MessageType.Nodes,
      (requestId) => ({ type: MessageType.FindNode, requestId, distances: unique }),
      unique,
      options.signal,
    )) as NodesMessage[];
    const seen = new Set<string>();
    const out: Enr[] = [];
    for (const response of responses) {
      for (const bytes of response.records) {
        const enr = this.#checkRelayed(bytes, node, unique);
        if (!enr || seen.has(recordInfo(enr).nodeIdHex)) continue;
        seen.add(recordInfo(enr).nodeIdHex);
        out.push(enr);
      }
    }
    for (const enr of out) {
      if (recordInfo(enr).nodeIdHex === node.nodeIdHex) this.#learnUpdated(enr, node.endpoint);
      else this.#learnFound(enr);
    }
    return out;
  }

  /** The node's current record (FINDNODE distance 0). */
  async requestEnr(target: TargetInput, options: Discv5RequestOptions = {}): Promise<Enr> {
    const node = resolveTarget(target);
    const records = await this.findNode(node, [0], options);
    const enr = records.find((r) => r.nodeIdHex === node.nodeIdHex);
    if (!enr) throw new Discv5Error(Discv5ErrorCode.BadRecord, 'node did not return its own record');
    return enr;
  }

  /** TALKREQ; resolves with the TALKRESP payload (empty when the node does not know the protocol). */
  async talkRequest(
    target: TargetInput,
    protocol: string | Uint8Array,
    request: Uint8Array,
    options: Discv5RequestOptions = {},
  ): Promise<Uint8Array> {
    const node = resolveTarget(target);
    const protocolBytes = typeof protocol === 'string' ? new TextEncoder().encode(protocol) : protocol;
    const [response] = await this.#request(
      node,
      MessageType.TalkResp,
      (requestId) => ({ type: MessageType.TalkReq, requestId, protocol: protocolBytes, request }),
      undefined,
      options.signal,
    );
    return (response as { response: Uint8Array }).response;
  }

  /** Serves TALKREQ for `protocol`; returns a function that removes the handler. */
  handleTalk(protocol: string | Uint8Array, handler: TalkHandler): () => void {
    const key = bytesToHex(typeof protocol === 'string' ? new TextEncoder().encode(protocol) : protocol);
    this.#talkHandlers.set(key, handler);
    return () => {
      if (this.#talkHandlers.get(key) === handler) this.#talkHandlers.delete(key);
    };
  }

  /**
   * Iterative lookup of the k nodes closest to `target` (32-byte id or hex). Resolves as soon as the k closest
   * nodes seen have answered, or with those found so far when the node stops or the lookup timeout passes.
   * Aborting `signal` rejects with its reason and abandons the requests in flight.
   */
  async lookup(target: Uint8Array | string, signal?: AbortSignal): Promise<Enr[]> {
    this.#assertRunning();
    const targetId = typeof target === 'string' ? hexToBytes(target) : target;
    if (targetId.length !== 32)
      throw new Discv5Error(Discv5ErrorCode.InvalidArgument, 'target must be 32 bytes');
    this.#counters.lookups++;
    const k = this.#limits.bucketSize;
    // Replacements are candidates too: a lookup asks them anyway, and a dead one just fails.
    const seeds = this.#table.closestKnown(targetId, k).map((e) => targetFromEnr(e.enr));
    for (const boot of this.#bootstrap) if (!this.#table.get(boot.nodeIdHex)) seeds.push(boot);
    const stop = this.#stopController.signal;
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    stop.addEventListener('abort', onAbort, { once: true });
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) abort.abort();
    try {
      const nodes = await runLookup({
        target: targetId,
        localIdHex: this.#localIdHex,
        seeds,
        parallelism: this.#limits.lookupParallelism,
        resultCount: k,
        timeoutMs: this.#limits.lookupTimeoutMs,
        clock: this.#clock,
        signal: abort.signal,
        query: (node) => this.#lookupQuery(node, targetId, k, abort.signal),
        toTarget: (enr) => (recordEndpoint(enr) ? targetFromEnr(enr) : undefined),
      });
      throwIfAborted(signal);
      return nodes
        .map((n) => n.enr ?? this.#table.getRecord(n.nodeIdHex))
        .filter((e): e is Enr => e !== undefined);
    } finally {
      stop.removeEventListener('abort', onAbort);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * One lookup step (discv5-theory "Lookup Protocol"): FINDNODE at the log distance d of the node to the
   * target and its neighbours (d, d+1, d-1). A second request follows: when the answer was full (16 records,
   * so bucket d may have crowded out the others) for the remaining distances, and when it was short for the
   * farther distances up to 256 ("varies the distance"). This keeps lookups exact in small networks, where
   * the k closest nodes span far buckets; the second request needs no handshake.
   */
  async #lookupQuery(node: NodeTarget, target: Uint8Array, k: number, signal: AbortSignal): Promise<Enr[]> {
    const first = lookupDistances(target, node.nodeId, this.#limits.lookupDistances);
    let found = await this.findNode(node, first, { signal });
    const second = found.length >= k ? first.slice(1) : widerDistances(first, SHORT_ANSWER_EXTRA_DISTANCES);
    if (second.length > 0)
      found = found.concat(await this.findNode(node, second, { signal }).catch(() => []));
    return found.filter((enr) => recordInfo(enr).nodeIdHex !== this.#localIdHex);
  }

  /** A lookup of a random target (table refresh): it fills the table with nodes from all over the id space. */
  randomLookup(signal?: AbortSignal): Promise<Enr[]> {
    return this.lookup(randomBytes(32), signal);
  }

  /**
   * The random walk, for as long as the result is iterated: yields every record learned, each node once (see
   * `discoverRecords`).
   */
  randomNodes(signal?: AbortSignal): AsyncGenerator<Enr> {
    return discoverRecords(this, signal ? { signal } : {});
  }

  /** This node as a `PeerSource` of records by Status role. */
  source(options?: Discv5PeerSourceOptions): Discv5PeerSource {
    return new Discv5PeerSource(this, options);
  }

  /**
   * Changes the own record (roles, capabilities, other entries; `null` removes an entry) and re-signs it with a
   * higher seq when something changed. Peers learn the new seq from our next PING/PONG and fetch the record.
   */
  updateEnr(changes: RoleAdvertisement & { entries?: Record<string, RlpItem | null> }): boolean {
    const entries: Record<string, RlpItem | null> = { ...changes.entries };
    if (changes.roles !== undefined)
      entries[ROLES_KEY] = roleEntries({ roles: changes.roles })[ROLES_KEY] ?? null;
    if (changes.capabilities !== undefined) {
      entries[CAPABILITIES_KEY] =
        roleEntries({ capabilities: changes.capabilities })[CAPABILITIES_KEY] ?? null;
    }
    const changed = this.#local.update({ entries });
    if (changed) this.emit('local-enr:updated', this.#local.enr);
    return changed;
  }

  /** Adds a record to the table as unverified (it is checked by the next liveness round). */
  addEnr(input: Enr | string): void {
    const enr = typeof input === 'string' ? Enr.decodeText(input) : input;
    this.#learnFound(enr);
  }

  /** True when a session with the node at that endpoint exists (requests to it need no handshake). */
  hasSession(nodeIdHex: string, endpoint: UdpEndpoint): boolean {
    return this.#sessions.peek(SessionCache.key(nodeIdHex, endpoint)) !== undefined;
  }

  /** The record of a node in the table or a session, if known. */
  getEnr(nodeId: string): Enr | undefined {
    const hex = nodeId.toLowerCase();
    return this.#table.getRecord(hex) ?? this.#knownRecords.get(hex);
  }

  // ------------------------------------------------------------------ requests

  #assertRunning(): void {
    if (!this.#running) throw new Discv5Error(Discv5ErrorCode.NotRunning, 'node is not running');
  }

  #request(
    target: NodeTarget,
    expects: MessageType,
    build: (requestId: Uint8Array) => RequestMessage,
    distances?: number[],
    signal?: AbortSignal,
  ): Promise<ResponseMessage[]> {
    this.#assertRunning();
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (target.nodeIdHex === this.#localIdHex) {
      return Promise.reject(new Discv5Error(Discv5ErrorCode.InvalidArgument, 'cannot send requests to self'));
    }
    if (this.#requests.size >= this.#limits.maxPendingRequests) {
      return Promise.reject(
        new Discv5Error(Discv5ErrorCode.TooManyRequests, `${this.#requests.size} requests already pending`),
      );
    }
    return new Promise((resolve, reject) => {
      let requestId = newRequestId();
      while (this.#requests.has(bytesToHex(requestId))) requestId = newRequestId();
      const onAbort = () => this.#abandon(request, abortReason(signal!));
      const request: PendingRequest = {
        id: bytesToHex(requestId),
        requestId,
        target,
        key: SessionCache.key(target.nodeIdHex, target.endpoint),
        plaintext: encodeMessage(build(requestId)),
        expects,
        distances,
        nonces: [],
        handshakes: 0,
        retriesLeft: this.#limits.requestRetries,
        cancelTimer: undefined,
        responses: [],
        total: 0,
        resolve: (responses) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(responses);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#requests.set(request.id, request);
      this.#counters.requestsSent++;
      this.#transmit(request);
    });
  }

  /** Sends (or re-sends) a request: over the session, else after the handshake in progress, else starts one. */
  #transmit(request: PendingRequest): void {
    const handshake = this.#handshaking.get(request.key);
    if (handshake && handshake.leader !== request) {
      if (!handshake.waiting.includes(request)) handshake.waiting.push(request);
      return;
    }
    const session = this.#sessions.get(request.key);
    const nonce = session ? session.nextNonce() : randomBytes(NONCE_SIZE);
    let packet: Uint8Array;
    try {
      packet = session
        ? encodeMessagePacket({
            srcId: this.#localId,
            destId: request.target.nodeId,
            key: session.writeKey,
            nonce,
            maskingIv: randomBytes(MASKING_IV_SIZE),
            plaintext: request.plaintext,
            maxPacketSize: this.#limits.maxPacketSize,
          })
        : encodeRandomPacket({
            srcId: this.#localId,
            destId: request.target.nodeId,
            nonce,
            maskingIv: randomBytes(MASKING_IV_SIZE),
            random: randomBytes(RANDOM_MESSAGE_SIZE),
          });
    } catch (err) {
      this.#fail(request, err as Error);
      return;
    }
    if (!session && !handshake) this.#handshaking.set(request.key, { leader: request, waiting: [] });
    this.#trackNonce(request, nonce);
    this.#send(packet, request.target.endpoint);
    this.#armTimer(request);
  }

  #trackNonce(request: PendingRequest, nonce: Uint8Array): void {
    const hex = bytesToHex(nonce);
    request.nonces.push(hex);
    this.#byNonce.set(hex, request);
  }

  #forgetNonces(request: PendingRequest): void {
    for (const nonce of request.nonces) if (this.#byNonce.get(nonce) === request) this.#byNonce.delete(nonce);
  }

  #armTimer(request: PendingRequest): void {
    request.cancelTimer?.();
    request.cancelTimer = this.#clock.setTimeout(
      () => this.#onTimeout(request),
      this.#limits.requestTimeoutMs,
    );
  }

  #onTimeout(request: PendingRequest): void {
    request.cancelTimer = undefined;
    if (!this.#requests.has(request.id)) return;
    if (request.responses.length > 0) {
      // Some NODES messages arrived: keep what came rather than waiting for the rest.
      this.#complete(request);
      return;
    }
    if (request.retriesLeft > 0) {
      request.retriesLeft--;
      this.#counters.requestRetries++;
      this.#transmit(request);
      return;
    }
    this.#counters.requestTimeouts++;
    this.#fail(
      request,
      new Discv5Error(Discv5ErrorCode.Timeout, `no answer from ${request.target.nodeIdHex.slice(0, 16)}`, {
        details: { nodeId: request.target.nodeIdHex, endpoint: request.target.endpoint },
      }),
    );
  }

  /** Removes a request from every index; false when it was already done. */
  #finish(request: PendingRequest): boolean {
    if (!this.#requests.delete(request.id)) return false;
    request.cancelTimer?.();
    request.cancelTimer = undefined;
    this.#forgetNonces(request);
    return true;
  }

  #complete(request: PendingRequest): void {
    if (!this.#finish(request)) return;
    // A node that answered is alive: into the table (live) when we have its record.
    const record = request.target.enr ?? this.getEnr(request.target.nodeIdHex);
    if (record) this.#learnInbound(record, request.target.endpoint);
    else this.#table.markLive(request.target.nodeIdHex);
    request.resolve(request.responses);
    if (this.#handshaking.get(request.key)?.leader === request) this.#flushQueue(request.key);
  }

  #fail(request: PendingRequest, err: Error): void {
    const handshake = this.#handshaking.get(request.key);
    if (handshake?.leader === request) {
      // The handshake this request led failed: so do the requests waiting for it.
      this.#handshaking.delete(request.key);
      for (const waiting of handshake.waiting) if (this.#finish(waiting)) waiting.reject(err);
    } else if (handshake) {
      const i = handshake.waiting.indexOf(request);
      if (i >= 0) handshake.waiting.splice(i, 1);
    }
    if (!this.#finish(request)) return;
    request.reject(err);
    if (err instanceof Discv5Error && err.code === Discv5ErrorCode.Timeout)
      this.#onUnreachable(request.target);
  }

  /** The handshake is over (session confirmed, or its leader answered): send the requests that waited. */
  /**
   * The caller gave up on a request: it is forgotten (timer, nonces). When it led a handshake, the next
   * request waiting for that handshake takes over its nonces, so the WHOAREYOU already on its way (the
   * node challenges once) completes the handshake for that request instead.
   */
  #abandon(request: PendingRequest, reason: unknown): void {
    if (!this.#requests.has(request.id)) return;
    const handshake = this.#handshaking.get(request.key);
    if (handshake?.leader === request) {
      const next = handshake.waiting.shift();
      if (next) {
        handshake.leader = next;
        for (const nonce of request.nonces) {
          next.nonces.push(nonce);
          this.#byNonce.set(nonce, next);
        }
        this.#armTimer(next);
      } else {
        this.#handshaking.delete(request.key);
      }
    } else if (handshake) {
      const i = handshake.waiting.indexOf(request);
      if (i >= 0) handshake.waiting.splice(i, 1);
    }
    this.#finish(request);
    request.reject(reason);
  }

  #flushQueue(key: string): void {
    const handshake = this.#handshaking.get(key);
    if (!handshake) return;
    this.#handshaking.delete(key);
    for (const waiting of handshake.waiting) if (this.#requests.has(waiting.id)) this.#transmit(waiting);
  }

  #onUnreachable(target: NodeTarget): void {
    const { removed, promoted } = this.#table.markFailed(target.nodeIdHex);
    if (removed) this.emit('enr:removed', removed.enr);
    if (promoted) this.emit('enr:added', promoted.enr);
  }

  // ------------------------------------------------------------------ incoming packets

  #send(bytes: Uint8Array, to: UdpEndpoint): void {
    const transport = this.#transport;
    if (!transport) return;
    this.#counters.packetsOut++;
    this.#counters.bytesOut += bytes.length;
    transport.send(bytes, to);
  }

  #drop(reason: string): void {
    this.#counters.packetsDropped++;
    this.#counters.dropped[reason] = (this.#counters.dropped[reason] ?? 0) + 1;
  }

  #onPacket(bytes: Uint8Array, from: UdpEndpoint): void {
    if (!this.#running) return;
    this.#counters.packetsIn++;
    this.#counters.bytesIn += bytes.length;
    if (this.#limits.rateLimitPacketsPerSecond > 0 && !this.#rateLimiter.allow(from.ip)) {
      this.#drop('rate-limited');
      return;
    }
    try {
      const packet = decodePacket(this.#localId, bytes, this.#limits);
      if (packet.flag === PacketFlag.Whoareyou) this.#onWhoareyou(packet, from);
      else if (packet.flag === PacketFlag.Handshake) this.#onHandshake(packet, from);
      else this.#onMessagePacket(packet, from);
    } catch (err) {
      if (isStatusTsError(err)) {
        this.#drop(err.code);
      } else {
        this.#drop('internal');
        this.#log.error('unexpected error handling a packet', err);
      }
    }
  }

  #onMessagePacket(packet: DecodedPacket, from: UdpEndpoint): void {
    const srcId = decodeMessageAuthdata(packet.authdata);
    const srcHex = bytesToHex(srcId);
    if (srcHex === this.#localIdHex) {
      this.#drop('from-self');
      return;
    }
    const key = SessionCache.key(srcHex, from);
    const session = this.#sessions.get(key);
    const plaintext = session && this.#open(session, packet);
    if (!session || !plaintext) {
      this.#challenge(srcId, srcHex, key, from, packet.nonce);
      return;
    }
    // Checked after decryption, so only authentic packets enter the window (forged ones cannot evict).
    if (!plaintext.session.replay.accept(packet.nonce)) {
      this.#drop('replayed');
      return;
    }
    if (!session.confirmed && plaintext.session === session) {
      session.confirmed = true;
      this.#flushQueue(key);
    }
    this.#onMessage(plaintext.bytes, session, from);
  }

  /** Decrypts with the session's keys, or with those of the session it replaced. */
  #open(session: Session, packet: DecodedPacket): { bytes: Uint8Array; session: Session } | undefined {
    for (const s of [session, session.previous]) {
      if (!s) continue;
      try {
        return {
          bytes: decryptMessage(s.readKey, packet.nonce, packet.message, packet.headerData),
          session: s,
        };
      } catch {
        // Try the next key.
      }
    }
    return undefined;
  }

  /** Answers an undecryptable packet with WHOAREYOU (or repeats the challenge still pending for that node). */
  #challenge(srcId: Uint8Array, srcHex: string, key: string, from: UdpEndpoint, nonce: Uint8Array): void {
    const now = this.#clock.now();
    const pending = this.#challenges.get(key);
    if (pending && pending.expiresAt > now) {
      // A retry (fresh nonce) may mean our WHOAREYOU was lost; a copy of a packet already answered is not.
      if (!pending.answered.accept(nonce)) {
        this.#drop('replayed-challenge');
        return;
      }
      this.#counters.whoareyouResent++;
      this.#send(pending.packet, from);
      return;
    }
    const record = this.getEnr(srcHex);
    const { packet, challengeData } = encodeWhoareyouPacket({
      destId: srcId,
      nonce,
      idNonce: randomBytes(16),
      enrSeq: record?.seq ?? 0n,
      maskingIv: randomBytes(MASKING_IV_SIZE),
    });
    const answered = new ReplayWindow(this.#limits.replayCacheSize);
    answered.accept(nonce);
    this.#challenges.delete(key);
    this.#challenges.set(key, {
      challengeData,
      packet,
      record,
      expiresAt: now + this.#limits.handshakeTimeoutMs,
      answered,
    });
    while (this.#challenges.size > this.#limits.maxPendingChallenges) {
      this.#challenges.delete(this.#challenges.keys().next().value as string);
      this.#counters.challengesEvicted++;
    }
    this.#counters.whoareyouSent++;
    this.#send(packet, from);
  }

  #onWhoareyou(packet: DecodedPacket, from: UdpEndpoint): void {
    const request = this.#byNonce.get(bytesToHex(packet.nonce));
    if (!request || !sameEndpoint(from, request.target.endpoint)) {
      this.#drop('unexpected-whoareyou');
      return;
    }
    if (request.handshakes >= this.#limits.maxHandshakesPerRequest) {
      this.#drop('repeated-whoareyou');
      return;
    }
    const challenge = decodeWhoareyouAuthdata(packet.authdata);
    this.#counters.whoareyouReceived++;
    request.handshakes++;
    const target = request.target;
    let packetBytes: Uint8Array;
    let session: Session;
    try {
      const hs = initiateHandshake({
        localPrivateKey: this.#privateKey,
        localId: this.#localId,
        remoteId: target.nodeId,
        remotePublicKey: target.publicKey,
        challengeData: packet.headerData,
        challengeEnrSeq: challenge.enrSeq,
        localRecord: this.#local.enr,
      });
      session = new Session({
        nodeId: target.nodeId,
        nodeIdHex: target.nodeIdHex,
        endpoint: target.endpoint,
        publicKey: target.publicKey,
        writeKey: hs.writeKey,
        readKey: hs.readKey,
        initiator: true,
        record: target.enr ?? this.getEnr(target.nodeIdHex),
        replayCacheSize: this.#limits.replayCacheSize,
      });
      const nonce = session.nextNonce();
      packetBytes = encodeHandshakePacket({
        destId: target.nodeId,
        authdata: hs.authdata,
        key: hs.writeKey,
        nonce,
        maskingIv: randomBytes(MASKING_IV_SIZE),
        plaintext: request.plaintext,
        maxPacketSize: this.#limits.maxPacketSize,
      });
      this.#trackNonce(request, nonce);
    } catch (err) {
      this.#counters.handshakesFailed++;
      const error = isStatusTsError(err)
        ? (err as Error)
        : new Discv5Error(Discv5ErrorCode.BadHandshake, 'handshake failed', { cause: err });
      this.#fail(request, error);
      return;
    }
    // Requests sent meanwhile wait until the peer has answered over this session.
    if (!this.#handshaking.has(request.key))
      this.#handshaking.set(request.key, { leader: request, waiting: [] });
    this.#storeSession(request.key, session);
    this.#counters.handshakesInitiated++;
    this.#send(packetBytes, target.endpoint);
    this.#armTimer(request);
  }

  #onHandshake(packet: DecodedPacket, from: UdpEndpoint): void {
    const auth = decodeHandshakeAuthdata(packet.authdata);
    const srcHex = bytesToHex(auth.srcId);
    const key = SessionCache.key(srcHex, from);
    const challenge = this.#challenges.get(key);
    if (!challenge || challenge.expiresAt <= this.#clock.now()) {
      if (challenge) this.#challenges.delete(key);
      this.#drop('unexpected-handshake');
      return;
    }
    let accepted: ReturnType<typeof acceptHandshake>;
    let plaintext: Uint8Array;
    try {
      accepted = acceptHandshake({
        localPrivateKey: this.#privateKey,
        localId: this.#localId,
        challengeData: challenge.challengeData,
        auth,
        knownRecord: challenge.record,
        decodeRecord: decodeRecordCached,
      });
      plaintext = decryptMessage(accepted.readKey, packet.nonce, packet.message, packet.headerData);
    } catch (err) {
      this.#challenges.delete(key);
      this.#counters.handshakesFailed++;
      throw err;
    }
    this.#challenges.delete(key);
    const session = new Session({
      nodeId: auth.srcId,
      nodeIdHex: srcHex,
      endpoint: from,
      publicKey: accepted.record.publicKey,
      writeKey: accepted.writeKey,
      readKey: accepted.readKey,
      initiator: false,
      record: accepted.record,
      replayCacheSize: this.#limits.replayCacheSize,
    });
    // The handshake's message was read under the new keys: a copy of it must not be answered either.
    session.replay.accept(packet.nonce);
    this.#storeSession(key, session);
    this.#counters.handshakesAccepted++;
    this.emit('session:established', { nodeId: srcHex, endpoint: from, initiator: false });
    this.#learnInbound(accepted.record, from);
    // If we were starting a handshake with this node too, our requests now go over its session.
    const ours = this.#handshaking.get(key);
    if (ours) {
      this.#handshaking.delete(key);
      for (const r of [ours.leader, ...ours.waiting]) {
        if (!this.#requests.has(r.id)) continue;
        this.#forgetNonces(r);
        this.#transmit(r);
      }
    }
    this.#onMessage(plaintext, session, from);
  }

  #storeSession(key: string, session: Session): void {
    const evicted = this.#sessions.set(key, session);
    if (evicted) this.#counters.sessionsEvicted++;
    if (session.initiator) {
      this.emit('session:established', {
        nodeId: session.nodeIdHex,
        endpoint: session.endpoint,
        initiator: true,
      });
    }
  }

  /** Remembers a node's latest record outside the table (bounded like the session cache). */
  #rememberRecord(enr: Enr): void {
    const known = this.#knownRecords.get(recordInfo(enr).nodeIdHex);
    if (known && known.seq >= enr.seq) return;
    this.#knownRecords.delete(recordInfo(enr).nodeIdHex);
    this.#knownRecords.set(recordInfo(enr).nodeIdHex, enr);
    if (this.#knownRecords.size > this.#limits.sessionCacheLimit) {
      this.#knownRecords.delete(this.#knownRecords.keys().next().value as string);
    }
  }

  // ------------------------------------------------------------------ messages

  #onMessage(plaintext: Uint8Array, session: Session, from: UdpEndpoint): void {
    const message: Message = decodeMessage(plaintext);
    if (isRequest(message)) {
      this.#counters.requestsReceived++;
      this.emit('request', message, { nodeId: session.nodeIdHex, endpoint: from });
      if (message.type === MessageType.Ping) this.#onPing(message.requestId, message.enrSeq, session, from);
      else if (message.type === MessageType.FindNode)
        this.#onFindNode(message.requestId, message.distances, session, from);
      else this.#onTalkRequest(message.requestId, message.protocol, message.request, session, from);
      return;
    }
    const request = this.#requests.get(bytesToHex(message.requestId));
    if (
      !request ||
      request.target.nodeIdHex !== session.nodeIdHex ||
      !sameEndpoint(request.target.endpoint, from) ||
      request.expects !== message.type
    ) {
      this.#drop('unsolicited-response');
      return;
    }
    this.#counters.responsesReceived++;
    request.responses.push(message);
    if (message.type === MessageType.Nodes) {
      if (request.total === 0)
        request.total = Math.min(Math.max(message.total, 1), this.#limits.maxNodesResponses);
      if (request.responses.length < request.total) {
        this.#armTimer(request);
        return;
      }
    }
    this.#complete(request);
    if (message.type === MessageType.Pong) this.#onPong(message, request.target, session);
  }

  #respond(session: Session, message: Message): void {
    try {
      const packet = encodeMessagePacket({
        srcId: this.#localId,
        destId: session.nodeId,
        key: session.writeKey,
        nonce: session.nextNonce(),
        maskingIv: randomBytes(MASKING_IV_SIZE),
        plaintext: encodeMessage(message),
        maxPacketSize: this.#limits.maxPacketSize,
      });
      this.#send(packet, session.endpoint);
    } catch (err) {
      if (!isStatusTsError(err)) throw err;
      this.#drop(`response-${err.code}`);
    }
  }

  #onPing(requestId: Uint8Array, enrSeq: bigint, session: Session, from: UdpEndpoint): void {
    this.#respond(session, {
      type: MessageType.Pong,
      requestId,
      enrSeq: this.#local.seq,
      ip: from.ip,
      port: from.port,
    });
    const known = this.getEnr(session.nodeIdHex);
    if (known === undefined || enrSeq > known.seq) this.#refreshRecord(session, from);
  }

  #onFindNode(requestId: Uint8Array, distances: number[], session: Session, from: UdpEndpoint): void {
    const limit = this.#limits.findNodeResultLimit;
    const records: Enr[] = [];
    for (const d of new Set(distances)) {
      if (records.length >= limit) break;
      if (d === 0) {
        records.push(this.#local.enr);
        continue;
      }
      for (const entry of this.#table.bucket(d)) {
        if (records.length >= limit) break;
        const endpoint = recordEndpoint(entry.enr);
        // Only verified nodes are relayed, never the asker itself, never addresses the asker may not learn.
        if (!entry.live || entry.nodeIdHex === session.nodeIdHex) continue;
        if (!endpoint || !relayAllowed(from.ip, endpoint.ip)) continue;
        records.push(entry.enr);
      }
    }
    for (const message of packNodes(requestId, records, this.#limits.maxPacketSize - NODES_OVERHEAD)) {
      this.#respond(session, message);
    }
  }

  #onTalkRequest(
    requestId: Uint8Array,
    protocol: Uint8Array,
    request: Uint8Array,
    session: Session,
    from: UdpEndpoint,
  ): void {
    const handler = this.#talkHandlers.get(bytesToHex(protocol));
    const reply = (response: Uint8Array) => {
      if (this.#running) this.#respond(session, { type: MessageType.TalkResp, requestId, response });
    };
    if (!handler) {
      reply(new Uint8Array(0));
      return;
    }
    const info: TalkRequestInfo = { nodeId: session.nodeIdHex, endpoint: from, record: session.record };
    Promise.resolve()
      .then(() => handler(request, info))
      .then(
        (response) => reply(response instanceof Uint8Array ? response : new Uint8Array(0)),
        () => reply(new Uint8Array(0)),
      );
  }

  #onPong(pong: PongMessage, target: NodeTarget, session: Session): void {
    const winner = this.#votes.vote(target.nodeIdHex, { ip: pong.ip, port: pong.port });
    if (winner && this.#options.enrAutoUpdate !== false) {
      const current = this.#local.enr;
      const isV6 = winner.ip.includes(':');
      const changed = isV6
        ? current.ip6 !== winner.ip || current.udp6 !== winner.port
        : current.ip !== winner.ip || current.udp !== winner.port;
      if (
        changed &&
        this.#local.update(isV6 ? { ip6: winner.ip, udp6: winner.port } : { ip: winner.ip, udp: winner.port })
      ) {
        this.emit('local-enr:updated', this.#local.enr);
      }
    }
    const known = this.getEnr(target.nodeIdHex) ?? target.enr;
    if (known === undefined || pong.enrSeq > known.seq) this.#refreshRecord(session, target.endpoint);
  }

  /** Fetches a node's newer record (FINDNODE 0), one fetch at a time per node. */
  #refreshRecord(session: Session, endpoint: UdpEndpoint): void {
    const hex = session.nodeIdHex;
    if (this.#refreshing.has(hex) || !this.#running) return;
    this.#refreshing.add(hex);
    const target: NodeTarget = {
      nodeId: session.nodeId,
      nodeIdHex: hex,
      publicKey: session.publicKey,
      endpoint,
      enr: undefined,
    };
    this.findNode(target, [0])
      .catch(() => [])
      .finally(() => this.#refreshing.delete(hex));
  }

  // ------------------------------------------------------------------ table upkeep

  /** A record from a NODES answer: checked against the distances asked and the responder's address. */
  #checkRelayed(bytes: Uint8Array, responder: NodeTarget, distances: number[]): Enr | undefined {
    let enr: Enr;
    try {
      enr = decodeRecordCached(bytes);
    } catch {
      return this.#rejectRecord('bad-record');
    }
    // A record at a distance we did not ask for is not the answer to our question (discv5-wire FINDNODE).
    if (!distances.includes(logDistance(recordInfo(enr).nodeId, responder.nodeId)))
      return this.#rejectRecord('wrong-distance');
    const endpoint = recordEndpoint(enr);
    if (endpoint === undefined) return this.#rejectRecord('no-endpoint');
    if (!relayAllowed(responder.endpoint.ip, endpoint.ip)) return this.#rejectRecord('relay-not-allowed');
    return enr;
  }

  #rejectRecord(reason: string): undefined {
    this.#counters.recordsRejected++;
    this.#counters.recordsRejectedBy[reason] = (this.#counters.recordsRejectedBy[reason] ?? 0) + 1;
    return undefined;
  }

  #learnFound(enr: Enr): void {
    if (recordInfo(enr).nodeIdHex === this.#localIdHex || !recordEndpoint(enr)) return;
    this.emit('enr:discovered', enr);
    this.#addToTable(enr, false);
  }

  #learnInbound(enr: Enr, from: UdpEndpoint): void {
    this.#rememberRecord(enr);
    const endpoint = recordEndpoint(enr);
    if (!endpoint) return;
    this.emit('enr:discovered', enr);
    // Only a node reachable where its record says is relayed to others.
    if (sameEndpoint(endpoint, from)) this.#addToTable(enr, true);
    else if (this.#table.get(recordInfo(enr).nodeIdHex) && this.#table.add(enr) === 'updated')
      this.emit('enr:updated', enr);
  }

  #learnUpdated(enr: Enr, from: UdpEndpoint): void {
    const session = this.#sessions.peek(SessionCache.key(recordInfo(enr).nodeIdHex, from));
    if (session && (session.record === undefined || session.record.seq < enr.seq)) session.record = enr;
    this.#learnInbound(enr, from);
  }

  #addToTable(enr: Enr, live: boolean): void {
    const result = this.#table.add(enr, live);
    if (result === 'added') this.emit('enr:added', enr);
    else if (result === 'updated') this.emit('enr:updated', enr);
    else if (result === 'replacement') {
      const oldest = this.#table.leastRecentlySeen(logDistance(this.#localId, recordInfo(enr).nodeId));
      if (oldest) this.#checkLiveness(oldest);
    }
  }

  #checkLiveness(entry: TableEntry): void {
    if (this.#checking.has(entry.nodeIdHex) || !this.#running) return;
    this.#checking.add(entry.nodeIdHex);
    this.ping(entry.enr)
      .catch(() => {})
      .finally(() => this.#checking.delete(entry.nodeIdHex));
  }

  /** One liveness check: a random unverified node if any, else a random node. */
  #revalidate(): void {
    const entries = this.#table.entries();
    if (entries.length === 0) return;
    const unverified = entries.filter((e) => !e.live);
    const pool = unverified.length > 0 ? unverified : entries;
    this.#checkLiveness(pool[Math.floor(this.#random() * pool.length)]!);
  }
}
