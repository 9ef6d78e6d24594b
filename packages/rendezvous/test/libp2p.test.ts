import { noise } from '@chainsafe/libp2p-noise';
import type { ConnectionEncrypter, Libp2p } from '@libp2p/interface';
import { mplex } from '@libp2p/mplex';
import { tcp } from '@libp2p/tcp';
import { createLibp2p } from 'libp2p';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRegistrationStore, RendezvousClient, RendezvousServer } from '../src/index.js';
import {
  type ConnectionEncrypterFactory,
  createRendezvousLibp2p,
  ETHV4_PROTOCOL_CODE,
  formatRendezvousAddress,
  libp2pDialer,
  parseRendezvousAddress,
  peerIdFromSecp256k1,
  rendezvousAddresses,
  serveRendezvous,
} from '../src/libp2p/index.js';
import { testEnr, testKey } from './helpers/fixtures.js';

const PEER = (await peerIdFromSecp256k1(testKey(424242))).toString();
let stopList: Array<{ stop(): Promise<void> | void }> = [];
afterEach(async () => {
  for (const item of stopList.reverse()) await item.stop();
  stopList = [];
});

describe('server addresses (RDV-01)', () => {
  it('parses /ethv4/ and /p2p/ forms into a dialable /p2p/ multiaddr', async () => {
    expect(ETHV4_PROTOCOL_CODE).toBe(0x01ea);
    for (const text of [`/ip4/10.0.0.1/tcp/30703/ethv4/${PEER}`, `/ip4/10.0.0.1/tcp/30703/p2p/${PEER}`]) {
      const parsed = await parseRendezvousAddress(text);
      expect(parsed.peerId.toString()).toBe(PEER);
      expect(parsed.transport.toString()).toBe('/ip4/10.0.0.1/tcp/30703');
      expect(parsed.dialable.toString()).toBe(`/ip4/10.0.0.1/tcp/30703/p2p/${PEER}`);
    }
    expect(
      (await parseRendezvousAddress(`/dns4/boot.example.org/tcp/30703/ethv4/${PEER}`)).transport.toString(),
    ).toBe('/dns4/boot.example.org/tcp/30703');
  });

  it('prints <transport>/ethv4/<peer id>, replacing a /p2p/ part', async () => {
    expect(await formatRendezvousAddress('/ip4/1.2.3.4/tcp/1', PEER)).toBe(
      `/ip4/1.2.3.4/tcp/1/ethv4/${PEER}`,
    );
    expect(await formatRendezvousAddress(`/ip4/1.2.3.4/tcp/1/p2p/${PEER}`, PEER)).toBe(
      `/ip4/1.2.3.4/tcp/1/ethv4/${PEER}`,
    );
  });

  it('rejects addresses without a peer id, with a bad peer id or a bad transport', async () => {
    for (const bad of [
      '/ip4/1.2.3.4/tcp/1',
      '/ip4/1.2.3.4/tcp/1/ethv4/not-a-peer-id',
      `/ip4/999.2.3.4/tcp/1/ethv4/${PEER}`,
      `garbage/ethv4/${PEER}`,
    ]) {
      await expect(parseRendezvousAddress(bad)).rejects.toMatchObject({
        code: 'ERR_RENDEZVOUS_INVALID_ADDRESS',
      });
    }
  });

  it('derives a 16Uiu2… peer id from the node key and rejects keys of the wrong size', async () => {
    expect(PEER).toMatch(/^16Uiu2/);
    await expect(peerIdFromSecp256k1(new Uint8Array(31))).rejects.toMatchObject({
      code: 'ERR_RENDEZVOUS_INVALID_KEY',
    });
  });
});

async function startServer(options: Parameters<typeof createRendezvousLibp2p>[0] = {}) {
  const server = new RendezvousServer({ store: new MemoryRegistrationStore() });
  const node = await createRendezvousLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'], role: 'server', ...options });
  await serveRendezvous(node, server);
  stopList.push(node, server);
  return { node, server, address: rendezvousAddresses(node)[0]! };
}

async function registerThrough(client: Libp2p, address: string): Promise<void> {
  const rendezvous = new RendezvousClient({ dialer: libp2pDialer(client) });
  await rendezvous.register(address, 'whisper', testEnr());
}

describe('pluggable encrypters and muxers', () => {
  it('serves a client that speaks only mplex (the second built-in muxer)', async () => {
    const { address, server } = await startServer();
    const client = await createLibp2p({
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [mplex()],
    });
    stopList.push(client);
    await registerThrough(client, address);
    expect(client.getConnections()[0]!.multiplexer).toBe('/mplex/6.7.0');
    expect(server.stats.registered).toBe(1);
  });

  it('negotiates an extra connection encrypter given to createRendezvousLibp2p (after Noise)', async () => {
    const alias: ConnectionEncrypterFactory = (components) => {
      const inner = noise()(components) as ConnectionEncrypter;
      return {
        protocol: '/test-encrypter/1.0.0',
        secureInbound: inner.secureInbound.bind(inner),
        secureOutbound: inner.secureOutbound.bind(inner),
      } as ConnectionEncrypter;
    };
    const { address, server } = await startServer({ connectionEncrypters: [alias] });
    const client = await createLibp2p({
      transports: [tcp()],
      connectionEncrypters: [alias],
      streamMuxers: [mplex()],
    });
    stopList.push(client);
    await registerThrough(client, address);
    expect(client.getConnections()[0]!.encryption).toBe('/test-encrypter/1.0.0');
    expect(server.stats.registered).toBe(1);

    // a default client still gets Noise first
    const standard = await createRendezvousLibp2p();
    stopList.push(standard);
    await registerThrough(standard, address);
    expect(standard.getConnections()[0]!.encryption).toBe('/noise');
    expect(standard.getConnections()[0]!.multiplexer).toBe('/yamux/1.0.0');
  });
});
