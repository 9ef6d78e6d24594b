import { concatBytes, hexToBytes } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { Enr, rlpEncode } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  Discv5ErrorCode,
  decodeMessage,
  encodeMessage,
  type Message,
  MessageType,
  packNodes,
} from '../src/index.js';

const id = hexToBytes('0102030405060708');

describe('message codec', () => {
  const samples: Message[] = [
    { type: MessageType.Ping, requestId: id, enrSeq: 2n ** 63n },
    { type: MessageType.Pong, requestId: id, enrSeq: 1n, ip: '127.0.0.1', port: 30303 },
    { type: MessageType.Pong, requestId: id, enrSeq: 1n, ip: '2001:db8::1', port: 65535 },
    { type: MessageType.FindNode, requestId: id, distances: [0, 1, 255, 256] },
    { type: MessageType.Nodes, requestId: id, total: 3, records: [] },
    {
      type: MessageType.TalkReq,
      requestId: new Uint8Array(0),
      protocol: new Uint8Array([1]),
      request: new Uint8Array(40),
    },
    { type: MessageType.TalkResp, requestId: id, response: new Uint8Array(0) },
  ];
  for (const message of samples) {
    it(`round-trips type ${message.type}`, () => {
      expect(decodeMessage(encodeMessage(message))).toEqual(message);
    });
  }

  it('NODES carries records byte for byte', () => {
    const enr = Enr.create({ privateKey: generatePrivateKey(), ip: '10.0.0.1', udp: 9000 });
    const decoded = decodeMessage(
      encodeMessage({ type: MessageType.Nodes, requestId: id, total: 1, records: [enr.encode()] }),
    );
    expect(decoded.type === MessageType.Nodes && Enr.decode(decoded.records[0]!).equals(enr)).toBe(true);
  });

  it('matches the spec encoding of PING (vector plaintext 01c6840000000102)', () => {
    const bytes = encodeMessage({ type: MessageType.Ping, requestId: hexToBytes('00000001'), enrSeq: 2n });
    expect(bytes).toEqual(hexToBytes('01c6840000000102'));
  });

  it('limit MAX_REQUEST_ID_SIZE (8 bytes)', () => {
    const long = new Uint8Array(9);
    expect(() => encodeMessage({ type: MessageType.Ping, requestId: long, enrSeq: 1n })).toThrowError(
      expect.objectContaining({ code: Discv5ErrorCode.BadRequestId }),
    );
    const raw = concatBytes(Uint8Array.of(1), rlpEncode([long, 1]));
    expect(() => decodeMessage(raw)).toThrowError(
      expect.objectContaining({ code: Discv5ErrorCode.BadRequestId }),
    );
  });

  it('rejects unknown types, bad IPs, distances > 256 and malformed RLP with typed errors', () => {
    const err = (code: string) => expect.objectContaining({ code });
    expect(() => decodeMessage(concatBytes(Uint8Array.of(0x07), rlpEncode([id])))).toThrowError(
      err(Discv5ErrorCode.UnknownMessage),
    );
    expect(() =>
      decodeMessage(concatBytes(Uint8Array.of(2), rlpEncode([id, 1, new Uint8Array(5), 1]))),
    ).toThrowError(err(Discv5ErrorCode.BadMessage));
    expect(() => decodeMessage(concatBytes(Uint8Array.of(3), rlpEncode([id, [257]])))).toThrowError(
      err(Discv5ErrorCode.BadMessage),
    );
    expect(() => decodeMessage(concatBytes(Uint8Array.of(1), Uint8Array.of(0xc5, 0x80)))).toThrowError(
      err(Discv5ErrorCode.BadMessage),
    );
    expect(() => decodeMessage(concatBytes(Uint8Array.of(1), rlpEncode([id])))).toThrowError(
      err(Discv5ErrorCode.BadMessage),
    );
    expect(() => encodeMessage({ type: MessageType.FindNode, requestId: id, distances: [257] })).toThrowError(
      err(Discv5ErrorCode.InvalidArgument),
    );
  });

  it('tolerates extra list elements (forward compatibility)', () => {
    const raw = concatBytes(Uint8Array.of(1), rlpEncode([id, 7, 'future']));
    expect(decodeMessage(raw)).toEqual({ type: MessageType.Ping, requestId: id, enrSeq: 7n });
  });
});

describe('packNodes', () => {
  it('splits records so every NODES packet fits, with total = message count', () => {
    const records = Array.from({ length: 16 }, (_, i) =>
      Enr.create({
        privateKey: generatePrivateKey(),
        ip: '10.0.0.1',
        udp: 9000 + i,
        entries: { pad: new Uint8Array(120) },
      }),
    );
    const size = records[0]!.encode().length;
    const messages = packNodes(id, records, 1280 - 104);
    expect(messages.length).toBe(Math.ceil(16 / Math.floor((1280 - 104) / size)));
    for (const m of messages) {
      expect(m.total).toBe(messages.length);
      expect(encodeMessage(m).length + 87).toBeLessThanOrEqual(1280);
    }
    expect(messages.flatMap((m) => m.records).length).toBe(16);
    expect(packNodes(id, [], 1000)).toEqual([
      { type: MessageType.Nodes, requestId: id, total: 1, records: [] },
    ]);
  });
});
