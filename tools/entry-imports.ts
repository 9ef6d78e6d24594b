import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { workspaceExport } from './workspace.js';

// Static imports and re-exports that load code at run time (`import type` / `export type` load nothing).
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
// `import('x')`, which bundlers follow like a static import; `typeof import('x')` is a type and loads nothing.
const DYNAMIC_IMPORT = /(?<!typeof\s+)\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
// Block comments, and line comments that start a line or follow whitespace (so `https://` survives).
const COMMENT = /\/\*[\s\S]*?\*\/|(^|\s)\/\/.*$/gm;

function relativeSource(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  throw new Error(`cannot resolve ${specifier} from ${from}`);
}

/** Every specifier a source file loads at run time, statically or through `import()`. */
function loadedSpecifiers(file: string): string[] {
  const code = readFileSync(file, 'utf8').replace(COMMENT, '$1');
  return [...code.matchAll(STATIC_IMPORT), ...code.matchAll(DYNAMIC_IMPORT)].map((match) => match[1]!);
}

/**
 * Every module outside the workspace that loading `entry` pulls in, following relative imports, `import()`
 * calls and `@status-ts/*` packages through their source export condition. Lets a test pin down that an
 * entry point stays free of native modules and Node-only drivers (what a browser or mobile bundle cannot
 * take). Built-ins reached through `loadNodeBuiltin('node:…')` are not imports: bundlers never see them.
 */
export function externalImportsOf(entry: string): Set<string> {
  const external = new Set<string>();
  const seen = new Set<string>();
  const queue = [
    entry.startsWith('@status-ts/') ? workspaceExport(entry, '@status-ts/source') : resolve(entry),
  ];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of loadedSpecifiers(file)) {
      if (specifier.startsWith('.')) queue.push(relativeSource(file, specifier));
      else if (specifier.startsWith('@status-ts/'))
        queue.push(workspaceExport(specifier, '@status-ts/source'));
      else external.add(specifier);
    }
  }
  return external;
}

/** Packages a browser or mobile bundle cannot load: native addons and database drivers. */
export const NODE_ONLY_PACKAGES = ['better-sqlite3', 'pg'];

/** True for a Node built-in (`node:dgram`, `fs/promises`…) or a Node-only package. */
export function isNodeOnly(specifier: string): boolean {
  return isBuiltin(specifier) || NODE_ONLY_PACKAGES.includes(specifier);
}
