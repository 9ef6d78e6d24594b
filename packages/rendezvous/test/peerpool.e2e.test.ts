import { generatePrivateKey } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import { Enr, roleEntries, StatusTopic } from '@status-ts/enr';
import { PeerPool, serverDialer, targetId } from '@status-ts/peerpool';
import { WakuNode } from '@status-ts/waku';
import { afterAll, describe, expect, it } from 'vitest';
import { RendezvousClient, RendezvousPeerSource, RendezvousRegistrar } from '../src/index.js';
import { createRendezvousLibp2p, libp2pDialer, runRendezvousServer } from '../src/libp2p/index.js';

// The whole path a phone takes: Status nodes register at a rendezvous server over libp2p, and the
// phone's PeerPool finds them through RendezvousPeerSource and connects over RLPx (waku/1).

const stops: Array<() => unknown> = [];
afterAll(async () => {
  for (const stop of stops.reverse()) {
    await Promise.resolve()
      .then(stop)
      .catch(() => {});
  }
});

async function statusNode(roles: string[], lightNode = false) {
  const privateKey = generatePrivateKey();
  const waku = new WakuNode({ lightNode });
  const server = new Server({ privateKey, host: '127.0.0.1', port: 0, capabilities: waku.capabilities });
  await waku.start();
  await server.start();
  stops.push(async () => {
    await server.stop();
    await waku.stop();
  });
  const enr = Enr.create({
    privateKey,
    ip: '127.0.0.1',
    tcp: server.address!.port,
    entries: roles.length > 0 ? roleEntries({ roles }) : undefined,
  });
  return { privateKey, server, enr };
}

describe('PeerPool over rendezvous', () => {
  it('a light node connects to 3 relayers and a mailserver found through a rendezvous server', async () => {
    const rendezvous = await runRendezvousServer({ listen: ['/ip4/127.0.0.1/tcp/0'] });
    stops.push(() => rendezvous.stop());
    const address = rendezvous.addresses[0]!;

    const relayers = await Promise.all([1, 2, 3].map(() => statusNode([StatusTopic.Relayer])));
    const mailserver = await statusNode([StatusTopic.Relayer, StatusTopic.Mailserver]);
    for (const [node, topics] of [
      ...relayers.map((n) => [n, [StatusTopic.Relayer]] as const),
      [mailserver, [StatusTopic.Relayer, StatusTopic.Mailserver]] as const,
    ]) {
      const libp2p = await createRendezvousLibp2p();
      stops.push(() => libp2p.stop());
      const registrar = new RendezvousRegistrar({
        client: new RendezvousClient({ dialer: libp2pDialer(libp2p) }),
        servers: [address],
        record: node.enr,
        privateKey: node.privateKey,
        topics,
      });
      stops.push(() => registrar.stop());
      await registrar.start();
      expect(registrar.stats.registered).toBe(topics.length);
    }

    const phone = await statusNode([], true);
    const phoneLibp2p = await createRendezvousLibp2p();
    stops.push(() => phoneLibp2p.stop());
    const source = new RendezvousPeerSource({
      client: new RendezvousClient({ dialer: libp2pDialer(phoneLibp2p) }),
      servers: [address],
    });
    const pool = new PeerPool({
      dialer: serverDialer(phone.server),
      sources: [source],
      topics: { whisper: { min: 3, max: 3 }, whispermail: { min: 1, max: 1 } },
      selfId: phone.server.id,
      // The mailserver here is one rendezvous found: trusted only because the test opts in.
      useDiscoveredMailservers: true,
    });
    stops.push(() => pool.stop());
    const full = new Promise<void>((resolve) =>
      pool.on('peer:added', () => pool.peers().length === 4 && resolve()),
    );
    await pool.start();
    await full;

    expect(pool.peers('whisper')).toHaveLength(3);
    expect(pool.mailserver?.id).toBe(targetId(mailserver.enr));
    expect(source.stats.requests).toBeGreaterThan(0);
  });
});
