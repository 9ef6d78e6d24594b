import type { Envelope } from '../envelope/envelope.js';
import { WakuError, WakuErrorCode } from '../errors.js';
import type { Topic } from '../topics.js';
import {
  assertPublicKey,
  assertSymKey,
  decryptAsymmetricPayload,
  decryptSymmetricPayload,
  encryptAsymmetricPayload,
  encryptSymmetricPayload,
} from './encryption.js';
import { type DecodedPayload, decodePayload, type EncodePayloadOptions, encodePayload } from './payload.js';

/** Exactly one decryption key: a 32-byte symmetric key or a secp256k1 private key (WAKU-22). */
export type PayloadKey =
  | { symKey: Uint8Array; privateKey?: undefined }
  | { privateKey: Uint8Array; symKey?: undefined };

/** Exactly one encryption key: a 32-byte symmetric key or the recipient's public key. */
export type RecipientKey =
  | { symKey: Uint8Array; publicKey?: undefined }
  | { publicKey: Uint8Array; symKey?: undefined };

export type BuildDataOptions = EncodePayloadOptions &
  RecipientKey & {
    /** Fixed AES-GCM nonce, for reproducing vectors only. */
    gcmNonce?: Uint8Array;
  };

function exactlyOne(a: unknown, b: unknown, names: string): void {
  if ((a === undefined) === (b === undefined)) {
    throw new WakuError(WakuErrorCode.BadKey, `give exactly one of ${names}`);
  }
}

/** Plaintext (flags, size, payload, padding, signature) encrypted to the recipient: an envelope's `data`. */
export function buildEnvelopeData(options: BuildDataOptions): Uint8Array {
  // Stryker disable next-line StringLiteral: the names only reach the error message
  exactlyOne(options.symKey, options.publicKey, 'symKey and publicKey');
  if (options.symKey !== undefined) assertSymKey(options.symKey);
  else assertPublicKey(options.publicKey);
  const plaintext = encodePayload(options);
  return options.symKey !== undefined
    ? encryptSymmetricPayload(options.symKey, plaintext, options.gcmNonce)
    : encryptAsymmetricPayload(options.publicKey!, plaintext);
}

/** Decrypts and parses an envelope's data. ERR_WAKU_DECRYPT or ERR_WAKU_BAD_PAYLOAD. */
export function openEnvelopeData(
  data: Uint8Array,
  key: PayloadKey,
): DecodedPayload & { plaintext: Uint8Array } {
  // Stryker disable next-line StringLiteral: the names only reach the error message
  exactlyOne(key.symKey, key.privateKey, 'symKey and privateKey');
  const plaintext =
    key.symKey !== undefined
      ? decryptSymmetricPayload(key.symKey, data)
      : decryptAsymmetricPayload(key.privateKey!, data);
  return { ...decodePayload(plaintext), plaintext };
}

/** A decrypted envelope as filters deliver it. */
export interface ReceivedMessage {
  payload: Uint8Array;
  padding: Uint8Array;
  /** 65-byte uncompressed public key of the signer, when the payload is signed. */
  signer?: Uint8Array;
  signature?: Uint8Array;
  topic: Topic;
  ttl: number;
  expiry: number;
  /** `expiry - ttl`, unix seconds. */
  sent: number;
  pow: number;
  /** Envelope hash (status-go's message id). */
  hash: Uint8Array;
  hashHex: string;
  /** Which key kind opened it. */
  encryption: 'symmetric' | 'asymmetric';
  /** Delivered through a P2P Message from a trusted peer (mailserver history), not relayed. */
  p2p: boolean;
  /** The peer it came from; undefined for our own posts. */
  peerId?: Uint8Array;
  envelope: Envelope;
}

export interface OpenContext {
  p2p?: boolean;
  peerId?: Uint8Array;
  /** PoW to report (defaults to the envelope's own PoW). */
  pow?: number;
}

/** Opens an envelope with one key. Throws ERR_WAKU_DECRYPT or ERR_WAKU_BAD_PAYLOAD when it is not for us. */
export function openEnvelope(
  envelope: Envelope,
  key: PayloadKey,
  context: OpenContext = {},
): ReceivedMessage {
  const opened = openEnvelopeData(envelope.data, key);
  const message: ReceivedMessage = {
    payload: opened.payload,
    padding: opened.padding,
    topic: envelope.topic,
    ttl: envelope.ttl,
    expiry: envelope.expiry,
    sent: envelope.sent,
    pow: context.pow ?? envelope.pow(),
    hash: envelope.hash,
    hashHex: envelope.hashHex,
    encryption: key.symKey !== undefined ? 'symmetric' : 'asymmetric',
    p2p: context.p2p ?? false,
    envelope,
  };
  if (opened.signer) {
    message.signer = opened.signer;
    message.signature = opened.signature!;
  }
  if (context.peerId) message.peerId = context.peerId;
  return message;
}
