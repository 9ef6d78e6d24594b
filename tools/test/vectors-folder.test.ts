import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVectors, vectorPath, vectorsDir } from '../vectors.js';

// vectors/README.md describes every file of vectors/: what it is, where it comes from, how it was checked and
// which tests read it. These checks keep that description true as files and tests change.

const ROOT = resolve(import.meta.dirname, '../..');
const VECTORS = join(ROOT, 'vectors');
const readme = readFileSync(join(VECTORS, 'README.md'), 'utf8');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

const dataFiles = filesUnder(VECTORS)
  .map((path) => relative(VECTORS, path).split(sep).join('/'))
  .filter((name) => name !== 'README.md')
  .sort();
const jsonFiles = dataFiles.filter((name) => name.endsWith('.json'));
const protoFiles = dataFiles.filter((name) => name.endsWith('.proto'));

/** The README table row of a data file: the line whose first cell names it (or the folder glob it is in). */
function rowOf(name: string): string | undefined {
  const rows = readme.split('\n').filter((line) => line.startsWith('| `'));
  const exact = rows.find((line) => line.startsWith(`| \`${name}\` |`));
  if (exact) return exact;
  const folder = name.slice(0, name.lastIndexOf('/') + 1);
  return rows.find((line) => line.startsWith(`| \`${folder}*.proto\` |`));
}

/** The last cell of a file's row: the tests that read it (the origin cell names upstream paths too). */
function readByCell(name: string): string {
  const cells = (rowOf(name) ?? '').split(' | ');
  return cells[cells.length - 1] ?? '';
}

function testSources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : testSources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('vectors/ and its README', () => {
  it('tools/vectors.ts reads from the repository folder only, and fails on a missing file', () => {
    expect(resolve(vectorsDir)).toBe(VECTORS);
    expect(vectorPath('enr.json')).toBe(join(VECTORS, 'enr.json'));
    expect(() => vectorPath('no-such-file.json')).toThrow(/not found/);
    expect(readVectors<{ sources: unknown }>('enr.json').sources).toBeDefined();
  });

  it('has the data files the README describes, each with its own row', () => {
    expect(jsonFiles.length).toBeGreaterThanOrEqual(9);
    expect(protoFiles.length).toBeGreaterThanOrEqual(12);
    const undescribed = dataFiles.filter((name) => rowOf(name) === undefined);
    expect(undescribed).toEqual([]);
    expect(readme).toMatch(
      /copied unchanged, byte for byte, from the\s+project's shared vector set on 2026-12-07/,
    );
  });

  it.each(jsonFiles)('%s records its origin (repository + commit or tag) and how it was checked', (name) => {
    const file = JSON.parse(readFileSync(join(VECTORS, name), 'utf8')) as Record<string, unknown>;
    const sources = JSON.stringify(file.sources ?? file.source ?? null);
    expect(sources).toMatch(/"repo":"[\w.-]+\/[\w.-]+"/);
    expect(sources).toMatch(/"(commit|tag)":"[\w.-]+"/);
    expect(file.verification).toBeTypeOf('object');
  });

  it.each(protoFiles)('%s names the upstream file and commit it was copied from', (name) => {
    const head = readFileSync(join(VECTORS, name), 'utf8').split('\n').slice(0, 3).join('\n');
    expect(head).toMatch(/copied verbatim .* from status-im\/status-go/);
    expect(head).toMatch(/path: \S+\.proto, tag: v[\d.]+, commit: [0-9a-f]{40}/);
  });

  it('the schemas packages generate code from are the reference copies, plus marked additions only', () => {
    const pairs = [
      ['packages/secure-transport/proto/protocol_message.proto', 'proto/encryption/protocol_message.proto'],
      ['packages/mvds/proto/sync.proto', 'proto/mvds/sync.proto'],
    ];
    // A field status-go dropped but older clients still send (secure-transport's deprecated `bundle`) is added
    // between these markers; everything else stays byte for byte the reference.
    const withoutAdditions = (text: string) =>
      text.replace(/ *\/\/ status-ts addition[\s\S]*?\/\/ end of status-ts addition\n\n?/g, '');
    for (const [own, reference] of pairs) {
      expect(withoutAdditions(readFileSync(join(ROOT, own!), 'utf8')), own).toBe(
        readFileSync(join(VECTORS, reference!), 'utf8'),
      );
    }
  });

  it('every test file the README names exists and reads the file of its row', () => {
    for (const name of jsonFiles) {
      const readBy = readByCell(name);
      const named = [...readBy.matchAll(/`((?:packages|examples|tools)\/[^`]+\.ts)`/g)].map((m) => m[1]!);
      expect(named.length, name).toBeGreaterThan(0);
      for (const path of named) {
        expect(existsSync(join(ROOT, path)), path).toBe(true);
        expect(readFileSync(join(ROOT, path), 'utf8'), `${path} should read ${name}`).toContain(`'${name}'`);
      }
    }
  });

  it('every test source that names a vectors/ file is listed in that file`s row', () => {
    const sources = readdirSync(join(ROOT, 'packages')).flatMap((pkg) =>
      testSources(join(ROOT, 'packages', pkg, 'test')),
    );
    const missing: string[] = [];
    for (const path of sources) {
      const text = readFileSync(path, 'utf8');
      for (const name of jsonFiles) {
        const where = relative(ROOT, path).split(sep).join('/');
        if (text.includes(`'${name}'`) && !readByCell(name).includes(`\`${where}\``))
          missing.push(`${where}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
