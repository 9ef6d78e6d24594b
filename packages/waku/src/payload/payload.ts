import { keccak256, randomBytes, recoverPublicKey, sign } from '@status-ts/crypto';
import { MAX_PAYLOAD_LENGTH, PADDING_BLOCK_SIZE, SIGNATURE_LENGTH } from '../constants.js';
import { WakuError, WakuErrorCode } from '../errors.js';

/** Bits of the payload flags byte (WAKU-19). */
export const PayloadFlag = {
  /** Low two bits: length of the payload size field in bytes. */
  SizeMask: 0x03,
  /** A 65-byte recoverable signature ends the plaintext. */
  Signed: 0x04,
} as const;

export interface EncodePayloadOptions {
  payload: Uint8Array;
  /** Explicit padding, used as is; by default random bytes align the plaintext to 256 bytes. */
  padding?: Uint8Array;
  /** Private key that signs the plaintext (65-byte `r||s||v` appended). */
  signingKey?: Uint8Array;
}

/** A parsed plaintext: what the sender put in, and the recovered signer when signed. */
export interface DecodedPayload {
  flags: number;
  payload: Uint8Array;
  padding: Uint8Array;
  /** `r||s||v` when the signed flag is set. */
  signature?: Uint8Array;
  /** 65-byte uncompressed public key recovered from the signature. */
  signer?: Uint8Array;
}

function badPayload(message: string, cause?: unknown): WakuError {
  // WakuError leaves out an undefined cause.
  return new WakuError(WakuErrorCode.BadPayload, message, { cause });
}

/** Bytes of the little-endian payload size field (go-ethereum getSizeOfPayloadSizeField). */
export function sizeFieldLength(payloadLength: number): number {
  let n = 1;
  for (let i = payloadLength; i >= 256; i = Math.floor(i / 256)) n++;
  return n;
}

/**
 * Random padding bytes added when none is given (WAKU-20): the plaintext including the signature becomes a
 * multiple of 256 bytes; an already aligned one still gets 256 bytes, as go-ethereum does.
 */
export function paddingLength(payloadLength: number, signed: boolean): number {
  const rawSize = 1 + sizeFieldLength(payloadLength) + payloadLength + (signed ? SIGNATURE_LENGTH : 0);
  return PADDING_BLOCK_SIZE - (rawSize % PADDING_BLOCK_SIZE);
}

function randomPadding(length: number): Uint8Array {
  // status-go refuses an all-zero pad longer than 3 bytes (a broken RNG); draw again in that case.
  for (;;) {
    const pad = randomBytes(length);
    if (length <= 3 || pad.some((b) => b !== 0)) return pad;
  }
}

/**
 * Builds the plaintext `flags | size (LE) | payload | padding | [signature]` (WAKU-19..21). The signature is
 * over Keccak-256 of everything before it, computed after setting the signed flag.
 */
export function encodePayload(options: EncodePayloadOptions): Uint8Array {
  const { payload } = options;
  if (!(payload instanceof Uint8Array)) throw badPayload('payload must be a Uint8Array');
  if (payload.length > MAX_PAYLOAD_LENGTH) {
    throw new WakuError(
      WakuErrorCode.TooLarge,
      `payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD_LENGTH}`,
    );
  }
  const signed = options.signingKey !== undefined;
  const fieldLength = sizeFieldLength(payload.length);
  const padding = options.padding ?? randomPadding(paddingLength(payload.length, signed));
  const bodyLength = 1 + fieldLength + payload.length + padding.length;
  const out = new Uint8Array(bodyLength + (signed ? SIGNATURE_LENGTH : 0));
  out[0] = fieldLength | (signed ? PayloadFlag.Signed : 0);
  // Little-endian; the field has room for every byte of the length (a zero length leaves it 0).
  for (let i = 1, v = payload.length; v > 0; i++, v = Math.floor(v / 256)) out[i] = v & 0xff;
  out.set(payload, 1 + fieldLength);
  out.set(padding, 1 + fieldLength + payload.length);
  if (signed) out.set(sign(keccak256(out.subarray(0, bodyLength)), options.signingKey!), bodyLength);
  return out;
}

/**
 * Parses a decrypted plaintext and recovers the signer (status-go ValidateAndParse, but strict: the size
 * field and the payload must fit before the signature). Throws ERR_WAKU_BAD_PAYLOAD.
 */
export function decodePayload(raw: Uint8Array): DecodedPayload {
  if (!(raw instanceof Uint8Array) || raw.length < 1) throw badPayload('empty payload');
  const flags = raw[0]!;
  let end = raw.length;
  let signature: Uint8Array | undefined;
  let signer: Uint8Array | undefined;
  if ((flags & PayloadFlag.Signed) !== 0) {
    end -= SIGNATURE_LENGTH;
    if (end <= 1) throw badPayload('signed payload is too short for its signature');
    signature = raw.subarray(end);
    try {
      signer = recoverPublicKey(keccak256(raw.subarray(0, end)), signature);
    } catch (cause) {
      throw badPayload('payload signature does not recover a public key', cause);
    }
  }
  const fieldLength = flags & PayloadFlag.SizeMask;
  let begin = 1;
  let payloadLength = 0;
  // A zero-length field (no size) passes both checks: end is at least 1.
  if (1 + fieldLength > end) throw badPayload('payload size field runs past the end');
  for (let i = fieldLength - 1; i >= 0; i--) payloadLength = payloadLength * 256 + raw[1 + i]!;
  begin += fieldLength;
  if (begin + payloadLength > end) throw badPayload(`payload of ${payloadLength} bytes runs past the end`);
  const result: DecodedPayload = {
    flags,
    payload: raw.subarray(begin, begin + payloadLength),
    padding: raw.subarray(begin + payloadLength, end),
  };
  if (signature) {
    result.signature = signature;
    result.signer = signer!;
  }
  return result;
}
