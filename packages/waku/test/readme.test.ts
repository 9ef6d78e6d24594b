import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

describe('README example', () => {
  it('runs: two nodes, one filter, one message', async () => {
    const out = await runReadmeExample(new URL('..', import.meta.url).pathname);
    expect(out).toMatchObject({ text: 'hello, bob', sameEnvelope: true });
  });
});
