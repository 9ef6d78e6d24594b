import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalImportsOf, isNodeOnly } from '../entry-imports.js';
import { optionalPeerDependencies, publishedPackages } from '../workspace.js';

/** `@libp2p/crypto/keys` → `@libp2p/crypto`, `libp2p` → `libp2p`. */
function packageNameOf(specifier: string): string {
  return specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
}

// Every layer must be embeddable on its own, in a browser or React Native bundle too: a package's main entry
// pulls in no native module, database driver, Node built-in or optional peer dependency (the libp2p stack),
// statically or through `import()`. Those live behind subpath exports (`/sqlite`, `/postgres`, `/libp2p`,
// `/udp`, `/json-file`) or are loaded lazily through `loadNodeBuiltin`, which bundlers never see.
describe('main entries stay free of Node-only modules and optional peer dependencies', () => {
  it.each(publishedPackages())('%s', (name) => {
    const optional = optionalPeerDependencies(name);
    const offending = [...externalImportsOf(name)].filter(
      (m) => isNodeOnly(m) || optional.includes(packageNameOf(m)),
    );
    expect(offending).toEqual([]);
  });

  it('the check sees Node-only modules behind subpaths (it can fail)', () => {
    // `@status-ts/discv5/udp` loads node:dgram through process.getBuiltinModule: nothing for a bundler.
    expect(externalImportsOf('@status-ts/discv5/udp')).not.toContain('node:dgram');
    expect(externalImportsOf('@status-ts/peerpool/json-file')).toContain('node:fs/promises');
    // The libp2p stack is imported lazily by the subpath: still seen, as a bundler sees it.
    expect(externalImportsOf('@status-ts/rendezvous/libp2p')).toContain('libp2p');
  });

  it('follows import() calls, relative ones too, and skips comments and typeof import()', () => {
    const found = externalImportsOf(resolve(import.meta.dirname, 'fixtures/lazy-imports.ts'));
    expect([...found].sort()).toEqual(['node:dgram', 'node:fs/promises']);
  });

  it('counts every Node built-in, with or without node:, and the native drivers', () => {
    expect(['node:fs/promises', 'fs/promises', 'dgram', 'better-sqlite3', 'pg'].every(isNodeOnly)).toBe(true);
    expect(['eventemitter3', '@noble/hashes/sha3', 'libp2p'].some(isNodeOnly)).toBe(false);
  });
});
