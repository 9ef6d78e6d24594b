import { describe, expect, it } from 'vitest';
import { MISSED_MESSAGES, PUBLIC_CHAT, runLocalNetwork } from '../src/network.js';

describe('local network demo', () => {
  it('relays a public-chat message across Waku and a Whisper bridge, and a direct message to its recipient only', async () => {
    const report = await runLocalNetwork();
    try {
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
      const direct = report.deliveries.filter((d) => d.kind === 'direct');
      expect(direct).toEqual([expect.objectContaining({ to: 'alice', from: bob.account.name })]);
      // The legacy node speaks only shh/6: it got the message through the bridge.
      const legacy = report.nodes.find((n) => n.label === 'legacy-whisper')!;
      expect(legacy.waku.peers.map((p) => p.protocol)).toEqual(['shh']);
      // Bob was offline for MISSED_MESSAGES posts and got each exactly once from the mailserver's history.
      const missed = report.deliveries.filter((d) => d.to === 'bob' && d.text.includes('while bob is away'));
      expect(missed.map((d) => d.kind)).toEqual(Array(MISSED_MESSAGES).fill('history'));
      expect(new Set(missed.map((d) => d.text)).size).toBe(MISSED_MESSAGES);
      expect(report.history.uniqueEnvelopes).toBeGreaterThanOrEqual(MISSED_MESSAGES);
    } finally {
      await Promise.all(report.nodes.map((n) => n.stop()));
    }
    for (const node of report.nodes) expect(node.server.peers).toHaveLength(0);
  });
});
