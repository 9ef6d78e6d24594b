import { rlpDecodeHeader, rlpListHeader } from '@status-ts/enr';
import { WakuError, WakuErrorCode } from '../errors.js';
import { Envelope } from './envelope.js';

function badPacket(message: string, cause?: unknown): WakuError {
  // WakuError leaves out an undefined cause.
  return new WakuError(WakuErrorCode.BadPacket, message, { cause });
}

/** The `[start, end)` spans of the items of the RLP list that is the whole of `payload`. */
export function listItemSpans(payload: Uint8Array, what: string): Array<[number, number]> {
  let outer: ReturnType<typeof rlpDecodeHeader>;
  try {
    outer = rlpDecodeHeader(payload, 0);
  } catch (cause) {
    throw badPacket(`malformed ${what}`, cause);
  }
  if (!outer.isList) throw badPacket(`${what} must be an RLP list`);
  if (outer.end !== payload.length) throw badPacket(`${payload.length - outer.end} bytes after the ${what}`);
  const spans: Array<[number, number]> = [];
  let pos = outer.payloadOffset;
  while (pos < outer.end) {
    let item: ReturnType<typeof rlpDecodeHeader>;
    try {
      item = rlpDecodeHeader(payload, pos);
    } catch (cause) {
      throw badPacket(`malformed item in the ${what}`, cause);
    }
    // No item can run past outer.end: it is the end of `payload`, which the header reader never passes.
    spans.push([pos, item.end]);
    pos = item.end;
  }
  return spans;
}

/**
 * Decodes a Messages packet (code 1): an RLP list of envelopes. Each envelope keeps its received bytes (a view
 * into `payload`). ERR_WAKU_BAD_PACKET for a malformed list, ERR_WAKU_BAD_ENVELOPE for a malformed envelope.
 */
export function decodeEnvelopeList(payload: Uint8Array): Envelope[] {
  // Stryker disable next-line StringLiteral: the name only reaches the error message
  return listItemSpans(payload, 'envelope list').map(([start, end]) =>
    Envelope.decode(payload.subarray(start, end)),
  );
}

/** Encodes envelopes as one RLP list, embedding each envelope's bytes verbatim. */
export function encodeEnvelopeList(envelopes: readonly Envelope[]): Uint8Array {
  let length = 0;
  for (const e of envelopes) length += e.raw.length;
  const header = rlpListHeader(length);
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  let pos = header.length;
  for (const e of envelopes) {
    out.set(e.raw, pos);
    pos += e.raw.length;
  }
  return out;
}

/** Bytes `encodeEnvelopeList` adds around envelopes whose encodings total `contentLength` bytes. */
export function envelopeListOverhead(contentLength: number): number {
  return rlpListHeader(contentLength).length;
}

/**
 * Decodes a P2P Message payload (code 127): Waku and status-go send a list of envelopes, go-ethereum Whisper
 * sends one envelope; both shapes are accepted (WAKU-18). An envelope's first item is a byte string
 * (expiry), a list's first item is a list.
 */
export function decodeEnvelopesOrSingle(payload: Uint8Array): Envelope[] {
  let outer: ReturnType<typeof rlpDecodeHeader>;
  try {
    outer = rlpDecodeHeader(payload, 0);
  } catch (cause) {
    throw badPacket('malformed p2p message', cause);
  }
  if (outer.isList && outer.payloadLength > 0) {
    let first: ReturnType<typeof rlpDecodeHeader>;
    try {
      first = rlpDecodeHeader(payload, outer.payloadOffset);
    } catch (cause) {
      throw badPacket('malformed p2p message', cause);
    }
    if (!first.isList) return [Envelope.decode(payload)];
  }
  return decodeEnvelopeList(payload);
}
