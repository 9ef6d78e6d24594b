import { concatBytes, hexToBytes } from '@status-ts/core';
import { type RlpInput, rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  Discv5Error,
  Discv5ErrorCode,
  decodeMessage,
  encodeMessage,
  type Message,
  MessageType,
} from '../src/index.js';

const id = hexToBytes('01');

function plaintext(type: number, body: RlpInput): Uint8Array {
  return concatBytes(Uint8Array.of(type), rlpEncode(body));
}

function decodeError(bytes: Uint8Array): Discv5Error {
  try {
    decodeMessage(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(Discv5Error);
    return err as Discv5Error;
  }
  throw new Error('decodeMessage accepted the input');
}

function encodeError(message: Message): Discv5Error {
  try {
    encodeMessage(message);
  } catch (err) {
    expect(err).toBeInstanceOf(Discv5Error);
    return err as Discv5Error;
  }
  throw new Error('encodeMessage accepted the input');
}

describe('message decoding names the malformed field', () => {
  // Each row breaks one field; the RLP error kept as `cause` says which one, for logs and peer scoring.
  const cases: [string, Uint8Array][] = [
    ['message', Uint8Array.of(MessageType.Ping, 0x80)],
    ['request-id', plaintext(MessageType.Ping, [[], 1])],
    ['PING', plaintext(MessageType.Ping, [id])],
    ['enr-seq', plaintext(MessageType.Ping, [id, new Uint8Array(9).fill(1)])],
    ['PONG', plaintext(MessageType.Pong, [id, 1, Uint8Array.of(127, 0, 0, 1)])],
    ['enr-seq', plaintext(MessageType.Pong, [id, [], Uint8Array.of(127, 0, 0, 1), 1])],
    ['recipient-ip', plaintext(MessageType.Pong, [id, 1, [], 1])],
    ['recipient-port', plaintext(MessageType.Pong, [id, 1, Uint8Array.of(127, 0, 0, 1), 0x10000])],
    ['FINDNODE', plaintext(MessageType.FindNode, [id])],
    ['distances', plaintext(MessageType.FindNode, [id, 5])],
    ['distance', plaintext(MessageType.FindNode, [id, [[]]])],
    ['NODES', plaintext(MessageType.Nodes, [id, 1])],
    ['total', plaintext(MessageType.Nodes, [id, 2 ** 32, []])],
    ['records', plaintext(MessageType.Nodes, [id, 1, 5])],
    ['record', plaintext(MessageType.Nodes, [id, 1, [5]])],
    ['TALKREQ', plaintext(MessageType.TalkReq, [id, 1])],
    ['protocol', plaintext(MessageType.TalkReq, [id, [], 1])],
    ['request', plaintext(MessageType.TalkReq, [id, 1, []])],
    ['TALKRESP', plaintext(MessageType.TalkResp, [id])],
    ['response', plaintext(MessageType.TalkResp, [id, []])],
  ];
  for (const [field, bytes] of cases) {
    it(`a bad ${field} is ERR_DISCV5_BAD_MESSAGE naming "${field}"`, () => {
      const err = decodeError(bytes);
      expect(err.code).toBe(Discv5ErrorCode.BadMessage);
      expect((err.cause as Error).message.startsWith(`${field} `)).toBe(true);
    });
  }
});

describe('message type and size checks', () => {
  it('an unknown type is rejected before its body is parsed, with the type in details', () => {
    // 0xc0 is an empty list: a body that would fail as "malformed" if the type were not checked first.
    for (const type of [0x00, 0x07]) {
      const err = decodeError(Uint8Array.of(type, 0xc0));
      expect(err.code).toBe(Discv5ErrorCode.UnknownMessage);
      expect(err.details).toEqual({ type });
    }
  });

  it('every known type passes the type check (0x01 and 0x06 are the bounds)', () => {
    for (const type of [MessageType.Ping, MessageType.TalkResp]) {
      expect(decodeError(Uint8Array.of(type, 0xc0)).code).toBe(Discv5ErrorCode.BadMessage);
    }
  });

  it('two bytes are enough to be parsed; one is too short', () => {
    expect(decodeError(Uint8Array.of(MessageType.Ping)).cause).toBeUndefined();
    expect(decodeError(Uint8Array.of(MessageType.Ping, 0xc0)).cause).toBeDefined();
  });

  it('a request id over 8 bytes is ERR_DISCV5_BAD_REQUEST_ID with its size, both ways', () => {
    const requestId = new Uint8Array(9);
    const decoded = decodeError(plaintext(MessageType.Ping, [requestId, 1]));
    expect(decoded.code).toBe(Discv5ErrorCode.BadRequestId);
    expect(decoded.details).toEqual({ size: 9 });
    const encoded = encodeError({ type: MessageType.Ping, requestId, enrSeq: 1n });
    expect(encoded.code).toBe(Discv5ErrorCode.BadRequestId);
    expect(encoded.details).toEqual({ size: 9 });
  });
});

describe('message encoding checks its input', () => {
  it('a PONG to something that is not an IP address is ERR_DISCV5_INVALID_ARGUMENT', () => {
    const err = encodeError({ type: MessageType.Pong, requestId: id, enrSeq: 1n, ip: 'not-an-ip', port: 1 });
    expect(err.code).toBe(Discv5ErrorCode.InvalidArgument);
  });

  it('distances outside 0..256 are ERR_DISCV5_INVALID_ARGUMENT', () => {
    for (const d of [-1, 257, 1.5]) {
      const err = encodeError({ type: MessageType.FindNode, requestId: id, distances: [d] });
      expect(err.code).toBe(Discv5ErrorCode.InvalidArgument);
    }
  });

  it('an unknown message type is ERR_DISCV5_INVALID_ARGUMENT', () => {
    const err = encodeError({ type: 0x09, requestId: id } as unknown as Message);
    expect(err.code).toBe(Discv5ErrorCode.InvalidArgument);
  });
});
