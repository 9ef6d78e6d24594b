import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import { Enr, roleEntries, StatusTopic } from '@status-ts/enr';
import { createAccount, type StatusAccount } from '@status-ts/identity';
import { MailServer } from '@status-ts/mailserver';
import { openMailserverSqliteStore } from '@status-ts/mailserver/sqlite';
import type { PeerCache, PeerPool } from '@status-ts/peerpool';
import type { RendezvousRegistrar } from '@status-ts/rendezvous';
import { WakuNode, type WakuNodeOptions } from '@status-ts/waku';
import { createLightClientPool, openRendezvousClient, startRegistrar } from './discovery.js';

/** What a demo node does on the network (spec-checklist CLI-01, CLI-04, CLI-06). */
export type DemoRole = 'relayer' | 'bridge' | 'whisper-only' | 'mailserver' | 'light-client';

/** One member of the demo network: a Status account, a Waku node and the devp2p server carrying it. */
export interface DemoNode {
  label: string;
  role: DemoRole;
  account: StatusAccount;
  waku: WakuNode;
  server: Server;
  /** Signed: ip 127.0.0.1, the devp2p server's tcp port, its roles and RLPx capabilities. */
  enr: Enr;
  /** The archive, on the mailserver node. */
  mailserver?: MailServer;
  /** Keeps the ENR registered at the rendezvous servers (relayers, the bridge, the mailserver). */
  registrar?: RendezvousRegistrar;
  /** Finds and dials the light client's relayers and mailserver; started by the caller. */
  pool?: PeerPool;
  stop(): Promise<void>;
}

export interface StartDemoNodeOptions {
  account?: StatusAccount;
  /** Rendezvous server addresses: service nodes register there, light clients discover through them. */
  rendezvous?: readonly string[];
  /** A light client's peer cache (closed with the node). */
  peerCache?: PeerCache;
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

/** The roles a node advertises in its ENR and registers under at rendezvous. */
const ROLES: Record<DemoRole, string[]> = {
  relayer: [StatusTopic.Relayer],
  bridge: [StatusTopic.Relayer],
  // The legacy node is reached only through the bridge: it does not advertise itself.
  'whisper-only': [],
  mailserver: [StatusTopic.Relayer, StatusTopic.Mailserver],
  'light-client': [],
};

/**
 * Creates an account and a node key, starts Waku over a devp2p server on 127.0.0.1 and signs the ENR. With
 * rendezvous servers, a service node registers its ENR there and a light client gets a PeerPool.
 */
export async function startDemoNode(
  label: string,
  role: DemoRole,
  options: StartDemoNodeOptions = {},
): Promise<DemoNode> {
  const account = options.account ?? createAccount();
  const nodeKey = generatePrivateKey();
  const waku = new WakuNode(WAKU_OPTIONS[role]);
  // The mailserver archives into the embedded SQLite store, a real file in a throwaway folder.
  const dataDir = role === 'mailserver' ? mkdtempSync(join(tmpdir(), 'status-ts-demo-')) : undefined;
  const store = dataDir ? openMailserverSqliteStore(join(dataDir, 'mail.db')) : undefined;
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
  const roles = ROLES[role];
  const entries = roleEntries({
    roles,
    capabilities: waku.capabilities.map(({ name, version }) => ({ name, version })),
  });
  const enr = Enr.create({ privateKey: nodeKey, seq: 1n, ip: '127.0.0.1', tcp: port, udp: port, entries });

  const rendezvous = options.rendezvous ?? [];
  // Its libp2p identity is the node key, so the rendezvous peer id matches the ENR.
  const client = rendezvous.length > 0 ? await openRendezvousClient(nodeKey) : undefined;
  const registrar =
    client && roles.length > 0 ? await startRegistrar(client.client, rendezvous, enr, roles) : undefined;
  const pool =
    client && role === 'light-client'
      ? createLightClientPool({
          server,
          waku,
          client: client.client,
          servers: rendezvous,
          cache: options.peerCache,
        })
      : undefined;
  return {
    label,
    role,
    account,
    waku,
    server,
    enr,
    ...(mailserver ? { mailserver } : {}),
    ...(registrar ? { registrar } : {}),
    ...(pool ? { pool } : {}),
    async stop() {
      await pool?.stop();
      await registrar?.stop();
      await client?.stop();
      await options.peerCache?.close();
      await server.stop();
      await mailserver?.stop();
      await waku.stop();
      await store?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
