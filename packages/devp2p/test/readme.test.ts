import { expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

it('runs the README example: a server with a custom capability echoes a message', async () => {
  const exports = await runReadmeExample(new URL('..', import.meta.url).pathname);
  expect(exports.replies).toEqual(['hello devp2p']);
});
