import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { DIST_PROBLEMS } from './dist-problems.js';

/**
 * Package README examples, run the way a user runs them: with plain `node`, against the built `dist/`.
 *
 * Conventions in a package README:
 * - Every ```js block is a whole program (ESM, plain JavaScript) and is run by the package's
 *   `test/readme.test.ts`. Parts of a program (undeclared variables, servers that run until Ctrl-C) are
 *   marked ```js fragment and are not run.
 * - Each ```js block is followed, before the next ```js block, by a ```text block (introduced by a
 *   sentence such as "It prints:") holding exactly what the program writes to stdout, line by line.
 * - In that block `…` (U+2026) stands for any text within one line, possibly empty: random keys, ports and
 *   timings. Everything else in a line must match exactly, and the number of lines must match.
 * - A program imports only the package itself (by its name, e.g. `@status-ts/waku`), its dependencies,
 *   peer and optional dependencies, Node built-ins, and what the README's `pnpm add` command installs; not
 *   the package's devDependencies, which a user would not have.
 *
 * The runner writes the block to a temporary `.mjs` file inside the package directory, so the package
 * resolves by its own name through its `exports` (self-reference) and dependencies from its node_modules,
 * and runs it in a child process. `tools/ensure-dist.ts` (vitest globalSetup) builds stale `dist/` first.
 */

/** Any text within one line, in an expected-output block. */
export const ANY_TEXT = '…';

export interface ReadmeExample {
  /** Position among the README's ```js blocks, from 0. */
  index: number;
  /** The program. */
  code: string;
  /** The lines of its output block. */
  expectedLines: string[];
}

export interface ExampleRun {
  /** null when killed (see `signal`; `timedOut` when the runner killed it). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** stdout's lines, those matching their expected line replaced by it (see `alignPrintedLines`). */
  printedLines: string[];
}

interface FencedBlock {
  /** The language, or `js fragment` for a part of a program. */
  lang: string;
  body: string;
}

function fencedBlocks(markdown: string): FencedBlock[] {
  return [...markdown.matchAll(/^```([\w-]*)([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm)].map((m) => ({
    lang: m[2]!.trim() === 'fragment' ? `${m[1]} fragment` : m[1]!,
    body: m[3]!,
  }));
}

function readmeOf(packageDir: string): string {
  return readFileSync(join(packageDir, 'README.md'), 'utf8');
}

/** The README's ```js programs, each with the output block that follows it. */
export function readReadmeExamples(packageDir: string): ReadmeExample[] {
  const blocks = fencedBlocks(readmeOf(packageDir));
  const examples: ReadmeExample[] = [];
  blocks.forEach((block, position) => {
    if (block.lang !== 'js') return;
    const index = examples.length;
    const output = blocks.slice(position + 1).find((b) => b.lang === 'text' || b.lang === 'js');
    if (output?.lang !== 'text') {
      throw new Error(`${packageDir}/README.md: js block #${index} has no \`\`\`text block with its output`);
    }
    examples.push({ index, code: block.body, expectedLines: output.body.replace(/\n$/, '').split('\n') });
  });
  return examples;
}

/** The bare module specifiers a program imports (static and dynamic imports with a literal). */
export function importedModules(code: string): string[] {
  const specifiers = [
    ...code.matchAll(/^\s*import\s+(?:[\s\S]*?\s+from\s+)?['"]([^'"]+)['"]/gm),
    ...code.matchAll(/^\s*export\s+[\s\S]*?\s+from\s+['"]([^'"]+)['"]/gm),
    ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  return [...new Set(specifiers)].filter((s) => !s.startsWith('.') && !s.startsWith('/'));
}

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Packages a README's `pnpm add` / `npm install` commands install. */
function installedByReadme(readme: string): string[] {
  return fencedBlocks(readme)
    .filter((b) => b.lang === 'sh' || b.lang === 'bash')
    .flatMap((b) => [...b.body.matchAll(/^\s*(?:pnpm add|npm install|npm i|yarn add)\s+(.+)$/gm)])
    .flatMap((m) => m[1]!.replace(/#.*$/, '').split(/\s+/))
    .filter((word) => word !== '' && !word.startsWith('-'))
    .map((word) => packageNameOf(word.replace(/(?<=.)@[^/]*$/, '')));
}

/** Modules the program imports that a user of the package would not have installed. */
export function unavailableImports(packageDir: string, code: string): string[] {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  const available = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
    ...installedByReadme(readmeOf(packageDir)),
  ]);
  return importedModules(code).filter((specifier) => {
    if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return false;
    return !available.has(packageNameOf(specifier));
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `actual` is what the expected-output line `expected` describes. */
export function matchesPrintedLine(expected: string, actual: string): boolean {
  if (!expected.includes(ANY_TEXT)) return expected === actual;
  const pattern = expected.split(ANY_TEXT).map(escapeRegExp).join('.*');
  return new RegExp(`^${pattern}$`).test(actual);
}

/**
 * The lines of `stdout`, each replaced by its expected line where that line describes it: compared with
 * `toEqual(expectedLines)`, a mismatch then shows only the lines that really differ.
 */
export function alignPrintedLines(expectedLines: readonly string[], stdout: string): string[] {
  const actualLines = stdout.replace(/\n$/, '').split('\n');
  return actualLines.map((line, i) => {
    const expected = expectedLines[i];
    return expected !== undefined && matchesPrintedLine(expected, line) ? expected : line;
  });
}

// Variables that change what a program prints or how Node runs it; a user running the README has none.
const ENVIRONMENT_NOT_PASSED = /^(NODE_OPTIONS|NODE_ENV|NODE_V8_COVERAGE|DEBUG|STATUS_TS_.*|VITEST.*|TEST)$/;

let runs = 0;

/**
 * Runs a README program with `node` in a child process from a temporary file inside the package (removed
 * afterwards), killing it after `timeoutMs`. Fails first when the package's `dist/` could not be built
 * (`tools/ensure-dist.ts`) or when the program imports what a user would not have.
 */
export async function runReadmeExample(
  packageDir: string,
  example: ReadmeExample,
  timeoutMs = 40_000,
): Promise<ExampleRun> {
  const distProblems = inject(DIST_PROBLEMS) ?? [];
  if (distProblems.length > 0) throw new Error(`dist/ is not fresh:\n${distProblems.join('\n')}`);
  const unavailable = unavailableImports(packageDir, example.code);
  if (unavailable.length > 0) {
    throw new Error(`README example #${example.index} imports what a user would not have: ${unavailable}`);
  }
  const dir = join(packageDir, 'test', '.readme');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `example-${example.index}-${process.pid}-${runs++}.mjs`);
  writeFileSync(file, example.code);
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !ENVIRONMENT_NOT_PASSED.test(name)),
  );
  try {
    return await new Promise<ExampleRun>((resolve, reject) => {
      const child = spawn(process.execPath, [file], {
        cwd: packageDir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (exitCode, signal) => {
        clearTimeout(timer);
        const printedLines = alignPrintedLines(example.expectedLines, stdout);
        resolve({ exitCode, signal, timedOut, stdout, stderr, printedLines });
      });
    });
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * The README tests of a package: the README has `count` programs, and each one, run with `node`, exits with
 * 0, writes nothing to stderr and prints what the README shows.
 */
export function describeReadmeExamples(packageUrl: URL, count: number): void {
  const packageDir = fileURLToPath(packageUrl);
  const examples = readReadmeExamples(packageDir);
  describe('README examples, run with node as a user runs them', () => {
    it(`the README has ${count} runnable example(s)`, () => {
      expect(examples).toHaveLength(count);
    });

    for (const example of examples) {
      it(`example #${example.index} exits with 0 and prints what the README shows`, async () => {
        const { exitCode, timedOut, stderr, printedLines } = await runReadmeExample(packageDir, example);
        expect({ exitCode, timedOut, stderr, stdout: printedLines }).toEqual({
          exitCode: 0,
          timedOut: false,
          stderr: '',
          stdout: example.expectedLines,
        });
      }, 60_000);
    }
  });
}
