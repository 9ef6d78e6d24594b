import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../tools/readme-example.js';

describe('README example', () => {
  it('runs and produces what it says', async () => {
    const out = await runReadmeExample(new URL('..', import.meta.url).pathname);
    expect(out).toMatchObject({
      helloVersion: 5,
      client: 'status-ts',
      // the EIP-778 example record, byte for byte
      text: 'enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499SZuOh8R33Ls8RRcy5wBgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8',
      nodeId: 'a448f24c6d18e575453db13171562b71999873db5b286df957af199ec94617f7',
      udp: 30303,
      seq: 2n,
      enode:
        'enode://ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd31387574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f@127.0.0.1:30303',
      dial: { ip: '127.0.0.1', tcp: 30303, udp: 30303 },
    });
  });
});
