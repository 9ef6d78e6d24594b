import { createSocket } from 'node:dgram';
import { Discv5 } from '@chainsafe/discv5';
import { SignableENR } from '@chainsafe/enr';
import { generatePrivateKey } from '@status-ts/crypto';
import { Discv5Node } from '../src/index.js';
import { createUdpTransport } from '../src/udp/index.js';

/**
 * Our node and @chainsafe/discv5 behind one interface, so that every side-by-side figure drives both with the
 * same code: same calls in the same order, same success check. Both run on 127.0.0.1 UDP with their default
 * limits, without background work (ours: `autoRefresh: false`; @chainsafe/discv5 has no refresh timer, its
 * 5-minute ping of connected peers never fires in a bench) and without updating their record from PONG votes.
 */
export interface BenchNode {
  /** Node id, lowercase hex without 0x. */
  readonly id: string;
  /** Puts `other`'s record into the routing table as not yet verified; sends nothing. */
  add(other: BenchNode): void;
  /** PING (with the handshake when there is no session yet) until the PONG. */
  ping(other: BenchNode): Promise<void>;
  /** Iterative lookup of the node's own id. */
  selfLookup(): Promise<void>;
  /** Iterative lookup of a random id. */
  randomLookup(): Promise<void>;
  /** How many of `ids` are in the routing table as nodes that answered us (session established / PONG). */
  verified(ids: ReadonlySet<string>): number;
  stop(): Promise<void>;
}

export interface Side {
  readonly name: string;
  spawn(): Promise<BenchNode>;
}

const strip = (hex: string) => hex.toLowerCase().replace(/^0x/, '');

export const oursSide: Side = {
  name: 'ours',
  async spawn() {
    const node = new Discv5Node({
      privateKey: generatePrivateKey(),
      transport: () => createUdpTransport({ ip: '127.0.0.1', port: 0 }),
      autoRefresh: false,
      enrAutoUpdate: false,
    });
    await node.start();
    const record = node.localEnr;
    return {
      id: strip(node.nodeId),
      add: (other) => node.addEnr(ours(other).record),
      ping: async (other) => {
        await node.ping(ours(other).record);
      },
      selfLookup: async () => {
        await node.lookup(node.nodeId);
      },
      randomLookup: async () => {
        await node.randomLookup();
      },
      verified: (ids) => node.table.entries().filter((e) => e.live && ids.has(strip(e.nodeIdHex))).length,
      stop: () => node.stop(),
      record,
    } as OurNode;
  },
};

type OurNode = BenchNode & { record: Discv5Node['localEnr'] };
function ours(node: BenchNode): OurNode {
  return node as OurNode;
}

/** A free UDP port on 127.0.0.1 (@chainsafe/discv5 puts its port in the record before it binds). */
async function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** @chainsafe/discv5 keeps its table private; its entries carry `status` 0 (Connected) or 1 (Disconnected). */
type Kbuckets = { rawValues(): { status: number; value: { nodeId: string } }[] };
const CONNECTED = 0;

type TheirNode = BenchNode & { enr: ReturnType<SignableENR['toENR']> };
function theirs(node: BenchNode): TheirNode {
  return node as TheirNode;
}

export const chainsafeSide: Side = {
  name: '@chainsafe/discv5',
  async spawn() {
    const key = generatePrivateKey();
    const signable = SignableENR.createV4(key);
    signable.ip = '127.0.0.1';
    signable.udp = await freePort();
    const node = Discv5.create({
      enr: signable,
      privateKey: { type: 'secp256k1', raw: key } as never,
      bindAddrs: { ip4: signable.getLocationMultiaddr('udp')! },
      config: { enrUpdate: false },
    });
    await node.start();
    const kbuckets = (node as unknown as { kbuckets: Kbuckets }).kbuckets;
    return {
      id: strip(node.enr.nodeId),
      enr: node.enr.toENR(),
      add: (other) => node.addEnr(theirs(other).enr),
      ping: async (other) => {
        await node.sendPing(theirs(other).enr);
      },
      selfLookup: async () => {
        await node.findNode(node.enr.nodeId);
      },
      randomLookup: async () => {
        await node.findRandomNode();
      },
      verified: (ids) =>
        kbuckets.rawValues().filter((e) => e.status === CONNECTED && ids.has(strip(e.value.nodeId))).length,
      stop: () => node.stop(),
    } as TheirNode;
  },
};
