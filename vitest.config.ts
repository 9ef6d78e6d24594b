import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One project per workspace package that has a test/ folder; the project name is the folder name,
// so `vitest run --project core` (or `pnpm --filter @status-ts/core test`) runs one package.
const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const projectDirs = ['packages', 'examples'].flatMap((group) =>
  existsSync(join(repoRoot, group))
    ? readdirSync(join(repoRoot, group))
        .map((name) => join(repoRoot, group, name))
        .filter((dir) => existsSync(join(dir, 'test')))
    : [],
);

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript sources, so tests never need a build first.
    conditions: ['@status-ts/source'],
  },
  ssr: {
    resolve: {
      conditions: ['@status-ts/source'],
    },
  },
  test: {
    projects: projectDirs.map((dir) => ({
      extends: true,
      test: {
        name: dir.split(/[\\/]/).pop() as string,
        root: dir,
        include: ['test/**/*.test.ts'],
        testTimeout: 30_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
