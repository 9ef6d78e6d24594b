import { createStatusNode } from '@status-ts/client';
import { openNodeSqlite } from '@status-ts/client/sqlite';
import { hexToBytes } from '@status-ts/core';
import { runChild } from '../child.js';
import { FAST_MVDS } from '../fast-mvds.js';

/**
 * A persistent chat client in its own process (one SQLite file for messages, sessions and MVDS), so a test
 * can kill -9 it mid-conversation and start it again on the same file. Emits every chat message it sees.
 */
export interface ChatNodeConfig {
  readonly privateKeyHex: string;
  readonly installationId: string;
  readonly databaseFile: string;
  readonly atRestKeyHex: string;
  readonly host: string;
}

await runChild<ChatNodeConfig>(async ({ config, emit, handle }) => {
  const sqlite = openNodeSqlite(config.databaseFile, { encryptionKey: hexToBytes(config.atRestKeyHex) });
  const node = createStatusNode({
    discovery: false,
    identity: { privateKey: hexToBytes(config.privateKeyHex) },
    installationId: config.installationId,
    listen: { host: config.host, port: 0 },
    ...sqlite.nodeOptions,
    mvds: { ...FAST_MVDS, stores: sqlite.mvdsStores },
  });
  node.on('mailserver:misbehaved', (event) => emit({ type: 'misbehaved', ...event }));
  node.on('message', (message) =>
    emit({ type: 'message', id: message.id, text: message.text, outgoing: message.outgoing }),
  );
  await node.start();
  handle('send', async (args) => {
    const sent = await node.sendDirectMessage(args.to as string, args.text as string);
    return sent.id;
  });
  handle('dial', async (args) => {
    await node.server.dial(args.enode as string);
    return true;
  });
  handle('history', async (args) => {
    const result = await node.requestHistory({
      mailserver: args.mailserver as string,
      topics: (args.topics as string[]).map((t) => hexToBytes(t)),
      from: args.from as number,
      to: args.to as number,
    });
    return { uniqueEnvelopes: result.uniqueEnvelopes };
  });
  handle('peers', () => node.server.peers.map((peer) => peer.idHex));
  handle('installationsOf', async (args) => {
    const installations = await node.transport.installations(hexToBytes(args.identity as string));
    return installations.length;
  });
  handle('stored', async (args) => {
    // Every page, newest first, 500 at a time (the store's page limit).
    const texts: string[] = [];
    let before: string | undefined;
    do {
      const page = await node.chatMessages(args.chatId as string, { limit: 500, before });
      texts.push(...page.messages.map((m) => m.text));
      before = page.cursor;
    } while (before !== undefined);
    return texts;
  });
  return { enode: node.enode, chatId: node.identity.id };
});
