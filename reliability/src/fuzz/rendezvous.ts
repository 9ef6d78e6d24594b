import { concatBytes } from '@status-ts/core';
import { rlpEncode } from '@status-ts/enr';
import {
  decodeCarriedEnr,
  decodeDiscover,
  decodeDiscoverFields,
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
  MessageType,
  parseNamespace,
  rlpItemSize,
} from '@status-ts/rendezvous';
import { parseRendezvousAddress } from '@status-ts/rendezvous/libp2p';
import fc from 'fast-check';
import { BASE58, bytesFrom, mutated, pool, rlpFrom, textFrom } from './arbitraries.js';
import { recordBytes, records } from './fixtures.js';
import { entry, type FuzzEntry, layer } from './harness.js';

const topicArb = fc.oneof(
  fc.constantFrom('whisper', 'whispermail', 'waku'),
  fc.string({ minLength: 1, maxLength: 12 }),
);
// REGISTER bodies carry a signed record: a pool (signing per case would dominate).
const registerBodies = records.flatMap((record) =>
  ['whisper', 'whispermail'].map((topic) => encodeRegister({ topic, record, ttlNs: 10_000_000_000n })),
);
const registerResponseArb = fc
  .record({ status: fc.constantFrom(0, 100, 101, 102, 200, 300), message: fc.string({ maxLength: 20 }) })
  .map((r) => encodeRegisterResponse(r));
const discoverArb = fc.record({ limit: fc.nat(100), topic: topicArb }).map((d) => encodeDiscover(d));
const discoverResponseArb = fc
  .record({
    status: fc.constantFrom(0, 100, 103),
    message: fc.string({ maxLength: 10 }),
    records: fc.subarray(recordBytes, { maxLength: 3 }),
  })
  .map((r) => encodeDiscoverResponse(r));
const remoteIpArb = fc
  .record({ status: fc.constantFrom(0, 300), ip: fc.oneof(fc.ipV4(), fc.ipV6()) })
  .map((r) => encodeRemoteIpResponse(r));

const bodyDecoders: Record<number, (body: Uint8Array) => unknown> = {
  [MessageType.Register]: decodeRegister,
  [MessageType.RegisterResponse]: decodeRegisterResponse,
  [MessageType.Discover]: decodeDiscover,
  [MessageType.DiscoverResponse]: decodeDiscoverResponse,
  [MessageType.RemoteIpResponse]: decodeRemoteIpResponse,
};

/** Valid conversations as a server or client reads them: type items and bodies back to back. */
const streamArb = fc
  .array(
    fc.oneof(
      pool(registerBodies).map((b) => encodeFrame(MessageType.Register, b)),
      registerResponseArb.map((b) => encodeFrame(MessageType.RegisterResponse, b)),
      discoverArb.map((b) => encodeFrame(MessageType.Discover, b)),
      discoverResponseArb.map((b) => encodeFrame(MessageType.DiscoverResponse, b)),
      fc.constant(encodeFrame(MessageType.RemoteIp)),
      remoteIpArb.map((b) => encodeFrame(MessageType.RemoteIpResponse, b)),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((frames) => concatBytes(...frames));

/** Splits bytes into the chunks a stream delivers. */
function chunked(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

/** Reads a whole stream the way the server does: a type item, then (except REMOTEIP) its body. */
async function readStream(parts: readonly Uint8Array[], maxSize: number): Promise<unknown[]> {
  async function* source() {
    yield* parts;
  }
  const reader = new FrameReader(source(), maxSize);
  const out: unknown[] = [];
  for (let item = await reader.next(); item !== undefined; item = await reader.next()) {
    const type = decodeMessageType(item);
    if (type === MessageType.RemoteIp) continue;
    const body = await reader.next();
    if (body === undefined) break;
    out.push(bodyDecoders[type]!(body));
  }
  return out;
}

const peerIdText = 'QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N';
const addressArb = fc.constantFrom(
  `/ip4/127.0.0.1/tcp/30703/ethv4/${peerIdText}`,
  `/ip4/10.1.2.3/tcp/30703/p2p/16Uiu2HAmJxCsrvWpyvbWsrJrBRfSRg9h2KDqSAyvWyyPwFPdGUMd`,
  `/dns4/rendezvous.example.org/tcp/443/wss/ethv4/${peerIdText}/`,
);

export const rendezvousEntries: FuzzEntry[] = layer('rendezvous', [
  entry({
    name: 'decodeRegister',
    arbitrary: rlpFrom(pool(registerBodies), 400),
    how: 'random bytes, random RLP, mutated REGISTER bodies with signed records',
    decode: (bytes) => decodeRegister(bytes),
    slow: { share: 0.5, why: 'signature check per intact record' },
  }),
  entry({
    name: 'decodeRegisterFields',
    arbitrary: rlpFrom(pool(registerBodies), 400),
    how: 'random bytes, random RLP, mutated REGISTER bodies',
    decode: (bytes) => decodeRegisterFields(bytes),
  }),
  entry({
    name: 'decodeCarriedEnr',
    arbitrary: rlpFrom(pool(recordBytes), 320),
    how: 'random bytes, random RLP, mutated record encodings',
    decode: (bytes) => decodeCarriedEnr(bytes),
    slow: { share: 0.5, why: 'signature check per intact record' },
  }),
  entry({
    name: 'decodeRegisterResponse',
    arbitrary: rlpFrom(registerResponseArb, 100),
    how: 'random bytes, random RLP, mutated REGISTER_RESPONSE bodies',
    decode: (bytes) => decodeRegisterResponse(bytes),
  }),
  entry({
    name: 'decodeDiscover',
    arbitrary: rlpFrom(discoverArb, 100),
    how: 'random bytes, random RLP, mutated DISCOVER bodies',
    decode: (bytes) => decodeDiscover(bytes),
  }),
  entry({
    name: 'decodeDiscoverFields',
    arbitrary: rlpFrom(discoverArb, 100),
    how: 'random bytes, random RLP, mutated DISCOVER bodies',
    decode: (bytes) => decodeDiscoverFields(bytes),
  }),
  entry({
    name: 'decodeDiscoverResponse',
    arbitrary: rlpFrom(discoverResponseArb, 400),
    how: 'random bytes, random RLP, mutated DISCOVER_RESPONSE bodies with signed records',
    decode: (bytes) => decodeDiscoverResponse(bytes),
    slow: { share: 0.5, why: 'signature check per intact record' },
  }),
  entry({
    name: 'decodeRemoteIpResponse',
    arbitrary: rlpFrom(remoteIpArb, 100),
    how: 'random bytes, random RLP, mutated REMOTEIP_RESPONSE bodies',
    decode: (bytes) => decodeRemoteIpResponse(bytes),
  }),
  entry({
    name: 'decodeMessageType',
    arbitrary: rlpFrom(
      fc.nat(300).map((t) => rlpEncode(t)),
      12,
    ),
    how: 'random bytes, random RLP, mutated type items',
    decode: (bytes) => decodeMessageType(bytes),
  }),
  entry({
    name: 'rlpItemSize',
    arbitrary: fc.tuple(rlpFrom(streamArb, 60), fc.constantFrom(0, 16, 1024, 16 * 1024)),
    how: 'random bytes, random RLP, mutated message streams, several size limits',
    decode: ([bytes, maxSize]) => rlpItemSize(bytes, maxSize),
  }),
  entry({
    name: 'parseNamespace',
    arbitrary: bytesFrom(
      topicArb.map((t) => new TextEncoder().encode(t)),
      60,
    ),
    how: 'random bytes, mutated UTF-8 namespaces',
    decode: (bytes) => parseNamespace(bytes),
  }),
  entry({
    name: 'FrameReader → decodeMessageType → body decoders (stream)',
    arbitrary: fc.tuple(
      fc.oneof(
        { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 1 },
        { arbitrary: mutated(streamArb), weight: 4 },
        { arbitrary: streamArb, weight: 1 },
      ),
      fc.array(fc.nat(), { maxLength: 4 }),
      fc.constantFrom(64, 16 * 1024),
    ),
    how: 'random bytes and mutated message streams in random chunks, through the server’s read loop',
    decode: ([bytes, cuts, maxSize]) => readStream(chunked(bytes, cuts), maxSize),
    async: true,
    slow: { share: 0.5, why: 'signature check per intact record; async stream per case' },
  }),
  entry({
    name: 'parseRendezvousAddress (libp2p entry)',
    arbitrary: textFrom(addressArb, `${BASE58}/ip4tcpethv4p2pdns.:`, 150),
    how: 'random text, edited …/ethv4/<peer id> and …/p2p/<peer id> addresses',
    decode: (text) => parseRendezvousAddress(text),
    async: true,
    slow: { share: 0.3, why: 'multiaddr and peer id parsing in the libp2p libraries per case' },
  }),
]);
