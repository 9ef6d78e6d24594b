import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { MUTATION_TEST_EXCLUDES } from './targets.mjs';

// The test set-up of one package for Stryker (MUTATION_PACKAGE): the root config's resolve conditions and
// loopback guard, but no dist build (a mutated source must never be built into dist/).
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const name = process.env.MUTATION_PACKAGE;
if (!name) throw new Error('MUTATION_PACKAGE is not set');

export default defineConfig({
  resolve: { conditions: ['@status-ts/source'] },
  ssr: { resolve: { conditions: ['@status-ts/source'] } },
  test: {
    setupFiles: [join(repoRoot, 'tools', 'loopback-guard.ts')],
    projects: [
      {
        extends: true,
        test: {
          name,
          root: join(repoRoot, 'packages', name),
          include: ['test/**/*.test.ts'],
          // README examples run the built dist/, which is never mutated: they cannot detect a mutant.
          exclude: ['test/**/readme*.test.ts', ...(MUTATION_TEST_EXCLUDES[name] ?? [])],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
