import { concatBytes } from '@status-ts/core';
import {
  formatIPv4,
  formatIPv6,
  parseIPv4,
  parseIPv6,
  type RlpInput,
  type RlpItem,
  rlpDecode,
  rlpEncode,
  rlpRaw,
  rlpToBigInt,
  rlpToBytes,
  rlpToList,
  rlpToUint,
} from '@status-ts/enr';
import { Discv5Error, Discv5ErrorCode } from './errors.js';

/** Message type bytes of discv5.1 (discv5-wire "Protocol Messages"). */
export const MessageType = {
  Ping: 0x01,
  Pong: 0x02,
  FindNode: 0x03,
  Nodes: 0x04,
  TalkReq: 0x05,
  TalkResp: 0x06,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Request ids are RLP byte strings of at most 8 bytes. */
export const MAX_REQUEST_ID_SIZE = 8;
/** Largest log distance (256 bits); 0 asks for the recipient's own record. */
export const MAX_DISTANCE = 256;

export interface PingMessage {
  type: typeof MessageType.Ping;
  requestId: Uint8Array;
  enrSeq: bigint;
}
export interface PongMessage {
  type: typeof MessageType.Pong;
  requestId: Uint8Array;
  enrSeq: bigint;
  /** The address the responder saw the PING come from (IPv4 dotted or IPv6 text). */
  ip: string;
  port: number;
}
export interface FindNodeMessage {
  type: typeof MessageType.FindNode;
  requestId: Uint8Array;
  distances: number[];
}
export interface NodesMessage {
  type: typeof MessageType.Nodes;
  requestId: Uint8Array;
  /** Number of NODES messages that answer the request. */
  total: number;
  /** Each record's RLP encoding, not yet verified. */
  records: Uint8Array[];
}
export interface TalkReqMessage {
  type: typeof MessageType.TalkReq;
  requestId: Uint8Array;
  protocol: Uint8Array;
  request: Uint8Array;
}
export interface TalkRespMessage {
  type: typeof MessageType.TalkResp;
  requestId: Uint8Array;
  response: Uint8Array;
}

export type Message =
  | PingMessage
  | PongMessage
  | FindNodeMessage
  | NodesMessage
  | TalkReqMessage
  | TalkRespMessage;

export type RequestMessage = PingMessage | FindNodeMessage | TalkReqMessage;
export type ResponseMessage = PongMessage | NodesMessage | TalkRespMessage;

export function isRequest(message: Message): message is RequestMessage {
  return (
    message.type === MessageType.Ping ||
    message.type === MessageType.FindNode ||
    message.type === MessageType.TalkReq
  );
}

function checkRequestId(requestId: Uint8Array): Uint8Array {
  if (requestId.length > MAX_REQUEST_ID_SIZE) {
    throw new Discv5Error(Discv5ErrorCode.BadRequestId, `request id of ${requestId.length} bytes exceeds 8`, {
      details: { size: requestId.length },
    });
  }
  return requestId;
}

function ipToBytes(ip: string): Uint8Array {
  const bytes = parseIPv4(ip) ?? parseIPv6(ip);
  if (bytes === undefined) throw new Discv5Error(Discv5ErrorCode.InvalidArgument, `not an IP address: ${ip}`);
  return bytes;
}

/** `message-type || rlp(message-data)`: the plaintext that gets encrypted. */
export function encodeMessage(message: Message): Uint8Array {
  checkRequestId(message.requestId);
  let body: RlpInput;
  switch (message.type) {
    case MessageType.Ping:
      body = [message.requestId, message.enrSeq];
      break;
    case MessageType.Pong:
      body = [message.requestId, message.enrSeq, ipToBytes(message.ip), message.port];
      break;
    case MessageType.FindNode:
      for (const d of message.distances) {
        if (!Number.isInteger(d) || d < 0 || d > MAX_DISTANCE) {
          throw new Discv5Error(Discv5ErrorCode.InvalidArgument, `distance ${d} is not in 0..256`);
        }
      }
      body = [message.requestId, message.distances];
      break;
    case MessageType.Nodes:
      body = [message.requestId, message.total, message.records.map((r) => rlpRaw(r))];
      break;
    case MessageType.TalkReq:
      body = [message.requestId, message.protocol, message.request];
      break;
    case MessageType.TalkResp:
      body = [message.requestId, message.response];
      break;
    default:
      throw new Discv5Error(Discv5ErrorCode.InvalidArgument, 'unknown message type');
  }
  return concatBytes(Uint8Array.of(message.type), rlpEncode(body));
}

function decodeBody(type: MessageType, items: RlpItem[]): Message {
  const requestId = checkRequestId(rlpToBytes(items[0]!, undefined, 'request-id'));
  switch (type) {
    case MessageType.Ping: {
      const [, seq] = rlpToList(items, 2, 'PING');
      return { type, requestId, enrSeq: rlpToBigInt(seq!, 8, 'enr-seq') };
    }
    case MessageType.Pong: {
      const [, seq, ip, port] = rlpToList(items, 4, 'PONG');
      const ipBytes = rlpToBytes(ip!, undefined, 'recipient-ip');
      if (ipBytes.length !== 4 && ipBytes.length !== 16) {
        throw new Discv5Error(
          Discv5ErrorCode.BadMessage,
          `recipient-ip must be 4 or 16 bytes, got ${ipBytes.length}`,
        );
      }
      return {
        type,
        requestId,
        enrSeq: rlpToBigInt(seq!, 8, 'enr-seq'),
        ip: ipBytes.length === 4 ? formatIPv4(ipBytes) : formatIPv6(ipBytes),
        port: rlpToUint(port!, 2, 'recipient-port'),
      };
    }
    case MessageType.FindNode: {
      const [, list] = rlpToList(items, 2, 'FINDNODE');
      const distances = rlpToList(list!, 0, 'distances').map((d) => rlpToUint(d, 2, 'distance'));
      for (const d of distances) {
        if (d > MAX_DISTANCE) throw new Discv5Error(Discv5ErrorCode.BadMessage, `distance ${d} exceeds 256`);
      }
      return { type, requestId, distances };
    }
    case MessageType.Nodes: {
      const [, total, list] = rlpToList(items, 3, 'NODES');
      const records = rlpToList(list!, 0, 'records').map((r) => {
        rlpToList(r, 0, 'record');
        return rlpEncode(r as RlpInput);
      });
      return { type, requestId, total: rlpToUint(total!, 4, 'total'), records };
    }
    case MessageType.TalkReq: {
      const [, protocol, request] = rlpToList(items, 3, 'TALKREQ');
      return {
        type,
        requestId,
        protocol: rlpToBytes(protocol!, undefined, 'protocol'),
        request: rlpToBytes(request!, undefined, 'request'),
      };
    }
    case MessageType.TalkResp: {
      const [, response] = rlpToList(items, 2, 'TALKRESP');
      return { type, requestId, response: rlpToBytes(response!, undefined, 'response') };
    }
  }
}

/**
 * Decodes a message plaintext. Strict RLP; extra list elements are tolerated (forward compatibility).
 * Throws only Discv5Error (RLP problems become ERR_DISCV5_BAD_MESSAGE with the RlpError as cause).
 */
export function decodeMessage(plaintext: Uint8Array): Message {
  if (plaintext.length < 2) throw new Discv5Error(Discv5ErrorCode.BadMessage, 'message too short');
  const type = plaintext[0]!;
  if (type < MessageType.Ping || type > MessageType.TalkResp) {
    throw new Discv5Error(Discv5ErrorCode.UnknownMessage, `unknown message type 0x${type.toString(16)}`, {
      details: { type },
    });
  }
  try {
    const items = rlpToList(rlpDecode(plaintext.subarray(1), { maxDepth: 16 }), 1, 'message');
    // The range check above makes `type` one of the six known types.
    return decodeBody(type as MessageType, items);
  } catch (cause) {
    if (cause instanceof Discv5Error) throw cause;
    // Everything else (RLP errors) is the peer's malformed data; `cause` keeps the original error.
    throw new Discv5Error(Discv5ErrorCode.BadMessage, `malformed message 0x${type.toString(16)}`, { cause });
  }
}
