// Helpers for the packaging tests: what the workspace publishes (read from the manifests), packing it with
// pnpm, installing the tarballs with npm into scratch projects outside the workspace, and measuring them.
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = resolve(import.meta.dirname, '..');
export const PACKAGES_DIR = join(REPO_ROOT, 'packages');
/** The workspace's TypeScript compiler, used to type-check consumers against their own node_modules. */
export const WORKSPACE_TSC = join(REPO_ROOT, 'node_modules', '.bin', 'tsc');

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: string | Record<string, unknown>;
  main?: string;
  types?: string;
  bin?: string | Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface WorkspacePackage {
  name: string;
  dir: string;
  manifest: Manifest;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** The packages under packages/ that are published (not `"private": true`), in folder order. */
export function publicPackages(): WorkspacePackage[] {
  return readdirSync(PACKAGES_DIR)
    .map((folder) => join(PACKAGES_DIR, folder))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: readManifest(dir) }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({ name: manifest.name, dir, manifest }));
}

/** Every specifier a consumer can import: the package name for `.`, `name/sub` for each `./sub` export. */
export function entrySpecifiers(manifest: Manifest): string[] {
  const exportsMap = manifest.exports;
  // `exports` as one target or one condition object (no "." keys) describes the main entry alone.
  const keys =
    exportsMap &&
    typeof exportsMap === 'object' &&
    Object.keys(exportsMap).every((key) => key.startsWith('.'))
      ? Object.keys(exportsMap)
      : ['.'];
  return keys
    .filter((key) => key !== './package.json' && !key.includes('*'))
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`));
}

/** Peer dependencies marked optional in `peerDependenciesMeta`, with their ranges. */
export function optionalPeers(manifest: Manifest): Record<string, string> {
  const peers = manifest.peerDependencies ?? {};
  return Object.fromEntries(
    Object.entries(peers).filter(([name]) => manifest.peerDependenciesMeta?.[name]?.optional === true),
  );
}

/**
 * Throws a plain instruction when a public package has no dist/ folder: the tools tests check what
 * `pnpm build` produced, and a missing build otherwise shows up as a cryptic resolution failure.
 */
export function assertBuilt(packages: WorkspacePackage[] = publicPackages()): void {
  const unbuilt = packages.filter((pkg) => !existsSync(join(pkg.dir, 'dist'))).map((pkg) => pkg.name);
  if (unbuilt.length > 0) {
    throw new Error(
      `run pnpm build first: these tests check the built packages, and ${unbuilt.join(', ')} ` +
        `${unbuilt.length === 1 ? 'has' : 'have'} no dist/ folder`,
    );
  }
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the order of results. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A child process's output; `code` is 0 on success. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without a shell and returns its output, whether it succeeded or not; it is killed after
 * `timeoutMs` (a child that never exits is a failure to report, not a hang).
 */
export async function runCommand(
  file: string,
  args: string[],
  cwd: string,
  timeoutMs = 240_000,
): Promise<CommandResult> {
  // The children stand for a consumer's plain processes: pnpm's bin shims (vitest, tsx) set NODE_PATH to the
  // workspace's modules, through which require() would find packages the scratch project never installed.
  const { NODE_PATH: _path, NODE_OPTIONS: _options, ...env } = process.env;
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd,
      env,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failure = err as {
      code?: unknown;
      killed?: boolean;
      stdout?: string;
      stderr?: string;
      message: string;
    };
    const killed = failure.killed ? `killed after ${timeoutMs} ms\n` : '';
    return {
      code: typeof failure.code === 'number' ? failure.code : 1,
      stdout: failure.stdout ?? '',
      stderr: `${killed}${failure.stderr || failure.message}`,
    };
  }
}

async function mustRun(file: string, args: string[], cwd: string): Promise<string> {
  const result = await runCommand(file, args, cwd);
  if (result.code !== 0) {
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd} (exit ${result.code}):\n${result.stderr}`);
  }
  return result.stdout;
}

/**
 * `pnpm pack`s each package into `destination` (pnpm rewrites `workspace:` ranges to versions, as on
 * publish) and returns the tarball path per package name.
 */
export async function packPackages(
  packages: WorkspacePackage[],
  destination: string,
): Promise<Map<string, string>> {
  const tarballs = await mapConcurrent(packages, 2, async (pkg) => {
    const stdout = await mustRun('pnpm', ['pack', '--pack-destination', destination], pkg.dir);
    const tarball = stdout
      .trim()
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.endsWith('.tgz'))
      .pop();
    if (!tarball || !existsSync(tarball)) throw new Error(`pnpm pack printed no tarball for ${pkg.name}`);
    return [pkg.name, tarball] as const;
  });
  return new Map(tarballs);
}

/** The file paths inside a tarball, without npm's `package/` prefix. */
export async function tarballEntries(tarball: string): Promise<string[]> {
  const stdout = await mustRun('tar', ['-tzf', tarball], REPO_ROOT);
  return stdout
    .split('\n')
    .filter((line) => line.length > 0 && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''));
}

/** One file of a tarball, as text. */
export async function tarballFile(tarball: string, path: string): Promise<string> {
  return mustRun('tar', ['-xzOf', tarball, `package/${path}`], REPO_ROOT);
}

export interface ScratchProject {
  dir: string;
  /** Wall-clock seconds `npm install` took. */
  installSeconds: number;
}

/**
 * Writes a consumer's package.json into `dir` and runs `npm install` there. Every workspace package is an
 * `overrides` entry pointing at its tarball, so the `0.0.0` ranges between them resolve to the packed files
 * and not to the registry. Install scripts are skipped: none of ours has one, and the only compiling
 * dependency (better-sqlite3's addon) is loaded on first use, which these tests do not reach.
 */
export async function installScratchProject(
  dir: string,
  dependencies: Record<string, string>,
  tarballs: Map<string, string>,
): Promise<ScratchProject> {
  const overrides = Object.fromEntries([...tarballs].map(([name, tarball]) => [name, `file:${tarball}`]));
  const manifest = { name: 'status-ts-consumer', private: true, type: 'module', dependencies, overrides };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const started = performance.now();
  await mustRun(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'],
    dir,
  );
  return { dir, installSeconds: (performance.now() - started) / 1000 };
}

/** The names of every package npm installed in a project (from its package-lock.json), nested copies too. */
export function installedPackageNames(projectDir: string): string[] {
  const lock = JSON.parse(readFileSync(join(projectDir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, unknown>;
  };
  return Object.keys(lock.packages)
    .filter((path) => path.includes('node_modules/'))
    .map((path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
}

/** Total size in bytes of the regular files under `dir` (symlinks are not followed). */
export function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(path);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}

export interface Footprint {
  label: string;
  /** Packages installed, ours included. */
  packages: number;
  /** Of which not `@status-ts/*`. */
  thirdParty: number;
  bytes: number;
  installSeconds: number;
}

export function measureFootprint(label: string, project: ScratchProject): Footprint {
  const names = installedPackageNames(project.dir);
  return {
    label,
    packages: names.length,
    thirdParty: names.filter((name) => !name.startsWith('@status-ts/')).length,
    bytes: directoryBytes(join(project.dir, 'node_modules')),
    installSeconds: project.installSeconds,
  };
}

/** The footprints as a plain-text table. */
export function footprintTable(rows: Footprint[]): string {
  const header = ['install', 'packages', 'third-party', 'node_modules', 'npm install'];
  const cells = rows.map((row) => [
    row.label,
    String(row.packages),
    String(row.thirdParty),
    `${(row.bytes / 1024 / 1024).toFixed(2)} MiB`,
    `${row.installSeconds.toFixed(1)} s`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((row) => row[column]!.length)),
  );
  const line = (row: string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)));
  return [line(header), widths.map((width) => '-'.repeat(width)), ...cells.map(line)]
    .map((row) => row.join('  '))
    .join('\n');
}

/**
 * Link targets in a Markdown text that are relative (not `http(s):`, `mailto:` or an in-page `#anchor`):
 * they resolve against the repository but break on the registry's package page. Code blocks are skipped.
 */
export function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const targets = [
    ...[...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!),
    ...[...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((match) => match[1]!),
    ...[...prose.matchAll(/<(?:img|a)\b[^>]*?\s(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map(
      (match) => match[1]!,
    ),
  ];
  return targets.filter((target) => !/^(?:https?:|mailto:|#)/i.test(target));
}

/** What loading one entry gave: its export names, or the error it threw. */
export interface EntryLoad {
  specifier: string;
  exports?: string[];
  error?: { code?: string; dependency?: string; message: string };
}

const DESCRIBE_ERROR = `(error) => ({
  code: error?.code,
  dependency: error?.dependency,
  message: String(error?.message ?? error).split('\\n')[0],
})`;

/** A plain Node ESM program that `import()`s each specifier and prints an `EntryLoad[]` as JSON. */
export function importScript(specifiers: string[]): string {
  return `const describeError = ${DESCRIBE_ERROR};
const results = [];
for (const specifier of ${JSON.stringify(specifiers)}) {
  try {
    results.push({ specifier, exports: Object.keys(await import(specifier)).sort() });
  } catch (error) {
    results.push({ specifier, error: describeError(error) });
  }
}
console.log(JSON.stringify(results));
`;
}

/** A CommonJS program that `require()`s each specifier and prints an `EntryLoad[]` as JSON. */
export function requireScript(specifiers: string[]): string {
  return `'use strict';
const describeError = ${DESCRIBE_ERROR};
const results = [];
for (const specifier of ${JSON.stringify(specifiers)}) {
  try {
    results.push({ specifier, exports: Object.keys(require(specifier)).sort() });
  } catch (error) {
    results.push({ specifier, error: describeError(error) });
  }
}
console.log(JSON.stringify(results));
`;
}

/** A use of an entry that needs an optional peer dependency: `call` is a function body, `m` the entry. */
export interface OptionalPeerProbe {
  entry: string;
  call: string;
}

/** A plain Node ESM program that imports each probe's entry, runs its call and prints an `EntryLoad[]`. */
export function probeScript(probes: OptionalPeerProbe[]): string {
  const cases = probes
    .map((probe) => `  [${JSON.stringify(probe.entry)}, async (m) => {\n    ${probe.call}\n  }],`)
    .join('\n');
  return `const describeError = ${DESCRIBE_ERROR};
const probes = [
${cases}
];
const results = [];
for (const [specifier, call] of probes) {
  try {
    const entry = await import(specifier);
    await call(entry);
    results.push({ specifier, exports: Object.keys(entry).sort() });
  } catch (error) {
    results.push({ specifier, error: describeError(error) });
  }
}
console.log(JSON.stringify(results));
`;
}

/** Runs a generated program with this Node in `projectDir` and returns what it printed. */
export async function runEntryScript(
  projectDir: string,
  fileName: string,
  source: string,
): Promise<EntryLoad[]> {
  writeFileSync(join(projectDir, fileName), source);
  const result = await runCommand(process.execPath, [fileName], projectDir, 120_000);
  if (result.code !== 0) throw new Error(`node ${fileName} exited with ${result.code}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as EntryLoad[];
}

/** "specifier: code message" for each failed load, to compare against [] with a readable diff. */
export function loadFailures(loads: EntryLoad[]): string[] {
  return loads
    .filter((load) => load.error)
    .map((load) => `${load.specifier}: ${load.error!.code ?? 'Error'} ${load.error!.message}`);
}

/** How a consumer's TypeScript resolves modules. */
export type ConsumerResolution =
  | { module: 'node16'; moduleResolution: 'node16' }
  | { module: 'esnext'; moduleResolution: 'bundler' };

export interface TypeCheck {
  exitCode: number;
  /** tsc's diagnostics, one line each. */
  errors: string[];
}

/**
 * Type-checks, with the workspace's tsc and `skipLibCheck: false` (so every declaration file the consumer
 * reaches is checked too), a consumer file in `projectDir` that re-exports each specifier. `typeRoots`
 * says where `@types/node` is, for projects that do not install it themselves.
 */
export async function typeCheckConsumer(
  projectDir: string,
  name: string,
  specifiers: string[],
  resolution: ConsumerResolution,
  typeRoots?: string[],
): Promise<TypeCheck> {
  const source = specifiers.map((specifier, index) => `export * as entry${index} from '${specifier}';`);
  writeFileSync(join(projectDir, `${name}.ts`), `${source.join('\n')}\n`);
  const config = {
    compilerOptions: {
      ...resolution,
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      types: ['node'],
      ...(typeRoots ? { typeRoots } : {}),
      strict: true,
      skipLibCheck: false,
      noEmit: true,
    },
    files: [`${name}.ts`],
  };
  writeFileSync(join(projectDir, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
  const result = await runCommand(WORKSPACE_TSC, ['-p', `tsconfig.${name}.json`], projectDir);
  return { exitCode: result.code, errors: result.stdout.split('\n').filter((line) => line.trim() !== '') };
}
