import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const PACKAGES = resolve(import.meta.dirname, '../packages');

interface Manifest {
  name: string;
  private?: boolean;
  exports: Record<string, Record<string, string>>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

function manifestOf(dir: string): Manifest {
  return JSON.parse(readFileSync(join(PACKAGES, dir, 'package.json'), 'utf8')) as Manifest;
}

/** Names of the packages under packages/ that are published (not private). */
export function publishedPackages(): string[] {
  return readdirSync(PACKAGES)
    .map(manifestOf)
    .filter((manifest) => !manifest.private)
    .map((manifest) => manifest.name);
}

/** A workspace package's optional peer dependencies (drivers, the libp2p stack): only subpaths may load them. */
export function optionalPeerDependencies(name: string): string[] {
  const manifest = manifestOf(name.replace(/^@status-ts\//, ''));
  return Object.entries(manifest.peerDependenciesMeta ?? {})
    .filter(([, meta]) => meta.optional === true)
    .map(([dependency]) => dependency);
}

/**
 * The file a workspace specifier (`@status-ts/x` or `@status-ts/x/sub`) resolves to under an `exports`
 * condition: `@status-ts/source` (the TypeScript source, what tests load) or `import` (the built file).
 */
export function workspaceExport(specifier: string, condition: '@status-ts/source' | 'import'): string {
  const [, name, ...rest] = specifier.split('/');
  const key = rest.length === 0 ? '.' : `./${rest.join('/')}`;
  const target = manifestOf(name!).exports[key]?.[condition];
  if (!target) throw new Error(`${specifier}: no export ${key} with condition ${condition}`);
  return join(PACKAGES, name!, target);
}
