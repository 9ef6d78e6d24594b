import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/architecture.md has a table "Who may import whom": per package, the @status-ts packages it may use at
// run time and those it may use only behind a subpath (optional peer dependencies). This test holds the
// manifests and the code to that table, so the documented layering is the real one.

const ROOT = resolve(import.meta.dirname, '../..');
const PACKAGES = join(ROOT, 'packages');
const SCOPE = '@status-ts/';

interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
}

interface Rule {
  readonly runtime: string[];
  readonly optional: string[];
}

/** Parses the "Who may import whom" table: short package name -> allowed short names. */
function parseImportTable(markdown: string): Map<string, Rule> {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Who may import whom'));
  if (!section) throw new Error('docs/architecture.md has no "Who may import whom" section');
  const rules = new Map<string, Rule>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`([a-z0-9-]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!name || cells.length < 5) continue;
    const names = (cell: string) => [...cell.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!);
    rules.set(name, { runtime: names(cells[2]!), optional: names(cells[3]!) });
  }
  return rules;
}

/** The @status-ts packages a source text imports (static, re-exports, type-only and `import()`), short names. */
function workspaceImports(source: string): string[] {
  const found = new Set<string>();
  const statics = /^\s*(?:import|export)\b[^;]*?\bfrom\s+['"]@status-ts\/([a-z0-9-]+)[^'"]*['"]/gm;
  const dynamic = /\bimport\(\s*['"]@status-ts\/([a-z0-9-]+)[^'"]*['"]\s*\)/g;
  for (const m of source.matchAll(statics)) found.add(m[1]!);
  for (const m of source.matchAll(dynamic)) found.add(m[1]!);
  return [...found].sort();
}

const short = (name: string) => name.slice(SCOPE.length);
const scoped = (deps: Record<string, string> | undefined) =>
  Object.keys(deps ?? {})
    .filter((d) => d.startsWith(SCOPE))
    .map(short)
    .sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return /\.(?:[mc]?ts|[mc]?js)$/.test(entry.name) ? [path] : [];
  });
}

const manifests = new Map<string, Manifest>(
  readdirSync(PACKAGES).map((dir) => [
    dir,
    JSON.parse(readFileSync(join(PACKAGES, dir, 'package.json'), 'utf8')) as Manifest,
  ]),
);
const published = [...manifests].filter(([, m]) => !m.private).map(([dir]) => dir);
const rules = parseImportTable(readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8'));

describe('docs/architecture.md "Who may import whom" matches the packages', () => {
  it('lists every published package, and nothing else', () => {
    expect([...rules.keys()].sort()).toEqual([...published].sort());
    for (const [dir, manifest] of manifests) expect(manifest.name).toBe(`${SCOPE}${dir}`);
  });

  it.each(published)('%s: manifest dependencies are the table row', (dir) => {
    const manifest = manifests.get(dir)!;
    expect(scoped(manifest.dependencies)).toEqual([...rules.get(dir)!.runtime].sort());
    expect(scoped(manifest.peerDependencies)).toEqual([...rules.get(dir)!.optional].sort());
  });

  it.each(published)('%s: src/ imports only itself and what the table allows', (dir) => {
    const rule = rules.get(dir)!;
    const subpathDirs = Object.keys(manifests.get(dir)!.exports ?? {})
      .filter((key) => key !== '.')
      .map((key) => join(PACKAGES, dir, 'src', key.slice(2)) + sep);
    const bad: string[] = [];
    for (const file of sourceFiles(join(PACKAGES, dir, 'src'))) {
      for (const used of workspaceImports(readFileSync(file, 'utf8'))) {
        if (used === dir || rule.runtime.includes(used)) continue;
        const behindSubpath = subpathDirs.some((sub) => file.startsWith(sub));
        if (rule.optional.includes(used) && behindSubpath) continue;
        bad.push(`${relative(ROOT, file)} imports ${SCOPE}${used}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('layers only point down: each package uses only packages listed above it', () => {
    const order = [...rules.keys()];
    const upward = order.flatMap((name, index) =>
      [...rules.get(name)!.runtime, ...rules.get(name)!.optional]
        .filter((dep) => !order.slice(0, index).includes(dep))
        .map((dep) => `${name} -> ${dep}`),
    );
    expect(upward).toEqual([]);
  });

  it('private (test-only) packages are never a runtime or peer dependency', () => {
    const privateNames = [...manifests].filter(([, m]) => m.private).map(([dir]) => dir);
    expect(privateNames).toContain('legacy-libp2p-peer');
    const offenders = published.filter((dir) => {
      const m = manifests.get(dir)!;
      return [...scoped(m.dependencies), ...scoped(m.peerDependencies)].some((d) => privateNames.includes(d));
    });
    expect(offenders).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('read imports of every form, and only the package part of a subpath', () => {
    const source = [
      "import { a } from '@status-ts/core';",
      "import type { B } from '@status-ts/waku';",
      "export { c } from '@status-ts/enr';",
      'import {\n  d,\n  e,\n} from "@status-ts/crypto";',
      "const s = await import('@status-ts/mailserver/sqlite');",
      "const text = 'see @status-ts/devp2p';",
    ].join('\n');
    expect(workspaceImports(source)).toEqual(['core', 'crypto', 'enr', 'mailserver', 'waku']);
  });

  it('parse the table rows, and fail on a document without the section', () => {
    const table = [
      '## Who may import whom',
      '| package | may import (runtime) | optional, behind a subpath |',
      '| --- | --- | --- |',
      '| `core` | — | — |',
      '| `rendezvous` | `core`, `enr` | `libp2p-secio` (`/libp2p`) |',
      '## Next',
    ].join('\n');
    const parsed = parseImportTable(table);
    expect(parsed.get('core')).toEqual({ runtime: [], optional: [] });
    expect(parsed.get('rendezvous')).toEqual({ runtime: ['core', 'enr'], optional: ['libp2p-secio'] });
    expect(() => parseImportTable('# nothing here')).toThrow(/no "Who may import whom"/);
  });
});
