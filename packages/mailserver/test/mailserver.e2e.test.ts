import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utf8ToBytes } from '@status-ts/core';
import { publicChat } from '@status-ts/waku';
import { afterAll, describe, expect, it } from 'vitest';
import { MailClient, MailServer } from '../src/index.js';
import { openMailserverSqliteStore } from '../src/sqlite/index.js';
import { connect, type NetNode, OffsetClock, startNetNode, stopAll, waitFor } from './helpers/network.js';

const dir = mkdtempSync(join(tmpdir(), 'status-ts-mail-e2e-'));
const nets: NetNode[] = [];
afterAll(async () => {
  await stopAll(nets);
  rmSync(dir, { recursive: true, force: true });
});

describe('mailserver end to end over RLPx', () => {
  it('Bob, offline for 3 days of Alice posting 500 envelopes on 3 topics, fetches each exactly once', async () => {
    const clock = new OffsetClock();
    const opts = { clock, transmissionCycleMs: 20 };
    const relayer = await startNetNode('relayer', opts);
    const ms = await startNetNode('mailserver', opts);
    const alice = await startNetNode('alice', opts);
    nets.push(relayer, ms, alice);
    const store = openMailserverSqliteStore(join(dir, 'mail.db'));
    const mailserver = new MailServer({ store });
    mailserver.attach(ms.node);
    await connect(alice, relayer);
    await connect(relayer, ms);

    const chats = ['e2e-one', 'e2e-two', 'e2e-three'].map((n) => publicChat(n));
    const start = Math.floor(clock.now() / 1000);
    const groups = 50;
    const step = Math.floor((3 * 86_400) / groups);
    for (let g = 0; g < groups; g++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const chat = chats[(g * 10 + i) % 3]!;
          return alice.node.post({
            ...chat,
            payload: utf8ToBytes(`m${g}-${i}`),
            ttl: 60,
            powTarget: 0.000002,
          });
        }),
      );
      await waitFor(async () => (await store.count()) === (g + 1) * 10, 10_000, `group ${g} archived`);
      clock.offsetMs += step * 1000;
    }
    expect(await store.count()).toBe(500);

    // Bob comes online 3 days later and asks the mailserver for everything since Alice started.
    const bob = await startNetNode('bob', opts);
    nets.push(bob);
    await connect(bob, relayer);
    await connect(bob, ms);
    const filters = chats.map((c) => bob.node.subscribe({ topics: [c.topic], symKey: c.symKey }));
    const delivered: string[] = [];
    for (const f of filters) f.on('message', (m) => delivered.push(m.hashHex));
    const client = new MailClient(bob.node, { pageLimit: 100 });
    const pages: number[] = [];
    client.on('page', (p) => pages.push(p.envelopes));
    const summary = await client.requestHistory({
      mailservers: [ms.server.id],
      topics: chats.map((c) => c.topic),
      from: start - 60,
    });
    expect(summary.windows).toBe(4);
    expect(summary.uniqueEnvelopes).toBe(500);
    expect(summary.envelopes).toBe(500); // cursors: nothing served twice
    expect(pages.some((n) => n === 100)).toBe(true);
    expect(delivered).toHaveLength(500);
    expect(new Set(delivered).size).toBe(500);

    // An overlapping second request: served again, but Bob's filters drop every duplicate.
    const again = await client.requestHistory({
      mailservers: [ms.server.id],
      topics: chats.map((c) => c.topic),
      from: Math.floor(clock.now() / 1000) - 36 * 3600,
      force: true,
    });
    expect(again.envelopes).toBeGreaterThan(0);
    expect(delivered).toHaveLength(500);
    expect(mailserver.counters.served).toBe(summary.pages + again.pages);
    client.close();
    await mailserver.stop();
    await store.close();
  }, 60_000);
});
