import { generatePrivateKey } from '@status-ts/crypto';
import { Discv5Node } from '@status-ts/discv5';
import { createUdpTransport } from '@status-ts/discv5/udp';
import { runChild } from '../child.js';

/**
 * A discv5 node with its defaults on 127.0.0.1 (what a bootstrap node runs), with `neighbours` more nodes in
 * the same process that join through it, so its table has records to answer FINDNODE with.
 */
await runChild<{ neighbours: number }>(async ({ config, handle }) => {
  const transport = () => createUdpTransport({ ip: '127.0.0.1', port: 0 });
  const victim = new Discv5Node({ privateKey: generatePrivateKey(), transport });
  await victim.start();
  const bootstrap = [victim.localEnr.encodeText()];
  const neighbours = await Promise.all(
    Array.from({ length: config.neighbours }, async () => {
      const node = new Discv5Node({
        privateKey: generatePrivateKey(),
        transport,
        bootstrap,
        autoRefresh: false,
      });
      await node.start();
      await node.joined;
      return node;
    }),
  );
  handle('stats', () => ({
    counters: victim.counters,
    table: victim.stats.table,
    neighbours: neighbours.length,
  }));
  return { enr: victim.localEnr.encodeText() };
});
