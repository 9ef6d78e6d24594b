import { generatePrivateKey } from '@status-ts/crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Devp2pErrorCode, Server } from '../src/index.js';

// Where `node:net` cannot be loaded (browsers, React Native) the package still imports and its codecs work;
// only starting a TCP Server fails, with a typed error instead of a bundler or reference error.
describe('Server without node:net', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('start() rejects with ERR_P2P_NO_TCP when process.getBuiltinModule is missing', async () => {
    const server = new Server({
      privateKey: generatePrivateKey(),
      host: '127.0.0.1',
      port: 0,
      capabilities: [],
    });
    vi.stubGlobal('process', { ...process, getBuiltinModule: undefined });
    await expect(server.start()).rejects.toMatchObject({ code: Devp2pErrorCode.NoTcp });
  });
});
