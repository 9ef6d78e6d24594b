import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alignPrintedLines,
  matchesPrintedLine,
  type ReadmeExample,
  readReadmeExamples,
  runReadmeExample,
  unavailableImports,
} from '../readme-example.js';

// A package of its own in a temporary folder: its README's programs run as they would in packages/.
const packageDir = mkdtempSync(join(tmpdir(), 'readme-example-'));
mkdirSync(join(packageDir, 'test'));
writeFileSync(
  join(packageDir, 'package.json'),
  JSON.stringify({
    name: 'readme-fixture',
    type: 'module',
    exports: { '.': './index.js' },
    dependencies: { 'dep-a': '1' },
    peerDependencies: { '@scope/peer': '1' },
    devDependencies: { 'dev-only': '1' },
  }),
);
writeFileSync(join(packageDir, 'index.js'), "export const greeting = 'hello';\n");
afterAll(() => rmSync(packageDir, { recursive: true, force: true }));

function program(code: string, expectedLines: string[] = []): ReadmeExample {
  return { index: 0, code, expectedLines };
}

describe('expected output lines', () => {
  it('match exactly, or with … standing for any text within the line', () => {
    expect(matchesPrintedLine('peers: 3', 'peers: 3')).toBe(true);
    expect(matchesPrintedLine('peers: 3', 'peers: 30')).toBe(false);
    expect(matchesPrintedLine('key: 0x… (… bytes)', 'key: 0xabc (32 bytes)')).toBe(true);
    expect(matchesPrintedLine('key: 0x…', 'key: 0x')).toBe(true);
    expect(matchesPrintedLine('key: 0x… (… bytes)', 'key: 0xabc (32 bits)')).toBe(false);
    expect(matchesPrintedLine('a.b (c)', 'aXb (c)')).toBe(false);
  });

  it('are aligned so that a comparison shows only the lines that differ', () => {
    expect(alignPrintedLines(['id: …', 'ok: true'], 'id: 42\nok: false\nextra\n')).toEqual([
      'id: …',
      'ok: false',
      'extra',
    ]);
  });
});

describe('README parsing', () => {
  it('pairs each js program with the text block after it and skips fragments', () => {
    writeFileSync(
      join(packageDir, 'README.md'),
      [
        '```sh\npnpm add readme-fixture installed-too@2 @scope/also # not-a-package\n```',
        '```js fragment\nnotRun();\n```',
        '```js\nconsole.log(1);\n```\n\nIt prints:\n\n```text\n1\n```',
        '```js\nconsole.log(2);\nconsole.log(3);\n```\n\n```text\n2\n…\n```',
      ].join('\n\n'),
    );
    expect(readReadmeExamples(packageDir)).toEqual([
      { index: 0, code: 'console.log(1);\n', expectedLines: ['1'] },
      { index: 1, code: 'console.log(2);\nconsole.log(3);\n', expectedLines: ['2', '…'] },
    ]);
    expect(
      unavailableImports(
        packageDir,
        [
          "import { greeting } from 'readme-fixture';",
          "import 'dep-a/sub';",
          "import { x } from '@scope/peer';",
          "import fs from 'node:fs';",
          "import path from 'path';",
          "import * as t from 'installed-too';",
          "import { y } from '@scope/also/deep';",
          "import { z } from 'dev-only';",
          "const later = await import('not-installed');",
          "import { rel } from './relative.js';",
        ].join('\n'),
      ),
    ).toEqual(['dev-only', 'not-installed']);
  });

  it('refuses a program without its output block', () => {
    writeFileSync(
      join(packageDir, 'README.md'),
      '```js\nconsole.log(1);\n```\n\n```js\nconsole.log(2);\n```\n',
    );
    expect(() => readReadmeExamples(packageDir)).toThrow(/js block #0 has no ```text block/);
  });
});

describe('running a program as a user would (the checks can fail)', () => {
  beforeAll(() => writeFileSync(join(packageDir, 'README.md'), '```sh\npnpm add readme-fixture\n```\n'));

  it('resolves the package by its own name and captures stdout and the exit code', async () => {
    const run = await runReadmeExample(
      packageDir,
      program("import { greeting } from 'readme-fixture';\nconsole.log(greeting);\n"),
    );
    expect(run).toMatchObject({ exitCode: 0, timedOut: false, stdout: 'hello\n', stderr: '' });
  });

  it('reports an await that never settles: node exits with 13', async () => {
    const run = await runReadmeExample(packageDir, program('await new Promise(() => {});\n'));
    expect(run.exitCode).toBe(13);
  });

  it('reports stderr, a failure exit code and a timeout', async () => {
    const failing = await runReadmeExample(packageDir, program("console.error('oops');\nprocess.exit(3);\n"));
    expect(failing).toMatchObject({ exitCode: 3, stderr: 'oops\n' });
    const hanging = await runReadmeExample(packageDir, program('setInterval(() => {}, 1000);\n'), 500);
    expect(hanging).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: true });
  });

  it('refuses a program importing what a user would not have installed', async () => {
    await expect(runReadmeExample(packageDir, program("import 'dev-only';\n"))).rejects.toThrow(
      /imports what a user would not have: dev-only/,
    );
  });
});
