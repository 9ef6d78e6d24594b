import { expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

it('the README example runs: Bob fetches the message he missed', async () => {
  const exports = await runReadmeExample(new URL('..', import.meta.url).pathname);
  expect(exports.fetched).toBe(1);
  expect(exports.text).toBe('you missed this');
});
