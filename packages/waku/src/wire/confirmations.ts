import {
  type RlpItem,
  rlpDecode,
  rlpEncode,
  rlpToBytes,
  rlpToList,
  rlpToUint,
  rlpToUtf8,
} from '@status-ts/enr';
import { WakuError, WakuErrorCode } from '../errors.js';

/** One rejected envelope in a Message Response. */
export interface EnvelopeError {
  /** Envelope hash. */
  hash: Uint8Array;
  /** 1 = time sync (spec); anything else = another error. Never infer more from the number (checklist). */
  code: number;
  description: string;
}

/** Message Response (code 12), version 1: the batch hash and the envelopes it rejected (WAKU-16). */
export interface MessageResponse {
  batchHash: Uint8Array;
  errors: EnvelopeError[];
}

export const MESSAGE_RESPONSE_VERSION = 1;

function badPacket(message: string, cause?: unknown): WakuError {
  return new WakuError(WakuErrorCode.BadPacket, message, { cause }); // an undefined cause is dropped by StatusTsError
}

/** `[1, [batchHash, [[envelopeHash, code, description], ...]]]`. */
export function encodeMessageResponse(response: MessageResponse): Uint8Array {
  return rlpEncode([
    MESSAGE_RESPONSE_VERSION,
    [response.batchHash, response.errors.map((e) => [e.hash, e.code, e.description])],
  ]);
}

/**
 * Decodes a Message Response; `undefined` for a version other than 1 (ignored, as status-go does).
 * Throws ERR_WAKU_BAD_PACKET when malformed.
 */
export function decodeMessageResponse(payload: Uint8Array): MessageResponse | undefined {
  try {
    const outer = rlpToList(rlpDecode(payload), 2, 'message response');
    if (outer.length !== 2) throw badPacket('message response must be [version, response]');
    const version = rlpToUint(outer[0]!, 6, 'message response version');
    if (version !== MESSAGE_RESPONSE_VERSION) return undefined;
    const body = rlpToList(outer[1]!, 2, 'message response body');
    if (body.length !== 2) throw badPacket('message response body must be [batchHash, errors]');
    const batchHash = rlpToBytes(body[0]!, 32, 'batch hash');
    const errors = rlpToList(body[1]!, 0, 'envelope errors').map((item: RlpItem) => {
      const fields = rlpToList(item, 3, 'envelope error');
      if (fields.length !== 3) throw badPacket('envelope error must be [hash, code, description]');
      return {
        hash: rlpToBytes(fields[0]!, 32, 'envelope error hash'),
        code: rlpToUint(fields[1]!, 6, 'envelope error code'),
        description: rlpToUtf8(fields[2]!, 'envelope error description'),
      };
    });
    return { batchHash, errors };
  } catch (err) {
    if (err instanceof WakuError) throw err;
    throw badPacket('malformed message response', err);
  }
}

/** Batch Acknowledged (code 11): the 32-byte batch hash. */
export function encodeBatchAck(batchHash: Uint8Array): Uint8Array {
  return rlpEncode(batchHash);
}

export function decodeBatchAck(payload: Uint8Array): Uint8Array {
  try {
    return rlpToBytes(rlpDecode(payload), 32, 'batch hash');
  } catch (cause) {
    throw badPacket('malformed batch acknowledgement', cause);
  }
}
