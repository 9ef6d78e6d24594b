import { bytesToHex } from '@status-ts/core';
import { Enr, roleEntries, StatusTopic } from '@status-ts/enr';
import { MailClient, MailServer, MemoryEnvelopeStore, mailserverProbe } from '@status-ts/mailserver';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isPeerPoolError,
  PeerPool,
  PeerPoolErrorCode,
  type SelectedMailserver,
  StaticPeerSource,
  serverDialer,
} from '../src/index.js';
import { type LoopbackNode, startLoopbackNode } from './network.js';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function node(
  roles: string[],
  options: { light?: boolean } = {},
): Promise<{ net: LoopbackNode; enr: Enr }> {
  const net = await startLoopbackNode({ waku: true, discovery: false, ...options });
  cleanup.push(() => net.stop());
  const enr = Enr.create({
    privateKey: net.key,
    ip: '127.0.0.1',
    tcp: net.server.address!.port,
    entries: roleEntries({ roles, capabilities: [{ name: 'waku', version: 1 }] }),
  });
  return { net, enr };
}

describe('PeerPool with the mailserver package probe (RLPx on 127.0.0.1, real Waku nodes)', () => {
  it('selects the mailserver that answers, with its measured RTT, and drops one that does not', async () => {
    const relayer = await node([StatusTopic.Relayer]);
    // A real mailserver, also registered as a relayer, and a node that claims the role but serves nothing.
    const mailserver = await node([StatusTopic.Relayer, StatusTopic.Mailserver]);
    const archive = new MailServer({ store: new MemoryEnvelopeStore() });
    archive.attach(mailserver.net.waku!);
    cleanup.push(() => archive.stop());
    let served = 0;
    archive.on('served', () => served++);
    const impostor = await node([StatusTopic.Relayer, StatusTopic.Mailserver]);
    const phone = await node([], { light: true });
    const client = new MailClient(phone.net.waku!);
    cleanup.push(() => client.close());

    const pool = new PeerPool({
      dialer: serverDialer(phone.net.server),
      sources: [
        new StaticPeerSource({
          whisper: [mailserver.enr, relayer.enr],
          whispermail: [impostor.enr, mailserver.enr],
        }),
      ],
      topics: { whisper: { min: 2, max: 2 }, whispermail: { min: 1, max: 2 } },
      mailserverProbe: mailserverProbe(client),
      timing: { mailserverProbeTimeoutMs: 1_000 },
      selfId: phone.net.server.id,
      // The impostor is a discovered claimant: it is only dialed because the app opts in.
      useDiscoveredMailservers: true,
    });
    cleanup.push(() => pool.stop());
    const failed: string[] = [];
    pool.on('peer:failed', (e) => {
      if (isPeerPoolError(e.error, PeerPoolErrorCode.ProbeFailed)) failed.push(e.id);
    });
    const selected = new Promise<SelectedMailserver>((resolve) =>
      pool.on('mailserver:changed', (m) => m && resolve(m)),
    );
    await pool.start();

    const chosen = await selected;
    // The impostor's probe times out (1 s) whether it connected before or after the mailserver was chosen.
    const impostorId = bytesToHex(impostor.net.server.id);
    for (let waited = 0; !failed.includes(impostorId) && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const mailserverId = bytesToHex(mailserver.net.server.id);
    expect(chosen.id).toBe(mailserverId);
    expect(typeof chosen.rttMs).toBe('number');
    expect(chosen.rttMs!).toBeGreaterThanOrEqual(0);
    expect(chosen.rttMs!).toBeLessThan(1_000);
    expect(served).toBeGreaterThanOrEqual(1);
    // The impostor failed its probe and no longer counts as a mailserver.
    expect(failed).toEqual([impostorId]);
    expect(pool.mailserver?.id).toBe(mailserverId);
    expect(pool.peers('whispermail').map((p) => p.id)).toEqual([mailserverId]);
    // The mailserver is also one of the two relayers, over the same connection.
    expect(pool.peers('whisper').map((p) => p.id)).toContain(mailserverId);
    expect(phone.net.server.peers.filter((p) => p.idHex === mailserverId)).toHaveLength(1);
  });
});
