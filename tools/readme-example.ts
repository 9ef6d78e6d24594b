import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Runs the first ```ts block of a package README as a module, so every README example is executed by a
 * test and cannot rot. The block is written next to the package's tests (imports of `@status-ts/*` resolve
 * through the workspace) and imported; whatever it exports is returned for assertions.
 */
export async function runReadmeExample(packageDir: string, blockIndex = 0): Promise<Record<string, unknown>> {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const code = blocks[blockIndex];
  if (code === undefined) throw new Error(`README.md of ${packageDir} has no ts block #${blockIndex}`);
  const dir = join(packageDir, 'test', '.readme');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `example-${blockIndex}-${process.pid}-${Date.now()}.ts`);
  writeFileSync(file, code);
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } finally {
    rmSync(file, { force: true });
  }
}
