import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

describe('README example', () => {
  it('runs: a phone connects to 3 relayers and selects the mailserver over loopback', async () => {
    const out = await runReadmeExample(new URL('..', import.meta.url).pathname);
    expect(out).toMatchObject({ relayerCount: 3, mailserverSelected: true });
  });
});
