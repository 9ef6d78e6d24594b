import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

const dir = new URL('..', import.meta.url).pathname;

describe('README examples', () => {
  it('runs: Alice and Bob establish a session and exchange a message each way', async () => {
    expect(await runReadmeExample(dir)).toMatchObject({
      toBob: 'hello bob',
      toAlice: 'hi alice',
      firstTopic: 'partitioned',
      nextTopic: 'negotiated',
    });
  });

  it('runs: the SQLite store keeps the session across a restart', async () => {
    expect(await runReadmeExample(dir, 1)).toMatchObject({ afterRestart: 'after' });
  });
});
