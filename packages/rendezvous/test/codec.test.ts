import { bytesToHex, utf8ToBytes } from '@status-ts/core';
import { rlpDecode, rlpEncode, rlpRaw } from '@status-ts/enr';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TTL_NS,
  decodeDiscover,
  decodeDiscoverResponse,
  decodeMessageType,
  decodeRegister,
  decodeRegisterFields,
  decodeRegisterResponse,
  decodeRemoteIpResponse,
  encodeDiscover,
  encodeDiscoverResponse,
  encodeFrame,
  encodeRegister,
  encodeRegisterResponse,
  encodeRemoteIpResponse,
  FrameReader,
  MAX_TTL_NS,
  MessageType,
  parseNamespace,
  RENDEZVOUS_PROTOCOL,
  RendezvousError,
  ResponseStatus,
  rlpItemSize,
} from '../src/index.js';
import { forgedEnrRlp, testEnr } from './helpers/fixtures.js';

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RendezvousError);
    return (err as RendezvousError).code;
  }
  return undefined;
}

describe('constants (checklist RDV-01, RDV-03, RDV-05)', () => {
  it('uses /rend/0.1.0 and numbers message types from 1', () => {
    expect(RENDEZVOUS_PROTOCOL).toBe('/rend/0.1.0');
    expect(MessageType).toEqual({
      Register: 1,
      RegisterResponse: 2,
      Discover: 3,
      DiscoverResponse: 4,
      RemoteIp: 5,
      RemoteIpResponse: 6,
    });
  });

  it('has the Go status codes', () => {
    expect(ResponseStatus).toEqual({
      Ok: 0,
      InvalidNamespace: 100,
      InvalidEnr: 101,
      InvalidTtl: 102,
      InvalidLimit: 103,
      InvalidContent: 104,
      NotAuthorized: 200,
      InternalError: 300,
    });
  });

  it('expresses TTLs in nanoseconds', () => {
    expect(DEFAULT_TTL_NS).toBe(10_000_000_000n);
    expect(MAX_TTL_NS).toBe(20_000_000_000n);
  });
});

describe('REGISTER', () => {
  it('encodes [topic, ENR list, ttl in ns] and round-trips', () => {
    const record = testEnr();
    const body = encodeRegister({ topic: 'whisper', record, ttlNs: DEFAULT_TTL_NS });
    const item = rlpDecode(body) as Uint8Array[];
    expect(item).toHaveLength(3);
    expect(new TextDecoder().decode(item[0] as Uint8Array)).toBe('whisper');
    expect(Array.isArray(item[1])).toBe(true); // the ENR is embedded as its list, not as a byte string
    expect(bytesToHex(item[2] as Uint8Array)).toBe('02540be400'); // 10e9
    const decoded = decodeRegister(body);
    expect(decoded.topic).toBe('whisper');
    expect(decoded.ttlNs).toBe(DEFAULT_TTL_NS);
    expect(decoded.record.equals(record)).toBe(true);
  });

  it('rejects wrong shapes as malformed', () => {
    const record = rlpRaw(testEnr().encode());
    expect(code(() => decodeRegister(rlpEncode(['whisper', record])))).toBe('ERR_RENDEZVOUS_MALFORMED');
    expect(code(() => decodeRegister(rlpEncode(['whisper', record, 1, 2])))).toBe('ERR_RENDEZVOUS_MALFORMED');
    expect(code(() => decodeRegister(rlpEncode(['whisper', utf8ToBytes('enr'), 1])))).toBe(
      'ERR_RENDEZVOUS_MALFORMED',
    );
    expect(code(() => decodeRegister(rlpEncode([['x'], record, 1])))).toBe('ERR_RENDEZVOUS_MALFORMED');
    expect(code(() => decodeRegister(rlpEncode('whisper')))).toBe('ERR_RENDEZVOUS_MALFORMED');
    // TTL wider than uint64
    expect(code(() => decodeRegister(rlpEncode(['whisper', record, 2n ** 64n])))).toBe(
      'ERR_RENDEZVOUS_MALFORMED',
    );
    // TTL with a leading zero byte
    expect(code(() => decodeRegister(rlpEncode(['whisper', record, new Uint8Array([0, 1])])))).toBe(
      'ERR_RENDEZVOUS_MALFORMED',
    );
  });

  it('rejects a forged ENR and a bad namespace with their own codes', () => {
    const forged = rlpRaw(forgedEnrRlp(testEnr()));
    expect(code(() => decodeRegister(rlpEncode(['whisper', forged, 1])))).toBe('ERR_RENDEZVOUS_INVALID_ENR');
    const good = rlpRaw(testEnr().encode());
    expect(code(() => decodeRegister(rlpEncode(['', good, 1])))).toBe('ERR_RENDEZVOUS_INVALID_NAMESPACE');
    // the fields decoder leaves both for the server to check in Go's order
    expect(decodeRegisterFields(rlpEncode(['', forged, 1])).ttlNs).toBe(1n);
  });
});

describe('DISCOVER', () => {
  it('puts the limit before the topic', () => {
    const body = encodeDiscover({ limit: 10, topic: 'whispermail' });
    expect(bytesToHex(body)).toBe(`cd0a8b${bytesToHex(utf8ToBytes('whispermail'))}`);
    expect(decodeDiscover(body)).toEqual({ limit: 10, topic: 'whispermail' });
  });

  it('accepts any uint64 limit (clamped to a safe number) and rejects wider ones', () => {
    expect(decodeDiscover(rlpEncode([2n ** 64n - 1n, 'whisper'])).limit).toBe(Number.MAX_SAFE_INTEGER);
    expect(code(() => decodeDiscover(rlpEncode([2n ** 64n, 'whisper'])))).toBe('ERR_RENDEZVOUS_MALFORMED');
    expect(code(() => decodeDiscover(rlpEncode([['x'], 'whisper'])))).toBe('ERR_RENDEZVOUS_MALFORMED');
  });

  it('round-trips a response and drops (counts) records that do not verify', () => {
    const good = [testEnr(), testEnr()];
    const body = encodeDiscoverResponse({ status: 0, records: good });
    const decoded = decodeDiscoverResponse(body);
    expect(decoded.status).toBe(0);
    expect(decoded.records.map((r) => r.encodeText())).toEqual(good.map((r) => r.encodeText()));
    const mixed = rlpEncode([0, '', [rlpRaw(good[0]!.encode()), rlpRaw(forgedEnrRlp(good[1]!)), 'junk']]);
    const filtered = decodeDiscoverResponse(mixed);
    expect(filtered.records).toHaveLength(1);
    expect(filtered.invalidRecords).toBe(2);
  });

  it('encodes an empty record list as an empty RLP list', () => {
    expect(bytesToHex(encodeDiscoverResponse({ status: 104 }))).toBe('c36880c0');
  });
});

describe('responses', () => {
  it('round-trips REGISTER_RESPONSE and REMOTEIP_RESPONSE', () => {
    expect(decodeRegisterResponse(encodeRegisterResponse({ status: 102, message: 'bad ttl' }))).toEqual({
      status: 102,
      message: 'bad ttl',
    });
    expect(decodeRemoteIpResponse(encodeRemoteIpResponse({ status: 0, ip: '1.2.3.4' }))).toEqual({
      status: 0,
      ip: '1.2.3.4',
    });
    expect(code(() => decodeRegisterResponse(rlpEncode([0])))).toBe('ERR_RENDEZVOUS_MALFORMED');
  });
});

describe('namespaces (RDV-06)', () => {
  it('accepts 1..50 bytes without 0xff', () => {
    expect(parseNamespace(utf8ToBytes('whisper'))).toBe('whisper');
    expect(parseNamespace(new Uint8Array(50).fill(0x61))).toBe('a'.repeat(50));
    for (const bad of [new Uint8Array(0), new Uint8Array(51).fill(0x61), new Uint8Array([0x61, 0xff])]) {
      expect(code(() => parseNamespace(bad))).toBe('ERR_RENDEZVOUS_INVALID_NAMESPACE');
    }
    expect(code(() => parseNamespace(new Uint8Array([0xc3])))).toBe('ERR_RENDEZVOUS_INVALID_NAMESPACE');
  });
});

describe('framing (RDV-02)', () => {
  it('writes RLP(type) then the body; REMOTEIP has no body', () => {
    expect(bytesToHex(encodeFrame(MessageType.Discover, encodeDiscover({ limit: 1, topic: 'a' })))).toBe(
      '03c20161',
    );
    expect(bytesToHex(encodeFrame(MessageType.RemoteIp))).toBe('05');
  });

  it('decodes known types and rejects others', () => {
    expect(decodeMessageType(rlpEncode(4))).toBe(4);
    expect(code(() => decodeMessageType(rlpEncode(0)))).toBe('ERR_RENDEZVOUS_UNEXPECTED_TYPE');
    expect(code(() => decodeMessageType(rlpEncode(7)))).toBe('ERR_RENDEZVOUS_UNEXPECTED_TYPE');
    expect(code(() => decodeMessageType(rlpEncode(2n ** 63n)))).toBe('ERR_RENDEZVOUS_UNEXPECTED_TYPE');
    expect(code(() => decodeMessageType(rlpEncode([])))).toBe('ERR_RENDEZVOUS_BAD_FRAMING');
    expect(code(() => decodeMessageType(new Uint8Array([0x81, 0x01])))).toBe('ERR_RENDEZVOUS_BAD_FRAMING');
  });

  it('reassembles items split across chunks, one byte at a time', async () => {
    const frame = encodeFrame(
      MessageType.Register,
      encodeRegister({ topic: 't', record: testEnr(), ttlNs: 1n }),
    );
    const bytes = [...frame].map((b) => new Uint8Array([b]));
    const reader = new FrameReader(chunks(...bytes));
    expect(await reader.next()).toEqual(rlpEncode(1));
    expect(decodeRegister((await reader.next())!).topic).toBe('t');
    expect(await reader.next()).toBeUndefined();
  });

  it('enforces the size limit from the header alone', async () => {
    expect(code(() => rlpItemSize(new Uint8Array([0xb9, 0x40, 0x01]), 16 * 1024))).toBe(
      'ERR_RENDEZVOUS_MESSAGE_TOO_LARGE',
    );
    const reader = new FrameReader(chunks(new Uint8Array([0xfb, 0xff, 0xff, 0xff, 0xff])), 1024);
    await expect(reader.next()).rejects.toMatchObject({ code: 'ERR_RENDEZVOUS_MESSAGE_TOO_LARGE' });
    expect(rlpItemSize(rlpEncode(new Uint8Array(1000)), 1003)).toBe(1003);
    expect(code(() => rlpItemSize(rlpEncode(new Uint8Array(1000)), 1002))).toBe(
      'ERR_RENDEZVOUS_MESSAGE_TOO_LARGE',
    );
  });

  it('rejects non-canonical long lengths and EOF inside an item', async () => {
    expect(code(() => rlpItemSize(new Uint8Array([0xb8, 0x05]), 100))).toBe('ERR_RENDEZVOUS_BAD_FRAMING');
    expect(code(() => rlpItemSize(new Uint8Array([0xb9, 0x00, 0x40]), 100))).toBe(
      'ERR_RENDEZVOUS_BAD_FRAMING',
    );
    const reader = new FrameReader(chunks(new Uint8Array([0x83, 0x61])));
    await expect(reader.next()).rejects.toMatchObject({ code: 'ERR_RENDEZVOUS_UNEXPECTED_EOF' });
  });
});
