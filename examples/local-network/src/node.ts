import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import { Enr } from '@status-ts/enr';
import { createAccount, type StatusAccount } from '@status-ts/identity';
import { MailServer, SqliteEnvelopeStore } from '@status-ts/mailserver';
import { WakuNode, type WakuNodeOptions } from '@status-ts/waku';

/** What a demo node does on the network (spec-checklist CLI-01, CLI-04, CLI-06). */
export type DemoRole = 'relayer' | 'bridge' | 'whisper-only' | 'mailserver' | 'light-client';

/** One member of the demo network: a Status account, a Waku node and the devp2p server carrying it. */
export interface DemoNode {
  label: string;
  role: DemoRole;
  account: StatusAccount;
  waku: WakuNode;
  server: Server;
  enr: Enr;
  /** The archive, on the mailserver node. */
  mailserver?: MailServer;
  stop(): Promise<void>;
}

const WAKU_OPTIONS: Record<DemoRole, WakuNodeOptions> = {
  relayer: { protocols: ['waku'] },
  // Speaks waku/1 and shh/6 and relays between them (SHH-02).
  bridge: { protocols: ['waku', 'shh'] },
  'whisper-only': { protocols: ['shh'] },
  // Relayer + archive; in the Status network only mailservers confirm (CLI-05, MAIL-08).
  mailserver: { protocols: ['waku'], confirmations: true },
  // Mobile node: relays only its own envelopes and advertises topic interest (CLI-06).
  'light-client': { protocols: ['waku'], lightNode: true },
};

/** Creates an account and a node key, starts Waku over a devp2p server on 127.0.0.1, signs the ENR. */
export async function startDemoNode(
  label: string,
  role: DemoRole,
  account: StatusAccount = createAccount(),
): Promise<DemoNode> {
  const nodeKey = generatePrivateKey();
  const waku = new WakuNode(WAKU_OPTIONS[role]);
  // The mailserver archives into the embedded SQLite store, a real file in a throwaway folder.
  const dataDir = role === 'mailserver' ? mkdtempSync(join(tmpdir(), 'status-ts-demo-')) : undefined;
  const store = dataDir ? new SqliteEnvelopeStore({ path: join(dataDir, 'mail.db') }) : undefined;
  const mailserver = store ? new MailServer({ store, privateKey: nodeKey }) : undefined;
  mailserver?.attach(waku);
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
    ...(mailserver ? { mailserver } : {}),
    async stop() {
      await server.stop();
      await mailserver?.stop();
      await waku.stop();
      await store?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
