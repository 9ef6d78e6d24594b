import { bytesToHex, type Cancel, type Clock, equalBytes, TypedEmitter } from '@status-ts/core';
import { MAX_UINT24 } from '../constants.js';
import { Devp2pError, Devp2pErrorCode } from '../errors.js';
import { RlpxConnection, type RlpxSocket } from '../rlpx/connection.js';
import { messageCodeLength, splitFrame } from '../rlpx/frame.js';
import type { HandshakeRandomness } from '../rlpx/handshake.js';
import type { HandshakeFormat } from '../rlpx/handshake-messages.js';
import { matchCapabilities, type SharedCapability } from './capabilities.js';
import type { Capability, CapabilityStream } from './capability.js';
import { handledRejection, PeerCapabilityStream, type StreamHost } from './capability-stream.js';
import { DisconnectReason } from './disconnect.js';
import { decodeHello, encodeHello, type Hello } from './hello.js';
import type { PeerLimits } from './limits.js';
import { decodeDisconnect, EMPTY_LIST, encodeDisconnect, P2pMessageCode } from './messages.js';
import { snappyCompressTransient, snappyDecompress } from './snappy.js';

export type PeerDirection = 'inbound' | 'outbound';
export type PeerState = 'handshake' | 'hello' | 'connected' | 'closing' | 'closed';

/** Live counters of one peer. */
export interface PeerStats {
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  readonly errors: number;
  /** Bytes received and not parsed yet (an incomplete handshake message or frame); 0 once closed. */
  readonly bytesBuffered: number;
}

/** How a peer connection ended. */
export interface DisconnectInfo {
  reason: number;
  /** 'local' when we sent Disconnect (or gave up), 'remote' when the peer did or the socket dropped. */
  initiator: 'local' | 'remote';
  /** The typed error behind the disconnect, when there was one. */
  error?: Devp2pError;
}

/** Everything a peer needs from the node that runs it. */
export interface PeerConfig {
  privateKey: Uint8Array;
  /** Our 64-byte node id. */
  id: Uint8Array;
  clientId: string;
  listenPort: number;
  /** Base protocol version announced in Hello (5; 4 disables snappy). */
  protocolVersion: number;
  capabilities: readonly Capability[];
  limits: PeerLimits;
  clock: Clock;
  handshakeFormat?: HandshakeFormat;
  randomness?: HandshakeRandomness;
  /** Called once the peer's id is known (after the encryption handshake): a reason rejects it. */
  admitEncrypted?(peer: Peer): number | undefined;
  /** Called once the peer's Hello is valid, before capabilities attach: a reason rejects it. */
  admitHello?(peer: Peer): number | undefined;
}

interface PeerEvents {
  connected: [];
  error: [Devp2pError];
  closed: [DisconnectInfo];
}

const RESOLVED = Promise.resolve();
/** rlp(0x00), the message id of Hello: one byte. */
const HELLO_CODE_LENGTH = messageCodeLength(P2pMessageCode.Hello);

function reasonForError(error: Devp2pError): number {
  switch (error.code) {
    case Devp2pErrorCode.ReadTimeout:
    case Devp2pErrorCode.HandshakeTimeout:
      return DisconnectReason.ReadTimeout;
    case Devp2pErrorCode.NoSharedCapability:
      return DisconnectReason.UselessPeer;
    case Devp2pErrorCode.CapabilityFailed:
      return DisconnectReason.SubprotocolError;
    case Devp2pErrorCode.SocketError:
    case Devp2pErrorCode.ConnectionClosed:
      return DisconnectReason.NetworkError;
    default:
      return DisconnectReason.ProtocolError;
  }
}

/**
 * One devp2p peer over a socket: RLPx handshake, Hello, snappy, Ping/Pong, Disconnect and the
 * capability streams multiplexed on top. Every failure ends this peer only, as a typed `error` event
 * followed by `closed`.
 */
export class Peer extends TypedEmitter<PeerEvents> implements StreamHost {
  readonly direction: PeerDirection;
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  /** The peer's Hello once received. */
  hello: Hello | undefined;
  /** Capabilities both sides run, with their message-id ranges. */
  shared: SharedCapability<Capability>[] = [];
  /** How it ended, once closed. */
  disconnectInfo: DisconnectInfo | undefined;
  readonly #stats = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0, errors: 0 };
  readonly #config: PeerConfig;
  readonly #connection: RlpxConnection;
  #state: PeerState = 'handshake';
  #snappy = false;
  #streams: PeerCapabilityStream[] = [];
  #timers: Cancel[] = [];
  #readTimer: Cancel | undefined;
  #lastReadAt = 0;
  #paused = false;
  #drain: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | undefined;

  constructor(socket: RlpxSocket, config: PeerConfig, remoteId?: Uint8Array) {
    super();
    this.#config = config;
    this.direction = remoteId ? 'outbound' : 'inbound';
    this.remoteAddress = socket.remoteAddress;
    this.remotePort = socket.remotePort;
    this.#connection = new RlpxConnection(
      socket,
      {
        privateKey: config.privateKey,
        publicKey: config.id,
        ...(remoteId ? { remoteId } : {}),
        maxHandshakeSize: config.limits.maxHandshakeSize,
        maxFrameSize: config.limits.maxFrameSize,
        ...(config.handshakeFormat ? { handshakeFormat: config.handshakeFormat } : {}),
        ...(config.randomness ? { randomness: config.randomness } : {}),
      },
      {
        onOpen: () => this.#onOpen(),
        onFrame: (frame) => this.#onFrame(frame),
        onFrameHeader: (size) => this.#onFrameHeader(size),
        onError: (error) => this.#fail(error),
        onClose: () => this.#onClose(),
      },
    );
    socket.on('drain', this.#onDrain);
  }

  /** The peer's 64-byte node id; for inbound peers known once the auth message arrived. */
  get id(): Uint8Array {
    return this.#connection.remoteId ?? new Uint8Array(0);
  }

  get idHex(): string {
    return bytesToHex(this.id);
  }

  get state(): PeerState {
    return this.#state;
  }

  get closed(): boolean {
    return this.#state === 'closing' || this.#state === 'closed';
  }

  /** True when messages after Hello are snappy-compressed (both sides announced version >= 5). */
  get snappy(): boolean {
    return this.#snappy;
  }

  get stats(): PeerStats {
    return {
      ...this.#stats,
      bytesIn: this.#connection.bytesIn,
      bytesOut: this.#connection.bytesOut,
      bytesBuffered: this.#connection.bufferedBytes,
    };
  }

  /** The stream of a shared capability, by name. */
  stream(name: string): CapabilityStream | undefined {
    return this.#streams.find((s) => s.name === name);
  }

  /** Starts the handshake (sends auth when dialing) and the handshake timer. */
  start(): void {
    this.#lastReadAt = this.#config.clock.now();
    this.#timers.push(
      this.#config.clock.setTimeout(() => {
        if (this.#state === 'handshake' || this.#state === 'hello') {
          this.#fail(
            new Devp2pError(
              Devp2pErrorCode.HandshakeTimeout,
              `handshake not done after ${this.#config.limits.handshakeTimeoutMs} ms`,
            ),
          );
        }
      }, this.#config.limits.handshakeTimeoutMs),
    );
    this.#connection.start();
  }

  /** Sends Disconnect (when the session is up), closes our side and destroys the socket after a grace time. */
  disconnect(reason: number = DisconnectReason.DisconnectRequested, error?: Devp2pError): void {
    if (this.#state === 'closing' || this.#state === 'closed') return;
    const beforeHello = this.#state === 'handshake' || this.#state === 'hello';
    this.#state = 'closing';
    this.disconnectInfo = { reason, initiator: 'local', ...(error ? { error } : {}) };
    this.#stopTimers();
    this.#connection.stopReading();
    const socket = this.#connection.socket;
    // Keep reading (and dropping) input so the peer's FIN is seen even if a lagging capability paused us.
    if (this.#paused) socket.resume();
    if (this.#connection.isOpen) {
      try {
        this.#write(P2pMessageCode.Disconnect, encodeDisconnect(reason));
      } catch {
        // The socket is going away anyway.
      }
      socket.end();
      // Before Hello there is no session to wind down: the socket goes once the Disconnect is flushed, so
      // a refused or failed handshake frees its pending slot now instead of after the grace time.
      if (beforeHello) socket.once('finish', () => socket.destroy());
      this.#timers.push(
        this.#config.clock.setTimeout(() => socket.destroy(), this.#config.limits.disconnectGraceMs),
      );
    } else {
      socket.destroy();
    }
    this.#endStreams();
  }

  /** Writes a message with an absolute id (capabilities use their stream). */
  sendMessage(code: number, payload: Uint8Array): Promise<void> {
    if (this.#state !== 'connected') {
      return handledRejection(
        new Devp2pError(Devp2pErrorCode.ConnectionClosed, `peer is ${this.#state}, cannot send`),
      );
    }
    try {
      this.#write(code, payload);
    } catch (err) {
      return handledRejection(err);
    }
    const socket = this.#connection.socket;
    // Wait only when the socket itself will emit 'drain' (its buffer is above its highWaterMark too).
    if (socket.writableLength <= this.#config.limits.writeBufferLimit || !socket.writableNeedDrain) {
      return RESOLVED;
    }
    return this.#waitForDrain();
  }

  onQueueDrained(): void {
    if (!this.#paused) return;
    const limit = this.#config.limits.receiveQueueLimit;
    if (this.#streams.every((s) => s.queue.length < limit)) {
      this.#paused = false;
      this.#lastReadAt = this.#config.clock.now();
      this.#connection.socket.resume();
    }
  }

  #write(code: number, payload: Uint8Array): void {
    let body = payload;
    if (this.#snappy) {
      if (payload.length > MAX_UINT24) {
        throw new Devp2pError(
          Devp2pErrorCode.InvalidSend,
          `message of ${payload.length} bytes exceeds 2^24 - 1 before compression`,
        );
      }
      body = snappyCompressTransient(payload); // copied into the frame by writeMessage
    }
    this.#connection.writeMessage(code, body);
    this.#stats.messagesOut++;
  }

  #waitForDrain(): Promise<void> {
    if (!this.#drain) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      promise.catch(() => {});
      this.#drain = { promise, resolve, reject };
    }
    return this.#drain.promise;
  }

  #onDrain = (): void => {
    const drain = this.#drain;
    this.#drain = undefined;
    drain?.resolve();
  };

  #onOpen(): void {
    const admit = this.#config.admitEncrypted?.(this);
    if (admit !== undefined) {
      this.disconnect(admit);
      return;
    }
    this.#state = 'hello';
    this.#write(
      P2pMessageCode.Hello,
      encodeHello({
        protocolVersion: this.#config.protocolVersion,
        clientId: this.#config.clientId,
        capabilities: this.#config.capabilities.map((c) => ({ name: c.name, version: c.version })),
        listenPort: this.#config.listenPort,
        nodeId: this.#config.id,
      }),
    );
  }

  /**
   * Before Hello only Hello and Disconnect may come, both uncompressed (snappy starts after Hello): a
   * header declaring more than the largest Hello is refused before its body is buffered, so a peer that
   * never sends Hello holds at most a Hello's worth of our memory, not maxFrameSize.
   */
  #onFrameHeader(size: number): void {
    if (this.#state !== 'hello') return;
    const limit = this.#config.limits.maxHelloSize + HELLO_CODE_LENGTH;
    if (size > limit) {
      throw new Devp2pError(
        Devp2pErrorCode.BadHello,
        `frame of ${size} bytes before Hello exceeds the Hello limit of ${limit}`,
        { details: { size, limit } },
      );
    }
  }

  #onFrame(frame: Uint8Array): void {
    if (this.#state === 'closing' || this.#state === 'closed') return;
    this.#stats.messagesIn++;
    this.#lastReadAt = this.#config.clock.now();
    const { code, payload } = splitFrame(frame);
    if (this.#state === 'hello') {
      if (code === P2pMessageCode.Hello) this.#onHello(payload);
      else if (code === P2pMessageCode.Disconnect) this.#onDisconnect(payload);
      else {
        throw new Devp2pError(
          Devp2pErrorCode.ExpectedHello,
          `expected Hello, got message 0x${code.toString(16)}`,
        );
      }
      return;
    }
    if (code >= 0x10) {
      this.#onCapabilityMessage(code, payload);
      return;
    }
    switch (code) {
      case P2pMessageCode.Disconnect:
        this.#onDisconnect(payload);
        return;
      case P2pMessageCode.Ping:
        this.#inflate(payload);
        // A peer that pings but does not read would grow our write buffer: answer only while it drains.
        if (this.#connection.socket.writableLength <= this.#config.limits.writeBufferLimit) {
          this.#write(P2pMessageCode.Pong, EMPTY_LIST);
        }
        return;
      default:
        // Pong only proves liveness; a repeated Hello and unknown base ids are ignored, like go-ethereum.
        return;
    }
  }

  #inflate(payload: Uint8Array): Uint8Array {
    if (!this.#snappy) return new Uint8Array(payload.buffer, payload.byteOffset, payload.length);
    return snappyDecompress(payload, this.#config.limits.maxMessageSize);
  }

  #onCapabilityMessage(code: number, payload: Uint8Array): void {
    const streams = this.#streams;
    for (let i = 0; i < streams.length; i++) {
      const stream = streams[i]!;
      if (code < stream.offset || code >= stream.offset + stream.length) continue;
      const queued = stream.queue.push({ code: code - stream.offset, payload: this.#inflate(payload) });
      if (queued > this.#config.limits.receiveQueueLimit && !this.#paused) {
        this.#paused = true;
        this.#connection.socket.pause();
      }
      return;
    }
    throw new Devp2pError(Devp2pErrorCode.BadMessage, `message id 0x${code.toString(16)} is not negotiated`);
  }

  #onDisconnect(payload: Uint8Array): void {
    let reason: number | undefined;
    if (this.#snappy) {
      try {
        reason = decodeDisconnect(snappyDecompress(payload, 64));
      } catch {
        // Some clients send Disconnect uncompressed even with snappy on.
      }
    }
    reason ??= decodeDisconnect(payload) ?? DisconnectReason.DisconnectRequested;
    this.#state = 'closing';
    this.disconnectInfo = { reason, initiator: 'remote' };
    this.#stopTimers();
    this.#connection.stopReading();
    this.#connection.socket.destroy();
    this.#endStreams();
  }

  #onHello(payload: Uint8Array): void {
    const hello = decodeHello(payload, this.#config.limits.maxHelloSize);
    if (hello.nodeId.length !== 64) {
      this.#reject(
        DisconnectReason.InvalidIdentity,
        new Devp2pError(Devp2pErrorCode.BadHello, `Hello node id has ${hello.nodeId.length} bytes, not 64`),
      );
      return;
    }
    if (!equalBytes(hello.nodeId, this.id)) {
      this.#reject(
        DisconnectReason.UnexpectedIdentity,
        new Devp2pError(Devp2pErrorCode.BadHello, 'Hello node id differs from the RLPx identity'),
      );
      return;
    }
    this.hello = hello;
    this.shared = matchCapabilities(this.#config.capabilities, hello.capabilities);
    if (this.#config.capabilities.length > 0 && this.shared.length === 0) {
      this.#reject(
        DisconnectReason.UselessPeer,
        new Devp2pError(Devp2pErrorCode.NoSharedCapability, 'no capability in common'),
      );
      return;
    }
    this.#snappy = this.#config.protocolVersion >= 5 && hello.protocolVersion >= 5;
    const admit = this.#config.admitHello?.(this);
    if (admit !== undefined) {
      this.disconnect(admit);
      return;
    }
    this.#state = 'connected';
    this.#stopTimers();
    this.#startKeepAlive();
    const limit = this.#config.limits.receiveQueueLimit;
    this.#streams = this.shared.map((s) => new PeerCapabilityStream(this, s, limit));
    // Capabilities attach before anyone hears of the peer: a failing attach means it never connected.
    for (let i = 0; i < this.#streams.length && this.#state === 'connected'; i++) {
      this.#attach(this.shared[i]!.capability, this.#streams[i]!);
    }
    if (this.#state === 'connected') this.emit('connected');
  }

  #attach(capability: Capability, stream: PeerCapabilityStream): void {
    const failed = (cause: unknown) => {
      if (this.closed) return;
      this.#fail(
        new Devp2pError(
          Devp2pErrorCode.CapabilityFailed,
          `capability ${capability.name}/${capability.version} failed: ${String((cause as Error)?.message ?? cause)}`,
          { cause },
        ),
      );
    };
    try {
      const result = capability.attach(stream);
      if (result && typeof (result as Promise<void>).then === 'function') {
        (result as Promise<void>).then(undefined, failed);
      }
    } catch (err) {
      failed(err);
    }
  }

  #startKeepAlive(): void {
    const { clock, limits } = this.#config;
    this.#timers.push(
      clock.setInterval(() => {
        if (this.#state === 'connected') this.#write(P2pMessageCode.Ping, EMPTY_LIST);
      }, limits.pingIntervalMs),
    );
    this.#armReadTimer(limits.readTimeoutMs);
  }

  #armReadTimer(ms: number): void {
    this.#readTimer = this.#config.clock.setTimeout(() => {
      if (this.#state !== 'connected') return;
      const idle = this.#config.clock.now() - this.#lastReadAt;
      const timeout = this.#config.limits.readTimeoutMs;
      if (this.#paused || idle < timeout) {
        this.#armReadTimer(this.#paused ? timeout : timeout - idle);
        return;
      }
      this.#fail(new Devp2pError(Devp2pErrorCode.ReadTimeout, `no message for ${idle} ms`));
    }, ms);
  }

  #reject(reason: number, error: Devp2pError): void {
    this.#stats.errors++;
    this.emit('error', error);
    this.disconnect(reason, error);
  }

  #fail(error: Devp2pError): void {
    if (this.#state === 'closing' || this.#state === 'closed') return;
    this.#reject(reasonForError(error), error);
  }

  #stopTimers(): void {
    for (const cancel of this.#timers) cancel();
    this.#timers = [];
    this.#readTimer?.();
    this.#readTimer = undefined;
  }

  #endStreams(): void {
    for (const stream of this.#streams) stream.queue.end();
  }

  #onClose(): void {
    if (this.#state === 'closed') return;
    if (this.#state !== 'closing') {
      this.disconnectInfo = {
        reason: DisconnectReason.NetworkError,
        initiator: 'remote',
        error: new Devp2pError(Devp2pErrorCode.ConnectionClosed, 'the connection closed without Disconnect'),
      };
    }
    this.#state = 'closed';
    this.#stopTimers();
    this.#endStreams();
    this.#connection.socket.off('drain', this.#onDrain);
    const drain = this.#drain;
    this.#drain = undefined;
    drain?.reject(new Devp2pError(Devp2pErrorCode.ConnectionClosed, 'peer closed while waiting to send'));
    this.emit('closed', this.disconnectInfo!);
  }
}
