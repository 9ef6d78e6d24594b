import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The database drivers are optional peer dependencies: a store loads better-sqlite3 or pg through core's
// `requireOptional` when it opens (MissingDependencyError when absent), so no source file imports them,
// not even for types: a type import would put the driver's types into the published .d.ts files, and a
// consumer without @types/better-sqlite3 or @types/pg would fail to type-check with skipLibCheck off.

const PACKAGES = resolve(import.meta.dirname, '../../packages');
const DRIVERS = ['better-sqlite3', 'pg'];
// `import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')` and `typeof import('x')`.
const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** `file: specifier` for every driver a package's src/ imports, in code or in types. */
function driverImports(): string[] {
  return readdirSync(PACKAGES)
    .map((name) => join(PACKAGES, name, 'src'))
    .filter((src) => statSync(src, { throwIfNoEntry: false })?.isDirectory())
    .flatMap(sourceFiles)
    .flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(SPECIFIER)]
        .map((match) => match[1]!)
        .filter((specifier) => DRIVERS.includes(specifier))
        .map((specifier) => `${relative(PACKAGES, file)}: ${specifier}`),
    );
}

describe('database drivers stay optional', () => {
  it('no package source imports better-sqlite3 or pg, for code or for types', () => {
    expect(driverImports()).toEqual([]);
  });

  it('the check finds value, type and inline type imports (it can fail)', () => {
    const found = (code: string) => [...code.matchAll(SPECIFIER)].map((match) => match[1]);
    expect(found("import Database from 'better-sqlite3';")).toEqual(['better-sqlite3']);
    expect(found("import type { Pool } from 'pg';")).toEqual(['pg']);
    expect(found("type Db = import('better-sqlite3').Database;")).toEqual(['better-sqlite3']);
    expect(found("const x = 'pg';")).toEqual([]);
  });
});
