import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

describe('README example', () => {
  it('runs: X3DH from a verified bundle, then one ratchet message each way', async () => {
    const out = await runReadmeExample(new URL('..', import.meta.url).pathname);
    expect(out).toMatchObject({ toBob: 'hello bob', toAlice: 'hi alice' });
  });
});
