import type { Socket } from 'node:net';
import { Devp2pError, Devp2pErrorCode } from '../errors.js';
import { ByteQueue } from './byte-queue.js';
import { FrameDecoder, FrameEncoder } from './frame.js';
import { type HandshakeRandomness, InitiatorHandshake, RecipientHandshake } from './handshake.js';
import type { HandshakeFormat } from './handshake-messages.js';
import type { RlpxSecrets } from './secrets.js';

/** The part of a node:net Socket a connection uses (any Duplex with these members works). */
export type RlpxSocket = Pick<
  Socket,
  | 'write'
  | 'cork'
  | 'uncork'
  | 'end'
  | 'destroy'
  | 'pause'
  | 'resume'
  | 'on'
  | 'off'
  | 'once'
  | 'writableLength'
  | 'writableNeedDrain'
  | 'destroyed'
> & { remoteAddress?: string | undefined; remotePort?: number | undefined };

export interface RlpxConnectionOptions {
  privateKey: Uint8Array;
  /** Our 64-byte public key (node id), if known: spares a curve multiplication per dial. */
  publicKey?: Uint8Array;
  /** The node id we dial: makes us the initiator. Leave out for accepted connections. */
  remoteId?: Uint8Array;
  maxHandshakeSize?: number;
  maxFrameSize?: number;
  /** Auth format we send as initiator (tests of the legacy path); recipients reply in the format received. */
  handshakeFormat?: HandshakeFormat;
  randomness?: HandshakeRandomness;
}

export interface RlpxConnectionEvents {
  /** The encryption handshake finished: frames may flow. */
  onOpen(remoteId: Uint8Array): void;
  /** One decrypted frame (`rlp(code) || payload`). Throwing from here is treated as a protocol error. */
  onFrame(frame: Uint8Array): void;
  /**
   * A frame header (MAC verified) declared `size` bytes; called before any byte of the body is buffered.
   * Throwing refuses the frame as a protocol error (a limit tighter than maxFrameSize, e.g. before Hello).
   */
  onFrameHeader?(size: number): void;
  /** A protocol error (typed) or socket error; the connection stops reading and its owner closes it. */
  onError(error: Devp2pError): void;
  /** The socket is closed. */
  onClose(): void;
}

/**
 * RLPx over a socket: runs the encryption handshake, then turns the byte stream into verified,
 * decrypted frames (incrementally, linear in the bytes received) and messages into frames.
 */
export class RlpxConnection {
  readonly socket: RlpxSocket;
  readonly initiator: boolean;
  bytesIn = 0;
  bytesOut = 0;
  #remoteId: Uint8Array | undefined;
  /** Input is parsed while true: from the start until a fatal error, stopReading() or close. */
  #reading = true;
  /** Frames can be written while true: from the end of the handshake until the socket closes. */
  #open = false;
  readonly #queue = new ByteQueue();
  readonly #events: RlpxConnectionEvents;
  readonly #options: RlpxConnectionOptions;
  #corked = false;
  #initiatorHandshake: InitiatorHandshake | undefined;
  #recipientHandshake: RecipientHandshake | undefined;
  #encoder: FrameEncoder | undefined;
  #decoder: FrameDecoder | undefined;

  constructor(socket: RlpxSocket, options: RlpxConnectionOptions, events: RlpxConnectionEvents) {
    this.socket = socket;
    this.#options = options;
    this.#events = events;
    this.initiator = options.remoteId !== undefined;
    this.#remoteId = options.remoteId;
    socket.on('data', this.#onData);
    socket.on('error', this.#onSocketError);
    socket.once('close', this.#onSocketClose);
  }

  /** The peer's node id: known from the start when dialing, after the auth message when accepting. */
  get remoteId(): Uint8Array | undefined {
    return this.#remoteId;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** Bytes received and not parsed yet: an incomplete handshake message or frame. */
  get bufferedBytes(): number {
    return this.#queue.length;
  }

  /** Sends auth when dialing; a recipient waits for the auth. Errors are reported through onError. */
  start(): void {
    if (!this.initiator) {
      // Options left out (undefined) take the handshake's own defaults.
      this.#recipientHandshake = new RecipientHandshake(this.#options.privateKey, {
        ...this.#options.randomness,
        maxHandshakeSize: this.#options.maxHandshakeSize,
      });
      return;
    }
    try {
      this.#initiatorHandshake = new InitiatorHandshake(this.#options.privateKey, this.#remoteId!, {
        ...this.#options.randomness,
        format: this.#options.handshakeFormat,
        publicKey: this.#options.publicKey,
        maxHandshakeSize: this.#options.maxHandshakeSize,
      });
    } catch (err) {
      this.#fail(err);
      return;
    }
    this.#write(this.#initiatorHandshake.authPacket);
  }

  /** Frames and writes one message; returns the frame size. Throws ERR_RLPX_FRAME_TOO_LARGE. */
  writeMessage(code: number, payload: Uint8Array): number {
    if (!this.#open) {
      throw new Devp2pError(Devp2pErrorCode.ConnectionClosed, 'connection is not open');
    }
    const frame = this.#encoder!.encode(code, payload);
    this.#write(frame);
    return frame.length;
  }

  /** Stops parsing input (after a fatal error or when closing): later bytes are dropped. */
  stopReading(): void {
    this.#reading = false;
    this.#queue.clear();
  }

  #write(bytes: Uint8Array): void {
    if (this.socket.destroyed) return;
    this.bytesOut += bytes.length;
    // Frames written in one tick leave in one writev (ack + Hello, bursts of small messages).
    if (!this.#corked) {
      this.#corked = true;
      this.socket.cork();
      process.nextTick(this.#uncork);
    }
    this.socket.write(bytes);
  }

  #uncork = (): void => {
    this.#corked = false;
    this.socket.uncork();
  };

  #onData = (chunk: Uint8Array): void => {
    this.bytesIn += chunk.length;
    if (!this.#reading) return;
    this.#queue.push(chunk);
    try {
      if (!this.#open) this.#handshake();
      while (this.#open && this.#reading) {
        const frame = this.#decoder!.read(this.#queue);
        if (frame === undefined) break;
        this.#events.onFrame(frame);
      }
    } catch (err) {
      this.#fail(err);
    }
  };

  #handshake(): void {
    const options = this.#options;
    let secrets: RlpxSecrets | undefined;
    if (this.#initiatorHandshake) {
      secrets = this.#initiatorHandshake.readAck(this.#queue);
      if (!secrets) return;
    } else {
      const result = this.#recipientHandshake!.readAuth(this.#queue);
      if (!result) return;
      secrets = result.secrets;
      this.#write(result.ackPacket);
    }
    this.#initiatorHandshake = undefined;
    this.#recipientHandshake = undefined;
    this.#remoteId = secrets.remoteId;
    this.#encoder = FrameEncoder.fromSecrets(secrets);
    const events = this.#events;
    this.#decoder = FrameDecoder.fromSecrets(
      secrets,
      options.maxFrameSize, // undefined: the decoder's default
      events.onFrameHeader ? (size) => events.onFrameHeader!(size) : undefined,
    );
    this.#open = true;
    this.#events.onOpen(secrets.remoteId);
  }

  #fail(err: unknown): void {
    const error =
      err instanceof Devp2pError
        ? err
        : new Devp2pError(
            Devp2pErrorCode.BadFrame,
            `unexpected failure while handling input: ${String(err)}`,
            {
              cause: err,
            },
          );
    if (!this.#reading) return;
    this.stopReading();
    // The egress side stays usable, so the peer can still be told why (Disconnect) when the session is up.
    this.#events.onError(error);
  }

  #onSocketError = (err: Error): void => {
    this.#open = false;
    this.#fail(new Devp2pError(Devp2pErrorCode.SocketError, `socket error: ${err.message}`, { cause: err }));
  };

  #onSocketClose = (): void => {
    this.#open = false;
    this.#reading = false;
    this.#queue.clear();
    // Nothing is read or written any more: drop the ciphers and the encoder's scratch (up to 256 KiB) even
    // if someone keeps a reference to the closed peer.
    this.#encoder = undefined;
    this.#decoder = undefined;
    this.#initiatorHandshake = undefined;
    this.#recipientHandshake = undefined;
    this.socket.off('data', this.#onData);
    this.#events.onClose();
  };
}
