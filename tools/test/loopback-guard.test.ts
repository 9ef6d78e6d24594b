import dgram from 'node:dgram';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isLocalDestination, takeRefusedAttempts } from '../loopback-guard.js';

describe('tests reach 127.0.0.1 only (tools/loopback-guard.ts)', () => {
  it('refuses a TCP connect to a public address (an eth.prod bootnode) and records it', async () => {
    const socket = net.connect({ host: '47.75.99.169', port: 443 });
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => socket.once('error', resolve));
    expect(error.code).toBe('ERR_TEST_NON_LOOPBACK');
    expect(takeRefusedAttempts()).toEqual(['tcp 47.75.99.169:443']);
  });

  it('refuses a UDP send to a public address and records it', async () => {
    const socket = dgram.createSocket('udp4');
    try {
      const error = await new Promise<Error | null>((resolve) =>
        socket.send(new Uint8Array([1]), 443, '178.128.138.128', resolve),
      );
      expect((error as NodeJS.ErrnoException).code).toBe('ERR_TEST_NON_LOOPBACK');
      expect(takeRefusedAttempts()).toEqual(['udp 178.128.138.128:443']);
    } finally {
      socket.close();
    }
  });

  it('lets loopback through', async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.destroy();
    server.close();
    expect(takeRefusedAttempts()).toEqual([]);
    expect(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1', '[::1]'].every(isLocalDestination)).toBe(
      true,
    );
    expect(['47.75.99.169', '10.0.0.1', 'example.org'].some(isLocalDestination)).toBe(false);
  });
});
