import { createStatusNode, type NodeRole, type P2pOptions, type StatusNode } from '@status-ts/client';
import { generatePrivateKey, randomBytes } from '@status-ts/crypto';
import type { EnvelopeStore } from '@status-ts/mailserver';
import { Envelope, type WakuNodeOptions } from '@status-ts/waku';
import { runChild } from '../child.js';

/** How the victim is built: a role of the client (what a user deploys), on 127.0.0.1. */
export interface StatusNodeVictimConfig {
  readonly role: NodeRole;
  readonly host?: string;
  readonly port?: number;
  /** The mailserver role and where it archives. */
  readonly mailserver?:
    | { readonly sqlite: string }
    | { readonly postgres: Record<string, unknown> }
    | 'memory';
  readonly waku?: WakuNodeOptions;
  readonly p2p?: P2pOptions;
  readonly staticPeers?: readonly string[];
  readonly nodeKeyHex?: string;
  /** Emit `{ type: 'archived', hashes }` for every envelope the mailserver stored durably (acknowledged). */
  readonly reportArchived?: boolean;
}

export interface StatusNodeVictimInfo {
  readonly enode: string;
  readonly nodeId: string;
  readonly port: number;
}

async function openArchive(config: StatusNodeVictimConfig): Promise<EnvelopeStore | undefined> {
  const archive = config.mailserver;
  if (archive === undefined || archive === 'memory') return undefined;
  if ('sqlite' in archive) {
    const { openMailserverSqliteStore } = await import('@status-ts/mailserver/sqlite');
    return openMailserverSqliteStore(archive.sqlite);
  }
  const { PostgresEnvelopeStore } = await import('@status-ts/mailserver/postgres');
  return new PostgresEnvelopeStore({ connection: archive.postgres } as never);
}

await runChild<StatusNodeVictimConfig>(async ({ config, handle, emit }) => {
  const store = await openArchive(config);
  const node: StatusNode = createStatusNode({
    identity: { privateKey: generatePrivateKey() },
    role: config.role,
    discovery: false,
    listen: { host: config.host ?? '127.0.0.1', port: config.port ?? 0 },
    ...(config.nodeKeyHex ? { nodeKey: Buffer.from(config.nodeKeyHex, 'hex') } : {}),
    ...(config.mailserver ? { mailserver: store ? { store } : true } : {}),
    ...(config.staticPeers ? { staticPeers: config.staticPeers } : {}),
    ...(config.waku ? { waku: config.waku } : {}),
    ...(config.p2p ? { p2p: config.p2p } : {}),
  });
  if (config.reportArchived) {
    node.mailserver?.on('archived', (envelopes) =>
      emit({ type: 'archived', hashes: envelopes.map((e) => e.hashHex) }),
    );
  }
  await node.start();
  handle('stats', () => ({ node: node.stats(), server: node.server.stats ?? null }));
  handle('dial', async (args) => {
    await node.server.dial(args.enode as string);
    return true;
  });
  // History to serve: `count` envelopes of `dataBytes` on `topic`, sent `agoSeconds` ago (no PoW: the store
  // takes what it is given; the waku node never sees these).
  handle('seed', async (args) => {
    const archive = node.mailserver?.store;
    if (!archive) throw new Error('not a mailserver');
    const sent = Math.floor(Date.now() / 1000) - (args.agoSeconds as number);
    const topic = Buffer.from(args.topic as string, 'hex');
    for (let done = 0; done < (args.count as number); ) {
      const batch: Envelope[] = [];
      for (; batch.length < 500 && done < (args.count as number); done++)
        batch.push(
          Envelope.create({ expiry: sent + 10, ttl: 10, topic, data: randomBytes(args.dataBytes as number) }),
        );
      await archive.put(batch);
    }
    return true;
  });
  // Which of `hashes` the archive holds (after a restart on the same file: what survived a crash).
  handle('holds', async (args) => {
    const archive = node.mailserver?.store;
    if (!archive) throw new Error('not a mailserver');
    const wanted = new Set(args.hashes as string[]);
    const page = await archive.query({ lower: 0, upper: 2 ** 32 - 1, limit: 10_000_000 });
    const rows = page.envelopes.filter((e) => wanted.has(e.hashHex));
    return { held: new Set(rows.map((e) => e.hashHex)).size, rows: rows.length };
  });
  handle('archived', async (args) => {
    const archive = node.mailserver?.store;
    if (!archive) return 0;
    const page = await archive.query({
      lower: 0,
      upper: 2 ** 32 - 1,
      topics: (args.topics as string[]).map((t) => Buffer.from(t, 'hex')),
      limit: (args.limit as number) ?? 100_000,
    });
    return page.envelopes.length;
  });
  handle('stop', async () => {
    await node.stop();
    return true;
  });
  const enode = node.enode!;
  return {
    enode,
    nodeId: enode.slice('enode://'.length, enode.indexOf('@')),
    port: Number(enode.slice(enode.lastIndexOf(':') + 1).split('?')[0]),
  } satisfies StatusNodeVictimInfo;
});
