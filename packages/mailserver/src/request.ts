import { bytesToNumber, concatBytes, numberToBytes } from '@status-ts/core';
import {
  type RlpItem,
  rlpDecode,
  rlpEncode,
  rlpToBool,
  rlpToBytes,
  rlpToList,
  rlpToUint,
} from '@status-ts/enr';
import {
  assertTopic,
  bloomOfTopics,
  buildEnvelopeData,
  Envelope,
  fullBloom,
  openEnvelopeData,
  type P2PRequest,
  type Topic,
} from '@status-ts/waku';
import { REQUEST_ENVELOPE_TTL } from './constants.js';
import { MailserverError, MailserverErrorCode } from './errors.js';
import { CURSOR_LENGTH } from './key.js';

const BLOOM_LENGTH = 64;
const ID_LENGTH = 32;

/**
 * Which of the three request forms status-go sends arrived (MAIL-03):
 * `messagesRequest` (a) unencrypted RLP struct, `envelopeRlp` (b) an encrypted, signed envelope with an RLP
 * payload, `envelopeRaw` (c) the same envelope with the raw `lower || upper || bloom [|| limit [|| cursor]]`.
 */
export type RequestShape = 'messagesRequest' | 'envelopeRlp' | 'envelopeRaw';

/** A history request as every shape decodes, before validation. */
export interface MailRequest {
  /** Request id: the `ID` field (a) or the Keccak-256 of the request envelope (b, c). */
  id: Uint8Array;
  shape: RequestShape;
  /** Sent-time bounds, unix seconds, inclusive. */
  lower: number;
  upper: number;
  /** 64 bytes, or empty when the requester sent none. */
  bloom: Uint8Array;
  topics: Topic[];
  /** 0 means the server default. */
  limit: number;
  /** Empty, or 36 bytes. */
  cursor: Uint8Array;
  /** Envelopes may share a P2P Message (always true for shape a). */
  batch: boolean;
  /** Signer of the request envelope (b, c). */
  signer?: Uint8Array;
}

/** Fields of a MessagesRequest (a) or a request payload (b). */
export interface RequestFields {
  lower: number;
  upper: number;
  bloom?: Uint8Array;
  topics?: readonly Topic[];
  limit?: number;
  cursor?: Uint8Array;
  batch?: boolean;
}

function malformed(message: string, cause?: unknown, details: Record<string, unknown> = {}): MailserverError {
  return new MailserverError(MailserverErrorCode.MalformedRequest, message, { cause, details });
}

/** Reads one field; a failure is a MalformedRequest naming the field in `details.field`. */
function read<T>(field: string, decode: (what: string) => T): T {
  try {
    return decode(field);
  } catch (err) {
    // The RLP error already names the field (`what`) in its message.
    throw malformed((err as Error).message, err, { field });
  }
}

function readTopics(item: RlpItem): Topic[] {
  return read('topics', (what) => rlpToList(item, 0, what)).map((t) =>
    read('topic', (what) => rlpToBytes(t, 4, what)),
  );
}

/** Throws for a list with more than `max` fields; `details` name the list, the limit and the count. */
function tooManyFields(items: readonly RlpItem[], max: number, field: string): never {
  throw malformed(`${field} has more than ${max} fields`, undefined, { field, max, actual: items.length });
}

/** Shape (a): `RLP [ID, From, To, Limit, Cursor, Bloom, Topics]` (Topics may be absent, as before v0.65). */
export function encodeMessagesRequest(id: Uint8Array, fields: RequestFields): Uint8Array {
  if (id.length !== ID_LENGTH) {
    throw malformed('request id must be 32 bytes', undefined, {
      field: 'id',
      expected: ID_LENGTH,
      actual: id.length,
    });
  }
  const topics = [...(fields.topics ?? [])];
  for (const t of topics) assertTopic(t);
  return rlpEncode([
    id,
    fields.lower,
    fields.upper,
    fields.limit ?? 0,
    fields.cursor ?? new Uint8Array(0),
    fields.bloom ?? bloomOfTopics(topics),
    topics,
  ]);
}

export function decodeMessagesRequest(payload: Uint8Array): MailRequest {
  let item: RlpItem;
  try {
    item = rlpDecode(payload);
  } catch (err) {
    throw malformed('not a MessagesRequest', err);
  }
  const items = read('MessagesRequest', (what) => rlpToList(item, 6, what));
  if (items.length > 7) tooManyFields(items, 7, 'MessagesRequest');
  return {
    id: read('id', (what) => rlpToBytes(items[0]!, ID_LENGTH, what)),
    shape: 'messagesRequest',
    lower: read('from', (what) => rlpToUint(items[1]!, 4, what)),
    upper: read('to', (what) => rlpToUint(items[2]!, 4, what)),
    limit: read('limit', (what) => rlpToUint(items[3]!, 4, what)),
    cursor: read('cursor', (what) => rlpToBytes(items[4]!, undefined, what)),
    bloom: read('bloom', (what) => rlpToBytes(items[5]!, undefined, what)),
    topics: items[6] === undefined ? [] : readTopics(items[6]),
    batch: true,
  };
}

/** Shape (b) payload in status-go's order: `RLP [Lower, Upper, Bloom, Topics, Limit, Cursor, Batch]`. */
export function encodeRequestPayload(fields: RequestFields): Uint8Array {
  const topics = [...(fields.topics ?? [])];
  return rlpEncode([
    fields.lower,
    fields.upper,
    fields.bloom ?? bloomOfTopics(topics),
    topics,
    fields.limit ?? 0,
    fields.cursor ?? new Uint8Array(0),
    fields.batch ?? true,
  ]);
}

type PayloadFields = Omit<MailRequest, 'id' | 'shape' | 'signer'> & { shape: RequestShape };

/**
 * Decodes a request envelope's payload: status-go's RLP order, then the spec's order
 * `[lower, upper, bloom, limit, cursor, (topics)]`, then the raw byte layout (c).
 */
export function decodeRequestPayload(payload: Uint8Array): PayloadFields {
  let items: RlpItem[] | undefined;
  try {
    const item = rlpDecode(payload);
    if (Array.isArray(item) && item.length >= 3) items = item;
  } catch {
    // Not RLP: the raw layout (c).
  }
  if (!items) return decodeRawPayload(payload);
  const list = items;
  const base = {
    lower: read('lower', (what) => rlpToUint(list[0]!, 4, what)),
    upper: read('upper', (what) => rlpToUint(list[1]!, 4, what)),
    bloom: read('bloom', (what) => rlpToBytes(list[2]!, undefined, what)),
  };
  if (list[3] === undefined || Array.isArray(list[3])) {
    if (list.length > 7) tooManyFields(list, 7, 'request payload');
    return {
      ...base,
      shape: 'envelopeRlp',
      topics: list[3] === undefined ? [] : readTopics(list[3]),
      limit: list[4] === undefined ? 0 : read('limit', (what) => rlpToUint(list[4]!, 4, what)),
      cursor:
        list[5] === undefined
          ? new Uint8Array(0)
          : read('cursor', (what) => rlpToBytes(list[5]!, undefined, what)),
      batch: list[6] === undefined ? false : read('batch', (what) => rlpToBool(list[6]!, what)),
    };
  }
  if (list.length > 6) tooManyFields(list, 6, 'request payload');
  return {
    ...base,
    shape: 'envelopeRlp',
    limit: read('limit', (what) => rlpToUint(list[3]!, 4, what)),
    cursor:
      list[4] === undefined
        ? new Uint8Array(0)
        : read('cursor', (what) => rlpToBytes(list[4]!, undefined, what)),
    topics: list[5] === undefined ? [] : readTopics(list[5]),
    batch: false,
  };
}

/** Shape (c): `lower(4) || upper(4) || bloom(64) [|| limit(4) [|| cursor(36)]]`; 8 bytes means full bloom. */
export function decodeRawPayload(payload: Uint8Array): PayloadFields {
  if (payload.length < 8) {
    throw malformed(`raw request payload of ${payload.length} bytes is undersized`, undefined, {
      field: 'upper',
      minLength: 8,
      actual: payload.length,
    });
  }
  const lower = bytesToNumber(payload.subarray(0, 4));
  const upper = bytesToNumber(payload.subarray(4, 8));
  const fields: PayloadFields = {
    shape: 'envelopeRaw',
    lower,
    upper,
    bloom: fullBloom(),
    topics: [],
    limit: 0,
    cursor: new Uint8Array(0),
    batch: false,
  };
  if (payload.length === 8) return fields;
  if (payload.length < 8 + BLOOM_LENGTH) {
    throw malformed('undersized bloom filter in raw request payload', undefined, {
      field: 'bloom',
      minLength: 8 + BLOOM_LENGTH,
      actual: payload.length,
    });
  }
  fields.bloom = payload.slice(8, 8 + BLOOM_LENGTH);
  let pos = 8 + BLOOM_LENGTH;
  if (payload.length >= pos + 4) {
    fields.limit = bytesToNumber(payload.subarray(pos, pos + 4));
    pos += 4;
  }
  if (payload.length >= pos + CURSOR_LENGTH) fields.cursor = payload.slice(pos, pos + CURSOR_LENGTH);
  return fields;
}

export function encodeRawPayload(fields: RequestFields): Uint8Array {
  const parts = [numberToBytes(fields.lower, 4), numberToBytes(fields.upper, 4)];
  if (fields.bloom || fields.limit !== undefined || fields.cursor) {
    parts.push(fields.bloom ?? fullBloom(), numberToBytes(fields.limit ?? 0, 4));
    // An empty cursor adds no bytes.
    if (fields.cursor) parts.push(fields.cursor);
  }
  return concatBytes(...parts);
}

/** Keys the server opens request envelopes with. */
export interface RequestKeys {
  symKey: Uint8Array;
  privateKey?: Uint8Array;
}

/**
 * Decodes any request shape. Throws MailserverError; when the request id is known (an envelope) it is in
 * `details.requestId`, so the server can answer with an error completion.
 */
export function decodeMailRequest(request: P2PRequest, keys: RequestKeys): MailRequest {
  if (!request.envelope) return decodeMessagesRequest(request.payload);
  const envelope = request.envelope;
  const id = envelope.hash;
  let opened: ReturnType<typeof openEnvelopeData> | undefined;
  try {
    opened = openEnvelopeData(envelope.data, { symKey: keys.symKey });
  } catch {
    if (keys.privateKey) {
      try {
        opened = openEnvelopeData(envelope.data, { privateKey: keys.privateKey });
      } catch {
        // Neither key opens it: the Decrypt error below.
      }
    }
  }
  if (!opened) {
    throw new MailserverError(MailserverErrorCode.Decrypt, 'failed to decrypt the request envelope', {
      details: { requestId: id },
    });
  }
  if (!opened.signer) {
    throw new MailserverError(MailserverErrorCode.Unsigned, 'the request envelope is not signed', {
      details: { requestId: id },
    });
  }
  let fields: PayloadFields;
  try {
    fields = decodeRequestPayload(opened.payload);
  } catch (err) {
    // The payload decoders throw MailserverError only: keep its details, add the id the server answers with.
    const inner = err as MailserverError;
    throw malformed(inner.message, err, { ...inner.details, requestId: id });
  }
  return { ...fields, id, signer: opened.signer };
}

export interface RequestEnvelopeOptions {
  /** The RLP (b) or raw (c) payload. */
  payload: Uint8Array;
  /** Signs the payload (status-go signs with its node key; any key is accepted). */
  signingKey: Uint8Array;
  /** Unix seconds of the sender's clock. */
  now: number;
  ttl?: number;
}

/** A request envelope (b, c) encrypted with the mailserver symmetric key or to its public key; topic 0. */
export function buildRequestEnvelope(
  options: RequestEnvelopeOptions &
    ({ symKey: Uint8Array; publicKey?: undefined } | { publicKey: Uint8Array; symKey?: undefined }),
): Envelope {
  const ttl = options.ttl ?? REQUEST_ENVELOPE_TTL;
  const data =
    options.symKey !== undefined
      ? buildEnvelopeData({
          payload: options.payload,
          signingKey: options.signingKey,
          symKey: options.symKey,
        })
      : buildEnvelopeData({
          payload: options.payload,
          signingKey: options.signingKey,
          publicKey: options.publicKey,
        });
  return Envelope.create({ expiry: options.now + ttl, ttl, topic: new Uint8Array(4), data });
}
