import { generatePrivateKey } from '@status-ts/crypto';
import { type Capability, Server } from '@status-ts/devp2p';
import { WakuNode, type WakuNodeOptions } from '../../src/index.js';

/** A WakuNode on a devp2p Server listening on 127.0.0.1 (a free port). */
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
    clientId: `status-ts-waku-test/${name}`,
  });
  await server.start();
  return { name, node, server };
}

/** A bare devp2p Server with custom capabilities (a misbehaving peer). */
export async function startRawServer(capabilities: Capability[]): Promise<Server> {
  const server = new Server({ privateKey: generatePrivateKey(), host: '127.0.0.1', port: 0, capabilities });
  await server.start();
  return server;
}

export async function waitFor(predicate: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Dials `b` from `a` and waits until both Waku nodes finished the Status handshake. */
export async function connect(a: NetNode, b: NetNode): Promise<void> {
  await a.server.dial(b.server.enode);
  await waitFor(
    () => a.node.getPeer(b.server.id) !== undefined && b.node.getPeer(a.server.id) !== undefined,
    10_000,
    `${a.name} <-> ${b.name} handshake`,
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
