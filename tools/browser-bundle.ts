import { build } from 'esbuild';
import { workspaceExport } from './workspace.js';

/** Where a workspace package is taken from: its TypeScript sources, or its built `dist` (after `pnpm build`). */
export type BundleFrom = 'source' | 'dist';

/**
 * Bundles a workspace entry (`@status-ts/x` or a subpath) as a browser app would, in memory, and returns
 * esbuild's error messages: empty when it bundles. esbuild follows static and dynamic imports alike and
 * cannot resolve Node built-ins for `platform: 'browser'`, so any `node:dgram`, `fs/promises`… an entry
 * reaches fails here. `loadNodeBuiltin('node:…')` loads are plain strings to it, as to every bundler.
 */
export async function browserBundleErrors(specifier: string, from: BundleFrom = 'source'): Promise<string[]> {
  const condition = from === 'source' ? '@status-ts/source' : 'import';
  try {
    await build({
      entryPoints: [workspaceExport(specifier, condition)],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      conditions: from === 'source' ? ['@status-ts/source'] : [],
      logLevel: 'silent',
    });
    return [];
  } catch (err) {
    const errors = (err as { errors?: Array<{ text: string; location: { file: string } | null }> }).errors;
    if (!errors) throw err;
    return errors.map((e) => (e.location ? `${e.location.file}: ${e.text}` : e.text));
  }
}
