import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

describe('README example', () => {
  it('three nodes on 127.0.0.1: the lookup and the PeerSource find the mailserver', async () => {
    const out = await runReadmeExample(new URL('..', import.meta.url).pathname);
    expect(out.lookupFoundMail).toBe(true);
    expect(out.mailRoles).toEqual(['whisper', 'whispermail']);
  });
});
