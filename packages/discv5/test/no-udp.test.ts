import { afterEach, describe, expect, it, vi } from 'vitest';
import { Discv5ErrorCode } from '../src/index.js';
import { createUdpTransport } from '../src/udp/index.js';

// Where `node:dgram` cannot be loaded (browsers, React Native) the `/udp` entry still imports, so a bundle
// that includes it builds; only opening a socket fails, with a typed error.
describe('createUdpTransport without node:dgram', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('rejects with ERR_DISCV5_NO_UDP when process.getBuiltinModule is missing', async () => {
    vi.stubGlobal('process', { ...process, getBuiltinModule: undefined });
    await expect(createUdpTransport({ ip: '127.0.0.1' })).rejects.toMatchObject({
      code: Discv5ErrorCode.NoUdp,
    });
  });

  it('binds a socket on 127.0.0.1 where node:dgram exists', async () => {
    const transport = await createUdpTransport({ ip: '127.0.0.1', port: 0 });
    expect(transport.localEndpoint.ip).toBe('127.0.0.1');
    expect(transport.localEndpoint.port).toBeGreaterThan(0);
    await transport.close();
  });
});
