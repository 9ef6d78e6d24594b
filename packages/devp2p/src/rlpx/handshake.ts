import { constantTimeEqual, xorBytes } from '@status-ts/core';
import {
  ecdhX,
  generatePrivateKey,
  getPublicKey,
  randomBytes,
  recoverPublicKey,
  sign,
} from '@status-ts/crypto';
import { DEFAULT_MAX_HANDSHAKE_SIZE } from '../constants.js';
import { Devp2pError, Devp2pErrorCode } from '../errors.js';
import type { ByteQueue } from './byte-queue.js';
import {
  type AuthMessage,
  decodeAckBody,
  decodeAuthBody,
  encodeAckBody,
  encodeAuthBody,
  HANDSHAKE_VERSION,
  type HandshakeFormat,
  type HandshakePacket,
  LEGACY_ACK_SIZE,
  LEGACY_AUTH_SIZE,
  NONCE_SIZE,
  publicKeyHash,
  readHandshakePacket,
  sealEip8,
  sealLegacyAck,
  sealLegacyAuth,
} from './handshake-messages.js';
import { deriveSecrets, type RlpxSecrets } from './secrets.js';

/** Fixed randomness for tests and vectors; real use leaves these out. */
export interface HandshakeRandomness {
  ephemeralPrivateKey?: Uint8Array;
  nonce?: Uint8Array;
}

function bad(message: string, cause?: unknown): Devp2pError {
  // An undefined cause is left out by the error class itself.
  return new Devp2pError(Devp2pErrorCode.BadHandshake, message, { cause });
}

function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    throw cause instanceof Devp2pError ? cause : bad(what, cause);
  }
}

/** The dialing side: writes auth, reads ack. */
export class InitiatorHandshake {
  /** The auth packet to send first. */
  readonly authPacket: Uint8Array;
  readonly #privateKey: Uint8Array;
  readonly #remoteId: Uint8Array;
  readonly #ephemeralPrivateKey: Uint8Array;
  readonly #nonce: Uint8Array;
  readonly #maxSize: number;

  constructor(
    privateKey: Uint8Array,
    remoteId: Uint8Array,
    options: HandshakeRandomness & {
      format?: HandshakeFormat;
      maxHandshakeSize?: number;
      /** Our 64-byte public key, when the caller already has it (saves a curve multiplication). */
      publicKey?: Uint8Array;
    } = {},
  ) {
    this.#privateKey = privateKey;
    this.#remoteId = remoteId;
    this.#ephemeralPrivateKey = options.ephemeralPrivateKey ?? generatePrivateKey();
    this.#nonce = options.nonce ?? randomBytes(NONCE_SIZE);
    this.#maxSize = options.maxHandshakeSize ?? DEFAULT_MAX_HANDSHAKE_SIZE;
    // Stryker disable next-line StringLiteral: the text only names the failing value in error messages.
    const staticShared = guard('remote node id is not a valid public key', () => ecdhX(privateKey, remoteId));
    const msg: AuthMessage = {
      signature: sign(xorBytes(staticShared, this.#nonce), this.#ephemeralPrivateKey),
      initiatorPublicKey: options.publicKey ?? getPublicKey(privateKey, 'raw'),
      nonce: this.#nonce,
      version: HANDSHAKE_VERSION,
    };
    // Only the legacy form carries the ephemeral key's hash (EIP-8 lets the recipient recover the key).
    this.authPacket =
      options.format === 'legacy'
        ? sealLegacyAuth(
            { ...msg, ephemeralPublicKeyHash: publicKeyHash(getPublicKey(this.#ephemeralPrivateKey, 'raw')) },
            remoteId,
          )
        : sealEip8(encodeAuthBody(msg), remoteId);
  }

  /** Consumes the ack from `queue`: the session secrets, or undefined while more bytes are needed. */
  readAck(queue: ByteQueue): RlpxSecrets | undefined {
    const received = readHandshakePacket(queue, this.#privateKey, LEGACY_ACK_SIZE, this.#maxSize);
    return received ? this.acceptAck(received) : undefined;
  }

  /** Checks a decrypted ack and derives the session secrets. */
  acceptAck(received: HandshakePacket): RlpxSecrets {
    const ack = decodeAckBody(received.plaintext, received.format);
    // Stryker disable next-line StringLiteral: the text only names the failing value in error messages.
    return guard('ack carries an invalid ephemeral key', () =>
      deriveSecrets({
        initiator: true,
        remoteId: this.#remoteId,
        ephemeralPrivateKey: this.#ephemeralPrivateKey,
        remoteEphemeralPublicKey: ack.ephemeralPublicKey,
        initiatorNonce: this.#nonce,
        recipientNonce: ack.nonce,
        authPacket: this.authPacket,
        ackPacket: received.packet,
      }),
    );
  }
}

export interface RecipientResult {
  /** The ack packet to send, in the format the auth came in. */
  ackPacket: Uint8Array;
  secrets: RlpxSecrets;
  format: HandshakeFormat;
  authVersion: number;
}

/** The listening side: reads auth, answers with ack. */
export class RecipientHandshake {
  readonly #privateKey: Uint8Array;
  readonly #ephemeralPrivateKey: Uint8Array;
  readonly #nonce: Uint8Array;
  readonly #maxSize: number;

  constructor(privateKey: Uint8Array, options: HandshakeRandomness & { maxHandshakeSize?: number } = {}) {
    this.#privateKey = privateKey;
    this.#ephemeralPrivateKey = options.ephemeralPrivateKey ?? generatePrivateKey();
    this.#nonce = options.nonce ?? randomBytes(NONCE_SIZE);
    this.#maxSize = options.maxHandshakeSize ?? DEFAULT_MAX_HANDSHAKE_SIZE;
  }

  /** Consumes the auth from `queue`: the ack to send and the secrets, or undefined while more bytes are needed. */
  readAuth(queue: ByteQueue): RecipientResult | undefined {
    const received = readHandshakePacket(queue, this.#privateKey, LEGACY_AUTH_SIZE, this.#maxSize);
    return received ? this.acceptAuth(received) : undefined;
  }

  /** Checks a decrypted auth (signature, keys) and builds the ack and secrets. */
  acceptAuth(received: HandshakePacket): RecipientResult {
    const auth = decodeAuthBody(received.plaintext, received.format);
    const remoteId = auth.initiatorPublicKey;
    // Stryker disable next-line StringLiteral: the text only names the failing value in error messages.
    const remoteEphemeralPublicKey = guard('auth signature or initiator key is invalid', () => {
      const staticShared = ecdhX(this.#privateKey, remoteId);
      return recoverPublicKey(xorBytes(staticShared, auth.nonce), auth.signature, 'raw');
    });
    if (auth.ephemeralPublicKeyHash) {
      const expected = publicKeyHash(remoteEphemeralPublicKey);
      if (!constantTimeEqual(expected, auth.ephemeralPublicKeyHash)) {
        throw bad('legacy auth ephemeral key hash does not match the signature');
      }
    }
    const ack = {
      ephemeralPublicKey: getPublicKey(this.#ephemeralPrivateKey, 'raw'),
      nonce: this.#nonce,
      version: HANDSHAKE_VERSION,
    };
    const ackPacket =
      received.format === 'legacy' ? sealLegacyAck(ack, remoteId) : sealEip8(encodeAckBody(ack), remoteId);
    const secrets = deriveSecrets({
      initiator: false,
      remoteId,
      ephemeralPrivateKey: this.#ephemeralPrivateKey,
      remoteEphemeralPublicKey,
      initiatorNonce: auth.nonce,
      recipientNonce: this.#nonce,
      authPacket: received.packet,
      ackPacket,
    });
    return { ackPacket, secrets, format: received.format, authVersion: auth.version };
  }
}
