import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Code, tests and docs cite requirements as PREFIX-NN (WAKU-07, ST-12, MAIL-03...). docs/conformance.md is
 * where each one is defined: a table row `| ID | level | statement | tested in |`. This test fails when
 *   - an ID used anywhere in the repository has no row there (ranges such as `WAKU-02..04`, `ST-01..ST-15`
 *     and lists such as `ST-03, 05, 10-14` or `ST-13/14` count every number they cover);
 *   - an uppercase `XX-NN` token uses a prefix that is neither a requirement area nor a known standard name
 *     (EIP-55, UTF-16...), which is how a new, undocumented area would slip in;
 *   - a row lacks its level or statement, names a test file that does not exist, or quotes a test title that
 *     is not in that file, or has no test and does not say why.
 * Scanned: every .ts .mts .js .mjs .md .json .yaml file of the repository except node_modules/, dist/,
 * .git/, generated code, vectors/ and package test-data folders (upstream data, not our citations).
 */

const ROOT = resolve(import.meta.dirname, '../..');
const CONFORMANCE = join(ROOT, 'docs', 'conformance.md');

/** Requirement areas (docs/conformance.md explains each). */
const PREFIXES = [
  'CRY',
  'ENR',
  'RLPX',
  'WAKU',
  'SHH',
  'MAIL',
  'DV5',
  'DNS',
  'RDV',
  'PP',
  'MVDS',
  'ST',
  'PAY',
  'CLI',
];
/** Names of standards and algorithms written like an ID but never a requirement of ours. */
const NOT_REQUIREMENTS = [
  'EIP',
  'ERC',
  'BIP',
  'RFC',
  'UTF',
  'SHA',
  'SHA3',
  'AES',
  'FIPS',
  'IEEE',
  'ISO',
  'NIST',
  'BLS12',
];

const AREA = PREFIXES.join('|');
const CITATION = new RegExp(
  `\\b(${AREA})-(\\d{1,2})(?!\\d)((?:\\s*(?:\\.\\.|–|-|/|,)\\s*(?:\\1-)?\\d{2}(?!\\d))*)`,
  'g',
);
const TAIL_ITEM = /(\.\.|–|-|\/|,)\s*(?:[A-Z][A-Z0-9]*-)?(\d{2})/g;

const pad = (n: number) => String(n).padStart(2, '0');

/** Every requirement ID `text` cites, with ranges and lists expanded. */
function citedIds(text: string): Set<string> {
  const ids = new Set<string>();
  for (const m of text.matchAll(CITATION)) {
    const prefix = m[1]!;
    let last = Number(m[2]);
    ids.add(`${prefix}-${pad(last)}`);
    for (const item of (m[3] ?? '').matchAll(TAIL_ITEM)) {
      const n = Number(item[2]);
      const isRange = item[1] !== '/' && item[1] !== ',';
      if (isRange && n > last) for (let k = last + 1; k < n; k++) ids.add(`${prefix}-${pad(k)}`);
      ids.add(`${prefix}-${pad(n)}`);
      last = n;
    }
  }
  return ids;
}

/** Uppercase `XX-NN` tokens whose prefix is neither a requirement area nor a known standard. */
function unknownPrefixes(text: string): string[] {
  const known = new Set([...PREFIXES, ...NOT_REQUIREMENTS]);
  return [...text.matchAll(/\b([A-Z][A-Z0-9]{1,4})-\d{2}(?!\d)/g)]
    .map((m) => m[1]!)
    .filter((p) => !known.has(p));
}

interface Row {
  readonly id: string;
  readonly level: string;
  readonly statement: string;
  readonly tested: string;
}

/** The requirement rows of conformance.md: the first cell is an ID. `\|` inside a cell is a literal bar. */
function requirementRows(markdown: string): Row[] {
  const rows: Row[] = [];
  for (const line of markdown.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
    if (cells.length < 6 || !/^[A-Z][A-Z0-9]*-\d{2}$/.test(cells[1]!)) continue;
    rows.push({ id: cells[1]!, level: cells[2]!, statement: cells[3]!, tested: cells[4]! });
  }
  return rows;
}

/** Test references of a "tested in" cell: `path.test.ts` › "title". */
function testReferences(cell: string): { file: string; title: string | undefined }[] {
  return [...cell.matchAll(/`((?:packages|examples|tools)\/[^`]+?\.test\.ts)`(?:\s*›\s*"([^"]+)")?/g)].map(
    (m) => ({
      file: m[1]!,
      title: m[2],
    }),
  );
}

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'generated', 'coverage', 'vectors', 'data']);
const TEXT_FILES = /\.(?:[mc]?ts|[mc]?js|md|json|ya?ml)$/;

function repositoryFiles(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIP_DIRS.has(entry.name) || entry.name === '.readme' || entry.name === '.tmp') return [];
      return repositoryFiles(path);
    }
    return TEXT_FILES.test(entry.name) && entry.name !== 'pnpm-lock.yaml' ? [path] : [];
  });
}

const markdown = readFileSync(CONFORMANCE, 'utf8');
const rows = requirementRows(markdown);
const defined = new Set(rows.map((row) => row.id));

describe('requirement IDs', () => {
  const files = repositoryFiles();

  it('the scan covers code, tests and docs of the whole repository', () => {
    const names = files.map((f) => relative(ROOT, f));
    expect(names).toContain(join('docs', 'waku.md'));
    expect(names).toContain(join('packages', 'secure-transport', 'src', 'transport.ts'));
    expect(names).toContain(join('packages', 'waku', 'test', 'node-peers.test.ts'));
    expect(names.some((n) => n.startsWith(`vectors`) || n.includes('node_modules'))).toBe(false);
  });

  it('every ID cited anywhere is defined in docs/conformance.md', () => {
    const undefinedIds: string[] = [];
    for (const file of files) {
      for (const id of citedIds(readFileSync(file, 'utf8'))) {
        if (!defined.has(id)) undefinedIds.push(`${relative(ROOT, file)}: ${id}`);
      }
    }
    expect(undefinedIds).toEqual([]);
  });

  it('no ID-like token uses an unknown prefix', () => {
    const unknown = files
      .filter((file) => /\.(?:md|[mc]?ts)$/.test(file))
      .flatMap((file) =>
        unknownPrefixes(readFileSync(file, 'utf8')).map((p) => `${relative(ROOT, file)}: ${p}-..`),
      );
    expect(unknown).toEqual([]);
  });

  it('each ID is defined once, with a level and a statement', () => {
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.map((r) => r.id)).toEqual([...defined]);
    for (const row of rows) {
      expect(['MUST', 'SHOULD', 'MAY'], row.id).toContain(row.level);
      expect(row.statement.length, row.id).toBeGreaterThan(20);
      expect(PREFIXES, row.id).toContain(row.id.slice(0, row.id.lastIndexOf('-')));
    }
  });

  it('every test a row names exists, with the quoted title; rows without a test say why', () => {
    const problems: string[] = [];
    for (const row of rows) {
      const refs = testReferences(row.tested);
      if (refs.length === 0 && !/not implemented|not in this repository/.test(row.tested)) {
        problems.push(`${row.id}: no test and no reason`);
      }
      for (const { file, title } of refs) {
        const path = join(ROOT, file);
        if (!existsSync(path)) {
          problems.push(`${row.id}: ${file} does not exist`);
          continue;
        }
        if (title === undefined) problems.push(`${row.id}: ${file} without a test title`);
        else if (!readFileSync(path, 'utf8').includes(title))
          problems.push(`${row.id}: "${title}" is not in ${file}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the ID rules themselves', () => {
  it('expand ranges and lists, pad single digits, and ignore look-alikes', () => {
    const text = [
      'checklist WAKU-02..04 and ST-03, 05, 10-14; ST-13/14; PP-01..PP-03; DV5-01..02, DV5-06',
      'WAKU-8 by hand, CRY-04a, EIP-55 addresses, UTF-16, MAIL-12.',
      'RDV-07, 5 s timeout; WAKU-11, 2020 values',
    ].join('\n');
    expect([...citedIds(text)].sort()).toEqual(
      [
        'CRY-04',
        'DV5-01',
        'DV5-02',
        'DV5-06',
        'MAIL-12',
        'PP-01',
        'PP-02',
        'PP-03',
        'RDV-07',
        'ST-03',
        'ST-05',
        'ST-10',
        'ST-11',
        'ST-12',
        'ST-13',
        'ST-14',
        'WAKU-02',
        'WAKU-03',
        'WAKU-04',
        'WAKU-08',
        'WAKU-11',
      ].sort(),
    );
  });

  it('can fail: an undefined ID and an unknown prefix are reported', () => {
    // Built at run time so this file itself cites nothing undefined.
    const stray = `see ${['WAKU', '99'].join('-')} and ${['ZZZ', '01'].join('-')}`;
    expect([...citedIds(stray)].filter((id) => !defined.has(id))).toEqual([['WAKU', '99'].join('-')]);
    expect(unknownPrefixes(stray)).toEqual(['ZZZ']);
  });

  it('read table rows with escaped bars, and test references with their titles', () => {
    const table = [
      '| ID | Level | Requirement | Tested in |',
      '| --- | --- | --- | --- |',
      '| ST-07 | MUST | IV \\|\\| ciphertext \\|\\| MAC | `packages/a/test/x.test.ts` › "one title"; `packages/a/test/y.test.ts` |',
      '| CLI-10 | MUST | group chats | not in this repository |',
    ].join('\n');
    const parsed = requirementRows(table);
    expect(parsed.map((r) => r.id)).toEqual(['ST-07', 'CLI-10']);
    expect(parsed[0]!.statement).toBe('IV || ciphertext || MAC');
    expect(testReferences(parsed[0]!.tested)).toEqual([
      { file: 'packages/a/test/x.test.ts', title: 'one title' },
      { file: 'packages/a/test/y.test.ts', title: undefined },
    ]);
  });
});
