import '@status-ts/core/promise-with-resolvers';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

describe('README example', () => {
  it('a secio + mplex client echoes through a noise/secio server', async () => {
    const out = await runReadmeExample(new URL('..', import.meta.url).pathname);
    expect(out).toMatchObject({
      echoed: 'hello over secio',
      encryption: '/secio/1.0.0',
      muxer: '/mplex/6.7.0',
    });
  });
});
