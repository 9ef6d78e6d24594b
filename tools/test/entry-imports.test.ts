import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalImportsOf, NODE_ONLY_MODULES } from '../entry-imports.js';

const packagesDir = resolve(import.meta.dirname, '../../packages');
const published = readdirSync(packagesDir)
  .map(
    (dir) =>
      JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as {
        name: string;
        private?: boolean;
      },
  )
  .filter((manifest) => !manifest.private)
  .map((manifest) => manifest.name);

// Every layer must be embeddable on its own, in a browser or React Native bundle too: a package's main entry
// pulls in no native module, database driver or Node socket module. Those live behind subpath exports
// (`/sqlite`, `/postgres`, `/libp2p`) or are loaded lazily through `loadNodeBuiltin`.
describe('main entries stay free of Node-only modules', () => {
  it.each(published)('%s', (name) => {
    const nodeOnly = [...externalImportsOf(name)].filter((m) => NODE_ONLY_MODULES.includes(m));
    expect(nodeOnly).toEqual([]);
  });

  it('the check sees Node-only modules behind subpaths (it can fail)', () => {
    expect(externalImportsOf('@status-ts/mailserver/sqlite')).toContain('better-sqlite3');
    expect(externalImportsOf('@status-ts/mailserver/postgres')).toContain('pg');
  });
});
