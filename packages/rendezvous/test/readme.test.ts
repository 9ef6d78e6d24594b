import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

describe('README example', () => {
  it('starts a server on loopback, registers a mailserver and discovers it', async () => {
    const out = await runReadmeExample(new URL('..', import.meta.url).pathname);
    expect(out.address).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ethv4\/16Uiu2/);
    expect(out.discovered).toBe(1);
  });
});
