import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * A clone of this repository must build, test, bench and run its examples with nothing beside it. This test
 * reads every code and configuration file under packages/, tools/ and examples/ and fails on anything that
 * points at a file outside the repository.
 *
 * Scanned: files ending in .ts .mts .cts .js .mjs .cjs .json .yaml .yml .sh, skipping node_modules/, dist/,
 * coverage/, generated code (src/generated/) and dot-folders (test/.readme/ and .tmp/ hold throwaway copies).
 * Markdown is not scanned. This file is skipped too: its fixtures below break every rule on purpose.
 *
 * A file fails when it contains any of:
 *   outside-root   anywhere in its text, comments included, an absolute path whose first segment is a place
 *                  where data or people live rather than installed software: /work /home /root /Users /tmp
 *                  /var /etc /opt /mnt /srv /media /data /private /Volumes (a `file://` URL included), a
 *                  path into the sibling `shared` folder (`../shared`), a `~/` home path or a Windows drive path.
 *   climbs-out     a relative path literal ('./x', '../x', '..', the fixed head of a template literal) which,
 *                  resolved against the folder of the file that holds it (as imports and
 *                  `new URL(literal, import.meta.url)` resolve it), lands outside the repository root.
 *   climbs-out     a `join(...)` / `resolve(...)` whose first argument is the file's own folder
 *                  (`import.meta.dirname`, `__dirname`, `dirname(fileURLToPath(import.meta.url))`,
 *                  `new URL(literal, import.meta.url)`, or a constant this file set to one of those, e.g.
 *                  `const repoRoot = join(import.meta.dirname, '../../..')`) and whose following string
 *                  arguments, joined, leave the repository root.
 *   env-override   reading an environment variable that names a data location: a name containing VECTOR,
 *                  FIXTURE, TESTDATA/TEST_DATA or SHARED, or ending in _DIR, _PATH, _ROOT or _HOME, or HOME /
 *                  USERPROFILE themselves, through `process.env`, core's `readEnv(...)` or `vi.stubEnv(...)`.
 *
 * Allowed, because the test set-up or the system provides them and they hold no project data:
 *   - temp folders made at run time from `os.tmpdir()` (`mkdtempSync(join(tmpdir(), ...))`);
 *   - system software under /usr, /bin, /sbin and /lib, e.g. `/usr/sbin/dnsmasq` and
 *     `/usr/lib/postgresql/<version>/bin`, which the dnsmasq and PostgreSQL helpers install from Debian;
 *   - devices and process files under /dev and /proc;
 *   - paths an example program takes from its user (`MAILSERVER_DB`: a runtime choice, not test input);
 *   - strings that merely start with a slash but are not file paths (`/rend/0.1.0`, `/ip4/127.0.0.1/tcp/0`).
 * Out of reach: paths built from `process.cwd()` or from values computed at run time.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const SCANNED_DIRS = ['packages', 'tools', 'examples'];
const EXTENSIONS = /\.(?:[mc]?ts|[mc]?js|json|ya?ml|sh)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', 'generated']);
const SELF = resolve(import.meta.filename);

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: 'outside-root' | 'climbs-out' | 'env-override';
  readonly text: string;
}

const OUTSIDE_ROOTS = 'work|home|root|Users|tmp|var|etc|opt|mnt|srv|media|data|private|Volumes';
const OUTSIDE_PATTERNS: RegExp[] = [
  new RegExp(`(?<![\\w.~-])/(?:${OUTSIDE_ROOTS})(?=/|\\b)`, 'g'),
  /(?<![\w.-])\.\.[/\\]shared\b/g,
  /(?<![\w.~/-])~\//g,
  /(?<![\w])[A-Za-z]:(?:\\){1,2}(?=[\w.])/g,
];
const DATA_ENV_NAME = /VECTOR|FIXTURE|TEST_?DATA|SHARED|_(?:DIR|PATH|ROOT|HOME)$|^(?:HOME|USERPROFILE)$/;
const ENV_READS = [
  /process\.env\.([A-Za-z_][\w]*)/g,
  /process\.env\[\s*['"`]([^'"`]+)['"`]\s*\]/g,
  /\breadEnv\(\s*['"`]([^'"`]+)['"`]/g,
  /\bvi\.stubEnv\(\s*['"`]([^'"`]+)['"`]/g,
];

interface StringToken {
  /** Offset of the opening quote. */
  readonly index: number;
  /** The literal's text; for a template literal, only its fixed head before the first `${`. */
  readonly value: string;
}

/**
 * Splits source text into string literals and the text with comments blanked out (same offsets). A small lexer, enough for this
 * check: it knows line and block comments, the three quote kinds and `${...}` inside template literals, and
 * tells a regular expression literal from a division by the character before the slash.
 */
function lex(text: string): { strings: StringToken[]; code: string } {
  const strings: StringToken[] = [];
  const code: string[] = [];
  let i = 0;
  let lastSignificant = '';
  const isRegexStart = () => lastSignificant === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(lastSignificant);
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      code.push(' '.repeat(stop - i));
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      code.push(text.slice(i, stop).replace(/[^\n]/g, ' '));
      i = stop;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const start = i;
      let value = '';
      let head: string | undefined;
      let depth = 0;
      i++;
      while (i < text.length) {
        const d = text[i]!;
        if (depth === 0 && d === '\\') {
          value += text.slice(i, i + 2);
          i += 2;
          continue;
        }
        if (depth === 0 && d === c) break;
        if (depth === 0 && c !== '`' && d === '\n') break;
        if (c === '`' && depth === 0 && d === '$' && text[i + 1] === '{') {
          head ??= value;
          depth = 1;
          i += 2;
          continue;
        }
        if (depth > 0) {
          if (d === '{') depth++;
          else if (d === '}') depth--;
          i++;
          continue;
        }
        value += d;
        i++;
      }
      i++;
      strings.push({ index: start, value: head ?? value });
      code.push(text.slice(start, i));
      lastSignificant = c;
      continue;
    }
    if (c === '/' && isRegexStart()) {
      const start = i;
      let inClass = false;
      i++;
      while (i < text.length && text[i] !== '\n') {
        const d = text[i]!;
        if (d === '\\') i++;
        else if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        i++;
      }
      i++;
      code.push(text.slice(start, i));
      lastSignificant = '/';
      continue;
    }
    code.push(c);
    if (!/\s/.test(c)) lastSignificant = /[\w$]/.test(c) ? 'a' : c;
    i++;
  }
  return { strings, code: code.join('') };
}

const isInside = (path: string) => path === ROOT || path.startsWith(ROOT + sep);

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

const ANCHOR_PATTERNS: RegExp[] = [
  /^import\.meta\.dirname$/,
  /^__dirname$/,
  /^(?:path\.)?dirname\(\s*(?:url\.)?fileURLToPath\(\s*import\.meta\.url\s*\)\s*\)$/,
];
const URL_ANCHOR =
  /^(?:(?:url\.)?fileURLToPath\(\s*)?new URL\(\s*(['"`])([^'"`$]*)\1\s*,\s*import\.meta\.url\s*\)\s*\)?(?:\.pathname)?$/;
const STRING_ARG = /^(['"`])([^'"`$]*)\1$/;

/** Splits a call's argument text at top-level commas. */
function splitArgs(args: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of args) {
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** The text of the balanced parentheses starting at `open`, without them. */
function balanced(code: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '(') depth++;
    else if (code[i] === ')' && --depth === 0) return code.slice(open + 1, i);
  }
  return undefined;
}

/**
 * Finds every path that `join`/`resolve` builds from the file's own folder: the anchor (its folder, a
 * `new URL(literal, import.meta.url)`, or a constant bound to such a path earlier in the file) followed by
 * string arguments. Returns where each call is and the folder it resolves to.
 */
function anchoredPaths(code: string, fileDir: string): { index: number; path: string }[] {
  const bound = new Map<string, string>();
  const anchorPath = (expr: string): string | undefined => {
    const e = expr.trim();
    if (ANCHOR_PATTERNS.some((p) => p.test(e))) return fileDir;
    const url = URL_ANCHOR.exec(e);
    if (url) return resolve(fileDir, url[2]!);
    return bound.get(e);
  };
  const found: { index: number; path: string }[] = [];
  const evaluate = (expr: string): string | undefined => {
    const direct = anchorPath(expr);
    if (direct !== undefined) return direct;
    const call = /^(?:path\.)?(?:join|resolve)\(/.exec(expr.trim());
    if (!call) return undefined;
    const inner = balanced(expr.trim(), call[0].length - 1);
    if (inner === undefined) return undefined;
    const [first, ...rest] = splitArgs(inner);
    let path = first === undefined ? undefined : anchorPath(first);
    if (path === undefined) return undefined;
    for (const arg of rest) {
      const literal = STRING_ARG.exec(arg);
      if (!literal) break;
      path = resolve(path, literal[2]!);
    }
    return path;
  };
  const calls = /(?<![\w$.])(?:path\.)?(?:join|resolve)\(/g;
  const binding = /\b(?:const|let|var)\s+([\w$]+)(?:\s*:\s*[\w$.<>[\]| ]+)?\s*=\s*/g;
  // Bindings first, in order, so a constant can anchor later calls (and later bindings).
  for (const m of code.matchAll(binding)) {
    const start = m.index + m[0].length;
    const end = code.indexOf(';', start);
    const expr = code.slice(start, end === -1 ? undefined : end).split('\n\n')[0]!;
    const value = evaluate(expr);
    if (value !== undefined) bound.set(m[1]!, value);
  }
  for (const m of code.matchAll(calls)) {
    const open = m.index + m[0].length - 1;
    const inner = balanced(code, open);
    if (inner === undefined) continue;
    const expr = `${code.slice(m.index, open)}(${inner})`;
    const value = evaluate(expr);
    if (value !== undefined) found.push({ index: m.index, path: value });
  }
  return found;
}

/** Every way `text` (the contents of `file`, a path inside the repository) reaches outside the repository. */
function findOutsidePaths(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const where = relative(ROOT, file);
  const add = (index: number, rule: Finding['rule'], found: string) =>
    findings.push({ file: where, line: lineOf(text, index), rule, text: found });

  for (const pattern of OUTSIDE_PATTERNS) {
    for (const m of text.matchAll(pattern))
      add(m.index, 'outside-root', text.slice(m.index, m.index + 40).split('\n')[0]!);
  }

  const fileDir = dirname(file);
  const { strings, code } = lex(text);
  for (const s of strings) {
    if (!/^\.\.?(?:[/\\]|$)/.test(s.value)) continue;
    if (!isInside(resolve(fileDir, s.value))) add(s.index, 'climbs-out', s.value);
  }
  for (const { index, path } of anchoredPaths(code, fileDir)) {
    if (!isInside(path)) add(index, 'climbs-out', code.slice(index, index + 60).split('\n')[0]!);
  }

  for (const pattern of ENV_READS) {
    for (const m of code.matchAll(pattern)) {
      if (DATA_ENV_NAME.test(m[1]!)) add(m.index, 'env-override', m[0]);
    }
  }
  const unique = new Map(findings.map((f) => [`${f.line}:${f.rule}:${f.text}`, f]));
  return [...unique.values()];
}

function scannedFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && EXTENSIONS.test(entry.name) && path !== SELF) files.push(path);
    }
  };
  for (const dir of SCANNED_DIRS) walk(join(ROOT, dir));
  return files;
}

describe('nothing under packages/, tools/ or examples/ reads outside the repository', () => {
  const files = scannedFiles();

  it('scans the workspace (code, manifests, configuration)', () => {
    const names = files.map((f) => relative(ROOT, f));
    expect(names.length).toBeGreaterThan(200);
    expect(names).toContain(join('tools', 'vectors.ts'));
    expect(names).toContain(join('packages', 'mailserver', 'test', 'helpers', 'postgres.ts'));
    expect(names).toContain(join('packages', 'dns-discovery', 'test', 'helpers', 'dnsmasq.ts'));
    expect(names).toContain(join('packages', 'core', 'package.json'));
    expect(names.some((n) => n.includes(`${sep}generated${sep}`) || n.includes('node_modules'))).toBe(false);
  });

  it('finds no path outside the repository', () => {
    const findings = files.flatMap((file) => findOutsidePaths(file, readFileSync(file, 'utf8')));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.text}`)).toEqual([]);
  });
});

describe('the rule itself (fixtures: each must be caught, or must pass)', () => {
  const testFile = join(ROOT, 'packages', 'waku', 'test', 'helpers', 'vectors.ts');
  const rules = (source: string, file = testFile) => findOutsidePaths(file, source).map((f) => f.rule);

  it('catches the shared vector folder, the workspace root and home folders', () => {
    expect(rules(`const file = '../shared/vectors/waku-v1.json';`)).toEqual(['outside-root']);
    expect(rules(`readFileSync('/work/shared/vectors/enr.json')`)).toEqual(['outside-root']);
    expect(rules(`// see /work/shared/ENVIRONMENT.md`)).toEqual(['outside-root']);
    expect(rules(`const key = '/home/alice/.status/key';`)).toEqual(['outside-root']);
    expect(rules(`const key = '/root/.cache/x';`)).toEqual(['outside-root']);
    expect(rules(`const key = '/Users/bob/vectors';`)).toEqual(['outside-root']);
    expect(rules(`const v = new URL('file:///work/shared/vectors/');`)).toEqual(['outside-root']);
    expect(rules(`const dir = '/tmp/status-ts-test';`)).toEqual(['outside-root']);
    expect(rules(`const dir = '~/vectors';`)).toEqual(['outside-root']);
    expect(rules(`const dir = 'C:\\\\Users\\\\me';`)).toEqual(['outside-root']);
  });

  it('resolves relative literals against the file and catches those that climb out', () => {
    // packages/waku/test/helpers is four levels below the root: four `..` reach it, five leave it.
    expect(rules(`import { readVectors } from '../../../../tools/vectors.js';`)).toEqual([]);
    expect(rules(`const v = new URL('../../../../vectors/', import.meta.url);`)).toEqual([]);
    expect(rules(`const v = new URL('../../../../../x/vectors/', import.meta.url);`)).toEqual(['climbs-out']);
    expect(rules(`const v = new URL('../../../../..', import.meta.url);`)).toEqual(['climbs-out']);
    // A template literal: only its fixed head before the first placeholder is resolved.
    const template = ['const v = readFileSync(`../../../../../data/', '$', '{name}`);'].join('');
    expect(rules(template)).toEqual(['climbs-out']);
    expect(rules(`const v = require('../../../../../../lib');`)).toEqual(['climbs-out']);
  });

  it('follows join/resolve chains from the file`s folder, through constants', () => {
    expect(rules(`const root = join(import.meta.dirname, '..', '..', '..', '..');`)).toEqual([]);
    expect(rules(`const up = join(import.meta.dirname, '..', '..', '..', '..', '..', 'x');`)).toEqual([
      'climbs-out',
    ]);
    expect(rules(`const up = path.resolve(__dirname, '..', '..', '..', '..', '..');`)).toEqual([
      'climbs-out',
    ]);
    expect(
      rules(
        `const here = dirname(fileURLToPath(import.meta.url));\nconst v = join(here, '..', '..', '..', '..', '..');`,
      ),
    ).toEqual(['climbs-out']);
    expect(
      rules(
        `const repoRoot = join(import.meta.dirname, '../../../..');\nconst out = join(repoRoot, '..', 'shared-data');`,
      ),
    ).toEqual(['climbs-out']);
    expect(
      rules(
        `const pkg = fileURLToPath(new URL('..', import.meta.url));\nconst v = resolve(pkg, '..', '..', '..', '..');`,
      ),
    ).toEqual(['climbs-out']);
    expect(
      rules(`const pkg = fileURLToPath(new URL('..', import.meta.url));\nconst v = join(pkg, 'proto');`),
    ).toEqual([]);
  });

  it('catches environment overrides of data folders', () => {
    expect(rules(`const dir = process.env.STATUS_TS_VECTORS ?? 'vectors';`)).toEqual(['env-override']);
    expect(rules(`const dir = process.env['FIXTURES'];`)).toEqual(['env-override']);
    expect(rules(`const dir = readEnv('STATUS_TS_DATA_DIR');`)).toEqual(['env-override']);
    expect(rules(`vi.stubEnv('VECTORS_PATH', '/srv');`)).toEqual(['outside-root', 'env-override']);
    expect(rules(`const home = process.env.HOME;`)).toEqual(['env-override']);
  });

  it('allows temp folders, system binaries the set-up installs, and strings that are not paths', () => {
    expect(rules(`const dir = mkdtempSync(join(tmpdir(), 'status-ts-pg-'));`)).toEqual([]);
    expect(rules(`for (const c of ['dnsmasq', '/usr/sbin/dnsmasq']) {}`)).toEqual([]);
    expect(rules(`const base = '/usr/lib/postgresql';`)).toEqual([]);
    expect(rules(`spawnSync('/bin/sh', ['-c', 'true']); open('/dev/null');`)).toEqual([]);
    expect(rules(`const id = '/rend/0.1.0'; const a = '/ip4/127.0.0.1/tcp/0';`)).toEqual([]);
    expect(rules(`const db = process.env.MAILSERVER_DB ?? './mailserver.db';`)).toEqual([]);
    expect(rules(`const n = 'enrtree-root:v1'; const u = 'https://example.org/root/x';`)).toEqual([]);
    expect(rules(`const re = /['"]\\.\\.\\/x/; const s = 'ok';`)).toEqual([]);
  });
});
