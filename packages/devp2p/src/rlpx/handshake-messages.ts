import { concatBytes } from '@status-ts/core';
import { ECIES_OVERHEAD, eciesDecrypt, eciesEncrypt, keccak256 } from '@status-ts/crypto';
import { type RlpItem, rlpDecodeFirst, rlpEncode, rlpToBigInt, rlpToBytes, rlpToList } from '@status-ts/enr';
import { Devp2pError, Devp2pErrorCode } from '../errors.js';
import type { ByteQueue } from './byte-queue.js';

// Auth and ack messages of the RLPx encryption handshake: EIP-8 (size prefix + ECIES with the prefix as
// shared MAC data, RLP body + padding) and the legacy pre-EIP-8 fixed-size form (checklist RLPX-02..04).

export const SIGNATURE_SIZE = 65;
export const PUBLIC_KEY_SIZE = 64;
export const NONCE_SIZE = 32;
/** Legacy plaintexts: sig || keccak(eph-pub) || pub || nonce || 0x00, and eph-pub || nonce || 0x00. */
export const LEGACY_AUTH_PLAINTEXT_SIZE = SIGNATURE_SIZE + 32 + PUBLIC_KEY_SIZE + NONCE_SIZE + 1;
export const LEGACY_ACK_PLAINTEXT_SIZE = PUBLIC_KEY_SIZE + NONCE_SIZE + 1;
export const LEGACY_AUTH_SIZE = LEGACY_AUTH_PLAINTEXT_SIZE + ECIES_OVERHEAD; // 307
export const LEGACY_ACK_SIZE = LEGACY_ACK_PLAINTEXT_SIZE + ECIES_OVERHEAD; // 210
/** EIP-8 bodies are padded with 100-299 bytes so they are longer than the legacy packets. */
export const MIN_EIP8_PADDING = 100;
export const MAX_EIP8_PADDING = 299;
/** The version field we write in auth and ack bodies. */
export const HANDSHAKE_VERSION = 4;

export type HandshakeFormat = 'eip8' | 'legacy';

export interface AuthMessage {
  signature: Uint8Array;
  initiatorPublicKey: Uint8Array;
  nonce: Uint8Array;
  version: number;
  /** Present in the legacy form only: keccak256 of the initiator's ephemeral public key. */
  ephemeralPublicKeyHash?: Uint8Array;
}

export interface AckMessage {
  ephemeralPublicKey: Uint8Array;
  nonce: Uint8Array;
  version: number;
}

function bad(message: string, cause?: unknown): Devp2pError {
  // An undefined cause is left out by the error class itself.
  return new Devp2pError(Devp2pErrorCode.BadHandshake, message, { cause });
}

/** `item` exists: decodeList checked the element count. */
function fixed(item: RlpItem, size: number, what: string): Uint8Array {
  return rlpToBytes(item, size, what).slice();
}

function randomPaddingLength(): number {
  return MIN_EIP8_PADDING + Math.floor(Math.random() * (MAX_EIP8_PADDING - MIN_EIP8_PADDING + 1));
}

/** Seals an EIP-8 body: `size(2, BE) || ECIES(remote, body || padding, shared MAC data = size)`. */
export function sealEip8(body: Uint8Array, remotePublicKey: Uint8Array, paddingLength?: number): Uint8Array {
  const plaintext = new Uint8Array(body.length + (paddingLength ?? randomPaddingLength()));
  plaintext.set(body);
  const size = plaintext.length + ECIES_OVERHEAD;
  const prefix = Uint8Array.of(size >>> 8, size & 0xff);
  return concatBytes(prefix, eciesEncrypt(remotePublicKey, plaintext, prefix));
}

export function encodeAuthBody(msg: AuthMessage): Uint8Array {
  return rlpEncode([msg.signature, msg.initiatorPublicKey, msg.nonce, msg.version]);
}

export function encodeAckBody(msg: AckMessage): Uint8Array {
  return rlpEncode([msg.ephemeralPublicKey, msg.nonce, msg.version]);
}

/** The legacy auth packet (307 bytes). */
export function sealLegacyAuth(msg: AuthMessage, remotePublicKey: Uint8Array): Uint8Array {
  const hash = msg.ephemeralPublicKeyHash;
  if (!hash) throw bad('legacy auth needs the ephemeral public key hash');
  const plaintext = concatBytes(msg.signature, hash, msg.initiatorPublicKey, msg.nonce, new Uint8Array(1));
  return eciesEncrypt(remotePublicKey, plaintext);
}

/** The legacy ack packet (210 bytes). */
export function sealLegacyAck(msg: AckMessage, remotePublicKey: Uint8Array): Uint8Array {
  return eciesEncrypt(remotePublicKey, concatBytes(msg.ephemeralPublicKey, msg.nonce, new Uint8Array(1)));
}

function decodeList(plaintext: Uint8Array, fields: number, what: string): RlpItem[] {
  try {
    // Stryker disable next-line StringLiteral: the text only names the failing value in error messages.
    return rlpToList(rlpDecodeFirst(plaintext, { maxItems: 1024 }).item, fields, `${what} body`);
  } catch (cause) {
    throw bad(`${what} body is not an RLP list of at least ${fields} elements`, cause);
  }
}

/** Any version is accepted (EIP-8); like go-ethereum's uint it must fit 64 bits. */
function versionOf(item: RlpItem): number {
  // Stryker disable next-line StringLiteral: the text only names the failing value in error messages.
  return Number(rlpToBigInt(item, 8, 'handshake version'));
}

/** Decodes an auth plaintext; extra list elements and any version are accepted (EIP-8). */
export function decodeAuthBody(plaintext: Uint8Array, format: HandshakeFormat): AuthMessage {
  if (format === 'legacy') {
    if (plaintext.length !== LEGACY_AUTH_PLAINTEXT_SIZE) throw bad('legacy auth has the wrong size');
    return {
      signature: plaintext.slice(0, 65),
      ephemeralPublicKeyHash: plaintext.slice(65, 97),
      initiatorPublicKey: plaintext.slice(97, 161),
      nonce: plaintext.slice(161, 193),
      version: HANDSHAKE_VERSION,
    };
  }
  // Stryker disable next-line StringLiteral: the text only names the failing value in error messages.
  const list = decodeList(plaintext, 4, 'auth');
  try {
    return {
      // Stryker disable StringLiteral: the text only names the failing value in error messages.
      signature: fixed(list[0]!, SIGNATURE_SIZE, 'auth signature'),
      initiatorPublicKey: fixed(list[1]!, PUBLIC_KEY_SIZE, 'initiator public key'),
      nonce: fixed(list[2]!, NONCE_SIZE, 'initiator nonce'),
      // Stryker restore StringLiteral
      version: versionOf(list[3]!),
    };
  } catch (err) {
    // Stryker disable next-line StringLiteral: error message text.
    throw err instanceof Devp2pError ? err : bad('malformed auth body', err);
  }
}

/** Decodes an ack plaintext; extra list elements and any version are accepted (EIP-8). */
export function decodeAckBody(plaintext: Uint8Array, format: HandshakeFormat): AckMessage {
  if (format === 'legacy') {
    if (plaintext.length !== LEGACY_ACK_PLAINTEXT_SIZE) throw bad('legacy ack has the wrong size');
    return {
      ephemeralPublicKey: plaintext.slice(0, 64),
      nonce: plaintext.slice(64, 96),
      version: HANDSHAKE_VERSION,
    };
  }
  // Stryker disable next-line StringLiteral: the text only names the failing value in error messages.
  const list = decodeList(plaintext, 3, 'ack');
  try {
    return {
      // Stryker disable StringLiteral: the text only names the failing value in error messages.
      ephemeralPublicKey: fixed(list[0]!, PUBLIC_KEY_SIZE, 'ephemeral public key'),
      nonce: fixed(list[1]!, NONCE_SIZE, 'recipient nonce'),
      // Stryker restore StringLiteral
      version: versionOf(list[2]!),
    };
  } catch (err) {
    // Stryker disable next-line StringLiteral: error message text.
    throw err instanceof Devp2pError ? err : bad('malformed ack body', err);
  }
}

export interface HandshakePacket {
  /** The whole packet as received (with the EIP-8 size prefix): it seeds the MAC states. */
  packet: Uint8Array;
  plaintext: Uint8Array;
  format: HandshakeFormat;
}

function tryDecrypt(privateKey: Uint8Array, ciphertext: Uint8Array, macData?: Uint8Array): Uint8Array | null {
  try {
    return eciesDecrypt(privateKey, ciphertext, macData);
  } catch {
    return null;
  }
}

/**
 * Reads one auth (`legacySize` 307) or ack (210) packet from `queue` once enough bytes have arrived:
 * undefined means "need more bytes". A packet starting with 0x04 may be legacy (the ECIES ephemeral key)
 * or an EIP-8 size of 1024-1279 bytes, so it is tried as legacy first, as go-ethereum did.
 */
export function readHandshakePacket(
  queue: ByteQueue,
  privateKey: Uint8Array,
  legacySize: number,
  maxSize: number,
): HandshakePacket | undefined {
  if (queue.length < 2) return undefined;
  if (queue.peekByte(0) === 0x04) {
    if (queue.length < legacySize) return undefined;
    const packet = queue.peek(legacySize);
    const plaintext = tryDecrypt(privateKey, packet);
    if (plaintext !== null) {
      queue.skip(legacySize);
      return { packet: packet.slice(), plaintext, format: 'legacy' };
    }
  }
  const size = (queue.peekByte(0) << 8) | queue.peekByte(1);
  if (size > maxSize) {
    throw new Devp2pError(
      Devp2pErrorCode.HandshakeTooLarge,
      `handshake message declares ${size} bytes, limit is ${maxSize}`,
      { details: { size, limit: maxSize } },
    );
  }
  if (size <= ECIES_OVERHEAD) throw bad(`handshake message of ${size} bytes is too short`);
  if (queue.length < size + 2) return undefined;
  const packet = queue.read(size + 2).slice();
  const plaintext = tryDecrypt(privateKey, packet.subarray(2), packet.subarray(0, 2));
  if (plaintext === null) throw bad('handshake message does not decrypt with our key');
  return { packet, plaintext, format: 'eip8' };
}

/** keccak256 of a 64-byte public key, as the legacy auth carries it. */
export function publicKeyHash(publicKey: Uint8Array): Uint8Array {
  return keccak256(publicKey);
}
