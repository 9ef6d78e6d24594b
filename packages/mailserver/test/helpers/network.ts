import { type Clock, systemClock } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import { WakuNode, type WakuNodeOptions } from '@status-ts/waku';

/** Real timers, but `now()` can jump ahead: simulates days passing without waiting for them. */
export class OffsetClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  setTimeout(fn: () => void, ms: number) {
    return systemClock.setTimeout(fn, ms);
  }
  setInterval(fn: () => void, ms: number) {
    return systemClock.setInterval(fn, ms);
  }
}

export interface NetNode {
  name: string;
  node: WakuNode;
  server: Server;
}

export async function startNetNode(name: string, options: WakuNodeOptions = {}): Promise<NetNode> {
  const node = new WakuNode(options);
  await node.start();
  const server = new Server({
    privateKey: generatePrivateKey(),
    host: '127.0.0.1',
    port: 0,
    capabilities: node.capabilities,
    clientId: `status-ts-mailserver-test/${name}`,
  });
  await server.start();
  return { name, node, server };
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, ms = 15_000, what = 'condition') {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function connect(a: NetNode, b: NetNode): Promise<void> {
  await a.server.dial(b.server.enode);
  await waitFor(
    () => a.node.getPeer(b.server.id) !== undefined && b.node.getPeer(a.server.id) !== undefined,
    10_000,
    `${a.name} <-> ${b.name}`,
  );
}

export async function stopAll(nodes: NetNode[]): Promise<void> {
  await Promise.all(
    nodes.map(async (n) => {
      await n.node.stop();
      await n.server.stop();
    }),
  );
}
