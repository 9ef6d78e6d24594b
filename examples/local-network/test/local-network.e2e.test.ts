import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DemoReport, runDemo } from '../src/demo.js';
import { MISSED_EACH } from '../src/offline-history.js';
import { PUBLIC_CHAT } from '../src/public-chat.js';
import { summaryLines } from '../src/summary.js';

const RELAYING = ['boot', 'relayer-1', 'relayer-2', 'mailserver'];
const FOUND_BY = ['discv5', 'rendezvous'];

function received(report: DemoReport, to: string, id: string) {
  return report.received.filter((r) => r.to === to && r.id === id);
}

describe('local network demo', () => {
  it('client nodes find each other through a bootstrap node; public, 1:1 (delivery states), group and offline history work end to end', async () => {
    const report = await runDemo();
    let stopped: { nodes: number } | undefined;
    try {
      const { alice, bob, carol } = report.people;
      const fill = (label: string) => report.fills.find((f) => f.label === label)!;

      // Relayers and the mailserver found 2+ relayers each through discv5 or rendezvous, no static links.
      for (const label of ['relayer-1', 'relayer-2', 'mailserver']) {
        const relayers = fill(label).peers.filter((p) => p.topic === 'whisper');
        expect(relayers.length).toBeGreaterThanOrEqual(2);
        for (const p of relayers) expect(RELAYING).toContain(p.peer);
        for (const p of fill(label).peers) expect(FOUND_BY).toContain(p.source);
      }
      // Each phone: 2–3 relayers found by discovery from the local fleet, and the mailserver the fleet lists
      // (a discovered node that only claims the role is not trusted by default).
      for (const person of ['alice', 'bob', 'carol']) {
        const phone = fill(person);
        const relayers = phone.peers.filter((p) => p.topic === 'whisper').map((p) => p.peer);
        expect(relayers.length).toBeGreaterThanOrEqual(2);
        expect(relayers.length).toBeLessThanOrEqual(3);
        for (const peer of relayers) expect(RELAYING).toContain(peer);
        const mailservers = new Set(phone.peers.filter((p) => p.topic === 'whispermail').map((p) => p.peer));
        expect([...mailservers]).toEqual(['mailserver']);
        for (const p of phone.peers) {
          if (p.topic === 'whispermail') expect(p.source).toBe('config');
          else expect(FOUND_BY).toContain(p.source);
        }
        expect(phone.mailserver).toBe('mailserver');
        expect(phone.start).toBe('cold');
      }

      // Public chat: Alice's message reaches Bob, Carol and, through the bridge, the shh/6-only node.
      const { hello, reply } = report.publicChat;
      expect(hello).toMatchObject({ chatKind: 'public', chatId: PUBLIC_CHAT, author: alice.id });
      for (const to of ['bob', 'carol']) {
        expect(received(report, to, hello.id)).toEqual([
          expect.objectContaining({ from: 'alice', kind: 'public', text: 'hello #status-ts, Alice here' }),
        ]);
      }
      expect(report.whisper).toContainEqual({
        id: hello.id,
        author: alice.id,
        text: hello.text,
        clock: hello.clock,
      });
      expect(report.whisper).toContainEqual({
        id: reply.id,
        author: bob.id,
        text: reply.text,
        clock: reply.clock,
      });
      expect(new Set(report.whisper.map((r) => r.id)).size).toBe(report.whisper.length);
      for (const to of ['alice', 'carol']) {
        expect(received(report, to, reply.id)).toEqual([
          expect.objectContaining({ from: 'bob', text: 'hi Alice, Bob here', responseTo: hello.id }),
        ]);
      }

      // 1:1: every delivery state, in order; Bob's answer comes back as a reply and is acknowledged too.
      const { first, reply: answer } = report.direct;
      expect(received(report, 'bob', first.id)).toEqual([
        expect.objectContaining({ from: 'alice', kind: 'one-to-one', chatId: alice.id, text: first.text }),
      ]);
      expect(report.deliveryStates[first.id]).toEqual(['sending', 'sent', 'confirmed', 'acknowledged']);
      expect(received(report, 'alice', answer.id)).toEqual([
        expect.objectContaining({ from: 'bob', kind: 'one-to-one', chatId: bob.id, responseTo: first.id }),
      ]);
      expect(report.deliveryStates[answer.id]).toEqual(
        expect.arrayContaining(['sending', 'sent', 'acknowledged']),
      );
      expect(report.deliveryStates[answer.id]!.at(-1)).toBe('acknowledged');

      // Group: all three read the first message; after Carol's removal only Bob reads, Carol gets nothing.
      const { group } = report;
      for (const to of ['bob', 'carol']) {
        expect(received(report, to, group.hello.id)).toEqual([
          expect.objectContaining({ from: 'alice', kind: 'group', chatId: group.chatId }),
        ]);
      }
      expect(received(report, 'bob', group.afterRemoval.id)).toHaveLength(1);
      expect(received(report, 'carol', group.afterRemoval.id)).toEqual([]);
      expect(group.carolAfterRemoval).toEqual([]);
      for (const members of Object.values(group.membersAfterRemoval)) {
        expect([...members].sort()).toEqual([alice.id, bob.id].sort());
      }
      expect(carol.id).not.toBe(alice.id);

      // Offline: Bob, back from his SQLite file, gets each missed message exactly once and nothing else
      // again; his store gives each chat in clock order; the mailserver served it by itself.
      const { offline } = report;
      expect(offline.missed).toHaveLength(2 * MISSED_EACH);
      const back = report.received.filter((r) => r.run === 'back');
      expect(back.map((r) => r.id).sort()).toEqual(offline.missed.map((m) => m.id).sort());
      for (const r of back) {
        expect(r.from).toBe('alice');
        expect(r.text).toBe(offline.missed.find((m) => m.id === r.id)!.text);
      }
      const missedIn = (kind: string) => offline.missed.filter((m) => m.chatKind === kind).map((m) => m.text);
      expect(offline.stored.public.map((l) => l.text)).toEqual([
        hello.text,
        reply.text,
        ...missedIn('public'),
      ]);
      expect(offline.stored.direct.map((l) => l.text)).toEqual([
        first.text,
        answer.text,
        ...missedIn('one-to-one'),
      ]);
      for (const lines of [offline.stored.public, offline.stored.direct]) {
        expect(lines.every((l, i) => i === 0 || l.clock > lines[i - 1]!.clock)).toBe(true);
      }
      expect(offline.fetches.length).toBeGreaterThanOrEqual(1);
      expect(offline.fetches.every((f) => f.served === 'mailserver')).toBe(true);
      expect(offline.fetches.reduce((n, f) => n + f.envelopes, 0)).toBeGreaterThanOrEqual(2 * MISSED_EACH);
      // Alice's messages to the offline Bob: confirmed by the mailserver, acknowledged once he was back.
      for (const m of offline.missed.filter((m) => m.chatKind === 'one-to-one')) {
        expect(report.deliveryStates[m.id]).toEqual(['sending', 'sent', 'confirmed', 'acknowledged']);
      }
      // Bob's phone came back on the relayers of its last run, from its cache, and on the fleet's mailserver
      // (a configured list is dialed first and is the only source of mailservers).
      expect(offline.back).toMatchObject({ start: 'warm', mailserver: 'mailserver' });
      const fromCache = offline.back.peers.filter((p) => p.source === 'cache');
      expect(fromCache.filter((p) => p.topic === 'whisper').length).toBeGreaterThanOrEqual(2);
      const mailservers = offline.back.peers.filter((p) => p.topic === 'whispermail');
      expect(mailservers.map((p) => [p.peer, p.source])).toEqual([['mailserver', 'config']]);

      // The summary: every node with its role; the mailserver served history; the table prints.
      expect(report.nodes.map((n) => [n.label, n.role])).toEqual([
        ['boot', 'bootstrap'],
        ['relayer-1', 'relayer'],
        ['relayer-2', 'relayer'],
        ['mailserver', 'mailserver'],
        ['bridge', 'bridge'],
        ['legacy-whisper', 'whisper-only'],
        ['alice', 'mobile'],
        ['bob', 'mobile'],
        ['carol', 'mobile'],
        ['bob (back)', 'mobile'],
      ]);
      for (const node of report.nodes) expect(node.peers).toBeGreaterThanOrEqual(1);
      expect(report.nodes.find((n) => n.label === 'legacy-whisper')!.envelopesIn).toBeGreaterThanOrEqual(1);
      const lines = summaryLines(report);
      expect(lines.some((l) => /^mailserver\s+mailserver\s/.test(l))).toBe(true);
      expect(lines.some((l) => /^acknowledged\s+\d+$/.test(l))).toBe(true);
    } finally {
      stopped = await report.stop();
    }
    expect(stopped.nodes).toBe(9);
    expect(existsSync(report.dataDir)).toBe(false);
  }, 90_000);
});
