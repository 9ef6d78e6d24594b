import type {
  ComponentLogger,
  ConnectionEncrypter,
  Logger,
  PrivateKey,
  SecurableStream,
  SecureConnectionOptions,
  SecuredConnection,
} from '@libp2p/interface';
import { serviceCapabilities } from '@libp2p/interface';
import { AsyncQueue } from '@status-ts/core';
import type { Uint8ArrayList } from 'uint8arraylist';
import { ByteReader } from './byte-reader.js';
import {
  type CipherName,
  DEFAULT_AMBIGUOUS_SECRET_WAIT_MS,
  DEFAULT_MAX_FRAME_LENGTH,
  DEFAULT_MAX_HANDSHAKE_MESSAGE_LENGTH,
  DEFAULT_MAX_PLAINTEXT_PER_FRAME,
  type ExchangeName,
  type HashName,
  SECIO_PROTOCOL,
  SUPPORTED_CIPHERS,
  SUPPORTED_EXCHANGES,
  SUPPORTED_HASHES,
} from './constants.js';
import { SecioError, SecioErrorCode } from './errors.js';
import {
  type HandshakeParams,
  type HandshakeResult,
  performHandshake,
  type SecretEncoding,
} from './handshake.js';

export interface SecioInit {
  /** Curves offered, best first (default P-256, P-384, P-521, as go-libp2p). */
  exchanges?: readonly ExchangeName[];
  /** Ciphers offered, best first (default AES-256, AES-128). */
  ciphers?: readonly CipherName[];
  /** MAC hashes offered, best first (default SHA256, SHA512). */
  hashes?: readonly HashName[];
  /** Largest frame (ciphertext + MAC) accepted from the peer; default 8 MiB like go-libp2p. */
  maxFrameLength?: number;
  /** Largest Propose or Exchange message accepted; default 64 KiB. */
  maxHandshakeMessageLength?: number;
  /** Plaintext bytes per frame we send; default 64 KiB. */
  maxPlaintextPerFrame?: number;
  /** See DEFAULT_AMBIGUOUS_SECRET_WAIT_MS; default 1000 ms. */
  ambiguousSecretWaitMs?: number;
  /** Called with every handshake or stream failure before the connection is closed (metrics, tests). */
  onError?: (error: SecioError) => void;
  /** Test hook: behave like go (`go`) or old js-libp2p (`fixed`) when deriving keys. */
  secretEncoding?: SecretEncoding;
}

export interface SecioComponents {
  privateKey: PrivateKey;
  logger?: ComponentLogger;
}

/** The secured connection's secio facts, returned as `remoteExtensions`. */
export interface SecioExtensions {
  readonly exchange: ExchangeName;
  readonly cipher: CipherName;
  readonly hash: HashName;
}

/** The handshake's settings from SecioInit with defaults applied, plus the frame writer's limit. */
type ResolvedInit = Pick<
  HandshakeParams,
  | 'exchanges'
  | 'ciphers'
  | 'hashes'
  | 'maxFrameLength'
  | 'maxHandshakeMessageLength'
  | 'ambiguousSecretWaitMs'
> & { readonly maxPlaintextPerFrame: number };

/** secio (`/secio/1.0.0`) for js-libp2p 2.x: the only security go-libp2p 0.4.2 (Status rendezvous) speaks. */
export class Secio implements ConnectionEncrypter<SecioExtensions> {
  readonly protocol = SECIO_PROTOCOL;
  readonly [Symbol.toStringTag] = '@status-ts/libp2p-secio';
  readonly [serviceCapabilities]: string[] = ['@libp2p/connection-encryption', '@status-ts/libp2p-secio'];

  readonly #components: SecioComponents;
  readonly #init: ResolvedInit;
  readonly #onError: ((error: SecioError) => void) | undefined;
  readonly #secretEncoding: SecretEncoding | undefined;
  readonly #log: Logger | undefined;

  constructor(components: SecioComponents, init: SecioInit = {}) {
    this.#components = components;
    this.#init = resolveInit(init);
    this.#onError = init.onError;
    this.#secretEncoding = init.secretEncoding;
    this.#log = components.logger?.forComponent('status-ts:libp2p-secio');
  }

  secureOutbound<Stream extends SecurableStream>(
    connection: Stream,
    options?: SecureConnectionOptions,
  ): Promise<SecuredConnection<Stream, SecioExtensions>> {
    return this.#secure(connection, options);
  }

  // secio is symmetric: the same steps run on both sides.
  secureInbound<Stream extends SecurableStream>(
    connection: Stream,
    options?: SecureConnectionOptions,
  ): Promise<SecuredConnection<Stream, SecioExtensions>> {
    return this.#secure(connection, options);
  }

  async #secure<Stream extends SecurableStream>(
    connection: Stream,
    options: SecureConnectionOptions | undefined,
  ): Promise<SecuredConnection<Stream, SecioExtensions>> {
    const reader = new ByteReader(connection.source);
    const handshakeBytes = new AsyncQueue<Uint8Array>();
    let releaseUserSource!: (source: AsyncIterable<Uint8Array | Uint8ArrayList> | undefined) => void;
    const userSource = new Promise<AsyncIterable<Uint8Array | Uint8ArrayList> | undefined>((resolve) => {
      releaseUserSource = resolve;
    });
    let handshake: HandshakeResult | undefined;
    const { maxPlaintextPerFrame, maxFrameLength } = this.#init;

    // One generator feeds the raw sink for the connection's whole life: handshake messages first,
    // then the user's data as sealed frames, pulled at the socket's pace.
    async function* outbound(): AsyncGenerator<Uint8Array> {
      yield* handshakeBytes;
      const source = await userSource;
      if (source === undefined || handshake === undefined) return;
      for await (const chunk of source) {
        const bytes = chunk instanceof Uint8Array ? chunk : chunk.subarray();
        for (let offset = 0; offset < bytes.length; offset += maxPlaintextPerFrame) {
          yield handshake.sealer.seal(bytes.subarray(offset, offset + maxPlaintextPerFrame));
        }
      }
    }
    const rawSinkDone = Promise.resolve(connection.sink(outbound())).catch((err: unknown) => {
      this.#log?.error('secio raw sink failed', err);
    });

    try {
      handshake = await performHandshake(
        { reader, write: (bytes) => handshakeBytes.push(bytes) },
        {
          privateKey: this.#components.privateKey,
          ...this.#init,
          ...(options?.remotePeer === undefined ? {} : { remotePeer: options.remotePeer }),
          ...(options?.signal === undefined ? {} : { signal: options.signal }),
          ...(this.#secretEncoding === undefined ? {} : { secretEncoding: this.#secretEncoding }),
        },
      );
    } catch (err) {
      if (options?.signal?.aborted && err === options.signal.reason) {
        // The caller gave up (its signal or upgrade timeout): not a secio failure, so not reported to
        // onError; the connection is torn down all the same and the caller gets its own reason back.
        this.#tearDown(connection, reader, err instanceof Error ? err : new Error(String(err)));
        handshakeBytes.end();
        releaseUserSource(undefined);
        throw err;
      }
      const error = asSecioError(err);
      this.#fail(connection, reader, error);
      handshakeBytes.end();
      releaseUserSource(undefined);
      throw error;
    }
    handshakeBytes.end();
    this.#log?.(
      'secio handshake with %p: %s %s %s',
      handshake.remotePeer,
      handshake.exchange,
      handshake.suite.cipher,
      handshake.suite.hash,
    );

    const { opener } = handshake;
    const fail = (error: SecioError) => this.#fail(connection, reader, error);
    async function* inbound(): AsyncGenerator<Uint8Array> {
      try {
        while (!(await reader.atEnd())) {
          const body = await reader.readLengthPrefixed(maxFrameLength, SecioErrorCode.FrameTooLarge, 'frame');
          const plaintext = opener.open(body);
          if (plaintext.length > 0) yield plaintext;
        }
      } catch (err) {
        // Our own verdicts (bad MAC, oversized or cut frame) close the connection; errors of the
        // transport underneath (a reset, a local close) are the transport's and pass through unchanged.
        if (err instanceof SecioError) fail(err);
        throw err;
      }
    }
    connection.source = inbound();
    connection.sink = async (source) => {
      releaseUserSource(source);
      await rawSinkDone;
    };
    return {
      conn: connection,
      remotePeer: handshake.remotePeer,
      remoteExtensions: {
        exchange: handshake.exchange,
        cipher: handshake.suite.cipher,
        hash: handshake.suite.hash,
      },
    };
  }

  /** Reports the failure and closes the connection: abort it when it can, otherwise stop reading. */
  #fail(connection: SecurableStream, reader: ByteReader, error: SecioError): void {
    this.#log?.error('secio failure: %s', error.message);
    try {
      this.#onError?.(error);
    } catch {
      // A failing observer must not change how the connection is torn down.
    }
    this.#tearDown(connection, reader, error);
  }

  #tearDown(connection: SecurableStream, reader: ByteReader, error: Error): void {
    const abortable = connection as SecurableStream & { abort?: (err: Error) => void };
    if (typeof abortable.abort === 'function') abortable.abort(error);
    else void reader.cancel().catch(() => undefined);
  }
}

/** The factory for `createLibp2p({ connectionEncrypters: [noise(), secio()] })`. */
export function secio(
  init: SecioInit = {},
): (components: SecioComponents) => ConnectionEncrypter<SecioExtensions> {
  resolveInit(init);
  return (components) => new Secio(components, init);
}

function resolveInit(init: SecioInit): ResolvedInit {
  const list = <T extends string>(value: readonly T[] | undefined, supported: readonly T[], what: string) => {
    const chosen = value ?? supported;
    if (chosen.length === 0 || chosen.some((name) => !supported.includes(name))) {
      throw new SecioError(
        SecioErrorCode.InvalidOptions,
        `${what} must be a non-empty subset of ${supported.join(',')}`,
      );
    }
    return chosen;
  };
  const positive = (
    value: number | undefined,
    fallback: number,
    what: string,
    max = Number.MAX_SAFE_INTEGER,
  ) => {
    const chosen = value ?? fallback;
    if (!Number.isInteger(chosen) || chosen < 0 || chosen > max) {
      throw new SecioError(SecioErrorCode.InvalidOptions, `${what} must be an integer between 0 and ${max}`);
    }
    return chosen;
  };
  const maxFrameLength = positive(
    init.maxFrameLength,
    DEFAULT_MAX_FRAME_LENGTH,
    'maxFrameLength',
    0xffffffff,
  );
  return {
    exchanges: list(init.exchanges, SUPPORTED_EXCHANGES, 'exchanges'),
    ciphers: list(init.ciphers, SUPPORTED_CIPHERS, 'ciphers'),
    hashes: list(init.hashes, SUPPORTED_HASHES, 'hashes'),
    maxFrameLength,
    maxHandshakeMessageLength: positive(
      init.maxHandshakeMessageLength,
      DEFAULT_MAX_HANDSHAKE_MESSAGE_LENGTH,
      'maxHandshakeMessageLength',
      0xffffffff,
    ),
    // Our frames must fit the peer's limit too; go's is 8 MiB, so never send more than that.
    maxPlaintextPerFrame: Math.max(
      1,
      positive(
        init.maxPlaintextPerFrame,
        DEFAULT_MAX_PLAINTEXT_PER_FRAME,
        'maxPlaintextPerFrame',
        DEFAULT_MAX_FRAME_LENGTH - 64,
      ),
    ),
    ambiguousSecretWaitMs: positive(
      init.ambiguousSecretWaitMs,
      DEFAULT_AMBIGUOUS_SECRET_WAIT_MS,
      'ambiguousSecretWaitMs',
    ),
  };
}

function asSecioError(err: unknown): SecioError {
  if (err instanceof SecioError) return err;
  return new SecioError(
    SecioErrorCode.Truncated,
    `secio connection failed: ${(err as Error)?.message ?? String(err)}`,
    {
      cause: err,
    },
  );
}
