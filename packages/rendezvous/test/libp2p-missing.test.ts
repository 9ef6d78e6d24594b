import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LIBP2P_STACK } from '../src/libp2p/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(packageDir, '..', '..', 'node_modules', '.bin', 'tsx');

/** Runs a program of this package with the libp2p stack unresolvable (test/helpers/without-libp2p.mjs). */
async function runWithoutLibp2p(program: string, ...args: string[]) {
  const argv = [
    '--import',
    './test/helpers/without-libp2p.mjs',
    '--conditions=@status-ts/source',
    program,
    ...args,
  ];
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, argv, { cwd: packageDir, timeout: 20_000 });
    return { exitCode: 0, stdout, stderr };
  } catch (err) {
    const { code, stdout, stderr } = err as { code: number; stdout: string; stderr: string };
    return { exitCode: code, stdout, stderr };
  }
}

describe('@status-ts/rendezvous/libp2p without the libp2p stack installed', () => {
  it('loads, and each call that needs libp2p rejects with ERR_MISSING_DEPENDENCY naming the package', async () => {
    const run = await runWithoutLibp2p('test/helpers/missing-libp2p-probe.ts');
    expect(run.stderr).toBe('');
    const outcomes = JSON.parse(run.stdout) as Record<string, { dependency: string }>;
    expect(Object.keys(outcomes)).toHaveLength(7);
    for (const [call, outcome] of Object.entries(outcomes)) {
      expect(outcome, call).toMatchObject({
        name: 'MissingDependencyError',
        code: 'ERR_MISSING_DEPENDENCY',
        message: expect.stringContaining(`npm install ${outcome.dependency}`),
      });
      expect(LIBP2P_STACK, call).toContain(outcome.dependency);
    }
  });

  it('the server command prints one line naming the whole stack to install, and exits 1', async () => {
    const run = await runWithoutLibp2p('src/server-main.ts', '--listen', '/ip4/127.0.0.1/tcp/0');
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n');
    expect(lines).toHaveLength(2); // one line, then the end of the output
    expect(lines[0]).toMatch(/^status-ts-rendezvous-server needs the libp2p stack, .*\("[^"]+" is missing\)/);
    expect(lines[0]).toMatch(new RegExp(`: run \`npm install ${LIBP2P_STACK.join(' ')}\`$`));
  });

  it('LIBP2P_STACK is every optional peer dependency but the SQLite driver and the type-only interface', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    const optional = Object.keys(manifest.peerDependenciesMeta).filter(
      (name) => name !== 'better-sqlite3' && name !== '@libp2p/interface',
    );
    expect([...LIBP2P_STACK].sort()).toEqual(optional.sort());
  });
});
