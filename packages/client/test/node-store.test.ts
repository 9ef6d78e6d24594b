import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey } from '@status-ts/crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createStatusNode, type StatusMessage } from '../src/index.js';
import { openClientSqliteStore } from '../src/sqlite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'client-node-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the node keeps its chats and messages in the message store', () => {
  it('in a SQLite file that survives a restart; a stored message is not delivered again', async () => {
    const file = join(dir, 'status.db');
    const privateKey = generatePrivateKey();
    const first = createStatusNode({
      discovery: false,
      identity: { privateKey },
      listen: false,
      store: openClientSqliteStore(file),
    });
    await first.start();
    first.joinPublicChat('restart');
    const sent = await first.sendPublicMessage('restart', 'kept across restarts');
    const envelope = first.waku.envelopes().find((e) => `0x${e.hashHex}` === sent.envelopeHash);
    expect(envelope).toBeDefined();
    await first.idle();
    await first.stop();
    await first.store.close();

    const store = openClientSqliteStore(file);
    const second = createStatusNode({ discovery: false, identity: { privateKey }, listen: false, store });
    await second.start();
    try {
      const page = await second.chatMessages('restart');
      expect(page.messages.map((m) => [m.id, m.text, m.outgoing])).toEqual([
        [sent.message.id, 'kept across restarts', true],
      ]);
      expect((await store.getChat('restart'))?.kind).toBe('public');
      // The same message arriving again (history, a relay) is not shown twice.
      const seen: StatusMessage[] = [];
      second.on('message', (m) => seen.push(m));
      second.joinPublicChat('restart');
      const dropped: string[] = [];
      second.on('dropped', (d) => dropped.push(d.reason));
      second.waku.postEnvelope(envelope!);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await second.idle();
      expect(second.waku.counters.messagesDelivered).toBe(1); // the filter opened it…
      expect(dropped).toEqual([]); // …found it valid…
      expect(seen).toEqual([]); // …and not delivered again
      expect((await second.chatMessages('restart')).messages).toHaveLength(1);
    } finally {
      await second.stop();
      await store.close();
    }
  });
});
