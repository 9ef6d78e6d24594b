import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL server on 127.0.0.1 (fresh data folder under the OS temp folder, free port), used by
 * test/store.contract.test.ts to run the EnvelopeStore contract against `@status-ts/mailserver/postgres`.
 * The server binaries come from Debian's PostgreSQL packages under /usr/lib/postgresql; when none is found,
 * the Debian package `postgresql` is installed with apt-get on first use, which needs root and a reachable
 * Debian package mirror (as on CI). CONTRIBUTING.md says how to install it by hand.
 */
export interface TestPostgres {
  connection: pg.PoolConfig;
  /** Stops the server, keeping its data (an outage); `resume` starts it again on the same port. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

const isRoot = process.getuid?.() === 0;

function pgBin(): string {
  const base = '/usr/lib/postgresql';
  const find = () =>
    existsSync(base)
      ? readdirSync(base)
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => join(base, v, 'bin'))
          .find((d) => existsSync(join(d, 'initdb')))
      : undefined;
  let bin = find();
  if (!bin) {
    if (!isRoot) {
      throw new Error(
        'PostgreSQL server binaries not found under /usr/lib/postgresql and not running as root, so the ' +
          'Debian package cannot be installed here: run `apt-get install -y postgresql` as root first',
      );
    }
    console.warn(
      '[mailserver tests] PostgreSQL not found: installing the Debian package postgresql with apt-get ' +
        '(for test/store.contract.test.ts, the PostgreSQL EnvelopeStore; needs root and a reachable Debian mirror)',
    );
    execFileSync('apt-get', ['update'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', 'postgresql'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    bin = find();
    if (!bin) throw new Error('apt-get install postgresql did not provide initdb');
  }
  return bin;
}

function asPostgres(cmd: string, args: string[]): void {
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(file, argv as string[], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startPostgres(database = 'mailserver_test'): Promise<TestPostgres> {
  const bin = pgBin();
  const dir = mkdtempSync(join(tmpdir(), 'status-ts-pg-'));
  const data = join(dir, 'data');
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  let running = false;
  const start = () => {
    asPostgres(join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-w',
      '-l',
      join(dir, 'log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      'start',
    ]);
    running = true;
  };
  const halt = () => {
    if (!running) return;
    asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
    running = false;
  };
  start();
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  return {
    connection: { host: '127.0.0.1', port, user: 'postgres', database },
    pause: halt,
    resume: start,
    async stop() {
      try {
        halt();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
