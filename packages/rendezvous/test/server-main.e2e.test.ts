import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Libp2p } from '@libp2p/interface';
import { afterAll, describe, expect, it } from 'vitest';
import { RendezvousClient } from '../src/index.js';
import { createRendezvousLibp2p, libp2pDialer, peerIdFromSecp256k1 } from '../src/libp2p/index.js';
import { testEnr } from './helpers/fixtures.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(packageDir, '..', '..', 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'rendezvous-main-'));
let child: ChildProcess | undefined;
let client: Libp2p | undefined;

afterAll(async () => {
  await client?.stop();
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function firstLine(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end));
    });
    proc.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

describe('runnable server (src/server-main.ts, bin status-ts-rendezvous-server)', () => {
  it('prints its /ethv4/ multiaddr, serves register and discover, and exits cleanly on SIGTERM', async () => {
    const keyFile = join(dir, 'key.hex');
    child = spawn(
      tsx,
      [
        '--conditions=@status-ts/source',
        'src/server-main.ts',
        '--listen',
        '/ip4/127.0.0.1/tcp/0',
        '--key-file',
        keyFile,
        '--db',
        join(dir, 'registrations.db'),
      ],
      { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const address = await firstLine(child);
    const key = Uint8Array.from(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex'));
    expect(address).toBe(
      `${address.slice(0, address.indexOf('/ethv4/'))}/ethv4/${(await peerIdFromSecp256k1(key)).toString()}`,
    );
    expect(address).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ethv4\/16Uiu2/);

    client = await createRendezvousLibp2p();
    const rendezvous = new RendezvousClient({ dialer: libp2pDialer(client) });
    const record = testEnr();
    await rendezvous.register(address, 'whisper', record);
    const found = await rendezvous.discover(address, 'whisper');
    expect(found.records.map((r) => r.encodeText())).toEqual([record.encodeText()]);

    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
