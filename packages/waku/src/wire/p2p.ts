import { bytesToUtf8, concatBytes, equalBytes, utf8ToBytes } from '@status-ts/core';
import { rlpDecode, rlpEncode, rlpToBytes } from '@status-ts/enr';
import { Envelope } from '../envelope/envelope.js';
import { decodeEnvelopesOrSingle, encodeEnvelopeList } from '../envelope/envelope-list.js';
import { WakuError, WakuErrorCode } from '../errors.js';

/**
 * P2P Request (code 126). status-go reads it first as an envelope (the deprecated, encrypted mailserver
 * request) and otherwise as a MessagesRequest struct, which the mailserver package decodes from `payload`.
 */
export interface P2PRequest {
  /** The RLP payload as received. */
  payload: Uint8Array;
  /** Set when the payload is an envelope. */
  envelope?: Envelope;
}

export function decodeP2PRequest(payload: Uint8Array): P2PRequest {
  try {
    return { payload, envelope: Envelope.decode(payload) };
  } catch {
    return { payload };
  }
}

/** An envelope request is sent as the envelope's bytes; any other request as its RLP bytes. */
export function encodeP2PRequest(request: Envelope | Uint8Array): Uint8Array {
  return request instanceof Envelope ? request.raw : request;
}

/** P2P Message (code 127): a list of envelopes (a single envelope from go-ethereum Whisper is accepted too). */
export const encodeP2PMessages: (envelopes: readonly Envelope[]) => Uint8Array = encodeEnvelopeList;
export const decodeP2PMessages: (payload: Uint8Array) => Envelope[] = decodeEnvelopesOrSingle;

const HASH_LENGTH = 32;
/** Mailserver cursor: 4-byte big-endian sent time || envelope hash. */
export const CURSOR_LENGTH = 36;
const FAILED_PREFIX = utf8ToBytes('ERROR=');

/**
 * P2P Request Complete (code 125): RLP bytes `requestId || lastEnvelopeHash || cursor` (the last two
 * optional), or `"ERROR=" || requestId || message` for a failed request (status-go mailserver_response.go).
 */
export interface P2PRequestComplete {
  requestId: Uint8Array;
  lastEnvelopeHash?: Uint8Array;
  cursor?: Uint8Array;
  /** Set for a failed request. */
  error?: string;
}

function badPacket(message: string, cause?: unknown): WakuError {
  return new WakuError(WakuErrorCode.BadPacket, message, { cause }); // an undefined cause is dropped by StatusTsError
}

export function encodeP2PRequestComplete(complete: P2PRequestComplete): Uint8Array {
  if (complete.requestId.length !== HASH_LENGTH) throw badPacket('request id must be 32 bytes');
  if (complete.error !== undefined) {
    return rlpEncode(concatBytes(FAILED_PREFIX, complete.requestId, utf8ToBytes(complete.error)));
  }
  const parts = [complete.requestId];
  if (complete.lastEnvelopeHash || complete.cursor) {
    const last = complete.lastEnvelopeHash ?? new Uint8Array(HASH_LENGTH);
    if (last.length !== HASH_LENGTH) throw badPacket('last envelope hash must be 32 bytes');
    parts.push(last);
  }
  if (complete.cursor && complete.cursor.length > 0) {
    if (complete.cursor.length !== CURSOR_LENGTH) throw badPacket(`cursor must be ${CURSOR_LENGTH} bytes`);
    parts.push(complete.cursor);
  }
  return rlpEncode(concatBytes(...parts));
}

/** Decodes the RLP bytes and splits them as status-go's CreateMailServerEvent does. ERR_WAKU_BAD_PACKET. */
export function decodeP2PRequestComplete(payload: Uint8Array): P2PRequestComplete {
  let body: Uint8Array;
  try {
    body = rlpToBytes(rlpDecode(payload), undefined, 'request complete payload');
  } catch (cause) {
    throw badPacket('malformed p2p request complete', cause);
  }
  if (body.length < HASH_LENGTH)
    throw badPacket(`request complete payload of ${body.length} bytes is too short`);
  if (
    body.length >= HASH_LENGTH + FAILED_PREFIX.length &&
    equalBytes(body.subarray(0, FAILED_PREFIX.length), FAILED_PREFIX)
  ) {
    const rest = body.subarray(FAILED_PREFIX.length);
    let error: string;
    try {
      error = bytesToUtf8(rest.subarray(HASH_LENGTH));
    } catch {
      error = 'unreadable error message';
    }
    return { requestId: rest.subarray(0, HASH_LENGTH), error };
  }
  if (body.length > 2 * HASH_LENGTH + CURSOR_LENGTH) {
    throw badPacket(`request complete payload of ${body.length} bytes is too long`);
  }
  const result: P2PRequestComplete = { requestId: body.subarray(0, HASH_LENGTH) };
  const rest = body.subarray(HASH_LENGTH);
  if (rest.length >= HASH_LENGTH) result.lastEnvelopeHash = rest.subarray(0, HASH_LENGTH);
  if (rest.length - HASH_LENGTH >= CURSOR_LENGTH) result.cursor = rest.subarray(HASH_LENGTH);
  return result;
}
