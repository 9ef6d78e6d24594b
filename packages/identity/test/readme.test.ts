import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';
import { isThreeWordName, isValidChecksumAddress } from '../src/index.js';

describe('README example', () => {
  it('runs and produces what it says', async () => {
    const out = await runReadmeExample(new URL('..', import.meta.url).pathname);
    expect(out.words).toBe(12);
    expect(out.compressedKey).toMatch(/^zQ3sh/);
    expect(isThreeWordName(out.name as string)).toBe(true);
    expect(isValidChecksumAddress(out.address as string)).toBe(true);
    expect(out.roundTrips).toBe(true);
    expect(out.signer).toBe(out.address);
  });
});
