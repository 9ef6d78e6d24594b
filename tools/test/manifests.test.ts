import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  repository?: { type: string; url: string; directory: string };
  files?: string[];
  scripts?: Record<string, string>;
  exports: Record<string, Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}

const published = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir, manifest: readJson(join(root, 'packages', dir, 'package.json')) as Manifest }))
  .filter(({ manifest }) => !manifest.private);

/** The drivers and stacks only a subpath loads: a consumer who does not use that subpath never installs them. */
const HEAVY = /^(better-sqlite3|pg|libp2p|@libp2p\/(tcp|mplex)|@chainsafe\/libp2p-(noise|yamux))$/;

describe('published package manifests', () => {
  it.each(published)('$manifest.name: MIT licence, repository, files, LICENSE file', ({ dir, manifest }) => {
    expect(manifest.license).toBe('MIT');
    expect(manifest.repository).toMatchObject({ type: 'git', directory: `packages/${dir}` });
    expect(manifest.files).toContain('dist');
    expect(existsSync(join(root, 'packages', dir, 'LICENSE'))).toBe(true);
    expect(readFileSync(join(root, 'packages', dir, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(root, 'LICENSE'), 'utf8'),
    );
  });

  it.each(published)('$manifest.name: every export has types, import and default', ({ manifest }) => {
    for (const [subpath, conditions] of Object.entries(manifest.exports)) {
      expect(Object.keys(conditions), subpath).toEqual(
        expect.arrayContaining(['types', 'import', 'default']),
      );
      expect(conditions.default, subpath).toBe(conditions.import);
    }
  });

  it.each(published)('$manifest.name: builds with source maps and declarations', ({ manifest }) => {
    expect(manifest.scripts?.build).toMatch(/--sourcemap/);
    expect(manifest.scripts?.build).toMatch(/--dts/);
  });

  it.each(published)('$manifest.name: third-party runtime ranges are carets', ({ manifest }) => {
    const ranges = { ...manifest.dependencies, ...manifest.peerDependencies };
    const thirdParty = Object.entries(ranges).filter(([, range]) => !range.startsWith('workspace:'));
    for (const [dependency, range] of thirdParty) expect(range, dependency).toMatch(/^\^\d+\.\d+\.\d+$/);
  });

  it.each(published)('$manifest.name: heavy parts are optional peers, never dependencies', ({ manifest }) => {
    expect(Object.keys(manifest.dependencies ?? {}).filter((name) => HEAVY.test(name))).toEqual([]);
    for (const peer of Object.keys(manifest.peerDependencies ?? {})) {
      expect(manifest.peerDependenciesMeta?.[peer]?.optional, peer).toBe(true);
      // The workspace still installs it, pinned, so the package's own tests can load its subpaths.
      expect(manifest.devDependencies?.[peer], peer).toBeDefined();
    }
  });

  it('the TypeScript settings every package extends keep indexed access checked', () => {
    const base = readJson(join(root, 'tsconfig.base.json'));
    expect(base.compilerOptions).toMatchObject({ strict: true, noUncheckedIndexedAccess: true });
    for (const { dir } of published) {
      expect(readJson(join(root, 'packages', dir, 'tsconfig.json')).extends, dir).toBe(
        '../../tsconfig.base.json',
      );
    }
  });
});
