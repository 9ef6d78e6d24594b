import { rlpDecode, rlpEncode, rlpRaw, rlpToBool, rlpToBytes, rlpToUint } from '@status-ts/enr';
import { BLOOM_SIZE } from '../constants.js';
import type { Envelope } from '../envelope/envelope.js';
import { decodeEnvelopeList, encodeEnvelopeList, listItemSpans } from '../envelope/envelope-list.js';
import { WakuError, WakuErrorCode } from '../errors.js';
import { CURSOR_LENGTH } from './p2p.js';

/**
 * Whisper v6 mailserver-to-mailserver sync (shh/6 codes 123 and 124, SHH-01; status-go `whisper/whisper.go`
 * `p2pSyncRequestCode` / `p2pSyncResponseCode`, structs in `whisper/const.go`). waku/1 has no such codes.
 */

/** status-go `MaxLimitInSyncMailRequest`: the most envelopes one sync request may ask for. */
export const MAX_SYNC_LIMIT = 1000;

/** P2P Sync Request (123): RLP `[Lower, Upper, Bloom, Limit, Cursor]` (status-go `SyncMailRequest`). */
export interface SyncMailRequest {
  /** Oldest sent time wanted (Unix seconds, uint32). */
  lower: number;
  /** Newest sent time wanted (Unix seconds, uint32); at least `lower`. */
  upper: number;
  /** Bloom filter of the topics wanted: 64 bytes, or empty. */
  bloom: Uint8Array;
  /** Most envelopes to return, 1..1000. */
  limit: number;
  /** Where to continue (a previous response's cursor, 36 bytes), or empty to start. */
  cursor: Uint8Array;
}

/** P2P Sync Response (124): RLP `[[envelopes...], Cursor, Final, Error]` (status-go `SyncResponse`). */
export interface SyncResponse {
  envelopes: Envelope[];
  /** Where the next request should continue; empty when nothing is left. */
  cursor: Uint8Array;
  /** True when every matching envelope has been sent. */
  final: boolean;
  /** The server's error text; empty on success. */
  error: string;
}

function badPacket(message: string, cause?: unknown): WakuError {
  return new WakuError(WakuErrorCode.BadPacket, message, { cause }); // an undefined cause is dropped by StatusTsError
}

const UINT32_MAX = 0xffffffff;

function isUint32(value: unknown): value is number {
  // Number.isInteger is false for anything that is not a number, so no typeof check is needed.
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= UINT32_MAX;
}

/**
 * status-go's `SyncMailRequest.Validate` (limit 1..1000, lower <= upper) plus the field shapes it relies on
 * (uint32 times, a 64-byte or empty bloom, a 36-byte or empty cursor). Throws ERR_WAKU_BAD_PACKET.
 */
export function validateSyncMailRequest(request: SyncMailRequest): void {
  for (const bound of ['lower', 'upper'] as const) {
    if (!isUint32(request[bound])) {
      throw badPacket(`sync request ${bound} must be a uint32 Unix time, got ${String(request[bound])}`);
    }
  }
  if (request.lower > request.upper) {
    throw badPacket(`sync request lower (${request.lower}) is after upper (${request.upper})`);
  }
  if (!isUint32(request.limit) || request.limit < 1 || request.limit > MAX_SYNC_LIMIT) {
    throw badPacket(`sync request limit must be 1..${MAX_SYNC_LIMIT}, got ${request.limit}`);
  }
  if (
    !(request.bloom instanceof Uint8Array) ||
    (request.bloom.length !== 0 && request.bloom.length !== BLOOM_SIZE)
  ) {
    throw badPacket(`sync request bloom must be ${BLOOM_SIZE} bytes or empty`);
  }
  assertCursor(request.cursor, 'sync request');
}

function assertCursor(cursor: Uint8Array, what: string): void {
  if (!(cursor instanceof Uint8Array) || (cursor.length !== 0 && cursor.length !== CURSOR_LENGTH)) {
    throw badPacket(`${what} cursor must be ${CURSOR_LENGTH} bytes or empty`);
  }
}

export function encodeSyncMailRequest(request: SyncMailRequest): Uint8Array {
  validateSyncMailRequest(request);
  return rlpEncode([request.lower, request.upper, request.bloom, request.limit, request.cursor]);
}

/**
 * Decodes and validates a sync request: exactly five items, as go-ethereum's RLP decodes the struct, with
 * canonical integers of at most 4 bytes. Throws ERR_WAKU_BAD_PACKET.
 */
export function decodeSyncMailRequest(payload: Uint8Array): SyncMailRequest {
  let request: SyncMailRequest;
  try {
    const item = rlpDecode(payload);
    if (item instanceof Uint8Array || item.length !== 5) {
      throw badPacket('sync request must be a list [lower, upper, bloom, limit, cursor]');
    }
    request = {
      lower: rlpToUint(item[0]!, 4, 'sync request lower'),
      upper: rlpToUint(item[1]!, 4, 'sync request upper'),
      bloom: rlpToBytes(item[2]!, undefined, 'sync request bloom'),
      limit: rlpToUint(item[3]!, 4, 'sync request limit'),
      cursor: rlpToBytes(item[4]!, undefined, 'sync request cursor'),
    };
  } catch (err) {
    if (err instanceof WakuError) throw err;
    throw badPacket('malformed sync request', err);
  }
  validateSyncMailRequest(request);
  return request;
}

export function encodeSyncResponse(response: SyncResponse): Uint8Array {
  assertCursor(response.cursor, 'sync response');
  if (typeof response.error !== 'string') throw badPacket('sync response error must be a string');
  // Envelopes are embedded verbatim (their received bytes).
  return rlpEncode([
    rlpRaw(encodeEnvelopeList(response.envelopes)),
    response.cursor,
    response.final,
    response.error,
  ]);
}

/**
 * Decodes a sync response: exactly four items; the envelopes strictly (ERR_WAKU_BAD_ENVELOPE for a bad one,
 * each a view into `payload`); `final` as go-ethereum encodes booleans; the error text leniently (Go strings
 * are bytes: invalid UTF-8 becomes U+FFFD). Throws ERR_WAKU_BAD_PACKET.
 */
export function decodeSyncResponse(payload: Uint8Array): SyncResponse {
  const spans = listItemSpans(payload, 'sync response');
  if (spans.length !== 4) throw badPacket('sync response must be a list [envelopes, cursor, final, error]');
  const item = (i: number) => payload.subarray(spans[i]![0], spans[i]![1]);
  const envelopes = decodeEnvelopeList(item(0));
  let cursor: Uint8Array;
  let final: boolean;
  let errorBytes: Uint8Array;
  try {
    cursor = rlpToBytes(rlpDecode(item(1)), undefined, 'sync response cursor');
    final = rlpToBool(rlpDecode(item(2)), 'sync response final');
    errorBytes = rlpToBytes(rlpDecode(item(3)), undefined, 'sync response error');
  } catch (err) {
    throw badPacket('malformed sync response', err);
  }
  assertCursor(cursor, 'sync response');
  return { envelopes, cursor, final, error: new TextDecoder().decode(errorBytes) };
}
