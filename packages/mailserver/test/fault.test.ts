import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Envelope, type WakuNodeOptions } from '@status-ts/waku';
import { afterAll, expect, it } from 'vitest';
import { MailClient } from '../src/index.js';
import { openMailserverSqliteStore } from '../src/sqlite/index.js';
import { TOPIC_A, TOPIC_B } from './helpers/envelopes.js';
import { type NetNode, startNetNode, waitFor } from './helpers/network.js';

const dir = mkdtempSync(join(tmpdir(), 'status-ts-mail-fault-'));
const repoRoot = join(import.meta.dirname, '../../..');
const childScript = join(import.meta.dirname, 'fixtures/mailserver-child.ts');
const children: ChildProcess[] = [];
const nodes: NetNode[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const n of nodes) {
    await n.node.stop();
    await n.server.stop();
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Child {
  proc: ChildProcess;
  stored: Set<string>;
  lines: string[];
  enode: () => string | undefined;
}

/** Starts the mailserver process on `dbPath` and collects its STORED acknowledgements. */
function startChild(dbPath: string): Child {
  // node itself with the tsx loader (not the tsx binary, which runs the script in a grandchild that a
  // SIGKILL would not reach): the pid we kill is the mailserver.
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@status-ts/source', childScript, dbPath],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(proc);
  const stored = new Set<string>();
  const lines: string[] = [];
  let buffer = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      if (line.startsWith('STORED ')) stored.add(line.slice(7));
      else lines.push(line);
    }
  });
  const enode = () => lines.find((l) => l.startsWith('ENODE '))?.slice(6);
  return { proc, stored, lines, enode };
}

/** A Waku node of the test process on RLPx, dialled to the child. */
async function peerOf(child: Child, options: WakuNodeOptions = {}) {
  await waitFor(() => child.enode() !== undefined, 30_000, 'child enode');
  const net = await startNetNode('fault-peer', options);
  const peer = await net.server.dial(child.enode()!);
  await waitFor(() => net.node.getPeer(peer.id) !== undefined, 10_000, 'waku handshake with the child');
  const entry = { ...net, childId: peer.id };
  nodes.push(entry);
  return entry;
}

it('SIGKILL mid-ingest over RLPx: every envelope the mailserver acknowledged is served after a restart, the file is sound', async () => {
  const dbPath = join(dir, 'mail.db');
  const first = startChild(dbPath);
  // The relayer feeding the mailserver: posts envelopes (sent now, on two topics) in bursts.
  const relayer = await peerOf(first, { minPow: 0, transmissionCycleMs: 20 });
  expect(first.lines).toContain('INTEGRITY ok');
  const now = Math.floor(Date.now() / 1000);
  const envelopes = Array.from({ length: 20_000 }, (_, i) =>
    Envelope.create({
      expiry: now + 600,
      ttl: 600,
      topic: i % 2 ? TOPIC_A : TOPIC_B,
      data: new Uint8Array(200),
      nonce: i,
    }),
  );
  const posted = new Set<string>();
  let next = 0;
  const postBurst = () => {
    for (const e of envelopes.slice(next, next + 200)) {
      relayer.node.postEnvelope(e);
      posted.add(e.hashHex);
    }
    next += 200;
  };
  // Post a burst every 15 ms; once 2000 are acknowledged the server is busy ingesting: one more burst
  // (not even sent yet) and the kill, in the same tick.
  const killAt = 2000;
  while (first.stored.size < killAt && next < envelopes.length) {
    postBurst();
    await new Promise((r) => setTimeout(r, 15));
  }
  postBurst();
  first.proc.kill('SIGKILL');
  const [, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) =>
    first.proc.once('exit', (code, sig) => r([code, sig])),
  );
  expect(signal).toBe('SIGKILL');
  const acknowledged = new Set(first.stored);
  expect(acknowledged.size).toBeGreaterThanOrEqual(killAt);
  // Killed mid-ingest: envelopes were still on their way when it died.
  expect(acknowledged.size).toBeLessThan(posted.size);
  for (const h of acknowledged) expect(posted.has(h)).toBe(true);
  console.log(`fault: killed with ${acknowledged.size} of ${posted.size} posted envelopes acknowledged`);
  // The relayer goes away with its pool, so nothing reaches the restarted server again.
  nodes.splice(nodes.indexOf(relayer), 1);
  await relayer.node.stop();
  await relayer.server.stop();

  // Restart on the same file; a fresh client fetches the history over RLPx with cursors.
  const second = startChild(dbPath);
  const client = await peerOf(second);
  expect(second.lines).toContain('INTEGRITY ok');
  const served: string[] = [];
  client.node.on('p2p:envelopes', (_peer, batch) => {
    for (const e of batch) served.push(e.hashHex);
  });
  const mail = new MailClient(client.node, { pageLimit: 1000 });
  const summary = await mail.requestHistory({
    mailservers: [client.childId],
    topics: [TOPIC_A, TOPIC_B],
    from: now - 60,
    to: now + 60,
  });
  mail.close();
  expect(summary.envelopes).toBe(summary.uniqueEnvelopes);
  const servedSet = new Set(served);
  expect(servedSet.size).toBe(served.length);
  for (const h of acknowledged) expect(servedSet.has(h)).toBe(true);
  for (const h of servedSet) expect(posted.has(h)).toBe(true);

  second.proc.kill('SIGTERM');
  const exitCode = await new Promise((r) => second.proc.once('exit', r));
  expect(exitCode).toBe(0);
  const store = openMailserverSqliteStore(dbPath);
  expect(store.integrityCheck()).toBe('ok');
  expect(await store.count()).toBe(servedSet.size);
  await store.close();
}, 90_000);
