import { bytesToHex } from '@status-ts/core';
import { describe, expect, it } from 'vitest';
import { MISSED_MESSAGES, type PoolFill, PUBLIC_CHAT, runLocalNetwork } from '../src/network.js';

describe('local network demo', () => {
  it('finds peers through rendezvous, relays across Waku and a Whisper bridge, and fetches missed history from the cache-selected mailserver', async () => {
    const report = await runLocalNetwork();
    try {
      // Relayers and the bridge registered under whisper, the mailserver under whisper + whispermail.
      expect(report.rendezvous.registrations.map((r) => [r.label, r.topics])).toEqual([
        ['relayer-1', ['whisper']],
        ['relayer-2', ['whisper']],
        ['bridge', ['whisper']],
        ['mailserver', ['whisper', 'whispermail']],
      ]);
      // 5 registrations (renewed every 5 s, so a slow run may show more); each pool topic asked DISCOVER.
      expect(report.rendezvous.stats.registered).toBeGreaterThanOrEqual(5);
      expect(report.rendezvous.stats.discovered).toBeGreaterThanOrEqual(4);
      const relayers = ['relayer-1', 'relayer-2', 'bridge'];
      const [alicePool, bobPool, bobBackPool] = report.pools;
      // Cold start: both light clients found 2 relayers and the mailserver through rendezvous.
      for (const pool of [alicePool!, bobPool!]) {
        expect(pool.start).toBe('cold');
        expect(pool.peers.every((p) => p.source === 'rendezvous')).toBe(true);
        const whisper = pool.peers.filter((p) => p.topic === 'whisper').map((p) => p.peer);
        expect(whisper).toHaveLength(2);
        for (const peer of whisper) expect(relayers).toContain(peer);
        expect(pool.peers.filter((p) => p.topic === 'whispermail').map((p) => p.peer)).toEqual([
          'mailserver',
        ]);
        expect(pool.mailserver).toBe('mailserver');
        expect(pool.mailserverRttMs).toBeGreaterThan(0);
      }
      // Warm start: Bob's new node dialed the peers of his first one, all from his peer cache.
      expect(bobBackPool!.label).toBe('bob');
      expect(bobBackPool!.start).toBe('warm');
      expect(bobBackPool!.peers.every((p) => p.source === 'cache')).toBe(true);
      const sorted = (peers: PoolFill['peers']) => peers.map((p) => `${p.topic}:${p.peer}`).sort();
      expect(sorted(bobBackPool!.peers)).toEqual(sorted(bobPool!.peers));

      const alice = report.nodes.find((n) => n.label === 'alice')!;
      const bob = report.nodes.find((n) => n.label === 'bob')!;
      const publicChat = report.deliveries.filter(
        (d) => d.kind === 'public chat' && !d.text.includes('away'),
      );
      expect(publicChat.map((d) => d.to).sort()).toEqual(['bob', 'legacy-whisper', 'relayer-1']);
      for (const d of publicChat) {
        expect(d.from).toBe(alice.account.name);
        expect(d.text).toContain(`#${PUBLIC_CHAT}`);
      }
      // A signed Status ChatMessage: every receiver computes the same message id from the wrapper.
      expect(new Set(publicChat.map((d) => d.status?.id)).size).toBe(1);
      expect(publicChat[0]!.status!.id).toMatch(/^0x[0-9a-f]{64}$/);
      const direct = report.deliveries.filter((d) => d.kind === 'direct');
      expect(direct).toEqual([expect.objectContaining({ to: 'alice', from: bob.account.name })]);
      // The legacy node speaks only shh/6: it got the message through the bridge.
      const legacy = report.nodes.find((n) => n.label === 'legacy-whisper')!;
      expect(legacy.waku.peers.map((p) => p.protocol)).toEqual(['shh']);
      // History from the pool's mailserver: the chat's 1 + MISSED_MESSAGES envelopes; the one Bob already had
      // is not delivered again, each missed one is delivered exactly once.
      const mailserver = report.nodes.find((n) => n.label === 'mailserver')!;
      expect(report.history.mailserver).toBe(bytesToHex(mailserver.server.id));
      expect(report.history.uniqueEnvelopes).toBe(MISSED_MESSAGES + 1);
      expect(report.historyAlreadySeen).toBe(1);
      const history = report.deliveries.filter((d) => d.kind === 'history');
      expect(history.every((d) => d.to === 'bob' && d.text.includes('while bob is away'))).toBe(true);
      // Alice's Lamport clock: each message she sent sorts after the one before it.
      const clocks = [...history].sort((a, b) => a.text.localeCompare(b.text)).map((d) => d.status!.clock);
      expect(clocks.every((clock, i) => i === 0 || clock > clocks[i - 1]!)).toBe(true);
      expect(clocks[0]!).toBeGreaterThan(publicChat[0]!.status!.clock);
      expect(history.map((d) => d.text).sort()).toEqual(
        Array.from(
          { length: MISSED_MESSAGES },
          (_, i) => `message ${i + 1} of ${MISSED_MESSAGES} while bob is away`,
        ),
      );
    } finally {
      await report.stop();
    }
    for (const node of report.nodes) expect(node.server.peers).toHaveLength(0);
  });
});
