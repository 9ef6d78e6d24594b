import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Regenerates a package's protobuf code (`buf generate` with its pinned local protoc-gen-es) into a temp dir
 * and returns the committed and fresh text of every file under src/generated/, for a byte-for-byte check
 * that `pnpm gen:proto` has been run after each .proto change.
 */
export function regenerateProtobuf(packageDir: string): {
  committed: Map<string, string>;
  fresh: Map<string, string>;
} {
  const out = mkdtempSync(join(tmpdir(), 'status-ts-gen-'));
  const read = (dir: string) =>
    new Map(
      readdirSync(dir)
        .sort()
        .map((file) => [file, readFileSync(join(dir, file), 'utf8')] as const),
    );
  try {
    const buf = join(packageDir, 'node_modules/@bufbuild/buf/bin/buf');
    execFileSync(process.execPath, [buf, 'generate', '--output', out], { cwd: packageDir, stdio: 'pipe' });
    return { committed: read(join(packageDir, 'src/generated')), fresh: read(join(out, 'src/generated')) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
