import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

describe('README example', () => {
  it('builds a tree from 3 ENRs, serves it from memory, syncs and walks it', async () => {
    const out = await runReadmeExample(new URL('..', import.meta.url).pathname);
    expect(out.url).toMatch(/^enrtree:\/\/[A-Z2-7]{53}@nodes\.example\.org$/);
    expect(out.zone).toMatch(/^\$ORIGIN nodes\.example\.org\.\n@ 60 IN TXT "enrtree-root:v1 e=/);
    expect(out).toMatchObject({ seq: 1, count: 3, walked: 3 });
  });
});
