import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDnsmasqConfig } from '../../src/index.js';

/**
 * A real DNS server for tests: dnsmasq on 127.0.0.1 and a free high port, serving fixed TXT records, used by
 * test/dnsmasq.e2e.test.ts (EIP-1459 trees over real DNS). When no dnsmasq binary is found, the Debian
 * package `dnsmasq-base` (the binary alone, no system service) is installed with apt-get on first use: that
 * needs root and a reachable Debian package mirror, as on CI. CONTRIBUTING.md says how to install it by hand.
 */
let binary: string | undefined;

/** The dnsmasq command, whether or not /usr/sbin is on PATH; undefined when not installed. */
function findDnsmasq(): string | undefined {
  for (const candidate of ['dnsmasq', '/usr/sbin/dnsmasq']) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

/** Returns the dnsmasq command, installing Debian's dnsmasq-base once when missing (a no-op when present). */
export function ensureDnsmasq(): string {
  binary ??= findDnsmasq();
  if (binary) return binary;
  console.warn(
    '[dns-discovery tests] dnsmasq not found: installing the Debian package dnsmasq-base with apt-get ' +
      '(for test/dnsmasq.e2e.test.ts, a real DNS server on 127.0.0.1; needs root and a reachable Debian mirror)',
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  if (update.status !== 0) {
    throw new Error(
      'apt-get update failed: installing dnsmasq-base needs root and a reachable Debian mirror',
    );
  }
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'dnsmasq-base'], {
    stdio: 'inherit',
    env,
  });
  binary = findDnsmasq();
  if (install.status !== 0 || !binary) {
    throw new Error(
      'could not install dnsmasq-base with apt-get (needs root and a Debian mirror); install it by hand: ' +
        'apt-get install -y --no-install-recommends dnsmasq-base',
    );
  }
  return binary;
}

/** A port free on 127.0.0.1 for both TCP and UDP at the time of the call. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (port >= 1024 && udpFree) return port;
  }
}

export interface DnsServer {
  readonly port: number;
  readonly server: string;
  stop(): Promise<void>;
}

/** Starts dnsmasq serving `records` (`{ full name: txt }`) for the given domains; resolves once it answers. */
export async function startDnsmasq(records: Record<string, string>, domains: string[]): Promise<DnsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'status-ts-dnsmasq-'));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const conf = join(dir, 'dnsmasq.conf');
    writeFileSync(
      conf,
      [
        `port=${port}`,
        'listen-address=127.0.0.1',
        'bind-interfaces',
        'no-resolv',
        'no-hosts',
        ...domains.map((d) => `local=/${d}/`),
        formatDnsmasqConfig(records),
      ].join('\n'),
    );
    const child = spawn(ensureDnsmasq(), ['--keep-in-foreground', `--conf-file=${conf}`, '--pid-file='], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const stop = () => stopChild(child).finally(() => rmSync(dir, { recursive: true, force: true }));
    if (await answers(child, port, domains[0]!)) return { port, server: `127.0.0.1:${port}`, stop };
    await stopChild(child);
    if (attempt >= 2) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`dnsmasq did not start: ${stderr}`);
    }
  }
}

async function answers(child: ChildProcess, port: number, name: string): Promise<boolean> {
  const resolver = new Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) return false;
    try {
      await resolver.resolveTxt(name);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return false;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
