import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { DIST_PROBLEMS } from './dist-problems.js';

/**
 * vitest globalSetup: README examples run against the built `dist/` (as a user runs them), so before a
 * package's tests run, its `dist/` and that of every workspace package it depends on must exist and be
 * newer than their sources. Fresh packages cost one mtime walk of `src/` (milliseconds); missing or stale
 * ones (sources edited since the last build) are rebuilt with their own build script, in dependency order,
 * in one pnpm call. Rebuilding instead of only checking for existence: a README test run against a
 * stale build would pass or fail for code that no longer exists.
 *
 * A failed build does not fail the run: unit tests run on the sources and must not depend on it. What is
 * still missing or stale is provided as `distProblems`, and `runReadmeExample` fails with it.
 */

const repoRoot = resolve(import.meta.dirname, '..');
const packagesDir = join(repoRoot, 'packages');
// Builds of concurrent vitest runs wait for each other instead of cleaning each other's dist/. A lock whose
// process is gone, or older than any build takes, is taken over.
const lockDir = join(repoRoot, 'node_modules', '.cache', 'status-ts-dist-build.lock');
const LOCK_STALE_MS = 10 * 60_000;

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface WorkspacePackage {
  dir: string;
  manifest: Manifest;
}

function workspacePackages(): Map<string, WorkspacePackage> {
  const byName = new Map<string, WorkspacePackage>();
  for (const entry of readdirSync(packagesDir)) {
    const file = join(packagesDir, entry, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    byName.set(manifest.name, { dir: join(packagesDir, entry), manifest });
  }
  return byName;
}

/** The package and every published workspace package it reaches through runtime dependencies. */
function runtimeClosure(root: WorkspacePackage, all: Map<string, WorkspacePackage>): WorkspacePackage[] {
  const seen = new Map<string, WorkspacePackage>();
  const visit = (pkg: WorkspacePackage): void => {
    if (seen.has(pkg.manifest.name) || pkg.manifest.private) return;
    seen.set(pkg.manifest.name, pkg);
    const { dependencies, peerDependencies, optionalDependencies } = pkg.manifest;
    for (const name of Object.keys({ ...dependencies, ...peerDependencies, ...optionalDependencies })) {
      const dependency = all.get(name);
      if (dependency) visit(dependency);
    }
  };
  visit(root);
  return [...seen.values()];
}

/** The files the package's `exports` map points `import` at (its dist entries). */
function distEntries(pkg: WorkspacePackage): string[] {
  return Object.values(pkg.manifest.exports ?? {})
    .map((target) => (typeof target === 'string' ? target : (target.import ?? target.default)))
    .filter((target): target is string => target?.includes('/dist/') === true)
    .map((target) => join(pkg.dir, target));
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why the package's dist/ cannot be used as is, or undefined when it is fresh. */
function distProblem(pkg: WorkspacePackage): string | undefined {
  const entries = distEntries(pkg);
  const missing = entries.filter((file) => !existsSync(file));
  if (missing.length > 0) return `${pkg.manifest.name}: missing ${missing.map((f) => relative(repoRoot, f))}`;
  const built = Math.min(...entries.map((file) => statSync(file).mtimeMs));
  const sources = Math.max(
    newestMtime(join(pkg.dir, 'src')),
    statSync(join(pkg.dir, 'package.json')).mtimeMs,
  );
  return sources > built ? `${pkg.manifest.name}: src/ changed after the last build` : undefined;
}

/** True when the lock's holder is gone (killed before releasing it) or the lock is older than any build. */
function lockIsAbandoned(): boolean {
  let ageMs: number;
  try {
    ageMs = Date.now() - statSync(lockDir).mtimeMs;
  } catch {
    return false; // released meanwhile
  }
  if (ageMs > LOCK_STALE_MS) return true;
  try {
    process.kill(Number(readFileSync(join(lockDir, 'pid'), 'utf8')), 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOENT: no pid yet, which is normal only in the instant after the holder created the lock.
    return code === 'ESRCH' || (code === 'ENOENT' && ageMs > 5_000);
  }
}

function withBuildLock<T>(run: () => T): T {
  mkdirSync(dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (lockIsAbandoned()) rmSync(lockDir, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return run();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function build(packages: WorkspacePackage[]): void {
  const filters = packages.flatMap((pkg) => ['--filter', pkg.manifest.name]);
  console.log(`[ensure-dist] building ${packages.map((pkg) => pkg.manifest.name).join(', ')}`);
  const result = spawnSync('pnpm', ['-r', '--no-bail', ...filters, 'run', 'build'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const log = `${result.stdout}${result.stderr}`.trimEnd().split('\n');
    console.warn(`[ensure-dist] build failed; the end of its log:\n${log.slice(-30).join('\n')}`);
  }
}

export default function ensureDist(project: TestProject): void {
  const root = project.config.root;
  if (dirname(root) !== packagesDir) return;
  const all = workspacePackages();
  const pkg = [...all.values()].find((p) => p.dir === root);
  if (!pkg || pkg.manifest.private) return;
  const closure = runtimeClosure(pkg, all);
  let problems = closure.map(distProblem).filter((p) => p !== undefined);
  if (problems.length > 0) {
    problems = withBuildLock(() => {
      // Another run may have built them while this one waited for the lock.
      const stale = closure.filter((p) => distProblem(p) !== undefined);
      if (stale.length > 0) build(stale);
      return closure.map(distProblem).filter((p) => p !== undefined);
    });
  }
  project.provide(DIST_PROBLEMS, problems);
  if (problems.length > 0) console.warn(`[ensure-dist] ${basename(root)}: ${problems.join('; ')}`);
}
