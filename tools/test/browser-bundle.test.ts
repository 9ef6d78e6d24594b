import { describe, expect, it } from 'vitest';
import { browserBundleErrors } from '../browser-bundle.js';
import { publishedPackages } from '../workspace.js';

// What a browser app's bundler does with a package: esbuild bundles its main entry for `platform: 'browser'`
// (in memory), following static and dynamic imports into every dependency. Any Node built-in it reaches
// fails the bundle, whether the source check above saw it or not.
describe('main entries bundle for browsers', () => {
  it.each(publishedPackages())('%s', async (name) => {
    expect(await browserBundleErrors(name)).toEqual([]);
  });

  it('Node-only subpaths do not (the check can fail)', async () => {
    expect(await browserBundleErrors('@status-ts/peerpool/json-file')).toEqual([
      expect.stringContaining('Could not resolve "node:fs/promises"'),
    ]);
  });
});
