import { numberToBytes } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { type Capability, Server } from '@status-ts/devp2p';
import { Discv5Node } from '@status-ts/discv5';
import { createUdpTransport } from '@status-ts/discv5/udp';
import { StatusTopic } from '@status-ts/enr';
import { WakuNode } from '@status-ts/waku';
import { type PeerCache, PeerPool, serverDialer, type TopicLimits } from '../src/index.js';

/** A Status node on 127.0.0.1: discv5 on UDP (roles in its ENR) and a devp2p Server on TCP. */
export interface LoopbackNode {
  key: Uint8Array;
  discv5: Discv5Node;
  server: Server;
  waku: WakuNode | undefined;
  stop(): Promise<void>;
}

/** A UDP socket on 127.0.0.1, any free port, opened when a discv5 node starts. */
const loopbackUdp = () => createUdpTransport({ ip: '127.0.0.1', port: 0 });

/** A waku/1 capability that accepts the stream and ignores it: enough for the pool, cheap for 50 nodes. */
export const idleWaku: Capability = { name: 'waku', version: 1, length: 22, attach: () => {} };

export interface LoopbackNodeOptions {
  roles?: string[];
  bootstrap?: string[];
  /** Run a real WakuNode (waku/1) over the server; else the idle capability. */
  waku?: boolean;
  /** The mobile node: a light Waku node. */
  light?: boolean;
  key?: Uint8Array;
  /** Start discv5 (default true). */
  discovery?: boolean;
}

export async function startLoopbackNode(options: LoopbackNodeOptions = {}): Promise<LoopbackNode> {
  const key = options.key ?? generatePrivateKey();
  const waku = options.waku
    ? new WakuNode({ protocols: ['waku'], lightNode: options.light ?? false })
    : undefined;
  const server = new Server({
    privateKey: key,
    host: '127.0.0.1',
    port: 0,
    maxPeers: 200,
    capabilities: waku ? waku.capabilities : [idleWaku],
  });
  await waku?.start();
  await server.start();
  const discv5 = new Discv5Node({
    privateKey: key,
    transport: loopbackUdp,
    bootstrap: options.bootstrap ?? [],
    ...(options.roles ? { roles: options.roles, capabilities: [{ name: 'waku', version: 1 }] } : {}),
    entries: { tcp: numberToBytes(server.address!.port) },
  });
  if (options.discovery !== false) await discv5.start();
  return {
    key,
    discv5,
    server,
    waku,
    async stop() {
      await discv5.stop();
      await server.stop();
      await waku?.stop();
    },
  };
}

export interface LoopbackNetwork {
  boot: Discv5Node;
  bootstrap: string[];
  nodes: LoopbackNode[];
  stop(): Promise<void>;
}

/**
 * A bootstrap discv5 node plus `relayers` nodes advertising `whisper` and `mailservers` advertising
 * `whisper` + `whispermail`, all joined through the bootstrap node.
 */
export async function startLoopbackNetwork(options: {
  relayers: number;
  mailservers: number;
  waku?: boolean;
}): Promise<LoopbackNetwork> {
  const boot = new Discv5Node({ privateKey: generatePrivateKey(), transport: loopbackUdp });
  await boot.start();
  const bootstrap = [boot.localEnr.encodeText()];
  const specs = [
    ...Array.from({ length: options.relayers }, () => [StatusTopic.Relayer]),
    ...Array.from({ length: options.mailservers }, () => [StatusTopic.Relayer, StatusTopic.Mailserver]),
  ];
  const nodes = await Promise.all(
    specs.map((roles) => startLoopbackNode({ roles, bootstrap, waku: options.waku ?? false })),
  );
  await Promise.all(nodes.map((n) => n.discv5.joined));
  return {
    boot,
    bootstrap,
    nodes,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await boot.stop();
    },
  };
}

/** Resolves once every topic has at least its `want` peers connected. */
export function reached(pool: PeerPool, want: Record<string, number>): Promise<void> {
  const done = () => Object.entries(want).every(([t, n]) => (pool.topicStatus(t)?.connected ?? 0) >= n);
  return new Promise((resolve) => {
    if (done()) return resolve();
    const onAdded = () => {
      if (!done()) return;
      pool.off('peer:added', onAdded);
      resolve();
    };
    pool.on('peer:added', onAdded);
  });
}

/** A fresh mobile node's PeerPool: discv5 its only source, dialing through the node's devp2p Server. */
export function discv5Pool(
  mobile: LoopbackNode,
  topics: Record<string, TopicLimits>,
  cache: PeerCache,
): PeerPool {
  return new PeerPool({
    dialer: serverDialer(mobile.server),
    sources: [mobile.discv5.source()],
    topics,
    cache,
    selfId: mobile.server.id,
    // Mailservers are found through discv5 here: the app opts in (the cache then vouches for them).
    useDiscoveredMailservers: true,
  });
}
