import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkg = fileURLToPath(new URL('..', import.meta.url));

// src/generated/ is committed; `pnpm gen:proto` (buf generate + the pinned local protoc-gen-es) must
// reproduce it byte for byte from proto/. Regenerate into a temp dir and compare.
describe('generated protobuf code', () => {
  it('is what `pnpm gen:proto` produces from proto/', () => {
    const out = mkdtempSync(join(tmpdir(), 'st-gen-'));
    try {
      const buf = join(pkg, 'node_modules/@bufbuild/buf/bin/buf');
      execFileSync(process.execPath, [buf, 'generate', '--output', out], { cwd: pkg, stdio: 'pipe' });
      const committed = readdirSync(join(pkg, 'src/generated')).sort();
      expect(readdirSync(join(out, 'src/generated')).sort()).toEqual(committed);
      for (const file of committed) {
        const fresh = readFileSync(join(out, 'src/generated', file), 'utf8');
        expect(fresh, `${file} is stale: run pnpm --filter @status-ts/secure-transport gen:proto`).toBe(
          readFileSync(join(pkg, 'src/generated', file), 'utf8'),
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
