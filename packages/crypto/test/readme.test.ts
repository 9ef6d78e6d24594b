import { expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

it('the README example runs and does what it says', async () => {
  const exports = await runReadmeExample(new URL('..', import.meta.url).pathname);
  expect(exports.results).toMatchObject({
    eciesRoundTrip: 'hello status',
    signerIsAlice: true,
    digestIsStable: true,
    payload: 'hello status',
    keystoreRoundTrip: true,
    nistSecretsAgree: true,
    backends: { keccak256: 'wasm', aesCtr: 'node', hmacSha512: 'node', nistEcdh: 'node' },
  });
});
