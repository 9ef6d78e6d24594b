// Fails when a published package's manifest points at a file that does not exist: every `exports` target
// (each condition of each subpath), `main`, `types` and every `bin`. Run after `pnpm build` (the root
// build script does), so a build that silently produced nothing cannot pass CI.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const packagesDir = resolve(import.meta.dirname, '../packages');

/** Lists every file a package's manifest refers to, as `[field, relative path]` pairs. */
export function manifestTargets(manifest) {
  const targets = [];
  const walk = (field, value) => {
    if (typeof value === 'string') targets.push([field, value]);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(`${field}.${key}`, inner);
    }
  };
  walk('exports', manifest.exports);
  if (manifest.main) targets.push(['main', manifest.main]);
  if (manifest.types) targets.push(['types', manifest.types]);
  walk('bin', manifest.bin);
  return targets;
}

/** Returns one line per missing target over every non-private package under packages/. */
export function missingExportTargets(dir = packagesDir) {
  const missing = [];
  for (const name of readdirSync(dir)) {
    const manifestPath = join(dir, name, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.private) continue;
    for (const [field, target] of manifestTargets(manifest)) {
      if (!existsSync(join(dir, name, target))) missing.push(`${manifest.name}: ${field} -> ${target}`);
    }
  }
  return missing;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const missing = missingExportTargets();
  if (missing.length > 0) {
    console.error(`check-exports: ${missing.length} manifest target(s) missing after the build:`);
    for (const line of missing) console.error(`  ${line}`);
    process.exit(1);
  }
  console.log('check-exports: every exports/main/types/bin target exists');
}
