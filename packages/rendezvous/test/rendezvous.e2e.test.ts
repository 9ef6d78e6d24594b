import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Libp2p } from '@libp2p/interface';
import { Enr, rlpEncode, rlpRaw, StatusTopic } from '@status-ts/enr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeDiscoverResponse,
  decodeMessageType,
  decodeRegisterResponse,
  encodeFrame,
  FrameReader,
  MessageType,
  RENDEZVOUS_PROTOCOL,
  RendezvousClient,
  RendezvousPeerSource,
  RendezvousRegistrar,
  RendezvousServer,
} from '../src/index.js';
import {
  createRendezvousLibp2p,
  fromLibp2pStream,
  libp2pDialer,
  parseRendezvousAddress,
  peerIdFromSecp256k1,
  rendezvousAddresses,
  serveRendezvous,
} from '../src/libp2p/index.js';
import { openRendezvousSqliteStore, type SqliteRegistrationStore } from '../src/sqlite/index.js';
import { forgedEnrRlp, testEnr, testKey } from './helpers/fixtures.js';

const NODES = 10;
const MAILSERVERS = 3;

const dir = mkdtempSync(join(tmpdir(), 'rendezvous-e2e-'));
const serverKey = testKey();
let serverNode: Libp2p;
let server: RendezvousServer;
let store: SqliteRegistrationStore;
let address: string;
const nodes: Libp2p[] = [];
const registrars: RendezvousRegistrar[] = [];
const records: Enr[] = [];

async function collect(source: RendezvousPeerSource, topic: string, count: number): Promise<Enr[]> {
  const controller = new AbortController();
  const found: Enr[] = [];
  for await (const record of source.find(topic, controller.signal)) {
    found.push(record);
    if (found.length === count) controller.abort();
  }
  return found;
}

/** A raw `/rend/0.1.0` stream from a fresh libp2p node, for sending bytes no client would. */
async function rawStream(): Promise<{ node: Libp2p; stream: ReturnType<typeof fromLibp2pStream> }> {
  const node = await createRendezvousLibp2p();
  nodes.push(node);
  const target = await parseRendezvousAddress(address);
  const connection = await node.dial(target.dialable);
  const stream = await connection.newStream(RENDEZVOUS_PROTOCOL);
  return { node, stream: fromLibp2pStream(stream, connection) };
}

beforeAll(async () => {
  store = openRendezvousSqliteStore(join(dir, 'rendezvous.db'));
  server = new RendezvousServer({ store });
  server.start();
  serverNode = await createRendezvousLibp2p({
    privateKey: serverKey,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    role: 'server',
  });
  await serveRendezvous(serverNode, server);
  address = rendezvousAddresses(serverNode)[0]!;

  await Promise.all(
    Array.from({ length: NODES }, async (_, i) => {
      const key = testKey();
      const record = Enr.create({ privateKey: key, ip: '127.0.0.1', tcp: 40_000 + i, udp: 40_000 + i });
      records.push(record);
      const node = await createRendezvousLibp2p();
      nodes.push(node);
      const registrar = new RendezvousRegistrar({
        client: new RendezvousClient({ dialer: libp2pDialer(node) }),
        servers: [address],
        record,
        privateKey: key,
        topics: i < MAILSERVERS ? [StatusTopic.Relayer, StatusTopic.Mailserver] : [StatusTopic.Relayer],
      });
      registrars.push(registrar);
      await registrar.start();
    }),
  );
});

afterAll(async () => {
  for (const registrar of registrars) await registrar.stop();
  await server.stop();
  await Promise.all([serverNode, ...nodes].map((node) => node.stop()));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rendezvous over js-libp2p on 127.0.0.1', () => {
  it('names the server /…/ethv4/<peer id> with the peer id of its secp256k1 key', async () => {
    expect(address).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ethv4\/16Uiu2/);
    const peerId = await peerIdFromSecp256k1(serverKey);
    expect(serverNode.peerId.toString()).toBe(peerId.toString());
    // the libp2p key is the ENR key: same compressed public key
    const enr = Enr.create({ privateKey: serverKey });
    expect(peerId.publicKey!.raw).toEqual(enr.publicKey);
  });

  it('10 nodes registered; a mobile node discovers whisper and whispermail peers, all live and signed', async () => {
    for (const registrar of registrars) expect(registrar.stats.failed).toBe(0);
    expect(server.stats.registered).toBeGreaterThanOrEqual(NODES + MAILSERVERS); // more if a 5 s renewal ran

    const mobile = await createRendezvousLibp2p();
    nodes.push(mobile);
    const source = new RendezvousPeerSource({
      client: new RendezvousClient({ dialer: libp2pDialer(mobile) }),
      servers: [address],
      intervalMs: 10,
    });
    const relayers = await collect(source, StatusTopic.Relayer, NODES);
    const mailservers = await collect(source, StatusTopic.Mailserver, MAILSERVERS);
    const byId = new Map(records.map((r) => [r.nodeIdHex, r]));
    for (const record of [...relayers, ...mailservers]) {
      expect(record.verify()).toBe(true);
      expect(byId.get(record.nodeIdHex)?.encodeText()).toBe(record.encodeText());
    }
    expect(new Set(relayers.map((r) => r.nodeIdHex)).size).toBe(NODES);
    expect(new Set(mailservers.map((r) => r.tcp))).toEqual(new Set([40_000, 40_001, 40_002]));
  });

  it('never returns expired records', async () => {
    const node = await createRendezvousLibp2p();
    nodes.push(node);
    const client = new RendezvousClient({ dialer: libp2pDialer(node) });
    const shortLived = testEnr();
    await client.register(address, 'ephemeral', shortLived, { ttlNs: 1n }); // lives 0.5 s
    expect((await client.discover(address, 'ephemeral')).records).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await client.discover(address, 'ephemeral')).records).toHaveLength(0);
  });

  it('answers a forged ENR with status 101 over a real stream', async () => {
    const { stream } = await rawStream();
    const forged = rlpEncode(['whisper', rlpRaw(forgedEnrRlp(testEnr())), 10_000_000_000n]);
    await stream.write(encodeFrame(MessageType.Register, forged));
    await stream.closeWrite();
    const reader = new FrameReader(stream.source);
    expect(decodeMessageType((await reader.next())!)).toBe(MessageType.RegisterResponse);
    expect(decodeRegisterResponse((await reader.next())!).status).toBe(101);
    expect(await reader.next()).toBeUndefined();
  });

  it('answers a malformed body with status 104 and serves the next message on the same stream', async () => {
    const { stream } = await rawStream();
    await stream.write(encodeFrame(MessageType.Discover, rlpEncode(['not', 'a', 'discover'])));
    await stream.write(encodeFrame(MessageType.Discover, rlpEncode([10, StatusTopic.Mailserver])));
    await stream.closeWrite();
    const reader = new FrameReader(stream.source);
    await reader.next();
    expect(decodeDiscoverResponse((await reader.next())!).status).toBe(104);
    await reader.next();
    expect(decodeDiscoverResponse((await reader.next())!).records).toHaveLength(MAILSERVERS);
  });

  it('resets a stream carrying malformed RLP and keeps serving other peers', async () => {
    const resetsBefore = server.stats.resets;
    const { stream } = await rawStream();
    await stream.write(new Uint8Array([0xb8, 0x01, 0x00, 0xff, 0xff])); // non-canonical length prefix
    const reader = new FrameReader(stream.source);
    await expect(reader.next()).rejects.toMatchObject({ code: 'ERR_RENDEZVOUS_STREAM_RESET' });
    expect(server.stats.resets).toBe(resetsBefore + 1);

    const unknown = await rawStream();
    await unknown.stream.write(rlpEncode(42));
    await expect(new FrameReader(unknown.stream.source).next()).rejects.toMatchObject({
      code: 'ERR_RENDEZVOUS_STREAM_RESET',
    });

    const other = await createRendezvousLibp2p();
    nodes.push(other);
    const client = new RendezvousClient({ dialer: libp2pDialer(other) });
    expect((await client.discover(address, StatusTopic.Relayer)).records).toHaveLength(NODES);
  });
});
