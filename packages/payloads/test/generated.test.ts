import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { regenerateProtobuf } from '../../../tools/protobuf-generated.js';

// src/generated/ is committed; `pnpm gen:proto` must reproduce it byte for byte from proto/.
describe('generated protobuf code', () => {
  it('is what `pnpm gen:proto` produces from proto/', () => {
    const { committed, fresh } = regenerateProtobuf(fileURLToPath(new URL('..', import.meta.url)));
    expect([...fresh.keys()]).toEqual([...committed.keys()]);
    for (const [file, text] of committed) {
      expect(fresh.get(file), `${file} is stale: run pnpm --filter @status-ts/payloads gen:proto`).toBe(text);
    }
  });
});
