import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script (the build runs it with node), it has no type declarations
import { manifestTargets, missingExportTargets } from '../check-exports.mjs';
import { assertBuilt, publicPackages, REPO_ROOT, readManifest, runCommand } from '../packaging.js';

const listTargets = manifestTargets as (manifest: object) => Array<[string, string]>;
const listMissing = missingExportTargets as (dir?: string) => string[];

// The CI runs `pnpm build` before `pnpm test`; these tests check what the build produced.
describe('built packages', () => {
  beforeAll(() => assertBuilt());

  it('every exports/main/types/bin target of every public package exists', () => {
    expect(
      listMissing(),
      'manifest targets missing: run pnpm build (a stale dist/ lacks new subpaths)',
    ).toEqual([]);
  });
});

describe('check-exports reports a missing target (it can fail)', () => {
  let fixtureDir: string;

  beforeAll(() => {
    fixtureDir = mkdtempSync(join(tmpdir(), 'status-ts-check-exports-'));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(fixtureDir, path)), { recursive: true });
      writeFileSync(join(fixtureDir, path), text);
    };
    write(
      'built/package.json',
      JSON.stringify({
        name: '@fixture/built',
        exports: {
          '.': { types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' },
          './sub': { import: './dist/sub.js' },
        },
        main: './dist/index.js',
        types: './dist/index.d.ts',
        bin: { 'fixture-bin': './bin/cli.js' },
      }),
    );
    write('built/dist/index.js', 'export {};\n');
    write('built/dist/index.d.ts', 'export {};\n');
    // Private packages are never published, so their targets are not checked.
    write(
      'private/package.json',
      JSON.stringify({ name: '@fixture/private', private: true, main: './none.js' }),
    );
    write('not-a-package/README.md', 'no manifest here\n');
  });

  afterAll(() => rmSync(fixtureDir, { recursive: true, force: true }));

  it('lists every condition, main, types and bin of a manifest', () => {
    const manifest = readManifest(join(fixtureDir, 'built'));
    expect(listTargets(manifest)).toEqual([
      ['exports...types', './dist/index.d.ts'],
      ['exports...import', './dist/index.js'],
      ['exports...default', './dist/index.js'],
      ['exports../sub.import', './dist/sub.js'],
      ['main', './dist/index.js'],
      ['types', './dist/index.d.ts'],
      ['bin.fixture-bin', './bin/cli.js'],
    ]);
  });

  it('names the targets that do not exist', () => {
    expect(listMissing(fixtureDir)).toEqual([
      '@fixture/built: exports../sub.import -> ./dist/sub.js',
      '@fixture/built: bin.fixture-bin -> ./bin/cli.js',
    ]);
  });
});

/**
 * The package names the first command of a `build` script selects, run through a shell as `pnpm run` does,
 * with `build` swapped for a listing. An unquoted `./packages/*` is expanded by the shell into separate
 * arguments, so pnpm filters on the first folder alone and takes the next one for a script name.
 */
async function packagesSelectedBy(buildScript: string): Promise<string[]> {
  const first = buildScript.split('&&')[0]!.trim();
  expect(first).toMatch(/ build$/);
  const listing = first.replace(/ build$/, ' ls --depth -1 --json');
  const result = await runCommand('sh', ['-c', listing], REPO_ROOT);
  if (result.code !== 0) return [];
  try {
    return (JSON.parse(result.stdout) as Array<{ name: string }>).map((entry) => entry.name);
  } catch {
    return [];
  }
}

describe('the root build script', () => {
  const buildScript = readManifest(REPO_ROOT).scripts?.build ?? '';
  const published = publicPackages().map((pkg) => pkg.name);

  it('quotes its package filter, so the shell leaves the glob to pnpm', () => {
    expect(buildScript).toMatch(/--filter\s+(["'])[^"']*\*[^"']*\1/);
  });

  it('selects every public package', async () => {
    expect(await packagesSelectedBy(buildScript)).toEqual(expect.arrayContaining(published));
  });

  it('would miss packages with the filter unquoted (the check can fail)', async () => {
    const unquoted = buildScript.replace(/--filter\s+(["'])([^"']*)\1/, '--filter $2');
    expect(unquoted).not.toBe(buildScript);
    expect(await packagesSelectedBy(unquoted)).not.toEqual(expect.arrayContaining(published));
  });

  it('checks the manifest targets after building', () => {
    expect(buildScript).toMatch(/&&\s*node tools\/check-exports\.mjs\s*$/);
  });
});
