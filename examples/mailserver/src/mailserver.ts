import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import { MailServer, type MailServerOptions } from '@status-ts/mailserver';
import { openMailserverSqliteStore, type SqliteEnvelopeStore } from '@status-ts/mailserver/sqlite';
import { WakuNode, type WakuNodeOptions } from '@status-ts/waku';

export interface MailserverNodeOptions {
  /** SQLite database file (created when missing). */
  dbPath: string;
  /** Listen address, default 127.0.0.1. */
  host?: string;
  /** Listen port, default 30303; 0 picks a free one. */
  port?: number;
  /**
   * The node key. Default: read from `keyPath` when it exists, else a new key written there, so the enode
   * stays the same across restarts.
   */
  privateKey?: Uint8Array;
  /** Default `<dbPath>.key`. */
  keyPath?: string;
  /** Extra WakuNode options (the node speaks waku/1 and shh/6 unless `protocols` says otherwise). */
  waku?: WakuNodeOptions;
  /** Extra MailServer options (limits, retention, PoW). */
  mailserver?: Omit<MailServerOptions, 'store' | 'privateKey'>;
}

export interface MailserverNode {
  enode: string;
  /** Hex node id: what clients pass as `mailservers`. */
  id: string;
  port: number;
  server: Server;
  node: WakuNode;
  mailserver: MailServer;
  store: SqliteEnvelopeStore;
  /** Disconnects peers, stores what is pending, closes the database. */
  stop(): Promise<void>;
}

function loadOrCreateKey(keyPath: string): Uint8Array {
  if (existsSync(keyPath)) return hexToBytes(readFileSync(keyPath, 'utf8').trim());
  const key = generatePrivateKey();
  writeFileSync(keyPath, `${bytesToHex(key)}\n`, { mode: 0o600 });
  return key;
}

/** Starts a devp2p Server with a Waku/Whisper node in the mailserver role on the embedded SQLite store. */
export async function startMailserverNode(options: MailserverNodeOptions): Promise<MailserverNode> {
  const privateKey = options.privateKey ?? loadOrCreateKey(options.keyPath ?? `${options.dbPath}.key`);
  const store = openMailserverSqliteStore(options.dbPath);
  const node = new WakuNode({ protocols: ['waku', 'shh'], ...options.waku });
  const mailserver = new MailServer({ ...options.mailserver, store, privateKey });
  mailserver.attach(node);
  const server = new Server({
    privateKey,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 30303,
    capabilities: node.capabilities,
    clientId: 'status-ts/mailserver',
  });
  await node.start();
  try {
    await server.start();
  } catch (err) {
    await mailserver.stop();
    await node.stop();
    await store.close();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    enode: server.enode,
    id: bytesToHex(server.id),
    port: server.address?.port ?? 0,
    server,
    node,
    mailserver,
    store,
    stop() {
      stopping ??= (async () => {
        await server.stop();
        await mailserver.stop();
        await node.stop();
        await store.close();
      })();
      return stopping;
    },
  };
}
