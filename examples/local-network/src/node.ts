import { generatePrivateKey } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import { Enr } from '@status-ts/enr';
import { createAccount, type StatusAccount } from '@status-ts/identity';
import { WakuNode, type WakuNodeOptions } from '@status-ts/waku';

/** What a demo node does on the network (spec-checklist CLI-01, CLI-04, CLI-06). */
export type DemoRole = 'relayer' | 'bridge' | 'whisper-only' | 'light-client';

/** One member of the demo network: a Status account, a Waku node and the devp2p server carrying it. */
export interface DemoNode {
  label: string;
  role: DemoRole;
  account: StatusAccount;
  waku: WakuNode;
  server: Server;
  enr: Enr;
  stop(): Promise<void>;
}

const WAKU_OPTIONS: Record<DemoRole, WakuNodeOptions> = {
  relayer: { protocols: ['waku'] },
  // Speaks waku/1 and shh/6 and relays between them (SHH-02).
  bridge: { protocols: ['waku', 'shh'] },
  'whisper-only': { protocols: ['shh'] },
  // Mobile node: relays only its own envelopes and advertises topic interest (CLI-06).
  'light-client': { protocols: ['waku'], lightNode: true },
};

/** Creates an account and a node key, starts Waku over a devp2p server on 127.0.0.1, signs the ENR. */
export async function startDemoNode(label: string, role: DemoRole): Promise<DemoNode> {
  const nodeKey = generatePrivateKey();
  const account = createAccount();
  const waku = new WakuNode(WAKU_OPTIONS[role]);
  const server = new Server({
    privateKey: nodeKey,
    host: '127.0.0.1',
    port: 0,
    clientId: `status-ts/demo/${role}`,
    capabilities: waku.capabilities,
  });
  await waku.start();
  await server.start();
  const port = server.address!.port;
  const enr = Enr.create({ privateKey: nodeKey, seq: 1n, ip: '127.0.0.1', tcp: port, udp: port });
  return {
    label,
    role,
    account,
    waku,
    server,
    enr,
    async stop() {
      await server.stop();
      await waku.stop();
    },
  };
}
