import {
  Enr,
  EnrError,
  type RlpItem,
  rlpDecode,
  rlpEncode,
  rlpRaw,
  rlpToBigInt,
  rlpToBytes,
  rlpToList,
} from '@status-ts/enr';
import type { ResponseStatus } from './constants.js';
import { RendezvousError, RendezvousErrorCode } from './errors.js';
import { parseNamespace } from './namespace.js';

/**
 * Bodies of the rendezvous messages (RDV-04), each one RLP item. Field order follows the Go structs:
 * note that DISCOVER carries the limit *before* the topic, and TTLs are nanoseconds.
 * Decoders throw only `RendezvousError`s.
 */

/** REGISTER: `[topic, ENR, ttl]`. */
export interface RegisterMessage {
  topic: string;
  record: Enr;
  /** Time to live in nanoseconds (a Go `time.Duration`). */
  ttlNs: bigint;
}

/** REGISTER before any semantic check: what the server validates field by field, in Go's order. */
export interface RegisterFields {
  topic: Uint8Array;
  /** The ENR's own RLP encoding (a list), not yet decoded nor verified. */
  record: Uint8Array;
  ttlNs: bigint;
}

/** REGISTER_RESPONSE: `[status, message]`. */
export interface RegisterResponse {
  status: ResponseStatus | number;
  message: string;
}

/** DISCOVER: `[limit, topic]`. */
export interface DiscoverMessage {
  /** Most records wanted; Go's `uint`, so values above 2^53 are clamped to `Number.MAX_SAFE_INTEGER`. */
  limit: number;
  topic: string;
}

/** DISCOVER_RESPONSE: `[status, message, [ENR, ...]]`. */
export interface DiscoverResponse {
  status: ResponseStatus | number;
  message: string;
  records: Enr[];
  /** Records in the answer that did not decode or verify; they are dropped, not returned. */
  invalidRecords: number;
}

/** REMOTEIP_RESPONSE: `[status, ip]`. */
export interface RemoteIpResponse {
  status: ResponseStatus | number;
  ip: string;
}

const UINT64_BYTES = 8;
const lenientUtf8 = new TextDecoder(); // UTF-8, replacing invalid sequences

function malformed(what: string, cause?: unknown): RendezvousError {
  const reason = cause instanceof Error ? `: ${cause.message}` : '';
  return new RendezvousError(RendezvousErrorCode.Malformed, `malformed ${what}${reason}`, { cause });
}

/** Runs a structural decode step, turning RLP errors into ERR_RENDEZVOUS_MALFORMED. */
function structural<T>(what: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof RendezvousError) throw err;
    throw malformed(what, err);
  }
}

function decodeList(body: Uint8Array, fields: number, what: string): RlpItem[] {
  return structural(what, () => {
    const list = rlpToList(rlpDecode(body), 0, what);
    if (list.length !== fields) {
      throw malformed(`${what}: expected ${fields} fields, got ${list.length}`);
    }
    return list;
  });
}

/** A uint64 as a number: Go's values above 2^53 become `Number.MAX_SAFE_INTEGER` (Number() rounds them above it). */
function clampedUint64(item: RlpItem, what: string): number {
  return Math.min(Number(rlpToBigInt(item, UINT64_BYTES, what)), Number.MAX_SAFE_INTEGER);
}

function status(item: RlpItem, what: string): number {
  return clampedUint64(item, `${what} status`);
}

function text(item: RlpItem, what: string): string {
  return lenientUtf8.decode(rlpToBytes(item, undefined, what));
}

export function encodeRegister(message: RegisterMessage): Uint8Array {
  return rlpEncode([message.topic, rlpRaw(message.record.encode()), message.ttlNs]);
}

/** Structure only: three fields, the record a list, the TTL a canonical uint64. */
export function decodeRegisterFields(body: Uint8Array): RegisterFields {
  const [topic, record, ttl] = decodeList(body, 3, 'REGISTER');
  return structural('REGISTER', () => {
    if (!Array.isArray(record)) throw malformed('REGISTER: record must be a list');
    return {
      topic: rlpToBytes(topic!, undefined, 'topic'),
      record: rlpEncode(record),
      ttlNs: rlpToBigInt(ttl!, UINT64_BYTES, 'ttl'),
    };
  });
}

/** Decodes and verifies an ENR carried in a message. */
export function decodeCarriedEnr(encoded: Uint8Array): Enr {
  try {
    return Enr.decode(encoded);
  } catch (err) {
    if (!(err instanceof EnrError)) throw err;
    throw new RendezvousError(RendezvousErrorCode.InvalidEnr, `invalid ENR: ${err.message}`, { cause: err });
  }
}

/** Structure, namespace and ENR signature (the TTL bound is server policy). */
export function decodeRegister(body: Uint8Array): RegisterMessage {
  const fields = decodeRegisterFields(body);
  return {
    topic: parseNamespace(fields.topic),
    record: decodeCarriedEnr(fields.record),
    ttlNs: fields.ttlNs,
  };
}

export function encodeRegisterResponse(response: { status: number; message?: string }): Uint8Array {
  return rlpEncode([response.status, response.message ?? '']);
}

export function decodeRegisterResponse(body: Uint8Array): RegisterResponse {
  const [s, m] = decodeList(body, 2, 'REGISTER_RESPONSE');
  return structural('REGISTER_RESPONSE', () => ({
    status: status(s!, 'REGISTER_RESPONSE'),
    message: text(m!, 'message'),
  }));
}

export function encodeDiscover(message: DiscoverMessage): Uint8Array {
  return rlpEncode([message.limit, message.topic]);
}

/** Structure only; the topic is returned as raw bytes for the server to validate. */
export function decodeDiscoverFields(body: Uint8Array): { limit: number; topic: Uint8Array } {
  const [limit, topic] = decodeList(body, 2, 'DISCOVER');
  return structural('DISCOVER', () => ({
    limit: clampedUint64(limit!, 'limit'),
    topic: rlpToBytes(topic!, undefined, 'topic'),
  }));
}

export function decodeDiscover(body: Uint8Array): DiscoverMessage {
  const fields = decodeDiscoverFields(body);
  return { limit: fields.limit, topic: parseNamespace(fields.topic) };
}

/** `records` are ENRs or their RLP encodings (a server passes stored bytes through untouched). */
export function encodeDiscoverResponse(response: {
  status: number;
  message?: string;
  records?: ReadonlyArray<Enr | Uint8Array>;
}): Uint8Array {
  const records = (response.records ?? []).map((r) => rlpRaw(r instanceof Uint8Array ? r : r.encode()));
  return rlpEncode([response.status, response.message ?? '', records]);
}

export function decodeDiscoverResponse(body: Uint8Array): DiscoverResponse {
  const [s, m, list] = decodeList(body, 3, 'DISCOVER_RESPONSE');
  const head = structural('DISCOVER_RESPONSE', () => ({
    status: status(s!, 'DISCOVER_RESPONSE'),
    message: text(m!, 'message'),
    items: rlpToList(list!, 0, 'records'),
  }));
  const records: Enr[] = [];
  let invalidRecords = 0;
  for (const item of head.items) {
    // One bad record must not hide the good ones: drop and count it (a byte string fails as "not a list").
    try {
      records.push(Enr.decode(rlpEncode(item)));
    } catch (err) {
      if (!(err instanceof EnrError)) throw err;
      invalidRecords++;
    }
  }
  return { status: head.status, message: head.message, records, invalidRecords };
}

export function encodeRemoteIpResponse(response: { status: number; ip?: string }): Uint8Array {
  return rlpEncode([response.status, response.ip ?? '']);
}

export function decodeRemoteIpResponse(body: Uint8Array): RemoteIpResponse {
  const [s, ip] = decodeList(body, 2, 'REMOTEIP_RESPONSE');
  return structural('REMOTEIP_RESPONSE', () => ({
    status: status(s!, 'REMOTEIP_RESPONSE'),
    ip: text(ip!, 'ip'),
  }));
}
