import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
// Static imports and re-exports that load code at run time (`import type` / `export type` load nothing).
const IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** The source file a workspace specifier (`@status-ts/x` or `@status-ts/x/sub`) resolves to in tests. */
function workspaceSource(specifier: string): string {
  const [, name, ...rest] = specifier.split('/');
  const dir = join(ROOT, 'packages', name!);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    exports: Record<string, { '@status-ts/source': string }>;
  };
  const key = rest.length === 0 ? '.' : `./${rest.join('/')}`;
  const entry = manifest.exports[key];
  if (!entry) throw new Error(`${specifier}: no export ${key}`);
  return join(dir, entry['@status-ts/source']);
}

function relativeSource(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  throw new Error(`cannot resolve ${specifier} from ${from}`);
}

/**
 * Every module outside the workspace that loading `entry` pulls in, following relative imports and
 * `@status-ts/*` packages through their source export condition. Lets a test pin down that an entry point
 * stays free of native modules and Node-only drivers (what a browser or mobile bundle cannot take).
 */
export function externalImportsOf(entry: string): Set<string> {
  const external = new Set<string>();
  const seen = new Set<string>();
  const queue = [entry.startsWith('@status-ts/') ? workspaceSource(entry) : resolve(entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.')) queue.push(relativeSource(file, specifier));
      else if (specifier.startsWith('@status-ts/')) queue.push(workspaceSource(specifier));
      else external.add(specifier);
    }
  }
  return external;
}

/** Modules a browser or mobile bundle cannot load: native addons, database drivers, Node sockets. */
export const NODE_ONLY_MODULES = ['better-sqlite3', 'pg', 'node:net', 'node:dgram', 'node:dns', 'node:fs'];
