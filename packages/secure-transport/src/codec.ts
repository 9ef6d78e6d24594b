import { create, fromBinary, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import {
  MAX_INSTALLATION_ID_LENGTH,
  MAX_MAP_ENTRIES,
  MAX_PROTOCOL_MESSAGE_SIZE,
  PUBLIC_KEY_LENGTH,
} from './constants.js';
import { SecureTransportError, SecureTransportErrorCode } from './errors.js';
import { type Bundle, type ProtocolMessage, ProtocolMessageSchema } from './generated/protocol_message_pb.js';

/** Limits applied by `decodeProtocolMessage`; each defaults to the constant of the same name. */
export interface ProtocolMessageLimits {
  /** Largest accepted encoding, checked before decoding (default `MAX_PROTOCOL_MESSAGE_SIZE`). */
  readonly maxMessageSize?: number;
  /** Most bundles, direct messages, and signed prekeys per bundle (default `MAX_MAP_ENTRIES`). */
  readonly maxMapEntries?: number;
  /** Longest installation id (default `MAX_INSTALLATION_ID_LENGTH`). */
  readonly maxInstallationIdLength?: number;
}

/**
 * Everything `encodeProtocolMessage` accepts: the protobuf-es init shape of `ProtocolMessage`, without the
 * deprecated `bundle` (field 1), which we read from older clients but never write.
 */
export type ProtocolMessageInit = Omit<MessageInitShape<typeof ProtocolMessageSchema>, 'bundle'>;

/** Protobuf encoding of a `ProtocolMessage` (status-go protocol_message.proto); never writes field 1. */
export function encodeProtocolMessage(message: ProtocolMessageInit): Uint8Array {
  // Current clients read only `bundles`: a field-1 copy would cost bytes and tell them nothing.
  const { bundle: _deprecated, ...current } = message as MessageInitShape<typeof ProtocolMessageSchema>;
  return toBinary(ProtocolMessageSchema, create(ProtocolMessageSchema, current));
}

/**
 * The bundles a message carries: `bundles` (field 3), or, only when that is empty, the deprecated single
 * `bundle` (field 1) of older clients. A sender filling both is a current client: its `bundles` win.
 */
export function attachedBundles(message: ProtocolMessage): readonly Bundle[] {
  if (message.bundles.length > 0 || message.bundle === undefined) return message.bundles;
  return [message.bundle];
}

function bad(message: string, details?: Record<string, unknown>): SecureTransportError {
  return new SecureTransportError(SecureTransportErrorCode.BadMessage, message, { details });
}

function checkKey(key: Uint8Array, what: string, optional = false): void {
  if (optional && key.length === 0) return;
  if (key.length !== PUBLIC_KEY_LENGTH) {
    throw bad(`${what} must be a ${PUBLIC_KEY_LENGTH}-byte compressed key`, { what, length: key.length });
  }
}

function checkId(id: string, max: number, what: string): void {
  if (id.length > max) throw bad(`${what} of ${id.length} characters exceeds ${max}`, { what, limit: max });
}

function checkCount(count: number, max: number, what: string): void {
  if (count > max) throw bad(`${count} ${what} exceed the limit of ${max}`, { what, count, limit: max });
}

/** Shape checks on a bundle that came off the wire; the signature is checked by `verifyBundle`. */
export function checkBundleShape(bundle: Bundle, limits: ProtocolMessageLimits = {}): void {
  const maxEntries = limits.maxMapEntries ?? MAX_MAP_ENTRIES;
  const maxId = limits.maxInstallationIdLength ?? MAX_INSTALLATION_ID_LENGTH;
  checkKey(bundle.identity, 'bundle identity');
  const ids = Object.keys(bundle.signedPreKeys);
  checkCount(ids.length, maxEntries, 'signed prekeys');
  for (const id of ids) {
    checkId(id, maxId, 'installation id');
    checkKey(bundle.signedPreKeys[id]!.signedPreKey, 'signed prekey');
  }
}

/**
 * Strict decoder for bytes from the network: size checked first, any protobuf failure becomes
 * ERR_ST_BAD_MESSAGE, key fields must be 33-byte compressed keys, map sizes and ids are limited. The
 * deprecated `bundle` (field 1) is checked like a `bundles` entry; unknown fields (hash-ratchet headers of
 * newer builds) are skipped.
 */
export function decodeProtocolMessage(
  bytes: Uint8Array,
  limits: ProtocolMessageLimits = {},
): ProtocolMessage {
  const maxSize = limits.maxMessageSize ?? MAX_PROTOCOL_MESSAGE_SIZE;
  const maxEntries = limits.maxMapEntries ?? MAX_MAP_ENTRIES;
  const maxId = limits.maxInstallationIdLength ?? MAX_INSTALLATION_ID_LENGTH;
  if (!(bytes instanceof Uint8Array)) throw bad('protocol message must be bytes');
  if (bytes.length > maxSize) {
    throw new SecureTransportError(
      SecureTransportErrorCode.MessageTooLarge,
      `protocol message of ${bytes.length} bytes exceeds ${maxSize}`,
      { details: { size: bytes.length, limit: maxSize } },
    );
  }
  let message: ProtocolMessage;
  try {
    message = fromBinary(ProtocolMessageSchema, bytes, { readUnknownFields: false });
  } catch (cause) {
    // protobuf-es throws plain Errors (RangeError on absurd nesting): all mean malformed input.
    throw new SecureTransportError(SecureTransportErrorCode.BadMessage, 'malformed protocol message', {
      cause,
    });
  }
  checkId(message.installationId, maxId, 'installation id');
  checkCount(message.bundles.length, maxEntries, 'bundles');
  for (const bundle of message.bundles) checkBundleShape(bundle, limits);
  if (message.bundle) checkBundleShape(message.bundle, limits);
  const targets = Object.keys(message.directMessage);
  checkCount(targets.length, maxEntries, 'direct messages');
  for (const target of targets) {
    checkId(target, maxId, 'installation id');
    const direct = message.directMessage[target]!;
    if (direct.X3DHHeader) {
      checkKey(direct.X3DHHeader.key, 'X3DH ephemeral key');
      checkKey(direct.X3DHHeader.id, 'X3DH signed prekey id');
    }
    if (direct.DRHeader) {
      checkKey(direct.DRHeader.key, 'DR ratchet key');
      checkKey(direct.DRHeader.id, 'DR bundle id', true);
    }
    if (direct.DHHeader) checkKey(direct.DHHeader.key, 'DH ephemeral key');
  }
  return message;
}
