import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One project per workspace package that has a test/ folder; the project name is the folder name,
// so `vitest run --project core` (or `pnpm --filter @status-ts/core test`) runs one package.
const repoRoot = fileURLToPath(new URL('.', import.meta.url));
// Examples are prefixed so `examples/mailserver` and `packages/mailserver` never share a name.
const projects = [
  { group: 'packages', prefix: '' },
  { group: 'examples', prefix: 'example-' },
].flatMap(({ group, prefix }) =>
  existsSync(join(repoRoot, group))
    ? readdirSync(join(repoRoot, group))
        .map((name) => ({ name: `${prefix}${name}`, dir: join(repoRoot, group, name) }))
        .filter(({ dir }) => existsSync(join(dir, 'test')))
    : [],
);
// Repository-wide checks over the workspace (tools/test), and the whole-stack reliability suite.
projects.push({ name: 'tools', dir: join(repoRoot, 'tools') });
projects.push({ name: 'reliability', dir: join(repoRoot, 'reliability') });

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
    // README examples run on the built dist/: build what is missing or older than its sources first.
    globalSetup: [join(repoRoot, 'tools', 'ensure-dist.ts')],
    // Tests reach 127.0.0.1 only: anything else fails the test that tried (tools/loopback-guard.ts).
    setupFiles: [join(repoRoot, 'tools', 'loopback-guard.ts')],
    projects: projects.map(({ name, dir }) => ({
      extends: true,
      test: {
        name,
        root: dir,
        include: ['test/**/*.test.ts'],
        // The reliability suite runs attacks for seconds to minutes (its profile bounds each one).
        testTimeout: name === 'reliability' ? 600_000 : 30_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
