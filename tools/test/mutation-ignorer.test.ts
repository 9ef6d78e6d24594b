import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { strykerPlugins } from '../mutation/error-message-ignorer.mjs';

// Babel is what Stryker's instrumenter hands the ignorer; reach it through Stryker's own dependencies.
const fromStryker = createRequire(
  createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json'),
);
const fromInstrumenter = createRequire(fromStryker.resolve('@stryker-mutator/instrumenter/package.json'));
const { parse } = fromInstrumenter('@babel/parser') as typeof import('@babel/parser');
const traverse = (
  fromInstrumenter('@babel/traverse') as { default: typeof import('@babel/traverse').default }
).default;

const ignorer = strykerPlugins[0]!.value as { shouldIgnore(path: unknown): string | undefined };

/** The string and template literals of `source` that the ignorer keeps out of mutation, by their text. */
function ignoredStrings(source: string): string[] {
  const ast = parse(source, { sourceType: 'module', plugins: ['typescript'] });
  const ignored: string[] = [];
  traverse(ast, {
    'StringLiteral|TemplateLiteral'(path) {
      if (ignorer.shouldIgnore(path) === undefined) return;
      ignored.push(source.slice(path.node.start!, path.node.end!));
    },
  });
  return ignored;
}

describe('mutation ignorer: error message text', () => {
  it('skips the messages of typed errors and of thrown calls, not details or other strings', () => {
    const source = `
      throw new KeyError('bad key', { details: { field: 'iv' } });
      const e = fail(CodecErrorCode.Short, 'too short');
      throw bad('thrown helper');
      const label = pick('not an error');
      const code = 'ERR_X';
    `;
    expect(ignoredStrings(source)).toEqual(["'bad key'", "'too short'", "'thrown helper'"]);
  });

  it('skips the first argument of a call to a same-file function declared to return never', () => {
    const source = `
      function invalid(message: string, field?: string): never { throw new Error(message); }
      const stop = (message: string): never => { throw new Error(message); };
      function label(message: string): string { return message; }
      invalid('message text', 'field name');
      stop('arrow message');
      label('kept');
      undeclared('kept too');
    `;
    expect(ignoredStrings(source)).toEqual(["'message text'", "'arrow message'"]);
  });
});
