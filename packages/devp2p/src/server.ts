import type * as NodeNet from 'node:net';
import type { Server as NetServer, Socket } from 'node:net';
import {
  abortReason,
  bytesToHex,
  type Cancel,
  type Clock,
  compareBytes,
  createLogger,
  type Logger,
  loadNodeBuiltin,
  systemClock,
  TypedEmitter,
  throwIfAborted,
} from '@status-ts/core';
import { getPublicKey, initFastCrypto, isValidPrivateKey } from '@status-ts/crypto';
import { formatEnode } from '@status-ts/enr';
import {
  BASE_PROTOCOL_VERSION,
  DEFAULT_DIAL_RATIO,
  DEFAULT_DIAL_TIMEOUT_MS,
  DEFAULT_MAX_PEERS,
  DEFAULT_MAX_PENDING_PEERS,
  DEFAULT_PORT,
  DEFAULT_STATIC_REDIAL_MAX_MS,
  DEFAULT_STATIC_REDIAL_MIN_MS,
} from './constants.js';
import { type DialEndpoint, type DialTarget, resolveDialTarget } from './dial-target.js';
import { Devp2pError, Devp2pErrorCode } from './errors.js';
import { InboundGate, inboundAddressKey, resolveInboundLimits } from './inbound-gate.js';
import { validateCapability } from './p2p/capabilities.js';
import type { Capability } from './p2p/capability.js';
import { handledRejection } from './p2p/capability-stream.js';
import { DisconnectReason, disconnectReasonName } from './p2p/disconnect.js';
import { type PeerLimits, resolveLimits } from './p2p/limits.js';
import { type DisconnectInfo, Peer, type PeerConfig, type PeerDirection } from './p2p/peer.js';
import type { HandshakeFormat } from './rlpx/handshake-messages.js';

const log = createLogger('status-ts:devp2p');

/**
 * `node:net`, loaded without an `import` statement so bundles of this package (codecs, RLPx framing,
 * capability streams) carry no Node-only dependency; only starting or dialing a `Server` needs it.
 */
function nodeNet(): typeof NodeNet {
  const net = loadNodeBuiltin<typeof NodeNet>('node:net', 'createServer');
  if (!net) {
    throw new Devp2pError(Devp2pErrorCode.NoTcp, 'TCP needs node:net (Node >= 20.16, Bun or Deno)');
  }
  return net;
}

export interface ServerOptions extends Partial<PeerLimits> {
  /** The 32-byte secp256k1 node key (persist it: it is the node's identity). */
  privateKey: Uint8Array;
  capabilities?: readonly Capability[];
  /** Where this server logs (default the `status-ts:devp2p` logger, enabled by `DEBUG`). */
  logger?: Logger;
  /** Client id sent in Hello. */
  clientId?: string;
  /** Listen address, default 0.0.0.0. */
  host?: string;
  /** Listen port, default 30303; 0 picks a free one. */
  port?: number;
  /** Set false to only dial (Hello then announces port 0). */
  listen?: boolean;
  /** Port announced in Hello, default the port actually bound. */
  announcePort?: number;
  /** Connected peers at most, default 50. */
  maxPeers?: number;
  /** Inbound peers at most, default maxPeers - floor(maxPeers / 3) (go-ethereum's DialRatio 3). */
  maxInboundPeers?: number;
  /** Connections still in the handshake at most (a flood of them is dropped), default 50. */
  maxPendingPeers?: number;
  /** Inbound handshakes one source address (IPv6: one /64) may hold at once, default 3. */
  maxPendingPerIp?: number;
  /** One accepted inbound connection per source address per window, default 30 s; 0 turns it off. */
  inboundThrottleMs?: number;
  /** Apply maxPendingPerIp and the throttle to LAN addresses too (loopback, private), default false. */
  perIpLimitsOnLan?: boolean;
  /** TCP connect timeout, default 15 s. */
  dialTimeoutMs?: number;
  /** Peers dialed at start and re-dialed with backoff whenever they are not connected. */
  staticPeers?: readonly DialTarget[];
  staticRedialMinMs?: number;
  staticRedialMaxMs?: number;
  /** Base protocol version announced in Hello, default 5; 4 turns snappy off. */
  protocolVersion?: number;
  clock?: Clock;
  /** Auth format used when dialing ('legacy' only to test old peers). */
  handshakeFormat?: HandshakeFormat;
}

/** What the server turned away and why (a snapshot; counters only grow). */
export interface ServerStats {
  /** Inbound connections that started their handshake. */
  inboundAccepted: number;
  /** Inbound connections closed at once: `maxPendingPeers` handshakes were already running. */
  rejectedPending: number;
  /** Inbound connections closed at once: their address already held `maxPendingPerIp` handshakes. */
  rejectedPendingPerIp: number;
  /** Inbound connections closed at once: their address was accepted less than `inboundThrottleMs` ago. */
  throttled: number;
  /** Every `peer:error` by code (a peer dropped for a bad handshake, an oversized frame, a timeout...). */
  errors: Record<string, number>;
}

/** Where a peer error happened. */
export interface PeerErrorInfo {
  peer?: Peer;
  direction: PeerDirection;
  remoteAddress?: string | undefined;
  remotePort?: number | undefined;
  /** The node id when known. */
  remoteId?: Uint8Array;
}

export interface ServerEvents {
  listening: [{ host: string; port: number }];
  /** A peer finished Hello and its capabilities are attached. */
  'peer:connected': [Peer];
  /** A connected peer is gone; `info.initiator` says who ended it. */
  'peer:disconnected': [Peer, DisconnectInfo];
  /** Any failure of one peer or dial: the peer is dropped, the server keeps serving. */
  'peer:error': [Devp2pError, PeerErrorInfo];
}

interface StaticPeer {
  endpoint: DialEndpoint;
  attempts: number;
  timer: Cancel | undefined;
}

/**
 * A devp2p node: listens for and dials RLPx peers, runs the p2p base protocol and hands every shared
 * capability a `CapabilityStream`. Limits: max peers with an inbound share, pending handshakes, dedup
 * per node id, self-connection, dial and handshake timeouts. `stop()` releases every socket and timer.
 */
export class Server extends TypedEmitter<ServerEvents> {
  /** Our 64-byte node id. */
  readonly id: Uint8Array;
  readonly #options: ServerOptions;
  readonly #log: Logger;
  readonly #limits: PeerLimits;
  readonly #clock: Clock;
  readonly #capabilities: readonly Capability[];
  readonly #maxPeers: number;
  readonly #maxInbound: number;
  #listener: NetServer | undefined;
  #port = 0;
  #running = false;
  #starting: Promise<void> | undefined;
  readonly #peers = new Map<string, Peer>();
  readonly #pending = new Set<Peer>();
  readonly #dialing = new Set<string>();
  readonly #sockets = new Set<Socket>();
  readonly #static = new Map<string, StaticPeer>();
  readonly #gate: InboundGate;
  /** The address key of each inbound peer still in the handshake that the gate counts. */
  readonly #gateKeys = new Map<Peer, string>();
  readonly #stats: ServerStats = {
    inboundAccepted: 0,
    rejectedPending: 0,
    rejectedPendingPerIp: 0,
    throttled: 0,
    errors: {},
  };

  constructor(options: ServerOptions) {
    super();
    if (!isValidPrivateKey(options.privateKey)) {
      throw new Devp2pError(Devp2pErrorCode.InvalidOptions, 'privateKey must be a valid 32-byte key');
    }
    const capabilities = options.capabilities ?? [];
    for (const c of capabilities) validateCapability(c);
    this.#log = options.logger ?? log;
    this.#options = options;
    this.#capabilities = capabilities;
    this.#limits = resolveLimits(options);
    this.#clock = options.clock ?? systemClock;
    this.#gate = new InboundGate(resolveInboundLimits(options), this.#clock);
    this.#maxPeers = options.maxPeers ?? DEFAULT_MAX_PEERS;
    this.#maxInbound =
      options.maxInboundPeers ?? this.#maxPeers - Math.floor(this.#maxPeers / DEFAULT_DIAL_RATIO);
    this.id = getPublicKey(options.privateKey, 'raw');
    for (const target of options.staticPeers ?? []) this.addStaticPeer(target);
  }

  get running(): boolean {
    return this.#running;
  }

  /** The bound address once listening. */
  get address(): { host: string; port: number } | undefined {
    if (!this.#listener) return undefined;
    return { host: this.#options.host ?? '0.0.0.0', port: this.#port };
  }

  /** Our enode URL (with 127.0.0.1 when listening on all interfaces). */
  get enode(): string {
    const host = this.#options.host;
    const ip = host === undefined || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return formatEnode({ publicKey: this.id, ip, tcp: this.#port, udp: this.#port });
  }

  /** Connected peers. */
  get peers(): Peer[] {
    return [...this.#peers.values()];
  }

  /** What was turned away and why, for monitoring (a copy). */
  get stats(): ServerStats {
    return { ...this.#stats, errors: { ...this.#stats.errors } };
  }

  getPeer(id: Uint8Array | string): Peer | undefined {
    return this.#peers.get(typeof id === 'string' ? id.toLowerCase() : bytesToHex(id));
  }

  /** Starts listening (unless `listen: false`) and dials the static peers. */
  start(): Promise<void> {
    if (this.#running) return Promise.resolve();
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    await initFastCrypto();
    if (this.#options.listen !== false) {
      const listener = nodeNet().createServer({ noDelay: true }, (socket) => this.#onConnection(socket));
      await new Promise<void>((resolve, reject) => {
        listener.once('error', reject);
        listener.listen(this.#options.port ?? DEFAULT_PORT, this.#options.host ?? '0.0.0.0', () => {
          listener.off('error', reject);
          resolve();
        });
      });
      listener.on('error', (err) => this.#log.error('listener error', err));
      this.#listener = listener;
      const address = listener.address();
      this.#port = typeof address === 'object' && address ? address.port : 0;
    }
    this.#running = true;
    if (this.#listener) this.emit('listening', this.address!);
    for (const [idHex, entry] of this.#static) this.#scheduleStatic(idHex, entry, 0);
  }

  /** Disconnects every peer (reason 0x08), stops listening and resolves once every socket is closed. */
  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    if (!this.#running && this.#sockets.size === 0 && !this.#listener) return;
    this.#running = false;
    for (const entry of this.#static.values()) {
      entry.timer?.();
      entry.timer = undefined;
    }
    const listener = this.#listener;
    this.#listener = undefined;
    const closed = [...this.#sockets].map(
      (socket) =>
        new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve()))),
    );
    for (const peer of [...this.#peers.values(), ...this.#pending])
      peer.disconnect(DisconnectReason.ClientQuitting);
    for (const socket of this.#sockets) if (socket.connecting) socket.destroy();
    if (listener) closed.push(new Promise((resolve) => listener.close(() => resolve())));
    await Promise.all(closed);
  }

  /** Keeps `target` connected: dialed now (when running) and re-dialed with backoff whenever it drops. */
  addStaticPeer(target: DialTarget): void {
    const endpoint = resolveDialTarget(target);
    const idHex = bytesToHex(endpoint.publicKey);
    if (this.#static.has(idHex)) return;
    const entry: StaticPeer = { endpoint, attempts: 0, timer: undefined };
    this.#static.set(idHex, entry);
    if (this.#running) this.#scheduleStatic(idHex, entry, 0);
  }

  removeStaticPeer(target: DialTarget | Uint8Array): void {
    const idHex = bytesToHex(target instanceof Uint8Array ? target : resolveDialTarget(target).publicKey);
    const entry = this.#static.get(idHex);
    entry?.timer?.();
    this.#static.delete(idHex);
  }

  /**
   * Dials a node and resolves with the peer once Hello is done. Rejects with a typed error (and emits
   * `peer:error` for failures of the connection itself). Aborting `signal` before Hello is done closes the
   * socket (disconnecting a peer mid-handshake) and rejects with the signal's reason, without `peer:error`.
   * The rejection is pre-handled. `localAddress` binds the socket to one of our addresses (multi-homed
   * hosts; tests that need distinct source addresses on 127.0.0.0/8).
   */
  dial(target: DialTarget, options: { signal?: AbortSignal; localAddress?: string } = {}): Promise<Peer> {
    const { signal, localAddress } = options;
    let endpoint: DialEndpoint;
    try {
      throwIfAborted(signal);
      if (!this.#running) throw new Devp2pError(Devp2pErrorCode.NotRunning, 'server is not running');
      endpoint = resolveDialTarget(target);
    } catch (err) {
      return handledRejection(err);
    }
    const idHex = bytesToHex(endpoint.publicKey);
    if (this.#peers.has(idHex) || this.#dialing.has(idHex)) {
      return handledRejection(this.#rejected(DisconnectReason.AlreadyConnected));
    }
    if (this.#peers.size + this.#dialing.size >= this.#maxPeers) {
      return handledRejection(this.#rejected(DisconnectReason.TooManyPeers));
    }
    const promise = this.#dial(endpoint, idHex, signal, localAddress);
    promise.catch(() => {});
    return promise;
  }

  #rejected(reason: number, initiator: 'local' | 'remote' = 'local'): Devp2pError {
    const who = initiator === 'local' ? 'refused' : 'rejected by the peer';
    return new Devp2pError(Devp2pErrorCode.PeerRejected, `${who}: ${disconnectReasonName(reason)}`, {
      details: { reason, initiator },
    });
  }

  #dial(endpoint: DialEndpoint, idHex: string, signal?: AbortSignal, localAddress?: string): Promise<Peer> {
    this.#dialing.add(idHex);
    return new Promise<Peer>((resolve, reject) => {
      const socket = nodeNet().connect({
        host: endpoint.host,
        port: endpoint.port,
        noDelay: true,
        ...(localAddress ? { localAddress } : {}),
      });
      this.#track(socket);
      const info: PeerErrorInfo = {
        direction: 'outbound',
        remoteAddress: endpoint.host,
        remotePort: endpoint.port,
        remoteId: endpoint.publicKey,
      };
      let settled = false;
      // Before the TCP connection is up, every way out (timeout, error, stop, abort) ends here once.
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        cancelTimeout();
        socket.off('error', onError);
        socket.off('close', onClose);
        signal?.removeEventListener('abort', onAbortConnecting);
        this.#dialing.delete(idHex);
        socket.destroy();
        return true;
      };
      const fail = (error: Devp2pError) => {
        if (!settle()) return;
        if (error.code !== Devp2pErrorCode.NotRunning) this.#peerError(error, info);
        reject(error);
      };
      // The caller gave up: not a failure of the peer, so no peer:error.
      const onAbortConnecting = () => {
        if (settle()) reject(abortReason(signal!));
      };
      const timeoutMs = this.#options.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS;
      const cancelTimeout = this.#clock.setTimeout(() => {
        fail(new Devp2pError(Devp2pErrorCode.DialTimeout, `dial did not connect in ${timeoutMs} ms`));
      }, timeoutMs);
      const onError = (err: Error) => {
        fail(new Devp2pError(Devp2pErrorCode.SocketError, `dial failed: ${err.message}`, { cause: err }));
      };
      const onClose = () => fail(new Devp2pError(Devp2pErrorCode.NotRunning, 'dial aborted'));
      socket.once('error', onError);
      socket.once('close', onClose);
      signal?.addEventListener('abort', onAbortConnecting, { once: true });
      socket.once('connect', () => {
        if (!this.#running) {
          fail(new Devp2pError(Devp2pErrorCode.NotRunning, 'server stopped while dialing'));
          return;
        }
        settled = true;
        cancelTimeout();
        socket.off('error', onError);
        socket.off('close', onClose);
        signal?.removeEventListener('abort', onAbortConnecting);
        const peer = this.#startPeer(socket, endpoint.publicKey);
        let connected = false;
        // Aborted mid-handshake: hang up; the 'closed' handler's later rejection is then a no-op.
        const onAbortHandshake = () => {
          reject(abortReason(signal!));
          peer.disconnect(DisconnectReason.DisconnectRequested);
        };
        signal?.addEventListener('abort', onAbortHandshake, { once: true });
        peer.once('connected', () => {
          signal?.removeEventListener('abort', onAbortHandshake);
          connected = true;
          this.#dialing.delete(idHex);
          resolve(peer);
        });
        peer.once('closed', (closed) => {
          signal?.removeEventListener('abort', onAbortHandshake);
          this.#dialing.delete(idHex);
          // Once resolved, a rejection is a no-op: skip building an error (and its stack) for every peer.
          if (!connected) reject(closed.error ?? this.#rejected(closed.reason, closed.initiator));
        });
      });
    });
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  #onConnection(socket: Socket): void {
    this.#track(socket);
    if (!this.#running) {
      socket.destroy();
      return;
    }
    // Closed before any byte is read: a flood of silent sockets costs one accept each, and the per-address
    // limits keep one address from taking every pending slot.
    const key = inboundAddressKey(socket.remoteAddress, this.#gate.includeLan);
    const refusal = key === undefined ? undefined : this.#gate.check(key);
    if (refusal !== undefined) {
      if (refusal === 'throttled') this.#stats.throttled++;
      else this.#stats.rejectedPendingPerIp++;
      socket.destroy();
      return;
    }
    if (this.#pending.size >= (this.#options.maxPendingPeers ?? DEFAULT_MAX_PENDING_PEERS)) {
      this.#stats.rejectedPending++;
      socket.destroy();
      return;
    }
    this.#stats.inboundAccepted++;
    this.#startPeer(socket, undefined, key);
  }

  /** The peer left the handshake (connected or closed): its address holds one pending slot less. */
  #releaseGate(peer: Peer): void {
    const key = this.#gateKeys.get(peer);
    if (key === undefined) return;
    this.#gateKeys.delete(peer);
    this.#gate.release(key);
  }

  #peerError(error: Devp2pError, info: PeerErrorInfo): void {
    this.#stats.errors[error.code] = (this.#stats.errors[error.code] ?? 0) + 1;
    this.emit('peer:error', error, info);
  }

  #peerConfig(): PeerConfig {
    return {
      privateKey: this.#options.privateKey,
      id: this.id,
      clientId: this.#options.clientId ?? 'status-ts/devp2p',
      listenPort: this.#options.announcePort ?? this.#port,
      protocolVersion: this.#options.protocolVersion ?? BASE_PROTOCOL_VERSION,
      capabilities: this.#capabilities,
      limits: this.#limits,
      clock: this.#clock,
      ...(this.#options.handshakeFormat ? { handshakeFormat: this.#options.handshakeFormat } : {}),
      admitEncrypted: (peer) => this.#admit(peer, false),
      admitHello: (peer) => this.#admit(peer, true),
    };
  }

  #startPeer(socket: Socket, remoteId: Uint8Array | undefined, gateKey?: string): Peer {
    const peer = new Peer(socket, this.#peerConfig(), remoteId);
    this.#pending.add(peer);
    if (gateKey !== undefined) {
      this.#gate.admit(gateKey);
      this.#gateKeys.set(peer, gateKey);
    }
    peer.on('error', (error) => {
      this.#peerError(error, {
        peer,
        direction: peer.direction,
        remoteAddress: peer.remoteAddress,
        remotePort: peer.remotePort,
        ...(peer.id.length ? { remoteId: peer.id } : {}),
      });
    });
    peer.once('connected', () => this.#onPeerConnected(peer));
    peer.once('closed', (info) => this.#onPeerClosed(peer, info));
    peer.start();
    return peer;
  }

  /** Go-ethereum's checks after the encryption handshake and again after Hello (the set may have changed). */
  #admit(peer: Peer, final: boolean): number | undefined {
    if (!this.#running) return DisconnectReason.ClientQuitting;
    if (compareBytes(peer.id, this.id) === 0) return DisconnectReason.SelfConnection;
    const existing = this.#peers.get(peer.idHex);
    if (existing && existing !== peer && !this.#keepNew(existing, peer))
      return DisconnectReason.AlreadyConnected;
    const replacing = existing !== undefined && existing !== peer;
    const connected = this.#peers.size - (replacing ? 1 : 0);
    if (connected >= this.#maxPeers) return DisconnectReason.TooManyPeers;
    if (
      peer.direction === 'inbound' &&
      this.#inboundCount() - (replacing && existing.direction === 'inbound' ? 1 : 0) >= this.#maxInbound
    ) {
      return DisconnectReason.TooManyPeers;
    }
    if (final && replacing) existing.disconnect(DisconnectReason.AlreadyConnected);
    return undefined;
  }

  /**
   * Two connections to one node: keep the existing one, unless they go opposite ways and the new one was
   * dialed by the node with the smaller id. Both ends apply the same rule, so they keep the same connection.
   */
  #keepNew(existing: Peer, candidate: Peer): boolean {
    if (existing.direction === candidate.direction) return false;
    const selfIsSmaller = compareBytes(this.id, candidate.id) < 0;
    return candidate.direction === 'outbound' ? selfIsSmaller : !selfIsSmaller;
  }

  #inboundCount(): number {
    let n = 0;
    for (const p of this.#peers.values()) if (p.direction === 'inbound') n++;
    return n;
  }

  #onPeerConnected(peer: Peer): void {
    this.#pending.delete(peer);
    this.#releaseGate(peer);
    this.#peers.set(peer.idHex, peer);
    const entry = this.#static.get(peer.idHex);
    if (entry) entry.attempts = 0;
    this.#log('peer connected %s %s', peer.direction, peer.idHex.slice(0, 16));
    this.emit('peer:connected', peer);
  }

  #onPeerClosed(peer: Peer, info: DisconnectInfo): void {
    this.#pending.delete(peer);
    this.#releaseGate(peer);
    const idHex = peer.idHex;
    if (this.#peers.get(idHex) === peer) {
      this.#peers.delete(idHex);
      this.#log('peer disconnected %s: %s', idHex.slice(0, 16), disconnectReasonName(info.reason));
      this.emit('peer:disconnected', peer, info);
    }
    const entry = this.#static.get(idHex);
    if (entry && this.#running && !this.#peers.has(idHex)) {
      entry.attempts++;
      this.#scheduleStatic(idHex, entry, this.#backoff(entry.attempts));
    }
  }

  #backoff(attempts: number): number {
    const min = this.#options.staticRedialMinMs ?? DEFAULT_STATIC_REDIAL_MIN_MS;
    const max = this.#options.staticRedialMaxMs ?? DEFAULT_STATIC_REDIAL_MAX_MS;
    return Math.min(max, min * 2 ** Math.max(0, attempts - 1));
  }

  #scheduleStatic(idHex: string, entry: StaticPeer, delay: number): void {
    entry.timer?.();
    entry.timer = this.#clock.setTimeout(() => {
      entry.timer = undefined;
      if (!this.#running || this.#static.get(idHex) !== entry) return;
      if (this.#peers.has(idHex) || this.#dialing.has(idHex)) return;
      this.#dial(entry.endpoint, idHex).catch(() => {
        // A failed dial before the socket connected never reaches #onPeerClosed: back off from here.
        if (this.#running && this.#static.get(idHex) === entry && !entry.timer && !this.#peers.has(idHex)) {
          entry.attempts++;
          this.#scheduleStatic(idHex, entry, this.#backoff(entry.attempts));
        }
      });
    }, delay);
  }
}
