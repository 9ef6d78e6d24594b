import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utf8ToBytes } from '@status-ts/core';
import { generatePrivateKey } from '@status-ts/crypto';
import { Server } from '@status-ts/devp2p';
import { MailClient } from '@status-ts/mailserver';
import { publicChat, WakuNode } from '@status-ts/waku';
import { afterAll, describe, expect, it } from 'vitest';
import { startMailserverNode } from '../src/mailserver.js';

const dir = mkdtempSync(join(tmpdir(), 'status-ts-example-mailserver-'));
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of cleanup.reverse()) await stop();
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A client: a WakuNode behind its own devp2p Server on 127.0.0.1. */
async function startClient(name: string) {
  const node = new WakuNode({ transmissionCycleMs: 20 });
  const server = new Server({
    privateKey: generatePrivateKey(),
    host: '127.0.0.1',
    port: 0,
    capabilities: node.capabilities,
    clientId: `example-mailserver-test/${name}`,
  });
  await node.start();
  await server.start();
  const stop = async () => {
    await server.stop();
    await node.stop();
  };
  cleanup.push(stop);
  return { node, server, stop };
}

describe('examples/mailserver', () => {
  it('archives what a client posts over RLPx and serves it as history to another, across a restart', async () => {
    const dbPath = join(dir, 'mail.db');
    const ms = await startMailserverNode({ dbPath, port: 0, waku: { transmissionCycleMs: 20 } });
    cleanup.push(() => ms.stop());
    expect(ms.port).toBeGreaterThan(0);
    expect(ms.enode).toMatch(new RegExp(`^enode://${ms.id}@127\\.0\\.0\\.1:${ms.port}`));

    const alice = await startClient('alice');
    await alice.server.dial(ms.enode);
    await waitFor('alice <-> mailserver', () => alice.node.getPeer(ms.id) !== undefined);
    const chat = publicChat('example-mailserver');
    await alice.node.post({ ...chat, payload: utf8ToBytes('kept for later') });
    await waitFor('archived', async () => (await ms.store.count()) === 1);

    const bob = await startClient('bob');
    await bob.server.dial(ms.enode);
    await waitFor('bob <-> mailserver', () => bob.node.getPeer(ms.id) !== undefined);
    const filter = bob.node.subscribe({ topics: [chat.topic], symKey: chat.symKey });
    const client = new MailClient(bob.node);
    const summary = await client.requestHistory({ mailservers: [ms.id], topics: [chat.topic] });
    expect(summary).toMatchObject({ pages: 1, envelopes: 1, uniqueEnvelopes: 1 });
    expect(new TextDecoder().decode((await filter.next()).payload)).toBe('kept for later');
    client.close();
    await ms.stop();

    // Same database and key file: same identity, the envelope is still there.
    const again = await startMailserverNode({ dbPath, port: 0 });
    cleanup.push(() => again.stop());
    expect(again.id).toBe(ms.id);
    expect(await again.store.count()).toBe(1);
    await again.stop();
  });

  it('main.ts prints its enode and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@status-ts/source', 'src/main.ts', '--port', '0'],
      {
        cwd: new URL('../', import.meta.url).pathname,
        env: { ...process.env, MAILSERVER_DB: join(dir, 'main.db') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    cleanup.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    await waitFor(
      `the enode line (stderr: ${err})`,
      () => /enode:\/\/[0-9a-f]{128}@127\.0\.0\.1:\d+/.test(out),
      20_000,
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM: stopping');
    expect(out).toMatch(/stopped: archived 0/);
  }, 30_000);
});
