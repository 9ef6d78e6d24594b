import '@status-ts/core/promise-with-resolvers';
import { mplex } from '@libp2p/mplex';
import { tcp } from '@libp2p/tcp';
import { generatePrivateKey } from '@status-ts/crypto';
import { Enr, StatusTopic } from '@status-ts/enr';
import { type LegacyPeer, startLegacyPeer } from '@status-ts/legacy-libp2p-peer';
import { secio } from '@status-ts/libp2p-secio';
import { createLibp2p, type Libp2p } from 'libp2p';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_TTL_NS,
  decodeDiscoverResponse,
  decodeMessageType,
  decodeRegisterResponse,
  encodeDiscover,
  encodeFrame,
  encodeRegister,
  FrameReader,
  MessageType,
  RendezvousClient,
  ResponseStatus,
} from '../src/index.js';
import {
  libp2pDialer,
  parseRendezvousAddress,
  type RunningRendezvousServer,
  runRendezvousServer,
} from '../src/libp2p/index.js';

// Status' go-libp2p 0.4.2 rendezvous servers and clients speak only secio (with mplex or yamux). Our
// server offers Noise first and secio second by default, so both a client configured like go-libp2p 0.4.2
// and an independent secio implementation (js-libp2p 0.29 + libp2p-secio 0.13) reach it.
describe('rendezvous over secio (127.0.0.1)', () => {
  let server: RunningRendezvousServer;
  let goLikeClient: Libp2p;
  let legacy: LegacyPeer;

  beforeAll(async () => {
    server = await runRendezvousServer({ listen: ['/ip4/127.0.0.1/tcp/0'] });
    goLikeClient = await createLibp2p({
      transports: [tcp()],
      connectionEncrypters: [secio()],
      streamMuxers: [mplex()],
    });
    legacy = await startLegacyPeer();
  });
  afterAll(async () => {
    await goLikeClient?.stop();
    await legacy?.stop();
    await server?.stop();
  });

  it('our client on a secio + mplex only node registers and discovers', async () => {
    const address = server.addresses[0]!;
    const client = new RendezvousClient({ dialer: libp2pDialer(goLikeClient) });
    const record = Enr.create({ privateKey: generatePrivateKey(), ip: '127.0.0.1', tcp: 30303 });
    await client.register(address, StatusTopic.Mailserver, record);
    const { records } = await client.discover(address, StatusTopic.Mailserver);
    expect(records.some((found) => found.equals(record))).toBe(true);
    const [connection] = goLikeClient.getConnections();
    expect(connection?.encryption).toBe('/secio/1.0.0');
    expect(connection?.multiplexer).toBe('/mplex/6.7.0');
  });

  it('the old js-libp2p secio stack registers and discovers with raw /rend/0.1.0 frames', async () => {
    const target = (await parseRendezvousAddress(server.addresses[0]!)).dialable.toString();
    const record = Enr.create({ privateKey: generatePrivateKey(), ip: '127.0.0.1', tcp: 30304 });
    // One request per stream, as status-go's client does: write, close writing, read the answer.
    const messages = async (bytes: Uint8Array) => {
      const answer = await legacy.dialRend(target, bytes);
      const reader = new FrameReader(
        (async function* () {
          yield answer;
        })(),
      );
      const out: { type: number; body: Uint8Array }[] = [];
      for (let type = await reader.next(); type !== undefined; type = await reader.next()) {
        out.push({ type: decodeMessageType(type), body: (await reader.next())! });
      }
      return out;
    };

    const registered = await messages(
      encodeFrame(
        MessageType.Register,
        encodeRegister({ topic: StatusTopic.Relayer, record, ttlNs: DEFAULT_TTL_NS }),
      ),
    );
    expect(registered.map((m) => m.type)).toEqual([MessageType.RegisterResponse]);
    expect(decodeRegisterResponse(registered[0]!.body).status).toBe(ResponseStatus.Ok);

    const discovered = await messages(
      encodeFrame(MessageType.Discover, encodeDiscover({ limit: 10, topic: StatusTopic.Relayer })),
    );
    expect(discovered.map((m) => m.type)).toEqual([MessageType.DiscoverResponse]);
    const answer = decodeDiscoverResponse(discovered[0]!.body);
    expect(answer.status).toBe(ResponseStatus.Ok);
    expect(answer.records.some((found) => found.equals(record))).toBe(true);
  });
});
