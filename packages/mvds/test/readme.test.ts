import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

describe('README example', () => {
  it('runs: two nodes over a lossy in-memory network, one message delivered and acked', async () => {
    const out = await runReadmeExample(new URL('..', import.meta.url).pathname);
    expect(out).toMatchObject({ text: 'hello, bob', sameId: true, pending: 0 });
  });
});
