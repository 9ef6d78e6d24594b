import { createStatusNode, type StatusNode } from '@status-ts/client';
import { generatePrivateKey } from '@status-ts/crypto';
import { runChild } from '../child.js';

/**
 * Several mobile clients in one process, each on its own address (the relayers dial them), all in one public
 * chat. On `start` they send `perSecond` messages a second between them for `durationMs`; every message
 * carries its send time, so each receipt gives a latency (one machine, one clock).
 */
export interface CrowdConfig {
  readonly name: string;
  readonly hosts: readonly string[];
  readonly chat: string;
}

await runChild<CrowdConfig>(async ({ config, handle }) => {
  const nodes: StatusNode[] = [];
  for (const host of config.hosts) {
    const node = createStatusNode({
      identity: { privateKey: generatePrivateKey() },
      discovery: false,
      listen: { host, port: 0 },
    });
    await node.start();
    node.joinPublicChat(config.chat);
    nodes.push(node);
  }
  const receivers = new Map<string, number>();
  const latencies: number[] = [];
  const sent: string[] = [];
  let sendErrors = 0;
  for (const node of nodes)
    node.on('message', (message) => {
      if (message.outgoing || !message.text.startsWith('load ')) return;
      const [, key, at] = message.text.split(' ');
      receivers.set(key!, (receivers.get(key!) ?? 0) + 1);
      latencies.push(Date.now() - Number(at));
    });
  handle('peers', () => nodes.map((node) => node.stats().traffic.peers));
  handle('start', async (args) => {
    const perSecond = args.perSecond as number;
    const started = Date.now();
    const count = Math.round((perSecond * (args.durationMs as number)) / 1000);
    for (let seq = 0; seq < count; seq++) {
      // On a schedule, not a fixed sleep: a busy event loop catches up instead of lowering the rate.
      const due = started + (seq * 1000) / perSecond;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      const node = nodes[seq % nodes.length]!;
      const key = `${config.name}-${seq}`;
      sent.push(key);
      node.sendPublicMessage(config.chat, `load ${key} ${Date.now()}`).catch(() => sendErrors++);
    }
    return sent.length;
  });
  handle('report', () => ({ sent, receivers: [...receivers], latencies, sendErrors }));
  return { enodes: nodes.map((node) => node.enode) };
});
