import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '@status-ts/core';
import { afterAll, expect, it } from 'vitest';
import { SqliteEnvelopeStore } from '../src/index.js';
import { makeEnvelope, TOPIC_A, TOPIC_B } from './helpers/envelopes.js';

const dir = mkdtempSync(join(tmpdir(), 'status-ts-mail-fault-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tsx = join(import.meta.dirname, '../../../node_modules/.bin/tsx');
const child = join(import.meta.dirname, 'fixtures/ingest-child.ts');

function startChild(path: string): { proc: ChildProcess; acks: Set<string>; lines: string[] } {
  const proc = spawn(tsx, ['--conditions=@status-ts/source', child, path], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const acks = new Set<string>();
  const lines: string[] = [];
  let buf = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const l of parts) {
      lines.push(l);
      if (l.startsWith('ACK ')) acks.add(l.slice(4));
    }
  });
  return { proc, acks, lines };
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 5));
  }
}

it('SIGKILL mid-ingest: every acknowledged envelope survives, the file is sound, a restart on the same file ingests on', async () => {
  const path = join(dir, 'mail.db');
  const T0 = 1_750_000_000;
  const envelopes = Array.from({ length: 20_000 }, (_, i) =>
    makeEnvelope(T0 + i, i % 2 ? TOPIC_A : TOPIC_B, 200),
  );
  const first = startChild(path);
  await until(() => first.lines.includes('READY'));
  // Feed without waiting; kill once a few hundred are acknowledged, while writes are still going on.
  first.proc.stdin!.write(envelopes.map((e) => bytesToHex(e.raw)).join('\n'));
  await until(() => first.acks.size >= 300);
  first.proc.kill('SIGKILL');
  await new Promise((r) => first.proc.once('exit', r));
  const acked = new Set(first.acks);
  expect(acked.size).toBeGreaterThanOrEqual(300);
  expect(acked.size).toBeLessThan(envelopes.length); // killed mid-ingest

  const store = new SqliteEnvelopeStore({ path });
  expect(store.integrityCheck()).toBe('ok');
  const stored = new Set<string>();
  let cursor: Uint8Array | undefined;
  do {
    const page = await store.query({ lower: 0, upper: 0xffffffff, limit: 1000, cursor });
    for (const e of page.envelopes) stored.add(e.hashHex);
    cursor = page.cursor;
  } while (cursor);
  for (const h of acked) expect(stored.has(h)).toBe(true);
  await store.close();

  // Restart on the same file: ingest the rest to the end.
  const second = startChild(path);
  await until(() => second.lines.includes('READY'));
  second.proc.stdin!.end(
    envelopes
      .slice(0, 2000)
      .map((e) => bytesToHex(e.raw))
      .join('\n'),
  );
  await until(() => second.lines.includes('DONE'), 30_000);
  const reopened = new SqliteEnvelopeStore({ path });
  expect(reopened.integrityCheck()).toBe('ok');
  expect(await reopened.count()).toBeGreaterThanOrEqual(Math.max(2000, acked.size));
  await reopened.close();
}, 60_000);
