import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

describe('README example', () => {
  it('runs and produces what it says', async () => {
    const out = await runReadmeExample(new URL('..', import.meta.url).pathname);
    expect(out).toMatchObject({ timedOut: true, code: 'ERR_TIMEOUT', hex: 'c0ffee' });
  });
});
