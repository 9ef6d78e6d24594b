import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { generatePrivateKey, getPublicKey } from '@status-ts/crypto';
import {
  ByteQueue,
  decodeDisconnect,
  encodeHello,
  FrameDecoder,
  FrameEncoder,
  InitiatorHandshake,
  P2pMessageCode,
  snappyDecompress,
  splitFrame,
} from '../../src/index.js';

/**
 * A hand-driven RLPx client for attacking a server: it completes the encryption handshake with the real
 * codec, then lets a test write any frame or byte sequence and watch what comes back.
 */
export class RawPeer {
  readonly frames: { code: number; payload: Uint8Array }[] = [];
  readonly closed: Promise<void>;
  #decoder: FrameDecoder | undefined;
  #encoder: FrameEncoder | undefined;
  readonly #queue = new ByteQueue();

  private constructor(
    readonly socket: Socket,
    readonly privateKey: Uint8Array,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
  }

  get id(): Uint8Array {
    return getPublicKey(this.privateKey, 'raw');
  }

  /**
   * A TCP connection with no handshake (for garbage and oversized-handshake attacks). `localAddress`
   * (any 127.0.0.0/8 address on Linux) makes the server see another source IP.
   */
  static async tcp(port: number, allowHalfOpen = false, localAddress?: string): Promise<RawPeer> {
    const socket = connect({
      host: '127.0.0.1',
      port,
      allowHalfOpen,
      ...(localAddress ? { localAddress } : {}),
    });
    await once(socket, 'connect');
    return new RawPeer(socket, generatePrivateKey());
  }

  /** Connects and completes the encryption handshake as initiator. */
  static async connect(
    port: number,
    serverId: Uint8Array,
    options: { privateKey?: Uint8Array; allowHalfOpen?: boolean; localAddress?: string } = {},
  ): Promise<RawPeer> {
    const privateKey = options.privateKey ?? generatePrivateKey();
    const peer = await RawPeer.tcp(port, options.allowHalfOpen, options.localAddress);
    (peer as { privateKey: Uint8Array }).privateKey = privateKey;
    const hs = new InitiatorHandshake(privateKey, serverId);
    peer.socket.write(hs.authPacket);
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Uint8Array) => {
        peer.#queue.push(chunk);
        try {
          if (!peer.#decoder) {
            const secrets = hs.readAck(peer.#queue);
            if (!secrets) return;
            peer.#encoder = FrameEncoder.fromSecrets(secrets);
            peer.#decoder = FrameDecoder.fromSecrets(secrets);
            resolve();
          }
          for (let f = peer.#decoder.read(peer.#queue); f; f = peer.#decoder.read(peer.#queue)) {
            peer.frames.push(splitFrame(f));
          }
        } catch (err) {
          reject(err);
        }
      };
      peer.socket.on('data', onData);
      peer.socket.once('close', () => reject(new Error('closed during handshake')));
    });
    return peer;
  }

  frame(code: number, payload: Uint8Array): Uint8Array {
    return this.#encoder!.encode(code, payload);
  }

  send(code: number, payload: Uint8Array): void {
    this.socket.write(this.frame(code, payload));
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  hello(
    options: { version?: number; caps?: { name: string; version: number }[]; id?: Uint8Array } = {},
  ): void {
    this.send(
      P2pMessageCode.Hello,
      encodeHello({
        protocolVersion: options.version ?? 5,
        clientId: 'raw-peer',
        capabilities: options.caps ?? [{ name: 'test', version: 1 }],
        listenPort: 0,
        nodeId: options.id ?? this.id,
      }),
    );
  }

  /** The reason of the Disconnect the server sent (snappy or not), or undefined if it just closed. */
  async disconnectReason(): Promise<number | undefined> {
    await this.closed;
    const msg = this.frames.find((f) => f.code === P2pMessageCode.Disconnect);
    if (!msg) return undefined;
    try {
      return decodeDisconnect(snappyDecompress(msg.payload, 64)) ?? decodeDisconnect(msg.payload);
    } catch {
      return decodeDisconnect(msg.payload);
    }
  }
}
