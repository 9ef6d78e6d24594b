// A full 24 h history fetch over real RLPx on loopback: a mailserver node on SQLite holding the envelopes,
// a client node dialled to it over devp2p on 127.0.0.1, MailClient following cursors to the end.
import { join } from 'node:path';
import { randomBytes } from '@status-ts/crypto';
import { Envelope } from '@status-ts/waku';
import { MailClient, MailServer } from '../src/index.js';
import { openMailserverSqliteStore } from '../src/sqlite/index.js';
import { startNetNode } from '../test/helpers/network.js';

export async function benchRlpxFetch(dir: string, count: number): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const from = now - 86_400;
  const topics = [randomBytes(4), randomBytes(4), randomBytes(4)];
  const payload = randomBytes(300);
  const store = openMailserverSqliteStore(join(dir, 'fetch.db'));
  for (let i = 0; i < count; i += 1000) {
    const batch: Envelope[] = [];
    for (let j = i; j < Math.min(count, i + 1000); j++) {
      const sent = from + Math.floor((j * 86_400) / count);
      batch.push(
        Envelope.create({ expiry: sent + 60, ttl: 60, topic: topics[j % 3]!, data: payload, nonce: j }),
      );
    }
    await store.put(batch);
  }
  const ms = await startNetNode('mailserver');
  const mailserver = new MailServer({ store });
  mailserver.attach(ms.node);
  const client = await startNetNode('client');
  await client.server.dial(ms.server.enode);
  const deadline = Date.now() + 10_000;
  while (!client.node.getPeer(ms.server.id) || !ms.node.getPeer(client.server.id)) {
    if (Date.now() > deadline) throw new Error('RLPx handshake did not finish');
    await new Promise((r) => setTimeout(r, 10));
  }
  // History goes through the node's filter pipeline as in a real client (dedup by hash, decrypt attempt).
  const filter = client.node.subscribe({ topics, symKey: randomBytes(32), allowP2P: true });
  const mail = new MailClient(client.node);
  const t = performance.now();
  const summary = await mail.requestHistory({ mailservers: [ms.server.id], topics, from, to: now });
  const ms_ = performance.now() - t;
  console.log(
    `rlpx 24 h history fetch (${count} envelopes of ${payload.length + 20} data bytes on loopback, SQLite store, pages of 1000):\n` +
      `  ${summary.uniqueEnvelopes} unique / ${summary.envelopes} received in ${summary.pages} pages (${summary.retries} retries), ` +
      `${Math.round(ms_)} ms total, ${Math.round((summary.envelopes * 1000) / ms_)} env/s end to end`,
  );
  client.node.unsubscribe(filter);
  mail.close();
  await mailserver.stop();
  await Promise.all([client.node.stop(), ms.node.stop()]);
  await Promise.all([client.server.stop(), ms.server.stop()]);
  await store.close();
}
