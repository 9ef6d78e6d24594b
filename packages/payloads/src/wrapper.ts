import { bytesToHex } from '@status-ts/core';
import { createKeccak256, getPublicKey, keccak256 } from '@status-ts/crypto';
import { decodeProto } from './decode.js';
import { decodeEnum, type EnumName, enumValueOf } from './enums.js';
import { PayloadError, PayloadErrorCode } from './errors.js';
import { MAX_WRAPPED_MESSAGE_BYTES } from './limits.js';
import {
  type ApplicationMetadataMessage_Type,
  ApplicationMetadataMessage_TypeSchema,
  ApplicationMetadataMessageSchema,
} from './proto.js';
import { ProtoWriter } from './proto-writer.js';
import { recoverKeccakSigner, signKeccak } from './signature.js';

/** The payload kinds of ApplicationMetadataMessage.Type (status-go v0.62.0), as names. */
export type ApplicationMessageType = EnumName<typeof ApplicationMetadataMessage_Type>;

/** A private key with its 65-byte public key computed once (signing many messages needs it for the ids). */
export interface MessageSigner {
  readonly privateKey: Uint8Array;
  /** 65-byte uncompressed public key: the author key of every message this signer wraps. */
  readonly publicKey: Uint8Array;
}

/** A signer for `privateKey` (computes its public key once). */
export function messageSigner(privateKey: Uint8Array): MessageSigner {
  let publicKey: Uint8Array;
  try {
    publicKey = getPublicKey(privateKey, 'uncompressed');
  } catch (cause) {
    throw new PayloadError(PayloadErrorCode.InvalidArgument, 'invalid private key', { cause });
  }
  return { privateKey, publicKey };
}

/** An ApplicationMetadataMessage with what the receiver learns from it. */
export interface ApplicationMessage {
  /** The serialized wrapper: exactly the bytes the id hashes (as received, never re-encoded). */
  readonly bytes: Uint8Array;
  readonly type: ApplicationMessageType;
  /** The type's number on the wire (kept for numbers from a newer proto version, which read as UNKNOWN). */
  readonly typeCode: number;
  /** The encoded inner message (ChatMessage, ContactUpdate…). */
  readonly payload: Uint8Array;
  /** Whether the author signed it. Unsigned messages are deniable: never relay them to third parties. */
  readonly signed: boolean;
  /** 65-byte r‖s‖v over Keccak-256(payload), or undefined when unsigned. */
  readonly signature: Uint8Array | undefined;
  /** The author's 65-byte key recovered from the signature, or undefined when unsigned. */
  readonly author: Uint8Array | undefined;
  /**
   * Keccak-256(author ‖ bytes), status-go's MessageID. For an unsigned wrapper status-go hashes the bytes
   * alone (its author key is nil), and so do we.
   */
  readonly id: Uint8Array;
}

/** status-go's MessageID: Keccak-256(65-byte author key ‖ serialized wrapper). */
export function applicationMessageId(author: Uint8Array | undefined, wrapperBytes: Uint8Array): Uint8Array {
  if (author === undefined) return keccak256(wrapperBytes);
  return createKeccak256().update(author).update(wrapperBytes).digest();
}

/** A message id as Status prints it: `0x` + 64 lowercase hex digits. */
export function messageIdToHex(id: Uint8Array): string {
  return `0x${bytesToHex(id)}`;
}

/** Input of `wrapApplicationMessage`. */
export interface WrapInput {
  readonly type: ApplicationMessageType;
  /** The encoded inner message. */
  readonly payload: Uint8Array;
  /** The author. Omit only for deniable messages (they cannot be attributed nor relayed). */
  readonly signer?: MessageSigner;
}

function tooLarge(what: string, size: number, limit: number): PayloadError {
  return new PayloadError(
    PayloadErrorCode.TooLarge,
    `${what} of ${size} bytes exceeds the limit of ${limit}`,
    {
      details: { size, limit },
    },
  );
}

/**
 * status-go's WrapMessageV1: signs Keccak-256(payload) with the author key (recoverable, RFC 6979, so the
 * bytes are deterministic) and serializes `{signature, payload, type}`; returns the wrapper with its id.
 */
export function wrapApplicationMessage(input: WrapInput): ApplicationMessage {
  const typeCode = enumValueOf(ApplicationMetadataMessage_TypeSchema, input.type);
  if (typeCode === 0) {
    throw new PayloadError(PayloadErrorCode.InvalidArgument, 'cannot send a message of type UNKNOWN');
  }
  const signature = input.signer ? signKeccak(input.signer.privateKey, input.payload) : undefined;
  // Fields 1-3 in order, as Go writes them (an unsigned message omits field 1).
  const writer = new ProtoWriter();
  if (signature) writer.bytes(1, signature);
  const bytes = writer.bytes(2, input.payload).uint(3, typeCode).finish();
  if (bytes.length > MAX_WRAPPED_MESSAGE_BYTES) {
    throw tooLarge('wrapped message', bytes.length, MAX_WRAPPED_MESSAGE_BYTES);
  }
  const author = input.signer?.publicKey;
  return {
    bytes,
    type: input.type,
    typeCode,
    payload: input.payload,
    signed: signature !== undefined,
    signature,
    author,
    id: applicationMessageId(author, bytes),
  };
}

/** Options of `unwrapApplicationMessage`. */
export interface UnwrapOptions {
  /** Largest wrapper accepted (default MAX_WRAPPED_MESSAGE_BYTES, Waku's default max message size). */
  readonly maxBytes?: number;
  /** Reject unsigned wrappers with ERR_PAYLOAD_UNSIGNED (status-go accepts them; public chats must not). */
  readonly requireSignature?: boolean;
}

/**
 * Decodes a received ApplicationMetadataMessage, recovers its author from the signature
 * (ERR_PAYLOAD_BAD_SIGNATURE when it does not recover) and computes its id from the bytes as received.
 * An empty signature reads as unsigned, as status-go's RecoverKey does for a nil one.
 */
export function unwrapApplicationMessage(bytes: Uint8Array, options: UnwrapOptions = {}): ApplicationMessage {
  const limit = options.maxBytes ?? MAX_WRAPPED_MESSAGE_BYTES;
  if (bytes.length > limit) throw tooLarge('wrapped message', bytes.length, limit);
  const pb = decodeProto(ApplicationMetadataMessageSchema, bytes, limit);
  const signed = pb.signature.length > 0;
  if (!signed && options.requireSignature) {
    throw new PayloadError(PayloadErrorCode.Unsigned, 'the message is not signed');
  }
  const author = signed ? recoverKeccakSigner(pb.signature, pb.payload) : undefined;
  return {
    bytes,
    type: decodeEnum<ApplicationMessageType>(ApplicationMetadataMessage_TypeSchema, pb.type, 'UNKNOWN'),
    typeCode: pb.type,
    payload: pb.payload,
    signed,
    signature: signed ? pb.signature : undefined,
    author,
    id: applicationMessageId(author, bytes),
  };
}
